-- Download of the table figures (Sources page). Parameters: none.
select * from figures
