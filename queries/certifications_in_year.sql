-- Number of first certifications of one scheme in a year, in the register, within a
-- territory (progress against an objective). Parameters: $territory, $scheme, $year.
-- Columns: certifications.
select count(*) as certifications
from member_certifications as c
join members as m on m.member_id = c.member_id and m.year = (select max(year) from members)
where c.scheme = $scheme and c.year = $year and c.event = 'certification'
  and m.dep_id in (select dep_id from territory_departements where territory_id = $territory)
