-- The six enterprises of the social-utility synthesis, within a territory.
-- Parameters: $territory.
-- Columns: enterprise_id, name, structure_description, type_label, place, federation,
--          creation_year, fte, turnover_eur, certification (« non précisé » where the synthesis says nothing),
--          lon, lat, dep_code, source.
select e.enterprise_id, e.name, e.structure_description, st.short_label as type_label,
       e.commune_name || ' (' || d.code || ')' as place,
       coalesce('COORACE ' || f.name, 'Sans COORACE régional') as federation,
       e.creation_year, e.fte, e.turnover_eur,
       case when e.certification_scheme is null then 'non précisé'
            else e.certification_scheme || ' depuis ' || e.certified_since end as certification,
       e.lon, e.lat, d.code as dep_code,
       doc.short_title || ' — ' || e.section || ' — « ' || e.original_text || ' »' as source
from social_utility_enterprises as e
join structure_types as st on st.code = e.structure_type
join departements as d using (dep_id)
left join regional_federations as f on f.federation_id = e.federation_id
join source_documents as doc on doc.source_file = e.source_file
where e.dep_id in (select dep_id from territory_departements where territory_id = $territory)
order by e.rowid
