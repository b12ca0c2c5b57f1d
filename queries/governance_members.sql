-- The members of the national bureau and board as the report lists them (after the general
-- assembly of 23 May 2014). Parameters: none.
-- Columns: body, body_label, person, role, college, represents, source_short, source.
select g.body,
       case g.body when 'bureau' then 'Bureau' else 'Conseil d''administration' end as body_label,
       g.person, coalesce(g.role, '') as role, coalesce(g.college, '') as college,
       coalesce(g.represents, '')
           || coalesce(' (' || g.represents_departement || ')', '') as represents,
       source_short(d.short_title, g.section) as source_short,
       d.short_title || ' — ' || g.section || ' — « ' || g.original_text || ' »' as source
from governance_members as g
join source_documents as d using (source_file)
order by g.body = 'conseil_administration', g.rowid
