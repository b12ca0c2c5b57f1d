-- Quality schemes (import validation and templates).
select scheme from quality_schemes order by scheme
