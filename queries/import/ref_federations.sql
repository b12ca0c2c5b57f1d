-- Regional federation ids (import validation).
select federation_id from regional_federations
