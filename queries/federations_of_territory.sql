-- The regional federations whose area overlaps a territory (for team lists and notices).
-- Parameters: $territory. Columns: federation_id, name.
select distinct f.federation_id, f.name
from territory_departements as td
join departements as d using (dep_id)
join federation_regions as fr using (region_2014_id)
join regional_federations as f using (federation_id)
where td.territory_id = $territory
order by f.name
