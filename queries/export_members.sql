-- Download of the table members (Sources page). Parameters: none.
select year, member_id, name, structure_type, commune_insee, commune_name, dep_id, federation_id, location_precision, lon, lat, creation_year, fte, turnover_eur, is_demo, imputed_fields, source_file, section, original_text from members
