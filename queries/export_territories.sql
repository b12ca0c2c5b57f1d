-- Download of the territorial reference: every département (code) with its name, 2014 région, 2016
-- région and regional federation. Parameters: none.
select d.code as dep_code, d.name as dep_name, r14.name as region_2014, r16.name as region_2016,
       coalesce(f.name, 'Sans COORACE régional') as coorace_regional
from departements as d
join regions_2014 as r14 using (region_2014_id)
join regions_2016 as r16 using (region_2016_id)
left join federation_regions as fr using (region_2014_id)
left join regional_federations as f using (federation_id)
order by lpad(d.code, 3, '0')
