-- Download of the six enterprises of the social-utility synthesis (Sources page). Parameters: none.
-- Columns: name, structure_description, type_label, commune, other_communes, departement, federation, lon, lat,
--          creation_year, fte, turnover_eur, certification, certification_note, document, section, original_text.
select e.name, e.structure_description, st.label as type_label, e.commune_name as commune,
       replace(e.other_communes, '|', ', ') as other_communes, d.code || ' – ' || d.name as departement,
       coalesce('COORACE ' || f.name, 'Sans COORACE régional') as federation, e.lon, e.lat,
       e.creation_year, e.fte, e.turnover_eur,
       case when e.certification_scheme is null then 'non précisé'
            else e.certification_scheme || ' depuis ' || e.certified_since end as certification,
       e.certification_note, coalesce(doc.short_title, e.source_file) as document, e.section, e.original_text
from social_utility_enterprises as e
join structure_types as st on st.code = e.structure_type
join departements as d using (dep_id)
left join regional_federations as f on f.federation_id = e.federation_id
left join source_documents as doc on doc.source_file = e.source_file
order by e.rowid
