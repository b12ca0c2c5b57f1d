-- Curated reference tables and published figures, typed from the staging views.

insert into source_documents
select source_file, title, short_title, publisher, cast(year as integer) from stg_documents;

insert into structure_types
select code, label, short_label, cast(is_iae as boolean), source_file, section, original_text
from stg_structure_types;

insert into quality_schemes values
    ('CEDRE', 'Démarche qualité CEDRE de COORACE', null, null),
    ('CEDRE ISO 9001', 'Certification de groupe CEDRE ISO 9001', 2013, 2024),
    ('CAP RSE', 'Certification CAP RSE, qui remplace CEDRE ISO 9001 à partir de 2025', 2025, null);

insert into consistency_rules
select theme, indicator, rule, nullif(total_indicator, ''), nullif(total_category, ''),
       cast(tolerance as double)
from stg_rules;

insert into figures_published
select theme, indicator, label, category, nullif(category_label, ''),
       cast(nullif(value, '') as double), unit, cast(year as integer), territory,
       source_file, section, original_text, nullif(note, ''), cast(src_line as integer)
from stg_figures;

insert into federation_staff
select federation_id, person, role, nullif(note, ''), source_file, section, original_text
from stg_federation_staff;

insert into governance_members
select body, person, nullif(role, ''), nullif(college, ''), nullif(represents, ''),
       nullif(represents_departement, ''), source_file, section, original_text
from stg_governance_members;

insert into innovation_axes
select cast(axis_id as integer), short_label, title, description, source_file, section, original_text
from stg_innovation_axes;

insert into training_offers
select offer_id, title, nullif(domain, ''), cast(price_member_eur as double),
       cast(price_non_member_eur as double), nullif(duration_text, ''),
       cast(nullif(hours, '') as double), cast(nullif(min_trainees, '') as integer),
       cast(nullif(max_trainees, '') as integer), nullif(trainers, ''),
       source_file, section, original_text
from stg_training_offers;
