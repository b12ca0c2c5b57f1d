-- Download of the table training_offers (Sources page). Parameters: none.
select * from training_offers
