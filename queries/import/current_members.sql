-- The register of one year as the importer compares it. Parameters: $year.
select member_id, name, structure_type, commune_insee, creation_year, fte, turnover_eur
from members where year = $year and not is_demo
