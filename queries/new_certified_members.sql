-- Members certified (first certification, not renewals) in a given year, with their
-- region, within a territory. Parameters: $territory, $year.
-- Columns: name, scheme, federation, departement, is_demo, imputed_fields.
select m.name, c.scheme, coalesce('COORACE ' || f.name, 'Sans COORACE régional') as federation,
       m.dep_code || ' – ' || m.dep_name as departement, c.is_demo, m.imputed_fields
from member_certifications as c
join members_located as m on m.member_id = c.member_id and m.year = c.year
left join regional_federations as f on f.federation_id = m.federation_id
where c.year = $year and c.event = 'certification'
  and m.dep_id in (select dep_id from territory_departements where territory_id = $territory)
order by c.is_demo, c.scheme desc, f.name, m.name
