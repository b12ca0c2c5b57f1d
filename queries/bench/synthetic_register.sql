-- A synthetic register 100 times the real network: the 2014 register copied 10 times a year
-- for 10 years ($first_year .. $first_year + 9), i.e. 52,300 members, with their quality
-- labels. Run on a throwaway copy of the database by bench.scale; never committed.
-- Parameters: $first_year.
insert into members
select y.year, m.member_id || '-' || y.year || '-' || k.copy, m.name || ' (copie ' || k.copy || ')',
       m.structure_type, m.commune_insee, m.commune_name, m.dep_id, m.federation_id, m.location_precision,
       m.lon, m.lat, m.creation_year, m.fte, m.turnover_eur, true, m.imputed_fields, m.source_file,
       'Jeu synthétique de mesure (×100)', m.original_text
from members as m
cross join range($first_year, $first_year + 10) as y(year)
cross join range(10) as k(copy)
where m.year = 2014;

insert into member_certifications
select c.member_id || '-' || y.year || '-' || k.copy, c.scheme, c.level, least(c.year, y.year), c.event, true,
       c.source_file, 'Jeu synthétique de mesure (×100)', c.original_text
from member_certifications as c
cross join range($first_year, $first_year + 10) as y(year)
cross join range(10) as k(copy);

delete from members where year = 2014;
