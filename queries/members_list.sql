-- The member list of a territory for a year, with the latest quality label.
-- Parameters: $territory, $year.
-- Columns: name, type_label, commune, departement, federation, label_scheme, label_year,
--          location, is_demo, estimated, imputed_fields, source (imported rows: « Fichier … importé le … par … »).
-- A value the documents do not give (imputed_fields: structure_type, departement, federation_id) is
-- marked « (estimé) » in its own cell; estimated lists them in French.
with latest_label as (
    select member_id, scheme, year as label_year
    from member_certifications
    where year <= $year
    qualify row_number() over (partition by member_id order by year desc, event) = 1
),

marked as (
    select *, string_split(coalesce(imputed_fields, ''), ',') as imputed
    from members_located
    where year = $year
      and dep_id in (select dep_id from territory_departements where territory_id = $territory)
)

select m.name,
       m.type_label || if(list_contains(m.imputed, 'structure_type'), ' (estimé)', '') as type_label,
       coalesce(m.commune_name, '') as commune,
       m.dep_code || ' – ' || m.dep_name || if(list_contains(m.imputed, 'departement'), ' (estimé)', '')
           as departement,
       coalesce('COORACE ' || f.name, 'Sans COORACE régional')
           || if(list_contains(m.imputed, 'federation_id'), ' (estimé)', '') as federation,
       l.scheme as label_scheme, l.label_year,
       case m.location_precision
           when 'commune' then 'commune'
           when 'departement' then 'département (approximatif)'
           else 'région (approximatif)'
       end as location,
       m.is_demo,
       nullif(concat_ws(', ',
           if(list_contains(m.imputed, 'structure_type'), 'type', null),
           if(list_contains(m.imputed, 'departement'), 'département', null),
           if(list_contains(m.imputed, 'federation_id'), 'COORACE régional', null)), '') as estimated,
       m.imputed_fields,
       concat_ws(' — ', doc.short_title, m.section) as source
from marked as m
left join regional_federations as f using (federation_id)
left join source_documents as doc on doc.source_file = m.source_file
left join latest_label as l using (member_id)
order by m.is_demo, m.name
