"""Every page runs headless (AppTest) and shows the numbers of the database."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from observatoire import db, fmt
from observatoire.paths import ROOT


def run_page(path: str, territoire: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / path), default_timeout=60)
    if territoire is not None:
        at.query_params["territoire"] = territoire
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric_values(at: AppTest) -> list[str]:
    return [m.value for m in at.metric]


def test_overview_kpis_match_the_database(built_db):
    at = run_page("app.py")
    kpis = db.run_query("key_figures", {"year": 2014}, con=db.connect(built_db))
    assert len(kpis) == 6
    assert metric_values(at)[:6] == [fmt.with_unit(r.value, r.unit) for r in kpis.itertuples()]
    labels = [m.label for m in at.metric]
    assert "Adhérents" in labels
    # the published numbers themselves, not only whatever the query returns
    assert fmt.with_unit(523, "nombre") in metric_values(at)
    assert fmt.with_unit(68830, "nombre") in metric_values(at)
    assert fmt.with_unit(308, "M€") in metric_values(at)


def test_each_kpi_carries_its_year_and_source(built_db):
    at = run_page("app.py")
    captions = " ".join(c.value for c in at.caption)
    assert "2013" in captions and "2014" in captions
    assert "Rapport d'activité 2014" in captions


@pytest.mark.parametrize("bad", ["fed-atlantide", "'; drop table members; --", "x" * 500, "dep-999"])
def test_unknown_territory_in_the_url_falls_back_to_france_with_a_notice(built_db, bad):
    at = run_page("app.py", territoire=bad)
    warnings = " ".join(w.value for w in at.warning)
    assert "n'existe pas" in warnings and "France entière" in warnings
    assert "territoire" not in at.query_params
