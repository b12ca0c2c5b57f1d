"""What the rerun caches keep, share and forget: figures, query results, derived tables, formats."""

from __future__ import annotations

import json
import os
import shutil

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from observatoire import charts, db, figure_cache, fmt, maps, memo, point_map, tables
from observatoire.paths import ROOT
from tests.test_blocks import chart_numbers


def test_lru_cache_builds_once_and_evicts_the_least_recently_used():
    cache = memo.LruCache(max_entries=2)
    built = []

    def build(value):
        built.append(value)
        return value * 10

    assert cache.get("a", lambda: build(1)) == 10
    assert cache.get("a", lambda: build(99)) == 10  # not rebuilt
    cache.get("b", lambda: build(2))
    cache.get("a", lambda: build(99))  # "a" is now the most recent
    cache.get("c", lambda: build(3))  # evicts "b"
    assert len(cache) == 2
    assert cache.get("b", lambda: build(4)) == 40
    assert built == [1, 2, 3, 4]
    assert (cache.hits, cache.misses) == (2, 4)


def test_a_failed_build_stores_nothing():
    cache = memo.LruCache(max_entries=2)
    with pytest.raises(ValueError):
        cache.get("k", lambda: (_ for _ in ()).throw(ValueError("boom")))
    assert len(cache) == 0
    assert cache.get("k", lambda: 1) == 1


def test_fingerprint_compares_dataframes_by_content():
    a = pd.DataFrame({"x": ["AI", "ACI"], "v": [1.0, 2.0]})
    same = pd.DataFrame({"x": ["AI", "ACI"], "v": [1.0, 2.0]})
    other = pd.DataFrame({"x": ["AI", "ACI"], "v": [1.0, 3.0]})
    key = memo.fingerprint(tables.figures_table, (a,), {"unit": "%"})
    assert key == memo.fingerprint(tables.figures_table, (same,), {"unit": "%"})
    assert key != memo.fingerprint(tables.figures_table, (other,), {"unit": "%"})
    assert key != memo.fingerprint(tables.figures_table, (a,), {"unit": "nombre"})
    assert key != memo.fingerprint(tables.type_matrix, (a,), {"unit": "%"})


def _counts(con, year=2014):
    return db.run_query("members_by_subterritory", {"territory": "FR", "level": "federation", "year": year},
                        con=con)


def test_a_cached_map_is_the_built_map_and_is_shared(con):
    figure_cache.clear()
    counts = _counts(con)
    first = figure_cache.cached(maps.choropleth, counts, "federation", "members", unit="nombre")
    again = figure_cache.cached(maps.choropleth, counts.copy(), "federation", "members", unit="nombre")
    assert again is first
    assert isinstance(first, figure_cache.FrozenFigure)
    # the frozen dictionary is the figure the builder makes, computed once
    assert first.to_dict() is first.to_dict()
    fresh = json.loads(maps.choropleth(counts, "federation", "members", unit="nombre").to_json())
    sent = json.loads(first.to_json())
    assert sent["data"] == fresh["data"]
    assert sent["layout"] == {k: v for k, v in fresh["layout"].items() if v != {}}  # an empty title is dropped
    coloured = [t for t in first.to_dict()["data"] if t.get("showscale") is not False]
    assert sum(coloured[0]["z"]) == counts.members.sum()


def test_a_cached_figure_is_encoded_once_as_plotly_encodes_it(con, monkeypatch):
    """st.plotly_chart encodes each chart at every rerun: a frozen figure's JSON is made once, the same as
    plotly's own; any other figure is encoded by plotly as before."""
    import plotly.io as pio

    plotly_to_json, made = figure_cache._to_json, []

    def counted(fig, *args, **kwargs):
        made.append(1)
        return plotly_to_json(fig, *args, **kwargs)

    monkeypatch.setattr(figure_cache, "_to_json", counted)
    figure_cache.clear()
    frozen = figure_cache.cached(maps.choropleth, _counts(con), "federation", "members", unit="nombre")
    sent = [pio.to_json(frozen.to_dict(), validate=False) for _ in range(3)]  # as streamlit calls it
    assert sent[0] is sent[1] is sent[2] and len(made) == 1
    assert sent[0] == plotly_to_json(dict(frozen.to_dict()), validate=False)  # plotly's own bytes
    plain = charts.bar(_counts(con), "name", "members")  # not frozen: plotly's own encoding, every time
    assert pio.to_json(plain, validate=False) == plotly_to_json(plain, validate=False) and len(made) == 2


