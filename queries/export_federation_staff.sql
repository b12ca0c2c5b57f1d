-- Download of the regional federations' teams (Sources page). Parameters: none.
-- Columns: federation, person, role, note, document, section, original_text.
select 'COORACE ' || f.name as federation, s.person, s.role, s.note,
       coalesce(doc.short_title, s.source_file) as document, s.section, s.original_text
from federation_staff as s
join regional_federations as f using (federation_id)
left join source_documents as doc on doc.source_file = s.source_file
order by f.name, s.rowid
