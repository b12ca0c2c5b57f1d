-- Download of the member register (Sources page), in words rather than codes. Parameters: none.
-- Columns: year, name, type_label, commune, departement, federation, location, lon, lat, creation_year,
--          fte, turnover_eur, is_demo, estimated (values the source does not give), document, section,
--          original_text.
select m.year, m.name, st.label as type_label, m.commune_name as commune,
       d.code || ' – ' || d.name as departement,
       coalesce('COORACE ' || f.name, 'Sans COORACE régional') as federation,
       case m.location_precision when 'commune' then 'commune' when 'departement' then 'département (approximatif)'
            else 'région (approximatif)' end as location,
       m.lon, m.lat, m.creation_year, m.fte, m.turnover_eur, m.is_demo,
       nullif(concat_ws(', ',
           if(list_contains(string_split(coalesce(m.imputed_fields, ''), ','), 'structure_type'), 'type', null),
           if(list_contains(string_split(coalesce(m.imputed_fields, ''), ','), 'departement'), 'département', null),
           if(list_contains(string_split(coalesce(m.imputed_fields, ''), ','), 'federation_id'),
              'COORACE régional', null)), '') as estimated,
       coalesce(doc.short_title, m.source_file) as document, m.section, m.original_text
from members as m
join structure_types as st on st.code = m.structure_type
join departements as d using (dep_id)
left join regional_federations as f using (federation_id)
left join source_documents as doc on doc.source_file = m.source_file
order by m.year, m.is_demo, m.name