def test_different_data_gives_a_different_figure(con):
    counts = _counts(con)
    changed = counts.assign(members=counts.members + 1)
    a = figure_cache.cached(charts.bar, counts, "name", "members")
    b = figure_cache.cached(charts.bar, changed, "name", "members")
    assert a is not b
    assert sorted(b.data[0].x) == sorted(changed.members.tolist())
    assert sorted(a.data[0].x) == sorted(counts.members.tolist())


def test_a_cached_points_map_is_the_points_map(con):
    points = db.run_query("members_points", {"territory": "fed-midi-pyrenees", "year": 2014}, con=con)
    args = (points, "lon", "lat", "{name}")
    fig = point_map.points_map(*args, colour_col="structure_type", dep_col="dep_code")
    frozen = figure_cache.cached(point_map.points_map, *args, colour_col="structure_type", dep_col="dep_code")
    assert frozen.to_dict() == fig.to_dict()
    assert figure_cache.cached(point_map.points_map, *args, colour_col="structure_type", dep_col="dep_code") is frozen
    shown = sum(len(t.lon) for t in frozen.data if getattr(t, "mode", None) == "markers")
    assert shown == points.lon.notna().sum()


def test_records_are_the_rows_of_itertuples():
    df = pd.DataFrame({"label": ["a", "b", None], "value": [1.5, float("nan"), 3.0], "year": [2013, 2014, 2014]})
    rows = tables.records(df)
    assert [r.label for r in rows][:2] == ["a", "b"] and pd.isna(rows[2].label)
    assert [tuple(r) for r in rows][:1] == [tuple(r) for r in df.itertuples(index=False)][:1]
    assert rows[2].value == 3.0 and pd.isna(rows[1].value)
    assert [r.year for r in rows] == [2013, 2014, 2014]
    assert tables.records(df.iloc[:0]) == []


@pytest.mark.parametrize("value,unit", [(1234, "nombre"), (28.5, "%"), (2.812, "M€"), (708, "k€"), (12.0, "ETP"),
                                        (2015, "année"), (float("nan"), "%"), (None, "nombre")])
def test_cached_formats_equal_babel_formats(value, unit):
    once = fmt.with_unit(value, unit)
    assert fmt.with_unit(value, unit) == once
    expected = fmt.MISSING if value is None or value != value else fmt._with_unit.__wrapped__(value, unit)
    assert once == expected


def test_an_import_is_seen_at_the_next_rerun(built_db, tmp_path):
    """Cached query results are keyed on the database file's version: a replaced file is read again."""
    copy = tmp_path / "observatoire.duckdb"
    shutil.copy(built_db, copy)
    previous = os.environ["OBSERVATOIRE_DB"]
    os.environ["OBSERVATOIRE_DB"] = str(copy)
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.switch_page("pages/6_mon_territoire.py")
        at.query_params["territoire"] = "fed-midi-pyrenees"
        at.run()
        assert {m.label: m.value for m in at.metric}["Adhérents"] == "41"
        assert sum(chart_numbers(at, "profile_types")) == 41
        # an import builds a new file beside the served one, then replaces it (observatoire.versions)
        staged = tmp_path / "staged.duckdb"
        shutil.copy(copy, staged)
        con = duckdb.connect(str(staged))
        member = con.execute("select member_id from members where federation_id = 'fed-midi-pyrenees' "
                             "and is_demo and year = 2014 and member_id not in "
                             "(select member_id from member_certifications) limit 1").fetchone()[0]
        con.execute("delete from members where member_id = ? and year = 2014", [member])
        con.close()
        os.replace(staged, copy)
        at.run()
        assert not at.exception
        assert {m.label: m.value for m in at.metric}["Adhérents"] == "40"
        assert sum(chart_numbers(at, "profile_types")) == 40  # the chart too: a new block, a new figure
    finally:
        os.environ["OBSERVATOIRE_DB"] = previous


