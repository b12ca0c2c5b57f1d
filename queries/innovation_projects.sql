-- Innovation projects in a territory, its own first, then the national ones (listed everywhere,
-- marked is_national), optionally for one axis ($axis = 0 for all). Parameters: $territory, $axis.
-- Columns: project_id, name, carrier, place, location_precision, is_national, axis_id, axis,
--          axis_basis, summary, lon, lat, dep_code, source (imported projects: « Fichier … importé
--          le … par … »).
select p.project_id, p.name, coalesce(p.carrier, '') as carrier,
       case p.location_precision
           when 'commune' then p.commune_name || ' (' || d.code || ')'
           when 'departement' then d.name || ' (' || d.code || ')'
           when 'region' then coalesce('COORACE ' || f.name, '')
           else 'Projet national (tout le réseau)'
       end as place,
       p.location_precision, p.location_precision = 'national' as is_national, p.axis_id, a.short_label as axis, coalesce(p.axis_basis, '') as axis_basis,
       p.summary, p.lon, p.lat, d.code as dep_code,
       coalesce(doc.short_title, p.source_file) || ' — ' || p.section || ' — « ' || p.original_text || ' »'
           as source
from innovation_projects as p
left join departements as d using (dep_id)
left join regional_federations as f using (federation_id)
left join innovation_axes as a using (axis_id)
left join source_documents as doc on doc.source_file = p.source_file
where ($axis = 0 or p.axis_id = $axis)
  and (
      $territory = 'FR'
      or p.location_precision = 'national'
      or p.dep_id in (select dep_id from territory_departements where territory_id = $territory)
      or (p.dep_id is null and p.federation_id in (
          select fr.federation_id
          from territory_departements as td
          join departements as dd using (dep_id)
          join federation_regions as fr using (region_2014_id)
          where td.territory_id = $territory
      ))
  )
order by p.location_precision = 'national', p.rowid
