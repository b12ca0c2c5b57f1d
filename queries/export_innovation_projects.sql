-- Download of the table innovation_projects (Sources page). Parameters: none.
select * from innovation_projects
