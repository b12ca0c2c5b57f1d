-- Member locations for the point map of a territory, for a year.
-- Parameters: $territory, $year.
-- Columns: name, structure_type, type_label, commune, dep_code, lon, lat, approximate, is_demo.
select m.name, m.structure_type, m.type_short_label as type_label,
       coalesce(m.commune_name, m.dep_name) as commune, m.dep_code, m.lon, m.lat,
       m.location_precision <> 'commune' as approximate, m.is_demo
from members_located as m
where m.year = $year
  and m.dep_id in (select dep_id from territory_departements where territory_id = $territory)
