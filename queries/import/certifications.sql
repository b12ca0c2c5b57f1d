-- Add or replace quality labels (one row per member, scheme, year, event).
-- Parameters: $source.
delete from member_certifications as c
using import_rows as i
where c.member_id = i.member_id and c.scheme = i.scheme and c.year = i.year and c.event = i.event;

insert into member_certifications
select member_id, scheme, level, year, event, false, $source, 'Import des labels qualité', null
from import_rows;
