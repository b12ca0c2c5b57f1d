"""Every page in a real browser: bookmarked territory, French title, real numbers, navigation.

Each page is opened at 1400x900 from a bookmark (`?territoire=fed-midi-pyrenees`); the sidebar
filter must show the territory, the page its French title, at least one number equal to what
the database holds, no Streamlit exception, no console error from our code and no request
leaving the machine. Then the territory must survive the sidebar menu (st.page_link) and the
sidebar selects must write it back to the URL.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from observatoire import db, fmt

TERRITORY = "fed-midi-pyrenees"
TERRITORY_NAME = "COORACE Midi-Pyrénées"
YEAR = 2014
# (screenshot name, URL path Streamlit gives the page, French title)
PAGES = [
    ("vue_ensemble", "/", "Vue d'ensemble"),
    ("adherents", "/adherents", "Adhérents"),
    ("financements", "/financements", "Financements"),
    ("qualite_cedre", "/qualite_cedre", "Qualité CEDRE"),
    ("innovation", "/innovation", "Innovation"),
    ("utilite_sociale", "/utilite_sociale", "Utilité sociale"),
    ("reseau", "/reseau", "Le réseau"),
    ("mon_territoire", "/mon_territoire", "Mon territoire"),
    ("sources", "/sources", "Sources et données"),
]
FULL_HEIGHT = {"qualite_cedre"}  # a full-height screenshot of these as well


def norm(text: str) -> str:
    """French number formatting uses narrow and non-breaking spaces: compare with plain ones."""
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


@pytest.fixture(scope="module")
def q(built_db):
    """Run a named query against the test database the server uses."""
    con = db.connect(built_db)
    yield lambda name, **params: db.run_query(name, params, con=con)
    con.close()


def metrics(probe) -> list[str]:
    values = probe.page.locator('[data-testid="stMain"] [data-testid="stMetricValue"]')
    return [norm(t) for t in values.all_inner_texts()]


def main_text(probe) -> str:
    return norm(probe.page.locator('[data-testid="stMain"]').inner_text())


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query)


def assert_clean(probe) -> None:
    assert probe.exceptions() == [], probe.exceptions()
    assert probe.console_errors == [], probe.console_errors
    assert probe.blocked == [], f"requests left the machine: {probe.blocked[:5]}"


# --------------------------------------------------------------------------- one number per page


def check_overview(probe, q):
    """The bookmarked territory's own figures first (41 members, 18 certified...), then the national key figures."""
    own = q("territory_figures", territory=TERRITORY, year=YEAR)
    own = own[(own.relation == "ce territoire") & (own.category_label == "")]
    shown = metrics(probe)
    assert shown[: len(own)] == [norm(fmt.with_unit(v, u)) for v, u in zip(own.value, own.unit)]
    assert shown[0] == "41"
    kpis = q("key_figures", year=YEAR)
    start = shown.index("523")
    assert shown[start: start + len(kpis)] == [norm(fmt.with_unit(r.value, r.unit)) for r in kpis.itertuples()]
    assert f"ils ne décrivent pas le territoire « {TERRITORY_NAME} »" in main_text(probe)


def check_members(probe, q):
    probe.act(lambda: probe.page.get_by_role("tab", name="Liste des adhérents").click())  # the list's section
    n = len(q("members_list", territory=TERRITORY, year=YEAR))
    assert n == 41
    assert f"{n} adhérent(s) affiché(s) sur {n}." in main_text(probe)


def check_funding(probe, q):
    def value(theme, indicator):
        row = q("published_series", theme=theme, indicator=indicator, territory="FR", year=YEAR).iloc[0]
        return norm(fmt.with_unit(row.value, row.unit))

    expected = [value("federation_resources", "federation_resources_total"),
                value("network_economy", "turnover_total")]
    assert metrics(probe)[:2] == expected
    assert expected[1] == "308 M€"


def check_quality(probe, q):
    total = q("published_series", theme="cedre", indicator="certified_total", territory="FR", year=YEAR)
    schemes = q("published_series", theme="cedre", indicator="certified_by_scheme", territory="FR", year=YEAR)
    expected = [norm(fmt.with_unit(v, "nombre")) for v in [total.value.iloc[0], *schemes.value]]
    assert metrics(probe)[:3] == expected == ["120", "93", "27"]


def check_innovation(probe, q):
    projects = q("innovation_projects", territory=TERRITORY, axis=0)
    national = int(projects.is_national.sum())
    assert national >= 1  # the national project is listed, as national
    assert f"{len(projects) - national} projet(s) dans « {TERRITORY_NAME} » et {national} projet(s) national(aux)." \
        in main_text(probe)


def check_social_utility(probe, q):
    enterprises = q("social_utility_enterprises", territory=TERRITORY)
    assert len(enterprises) >= 1
    chart = probe.page.locator('[data-testid="stMain"] .js-plotly-plot').first  # ETP by enterprise
    labels = norm(chart.inner_text())
    for e in enterprises.itertuples():
        assert e.name in labels
        assert norm(fmt.with_unit(e.fte, "ETP")) in labels


