-- The member register (named members plus the flagged demonstration set) and quality
-- labels, as assembled by observatoire.register.

insert into members
select year, member_id, name, structure_type, commune_insee, commune_name, dep_id,
       federation_id, location_precision, lon, lat, creation_year, fte, turnover_eur,
       is_demo, imputed_fields, source_file, section, original_text
from stg_members;

insert into member_certifications
select member_id, scheme, level, year, event, is_demo, source_file, section, original_text
from stg_member_certifications;
