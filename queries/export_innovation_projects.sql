-- Download of the innovation projects (Sources page). Parameters: none.
-- Columns: name, carrier, commune, departement, federation, location, lon, lat, axis, axis_basis, summary,
--          document, section, original_text.
select p.name, p.carrier, p.commune_name as commune, d.code || ' – ' || d.name as departement,
       coalesce('COORACE ' || f.name, if(p.location_precision = 'national', 'France entière', 'Sans COORACE régional'))
           as federation,
       case p.location_precision when 'commune' then 'commune' when 'departement' then 'département (approximatif)'
            when 'national' then 'France entière' else 'région (approximatif)' end as location,
       p.lon, p.lat, a.short_label as axis, p.axis_basis, p.summary,
       coalesce(doc.short_title, p.source_file) as document, p.section, p.original_text
from innovation_projects as p
left join departements as d using (dep_id)
left join regional_federations as f using (federation_id)
left join innovation_axes as a using (axis_id)
left join source_documents as doc on doc.source_file = p.source_file
order by p.rowid
