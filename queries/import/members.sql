-- Replace the member register of $year by the imported rows (import_rows), then drop the
-- demonstration quality labels whose members no longer exist in any year.
-- Parameters: $year, $source.
delete from members where year = $year;

insert into members
select $year, member_id, name, structure_type, commune_insee, commune_name, dep_id, federation_id,
       'commune', lon, lat, creation_year, fte, turnover_eur, false, null, $source,
       'Import du registre des adhérents', null
from import_rows;

delete from member_certifications
where is_demo and member_id not in (select member_id from members);
