-- Schema of observatoire.duckdb: keys, foreign keys and CHECK constraints.
-- Run first by observatoire.build; the staging views stg_* are registered by Python.

-- The units a figure can have: the list of observatoire/units.py (stg_units), written once here.
create table units (
    position integer not null unique,
    unit varchar primary key,
    euros double  -- euros per unit for money, null otherwise
);
insert into units select position, unit, euros from stg_units;

create table source_documents (
    source_file varchar primary key,
    title varchar not null,
    short_title varchar not null,
    publisher varchar not null,
    year integer not null
);

create table structure_types (
    code varchar primary key,
    label varchar not null,
    short_label varchar not null,
    is_iae boolean not null,
    source_file varchar not null,
    section varchar not null,
    original_text varchar not null
);

create table regions_2016 (
    region_2016_id varchar primary key,
    code varchar not null unique,
    name varchar not null
);

create table regions_2014 (
    region_2014_id varchar primary key check (region_2014_id like 'reg-%'),
    name varchar not null,
    insee_code varchar not null unique,
    is_overseas boolean not null
);

create table regional_federations (
    federation_id varchar primary key check (federation_id like 'fed-%'),
    name varchar not null,
    source_file varchar not null,
    section varchar not null,
    original_text varchar not null
);

create table federation_regions (
    federation_id varchar not null references regional_federations (federation_id),
    region_2014_id varchar not null unique references regions_2014 (region_2014_id),
    source_file varchar not null,
    section varchar not null,
    original_text varchar not null,
    primary key (federation_id, region_2014_id)
);

create table departements (
    dep_id varchar primary key check (dep_id like 'dep-%'),
    code varchar not null unique,
    name varchar not null,
    region_2014_id varchar not null references regions_2014 (region_2014_id),
    region_2016_id varchar not null references regions_2016 (region_2016_id)
);

-- Every territory a user can select, and the départements it covers.
create table territories (
    territory_id varchar primary key,
    level varchar not null check (level in ('france', 'federation', 'region_2014', 'departement')),
    name varchar not null,
    sort_key varchar not null
);

create table territory_departements (
    territory_id varchar not null references territories (territory_id),
    dep_id varchar not null references departements (dep_id),
    primary key (territory_id, dep_id)
);

-- The themes of published figures (file names of data/sources/figures/ and entity tables) and their French titles.
create table themes (
    position integer not null unique,
    theme varchar primary key,
    label varchar not null
);
insert into themes values
    (1, 'network_members', 'Adhérents du réseau'),
    (2, 'network_economy', 'Emploi et activité des entreprises du réseau'),
    (3, 'funding_mix', 'Modèle économique des entreprises par type'),
    (4, 'activity_sectors', 'Secteurs d''activité des salarié·es en parcours'),
    (5, 'federation_resources', 'Ressources du COORACE national'),
    (6, 'cedre', 'Qualité : CEDRE et CEDRE ISO 9001'),
    (7, 'governance', 'Gouvernance de la fédération'),
    (8, 'network_life', 'Vie du réseau'),
    (9, 'training', 'Formation (COORACE Formation)'),
    (10, 'training_offers', 'Offres de formation'),
    (11, 'legal_helpdesk', 'Service juridique'),
    (12, 'economic_development', 'Développement économique'),
    (13, 'research_innovation', 'Recherche et innovation'),
    (14, 'innovation_results', 'Résultats des projets d''innovation'),
    (15, 'social_utility', 'Utilité sociale territoriale'),
    (16, 'social_utility_enterprises', 'Entreprises de la synthèse « utilité sociale »');

-- The overview's key figures (tiles and their evolution), in display order: chosen for a board member.
create table key_indicators (
    position integer primary key,
    theme varchar not null references themes (theme),
    indicator varchar not null,
    category varchar not null,
    label varchar not null,
    unit_label varchar not null
);
insert into key_indicators values
    (1, 'network_members', 'members_total', '', 'Adhérents', 'entreprises adhérentes'),
    (2, 'network_economy', 'employees_in_integration', '', 'Salarié·es en parcours d''insertion', 'personnes'),
    (3, 'network_economy', 'permanent_employees', '', 'Salarié·es permanent·es', 'personnes'),
    (4, 'network_economy', 'turnover_total', '', 'Chiffre d''affaires HT cumulé', 'chiffre d''affaires'),
    (5, 'cedre', 'certified_total', '', 'Entreprises certifiées CEDRE', 'entreprises (CEDRE et CEDRE ISO 9001)'),
    (6, 'training', 'trainees', '', 'Stagiaires formé·es', 'stagiaires de COORACE Formation');

create table figures_published (
    theme varchar not null references themes (theme),
    indicator varchar not null,
    label varchar not null,
    category varchar not null,
    category_label varchar,
    value double,
    unit varchar not null references units (unit),
    year integer not null check (year between 1980 and 2100),
    territory varchar not null references territories (territory_id),
    source_file varchar not null references source_documents (source_file),
    section varchar not null,
    original_text varchar not null,
    note varchar,
    source_line integer not null,
    primary key (theme, indicator, category, year, territory),
    check (unit <> '%' or value between 0 and 100)
);

