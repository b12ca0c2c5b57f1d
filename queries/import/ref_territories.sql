-- Selectable territory ids (templates).
select territory_id from territories order by sort_key
