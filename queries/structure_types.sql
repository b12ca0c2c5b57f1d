-- The structure types of the network (reference data, whatever the year): code, full and short label.
-- Parameters: none. Columns: structure_type, type_label, short_label.
select code as structure_type, label as type_label, short_label
from structure_types
order by code
