-- Download of the members' quality labels (Sources page). Parameters: none.
-- Columns: name, scheme, level, year, event, is_demo, document, section, original_text.
select coalesce(m.name, c.member_id) as name, c.scheme, c.level, c.year, c.event, c.is_demo,
       coalesce(doc.short_title, c.source_file) as document, c.section, c.original_text
from member_certifications as c
left join (select distinct member_id, name from members) as m using (member_id)
left join source_documents as doc on doc.source_file = c.source_file
order by c.is_demo, name, c.year
