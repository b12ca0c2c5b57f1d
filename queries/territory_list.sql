-- Every selectable territory (France, COORACE régionaux, 2014 régions, départements).
-- Parameters: none. Columns: territory_id, level, name.
select territory_id, level, name
from territories
order by sort_key
