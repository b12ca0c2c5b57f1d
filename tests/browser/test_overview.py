"""The overview in a real browser: KPI values shown, no exception, no console error."""

from observatoire import db, fmt


def test_overview_shows_the_key_figures(server, probe, artifacts, built_db):
    kpis = db.run_query("key_figures", {"year": 2014}, con=db.connect(built_db))
    probe.open(server + "/")
    probe.page.wait_for_selector('[data-testid="stMetricValue"]', timeout=30000)
    shown = probe.page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    expected = [fmt.with_unit(r.value, r.unit) for r in kpis.itertuples()]
    normalise = lambda s: s.replace("\u202f", " ").replace("\u00a0", " ").strip()  # noqa: E731
    assert [normalise(s) for s in shown[: len(expected)]] == [normalise(s) for s in expected]
    assert normalise(fmt.with_unit(523, "nombre")) in [normalise(s) for s in shown]
    probe.page.screenshot(path=str(artifacts / "overview.png"), full_page=True)
    assert probe.exceptions() == []
    assert probe.console_errors == []
    assert probe.blocked == [], f"requests left the machine: {probe.blocked[:5]}"
