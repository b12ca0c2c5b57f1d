-- The municipal population of one territory (France, COORACE régional, 2014 région, département),
-- with its vintage and source, for the pages that show a rate per inhabitant.
-- Parameters: $territory.
-- Columns: territory_id, population, communes, communes_without_population, vintage, source, source_short.
select territory_id, population, communes, communes_without_population, vintage, source, source_short
from population
where territory_id = $territory