def test_a_warm_rerun_fingerprints_nothing(built_db, monkeypatch):
    """A block's figure and French table are found by the cached block itself: a rerun pickles and hashes
    no DataFrame (about 5 % of a page run), and draws the same numbers."""
    calls = []

    def counted(*args):
        calls.append(args[0].__qualname__)
        return memo_fingerprint(*args)

    memo_fingerprint = memo.fingerprint
    monkeypatch.setattr(memo, "fingerprint", counted)
    monkeypatch.setattr(figure_cache, "fingerprint", counted)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/6_mon_territoire.py")
    at.query_params["territoire"] = "fed-midi-pyrenees"
    at.run()
    at.toggle(key="table_profile_types").set_value(True).run()  # a block's table shown too
    first = chart_numbers(at, "profile_types")
    calls.clear()
    at.run()
    assert not at.exception and calls == []
    assert chart_numbers(at, "profile_types") == first and sum(first) == 41


def test_a_warm_rerun_builds_no_slide_and_a_changed_block_builds_its_own(built_db, monkeypatch):
    """The export's slides are found by the blocks a page drew (show.export_slides): a rerun builds none, yet the
    caption still counts them; the map's measure changed (a new block) builds the slides again, with the new map."""
    from observatoire import show, slides

    built = []

    def counted(shown, *args, **kwargs):
        built.append([b.id for b in shown])
        return from_blocks(shown, *args, **kwargs)

    from_blocks = slides.from_blocks
    monkeypatch.setattr(slides, "from_blocks", counted)
    show._slides_of.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/3_qualite_cedre.py")
    at.query_params["onglet"] = "Nouveaux certifiés"
    at.run()
    caption = [c.value for c in at.caption if " diapositive(s), " in c.value]
    assert len(built) == 1 and caption[0].startswith("3 diapositive(s)")
    at.run()
    assert not at.exception and len(built) == 1
    assert [c.value for c in at.caption if " diapositive(s), " in c.value] == caption
    at.segmented_control(key="new_iso_map_measure").set_value("rate").run()
    assert not at.exception and built[1:] == [["titre", "cedre-iso-carte-taux", "nouveaux-certifies"]]  # the new map


def test_a_page_changing_a_query_result_never_changes_the_cache(built_db):
    from observatoire import ui

    first = ui.query("members_by_type", territory="FR", year=2014)
    expected = first.members.tolist()
    first["members"] = 0  # what a page could do to its copy
    first.loc[0, "type_label"] = "modifié"
    first.iloc[1, first.columns.get_loc("members")] = -1
    again = ui.query("members_by_type", territory="FR", year=2014)
    assert again.members.tolist() == expected
    assert "modifié" not in again.type_label.tolist()


def test_the_first_page_of_a_process_removes_what_killed_writers_left(built_db, tmp_path, monkeypatch):
    import shutil

    from observatoire import ui

    served = tmp_path / "served.duckdb"
    shutil.copyfile(built_db, served)
    leftovers = [tmp_path / ".import-dead.duckdb", tmp_path / ".import-dead.duckdb.wal", tmp_path / ".build-x.duckdb"]
    for path in leftovers:
        path.write_bytes(b"half written")
    monkeypatch.setenv("OBSERVATOIRE_DB", str(served))
    monkeypatch.setenv("OBSERVATOIRE_VERSIONS", str(tmp_path / "versions"))
    assert int(ui.query("territory_profile", territory="FR", year=2014).members.iloc[0]) > 0
    assert [p for p in leftovers if p.exists()] == []
    assert served.is_file()
