-- Département ids (figures validation).
select dep_id from departements
