-- Consistency rules of data/sources/rules.csv applied to the published figures:
-- shares adding up to 100, parts adding up to their published total, complements.
-- Output: source, line, rule, detail.

with figures as (
    select theme, indicator, category, year, territory, src_file, src_line,
           try_cast(value as double) as value
    from stg_figures
),

rules as (
    select theme, indicator, rule, nullif(total_indicator, '') as total_indicator,
           nullif(total_category, '') as total_category,
           coalesce(try_cast(tolerance as double), 0) as tolerance, src_file as rule_file,
           src_line as rule_line
    from stg_rules
),

unknown_rules as (
    select rule_file as source, rule_line as line, 'règle connue' as rule,
           'règle « ' || rule || ' » : attendu shares_sum_100, parts_sum_total ou complements_100' as detail
    from rules
    where rule not in ('shares_sum_100', 'parts_sum_total', 'complements_100')
),

empty_rules as (
    select r.rule_file, r.rule_line, 'règle sans données',
           'aucune donnée pour ' || r.theme || '/' || r.indicator
    from rules as r
    where not exists (select 1 from figures as f where f.theme = r.theme and f.indicator = r.indicator)
),

share_groups as (
    select f.theme, f.indicator, f.year, f.territory, r.tolerance,
           sum(f.value) as total, min(f.src_file) as source,
           string_agg(f.src_line, ', ' order by f.src_line::integer) as lines
    from figures as f
    join rules as r on r.theme = f.theme and r.indicator = f.indicator and r.rule = 'shares_sum_100'
    group by all
),

shares as (
    select source, lines, 'parts en % = 100',
           indicator || ' (' || year || ', ' || territory || ') : la somme des parts vaut '
           || round(total, 2) || ' au lieu de 100 (tolérance ' || tolerance || ')'
    from share_groups
    where abs(total - 100) > tolerance
),

part_groups as (
    select f.theme, f.indicator, f.year, f.territory, r.total_indicator, r.total_category,
           r.tolerance, sum(f.value) as parts, min(f.src_file) as source,
           string_agg(f.src_line, ', ' order by f.src_line::integer) as lines
    from figures as f
    join rules as r on r.theme = f.theme and r.indicator = f.indicator and r.rule = 'parts_sum_total'
    group by all
),

parts as (
    select g.source, g.lines, 'parts = total publié',
           g.indicator || ' (' || g.year || ', ' || g.territory || ') : la somme des parts vaut '
           || g.parts || ', le total publié ' || g.total_indicator || ' vaut '
           || coalesce(cast(t.value as varchar), 'absent')
    from part_groups as g
    left join figures as t
        on t.theme = g.theme and t.indicator = g.total_indicator and t.year = g.year
       and t.territory = g.territory
       and (g.total_category is null or t.category = g.total_category)
    where t.value is null or abs(g.parts - t.value) > g.tolerance
),

complements as (
    select f.src_file, f.src_line, 'parts complémentaires = 100',
           f.indicator || ' + ' || r.total_indicator || ' pour « ' || f.category || ' » ('
           || f.year || ') : ' || f.value || ' + ' || coalesce(cast(c.value as varchar), 'absent')
           || ' au lieu de 100'
    from figures as f
    join rules as r on r.theme = f.theme and r.indicator = f.indicator and r.rule = 'complements_100'
    left join figures as c
        on c.theme = f.theme and c.indicator = r.total_indicator and c.category = f.category
       and c.year = f.year and c.territory = f.territory
    where c.value is null or abs(f.value + c.value - 100) > r.tolerance
),

final as (
    select * from unknown_rules
    union all select * from empty_rules
    union all select * from shares
    union all select * from parts
    union all select * from complements
)

select * from final;
