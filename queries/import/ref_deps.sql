-- Département codes with their id and regional federation (locating imported communes).
select d.code, d.dep_id, fr.federation_id
from departements as d
left join federation_regions as fr using (region_2014_id)
