-- Download of the table social_utility_enterprises (Sources page). Parameters: none.
select * from social_utility_enterprises
