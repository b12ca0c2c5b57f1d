-- The regional federations' teams as the 2014 report lists them.
-- Parameters: $federation ('' for all).
-- Columns: federation_id, federation, person, role, note.
select s.federation_id, f.name as federation, s.person, s.role, coalesce(s.note, '') as note
from federation_staff as s
join regional_federations as f using (federation_id)
where $federation = '' or s.federation_id = $federation
order by f.name, s.rowid
