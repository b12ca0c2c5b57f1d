-- Published figures as the importer compares them. Parameters: none.
select theme, indicator, category, year, territory, value, unit from figures_published
