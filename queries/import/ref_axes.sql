-- Innovation axes (import validation and templates).
select axis_id from innovation_axes order by axis_id
