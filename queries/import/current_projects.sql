-- Innovation projects as the importer compares them. Parameters: none.
select project_id, name, carrier, commune_insee, axis_id, summary from innovation_projects