create table consistency_rules (
    theme varchar not null,
    indicator varchar not null,
    rule varchar not null check (rule in ('shares_sum_100', 'parts_sum_total', 'complements_100')),
    total_indicator varchar,
    total_category varchar,
    tolerance double not null check (tolerance >= 0)
);

create table federation_staff (
    federation_id varchar not null references regional_federations (federation_id),
    person varchar not null,
    role varchar not null,
    note varchar,
    source_file varchar not null,
    section varchar not null,
    original_text varchar not null
);

create table governance_members (
    body varchar not null check (body in ('bureau', 'conseil_administration')),
    person varchar not null,
    role varchar,
    college varchar,
    represents varchar,
    represents_departement varchar,
    source_file varchar not null,
    section varchar not null,
    original_text varchar not null,
    primary key (body, person)
);

create table innovation_axes (
    axis_id integer primary key,
    short_label varchar not null,
    title varchar not null,
    description varchar not null,
    source_file varchar not null,
    section varchar not null,
    original_text varchar not null
);

create table innovation_projects (
    project_id varchar primary key,
    name varchar not null,
    carrier varchar,
    federation_id varchar references regional_federations (federation_id),
    commune_insee varchar,
    commune_name varchar,
    dep_id varchar references departements (dep_id),
    location_precision varchar not null check (location_precision in ('commune', 'departement', 'region', 'national')),
    lon double,
    lat double,
    axis_id integer references innovation_axes (axis_id),
    axis_basis varchar,
    summary varchar not null,
    source_file varchar not null,
    section varchar not null,
    original_text varchar not null
);

create table social_utility_enterprises (
    enterprise_id varchar primary key,
    name varchar not null,
    structure_description varchar not null,
    structure_type varchar not null references structure_types (code),
    commune_insee varchar not null,
    commune_name varchar not null,
    other_communes varchar,
    dep_id varchar not null references departements (dep_id),
    federation_id varchar references regional_federations (federation_id),
    lon double not null,
    lat double not null,
    creation_year integer check (creation_year between 1900 and 2100),
    fte double check (fte >= 0),
    turnover_eur double check (turnover_eur >= 0),
    certification_scheme varchar,
    certified_since integer,
    certification_note varchar,
    source_file varchar not null,
    section varchar not null,
    original_text varchar not null
);

create table training_offers (
    offer_id varchar primary key,
    title varchar not null,
    domain varchar,
    price_member_eur double not null check (price_member_eur > 0),
    price_non_member_eur double not null check (price_non_member_eur > 0),
    duration_text varchar,
    hours double check (hours > 0),
    min_trainees integer,
    max_trainees integer,
    trainers varchar,
    source_file varchar not null,
    section varchar not null,
    original_text varchar not null,
    check (price_member_eur <= price_non_member_eur),
    check (min_trainees <= max_trainees)
);

-- Quality labels are generic (scheme, level, year): CAP RSE replaces CEDRE ISO 9001 from 2025.
create table quality_schemes (
    scheme varchar primary key,
    description varchar not null,
    valid_from integer,
    valid_to integer
);

-- The member register, per year. Demonstration rows are flagged (is_demo) and so
-- are imputed attributes of named members (imputed_fields).
-- The CHECK bounds of importable columns (here, figures_published and member_certifications)
-- are those of observatoire.kinds (Number rules, UNITS, EVENTS): tests/test_bad_files.py
-- asserts they agree, so that a file the validator accepts is never refused here.
create table members (
    year integer not null check (year between 1980 and 2100),
    member_id varchar not null,
    name varchar not null,
    structure_type varchar not null references structure_types (code),
    commune_insee varchar,
    commune_name varchar,
    dep_id varchar not null references departements (dep_id),
    federation_id varchar references regional_federations (federation_id),
    location_precision varchar not null check (location_precision in ('commune', 'departement', 'region')),
    lon double not null check (lon between -180 and 180),
    lat double not null check (lat between -90 and 90),
    creation_year integer check (creation_year between 1900 and 2100),
    fte double check (fte between 0 and 100000),
    turnover_eur double check (turnover_eur >= 0),
    is_demo boolean not null,
    imputed_fields varchar,
    source_file varchar,
    section varchar,
    original_text varchar,
    primary key (year, member_id)
);

create table member_certifications (
    member_id varchar not null,
    scheme varchar not null references quality_schemes (scheme),
    level varchar,
    year integer not null check (year between 1980 and 2100),
    event varchar not null check (event in ('certification', 'renouvellement')),
    is_demo boolean not null,
    source_file varchar,
    section varchar,
    original_text varchar,
    primary key (member_id, scheme, year, event)
);

create table build_info (
    key varchar primary key,
    value varchar not null
);
