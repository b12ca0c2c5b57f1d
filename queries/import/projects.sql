-- Add or replace innovation projects (key: project_id). Parameters: $source.
delete from innovation_projects where project_id in (select project_id from import_rows);

insert into innovation_projects
select project_id, name, carrier, federation_id, commune_insee, commune_name, dep_id, 'commune', lon, lat,
       axis_id, 'indiqué par l''import', summary, $source, 'Import des projets', summary
from import_rows;
