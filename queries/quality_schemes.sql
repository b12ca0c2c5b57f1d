-- Quality labels the register can hold (generic: scheme, level, year).
-- Parameters: none. Columns: scheme, description, valid_from, valid_to.
select scheme, description, valid_from, valid_to from quality_schemes order by coalesce(valid_from, 0), scheme
