-- Located entities: innovation projects and the six enterprises of the social-utility
-- synthesis, joined with the points geocoded by observatoire.build (stg_points).

insert into innovation_projects
select p.project_id, p.name, nullif(p.carrier, ''), nullif(p.federation_id, ''),
       nullif(p.commune_insee, ''), nullif(p.commune_name, ''), pt.dep_id,
       p.location_precision, pt.lon, pt.lat, cast(nullif(p.axis_id, '') as integer),
       nullif(p.axis_basis, ''), p.summary, p.source_file, p.section, p.original_text
from stg_innovation_projects as p
left join stg_points as pt on pt.kind = 'project' and pt.id = p.project_id;

insert into social_utility_enterprises
select e.enterprise_id, e.name, e.structure_description, e.structure_type,
       e.commune_insee, e.commune_name, nullif(e.other_communes, ''), pt.dep_id,
       nullif(e.federation_id, ''), pt.lon, pt.lat,
       cast(nullif(e.creation_year, '') as integer), cast(nullif(e.fte, '') as double),
       cast(nullif(e.turnover_eur, '') as double), nullif(e.certification_scheme, ''),
       cast(nullif(e.certified_since, '') as integer), nullif(e.certification_note, ''),
       e.source_file, e.section, e.original_text
from stg_social_utility_enterprises as e
join stg_points as pt on pt.kind = 'enterprise' and pt.id = e.enterprise_id;
