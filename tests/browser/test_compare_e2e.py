"""The comparison on Mon territoire in Chromium: the rate per 100 000 inhabitants and the rank the page shows
equal the database, for a federation and a département, on a phone (390×844) and a desktop (1400×900).

Screenshots: tests/artifacts/comparaison_<territory>_<width>.png (the Comparaison section) and
comparaison_<territory>_<width>_page.png (the whole page).
"""

from __future__ import annotations

import statistics

import pytest
from playwright.sync_api import expect

from observatoire import compare, fmt
from tests.browser.conftest import PageProbe

YEAR = 2014
SIZES = [(390, 844), (1400, 900)]
CASES = [("fed-midi-pyrenees", "federation", "COORACE régionaux"), ("dep-31", "departement", "départements")]
RATES = """
    select t.territory_id, count(m.member_id) * 100000.0 / any_value(p.population) as rate
    from territories as t
    join population as p using (territory_id)
    left join territory_departements as td using (territory_id)
    left join members as m on m.dep_id = td.dep_id and m.year = $year
    where t.level = $level
    group by all
    having any_value(p.population) is not null
"""


def norm(text: str) -> str:
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


@pytest.fixture(scope="module")
def rates(built_db):
    import duckdb

    with duckdb.connect(str(built_db), read_only=True) as con:
        yield lambda level: dict(con.execute(RATES, {"year": YEAR, "level": level}).fetchall())


@pytest.mark.parametrize("width, height", SIZES)
@pytest.mark.parametrize("territory, level, peers", CASES)
def test_the_comparison_shows_the_rate_and_rank_of_the_database(server, browser, artifacts, rates, territory,
                                                                  level, peers, width, height):
    everyone = rates(level)
    mine = everyone[territory]
    rank = 1 + sum(r > mine for r in everyone.values())
    rank_text = f"{rank}{'er' if rank == 1 else 'e'} sur {len(everyone)}"
    probe = PageProbe(browser, width, height)
    try:
        probe.open(f"{server}/mon_territoire?territoire={territory}&onglet=Comparaison")
        page = probe.page
        tab = page.get_by_role("tab", name="Comparaison", exact=True)
        expect(tab).to_have_attribute("aria-selected", "true")
        tab.scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        page.screenshot(path=str(artifacts / f"comparaison_{territory}_{width}.png"))
        probe.screenshot_full_height(artifacts / f"comparaison_{territory}_{width}_page.png", max_height=9000)
        table = page.locator('[data-testid="stDataFrame"]').first  # the comparison, first of the section
        grid_row = table.locator('[role="row"]').filter(has_text=compare.RATE_LABEL)
        expect(grid_row).to_have_count(1)
        row_text = norm(grid_row.inner_text())  # the grid draws only the columns in view: all of them at 1400
        assert row_text.startswith(f"{compare.RATE_LABEL}{norm(fmt.number(round(mine, 2), 2))}"), row_text
        if width >= 1400:
            median = norm(fmt.number(round(statistics.median(everyone.values()), 2), 2))
            assert rank_text in row_text and median in row_text, row_text
        subtitle = page.get_by_text(f"{rank_text} {peers} · population municipale 2017 (INSEE)", exact=True)
        expect(subtitle).to_be_visible()
        rate_chart = page.locator('[data-testid="stPlotlyChart"]').filter(has_text="Médiane des").first
        expect(rate_chart.locator("text.bartext").filter(has_text=fmt.number(round(mine, 2)))).to_have_count(1)
        expect(page.get_by_text(compare.DEMO_SENTENCE).first).to_be_visible()
        expect(page.get_by_text("Un seul millésime du registre (2014) : la comparaison viendra avec le prochain "
                                "import.")).to_be_visible()
        probe.act(lambda: page.get_by_role("tab", name="Profil").click())  # the profile names its population source
        expect(page.get_by_text("Habitants : INSEE, recensement de la population, populations légales 2017",
                                exact=False)).to_be_visible()
        assert probe.exceptions() == [] and probe.console_errors == [] and probe.blocked == []
    finally:
        probe.close()
