-- Where the member register of a territory and year comes from, as one label for captions:
-- the documents naming members, an imported register (« Fichier … importé le … par … »), or the
-- demonstration rows. Parameters: $territory, $year. Columns: source, members, demo_members.
with rows as (
    select m.is_demo,
           case when m.is_demo then 'registre des adhérents (démonstration)'
                else coalesce(doc.short_title, 'registre des adhérents') end as label
    from members as m
    left join source_documents as doc on doc.source_file = m.source_file
    where m.year = $year
      and m.dep_id in (select dep_id from territory_departements where territory_id = $territory)
)

select coalesce(string_agg(distinct label, ' ; ' order by label), 'registre des adhérents') as source,
       count(*) as members,
       count(*) filter (where is_demo) as demo_members
from rows
