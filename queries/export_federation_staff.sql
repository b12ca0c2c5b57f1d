-- Download of the table federation_staff (Sources page). Parameters: none.
select * from federation_staff
