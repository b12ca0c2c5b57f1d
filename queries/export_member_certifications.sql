-- Download of the table member_certifications (Sources page). Parameters: none.
select * from member_certifications
