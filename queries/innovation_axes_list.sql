-- The report's three innovation axes. Parameters: none.
-- Columns: axis_id, short_label, title, description.
select axis_id, short_label, title, description from innovation_axes order by axis_id
