-- Territorial reference: 2016 and 2014 régions, départements, COORACE regional
-- federations, and the flat list of selectable territories with their départements.

insert into regions_2016
select region_2016_id, code, name from stg_regions_2016;

insert into regions_2014
select region_2014_id, name, insee_code, cast(is_overseas as boolean) from stg_regions_2014;

insert into regional_federations
select federation_id, name, source_file, section, original_text from stg_regional_federations;

insert into federation_regions
select federation_id, region_2014_id, source_file, section, original_text from stg_federation_regions;

insert into departements
select dep_id, code, name, region_2014_id, region_2016_id from stg_departements;

insert into territories
with final as (
    select 'FR' as territory_id, 'france' as level, 'France entière' as name, '0' as sort_key
    union all
    select federation_id, 'federation', 'COORACE ' || name, '1 ' || strip_accents(name)
    from regional_federations
    union all
    select region_2014_id, 'region_2014', name, '2 ' || strip_accents(name)
    from regions_2014
    union all
    select dep_id, 'departement', code || ' – ' || name, '3 ' || lpad(code, 3, '0')
    from departements
)
select * from final;

insert into territory_departements
with final as (
    select 'FR' as territory_id, dep_id from departements
    union all
    select fr.federation_id, d.dep_id
    from federation_regions as fr
    join departements as d using (region_2014_id)
    union all
    select region_2014_id, dep_id from departements
    union all
    select dep_id, dep_id from departements
)
select * from final;
