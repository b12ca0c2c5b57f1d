-- The regional federations' teams as the 2014 report lists them.
-- Parameters: $federation ('' for all).
-- Columns: federation_id, federation, person, role, note, source_short (the document and section listing them).
select s.federation_id, f.name as federation, s.person, s.role, coalesce(s.note, '') as note,
       source_short(d.short_title, s.section) as source_short
from federation_staff as s
join regional_federations as f using (federation_id)
join source_documents as d on d.source_file = s.source_file
where $federation = '' or s.federation_id = $federation
order by f.name, s.rowid
