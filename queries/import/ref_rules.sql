-- Consistency rules as the build's checks expect them (figures validation).
select theme, indicator, rule, coalesce(total_indicator, '') as total_indicator,
       coalesce(total_category, '') as total_category, cast(tolerance as varchar) as tolerance
from consistency_rules
