-- Structure type codes (import validation and templates).
select code from structure_types order by code