def check_my_territory(probe, q):
    profile = q("territory_profile", territory=TERRITORY, year=YEAR).iloc[0]
    expected = [fmt.number(profile.members), fmt.number(profile.certified), fmt.number(profile.departements)]
    assert metrics(probe)[:3] == [norm(v) for v in expected]
    assert metrics(probe)[:2] == ["41", "18"]
    subheader = norm(probe.page.locator('[data-testid="stMain"] h3').first.inner_text())
    assert subheader.startswith(f"{TERRITORY_NAME} — ") and f"données {YEAR}" in subheader, subheader


def check_network(probe, q):
    total = q("published_series", theme="network_economy", indicator="employees_total", territory="FR", year=YEAR)
    assert norm(fmt.with_unit(total.value.iloc[0], total.unit.iloc[0])) in metrics(probe)
    assert f"il n'existe pas pour « {TERRITORY_NAME} »" in main_text(probe)


def check_sources(probe, q):
    n = len(q("figures_catalogue"))
    assert n > 0
    headings = [norm(t) for t in probe.page.locator('[data-testid="stMain"] h4').all_inner_texts()]
    assert f"Tous les chiffres publiés ({n})" in headings


CHECKS = {
    "/": check_overview, "/adherents": check_members, "/financements": check_funding,
    "/qualite_cedre": check_quality, "/innovation": check_innovation, "/utilite_sociale": check_social_utility,
    "/reseau": check_network, "/mon_territoire": check_my_territory, "/sources": check_sources,
}


@pytest.mark.parametrize(("name", "path", "title"), PAGES, ids=[p[0] for p in PAGES])
def test_bookmarked_page(server, probe, artifacts, q, name, path, title):
    probe.open(f"{server}{path}?territoire={TERRITORY}")
    page = probe.page
    assert page.viewport_size == {"width": 1400, "height": 900}
    assert urlparse(page.url).path == path
    assert query_of(page.url).get("territoire") == [TERRITORY]
    expect(page.locator("h1")).to_have_text([title])  # exactly one h1
    assert page.title() == f"{title} · Observatoire COORACE"
    expect(probe.combobox("Échelon territorial")).to_have_value("COORACE régional")
    expect(probe.combobox("Territoire")).to_have_value(TERRITORY_NAME)
    CHECKS[path](probe, q)
    page.screenshot(path=str(artifacts / f"page_{name}.png"))
    if name in FULL_HEIGHT:
        probe.screenshot_full_height(artifacts / f"page_{name}_full.png")
    assert_clean(probe)


# --------------------------------------------------------------------------- navigation


def territory_in(url: str) -> str | None:
    return (query_of(url).get("territoire") or [None])[0]


def test_menu_link_and_sidebar_selects_carry_the_territory(server, probe, q):
    probe.open(f"{server}/adherents?territoire=dep-31")
    page = probe.page
    main = page.locator('[data-testid="stMain"]')
    assert probe.combobox("Territoire").input_value() == "31 – Haute-Garonne"
    link = page.locator('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]', has_text="Financements")
    assert link.get_attribute("href") == "financements?territoire=dep-31"

    # The sidebar menu (st.page_link) passes the territory on.
    probe.act(link.click)
    page.wait_for_url(lambda url: urlparse(url).path == "/financements", timeout=15000)
    expect(page.locator("h1")).to_have_text("Financements")
    assert query_of(page.url) == {"territoire": ["dep-31"]}
    expect(probe.combobox("Échelon territorial")).to_have_value("Département")
    expect(probe.combobox("Territoire")).to_have_value("31 – Haute-Garonne")
    expect(main).to_contain_text("il n'existe pas pour « 31 – Haute-Garonne »")

    # Level France: the parameter leaves the URL.
    probe.choose("Échelon territorial", "France")
    page.wait_for_url(lambda url: territory_in(url) is None, timeout=15000)
    expect(probe.combobox("Territoire")).to_have_value("France entière")
    expect(link).to_have_attribute("href", "financements")

    # Level Département: the first département is selected and written to the URL...
    probe.choose("Échelon territorial", "Département")
    territories = q("territory_list")
    first = territories[territories.level == "departement"].iloc[0]
    page.wait_for_url(lambda url: territory_in(url) == first.territory_id, timeout=15000)
    expect(probe.combobox("Territoire")).to_have_value(first["name"])

    # ...then the territory chosen in the select.
    probe.choose("Territoire", "09 – Ariège")
    page.wait_for_url(lambda url: territory_in(url) == "dep-09", timeout=15000)
    assert urlparse(page.url).path == "/financements"
    expect(probe.combobox("Territoire")).to_have_value("09 – Ariège")
    expect(main).to_contain_text("il n'existe pas pour « 09 – Ariège »")
    expect(link).to_have_attribute("href", "financements?territoire=dep-09")
    assert_clean(probe)


def test_unknown_territory_shows_a_french_notice(server, probe, artifacts):
    probe.open(f"{server}/financements?territoire=dep-999")
    page = probe.page
    notice = page.locator('[data-testid="stMain"] [data-testid="stAlertContentWarning"]')
    assert notice.count() == 1
    assert "Le territoire « dep-999 » demandé dans l'adresse n'existe pas" in notice.inner_text()
    assert probe.combobox("Échelon territorial").input_value() == "France"
    assert probe.combobox("Territoire").input_value() == "France entière"
    assert page.locator("h1").inner_text() == "Financements"
    assert "territoire" not in query_of(page.url)  # the bad value is not written back
    page.screenshot(path=str(artifacts / "page_territoire_inconnu.png"))
    assert_clean(probe)

