"""Every page, and every section of the pages in sections, on a phone (390×844) and a small laptop (1024×768), in
Chromium.

On a phone, for France and for two territories: nothing wider than the screen, and each map shows,
within the screen, France and its overseas insets whole (or the selected territory). What a map shows
is read from the map drawn in the page: plotly's projection inverts the corners of the visible part of
the geo subplot's frame into longitudes and latitudes. The sidebar closes after a menu navigation.
Full-height screenshots of every page go to tests/artifacts/mobile/ (France and Midi-Pyrénées).
"""

from __future__ import annotations

import pytest
import shapely
from playwright.sync_api import expect

from observatoire import geo, map_view, ui
from observatoire.ui import PAGES, SECTION_PARAM
from tests.browser.conftest import PageProbe

PHONE = (390, 844)
LAPTOP = (1024, 768)
TERRITORIES = ("", "fed-midi-pyrenees", "dep-31")
SHOT_TERRITORIES = ("", "fed-midi-pyrenees")
TOLERANCE = 0.05  # degrees: rounding of the view and of the projection's inversion
DRAW_TIMEOUT = 20000  # ms: maps draw a second or two after the script run is over
# every view: a page on its first section (None), then each other section (?onglet=…)
VIEWS = [(entry, section) for entry in PAGES for section in (None, *entry.sections[1:])]

# The lon/lat box each geo map shows on screen: its frame (.bg) clipped to the window, corners
# inverted by the map's own projection (plotly keeps it on the subplot object).
VISIBLE_BOUNDS_JS = """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(gd => {
    const subplot = gd._fullLayout && gd._fullLayout.geo && gd._fullLayout.geo._subplot;
    const frame = gd.querySelector('.geo .bg');
    if (!subplot || !frame) return [];
    const svg = gd.querySelector('svg.main-svg').getBoundingClientRect();
    const box = frame.getBoundingClientRect();
    const left = Math.max(box.left, 0), right = Math.min(box.right, window.innerWidth);
    const [west, north] = subplot.projection.invert([left - svg.left, box.top - svg.top]);
    const [east, south] = subplot.projection.invert([right - svg.left, box.bottom - svg.top]);
    return [{west, south, east, north, left: box.left, right: box.right}];
})"""
OVERFLOW_JS = """() => ({document: document.documentElement.scrollWidth, window: window.innerWidth,
    main: document.querySelector('[data-testid="stMain"]').scrollWidth})"""


def _url(server: str, path: str, territory: str, section: str | None = None) -> str:
    query = "&".join(([f"territoire={territory}"] if territory else []) + ([f"{SECTION_PARAM}={section}"]
                                                                          if section else []))
    return f"{server}/{path}" + (f"?{query}" if query else "")


def _name(entry, section: str | None) -> str:
    """A view's name in file names and test ids: « mon_territoire », « mon_territoire-comparaison »."""
    return (entry.url_path or "accueil") + (f"-{ui.slug(section)}" if section else "")


def _expected(territory: str):
    """What every map must show whole: France and the inset frames, or the selected territory."""
    return map_view.focus_shape(territory) if territory else shapely.box(*geo.layout_bounds())


def _maps_drawn(probe: PageProbe) -> list[dict]:
    """Visible bounds of every geo map of the page, once each one has drawn its frame."""
    page = probe.page
    count = page.locator(".js-plotly-plot").count()
    if count:
        page.wait_for_function("""() => [...document.querySelectorAll('.js-plotly-plot')]
            .every(gd => gd._fullLayout && (!gd._fullLayout.geo || gd.querySelector('.geo .bg')))""",
                               timeout=DRAW_TIMEOUT)
    return page.evaluate(VISIBLE_BOUNDS_JS)


def _no_overflow(probe: PageProbe, where: str) -> None:
    widths = probe.page.evaluate(OVERFLOW_JS)
    assert widths["document"] <= widths["window"], f"{where}: la page déborde horizontalement {widths}"
    assert widths["main"] <= widths["window"], f"{where}: le contenu déborde horizontalement {widths}"


@pytest.fixture(scope="module")
def phone(browser):
    probe = PageProbe(browser, *PHONE)
    yield probe
    probe.close()


@pytest.mark.parametrize(("entry", "section"), VIEWS, ids=[_name(e, s) for e, s in VIEWS])
def test_every_page_fits_a_phone_with_whole_maps(server, phone, artifacts, entry, section):
    shots = artifacts / "mobile"
    shots.mkdir(exist_ok=True)
    for territory in TERRITORIES:
        where = f"{entry.label}{f' · {section}' if section else ''} ({territory or 'France'}, {PHONE[0]}×{PHONE[1]})"
        phone.open(_url(server, entry.url_path, territory, section), timeout=60000)
        assert phone.exceptions() == [], where
        _no_overflow(phone, where)
        expected = _expected(territory)
        for shown in _maps_drawn(phone):
            print(f"\n{where}: carte {shown['west']:.2f} {shown['south']:.2f} {shown['east']:.2f} {shown['north']:.2f}"
                  f" (écran {shown['left']:.0f}–{shown['right']:.0f} px), attendu {expected.bounds}")
            assert shown["left"] >= -1 and shown["right"] <= PHONE[0] + 1, f"{where}: carte coupée {shown}"
            box = shapely.box(shown["west"], shown["south"], shown["east"], shown["north"]).buffer(TOLERANCE)
            assert box.contains(expected), f"{where}: la carte ne montre pas tout {expected.bounds} : {shown}"
        if territory in SHOT_TERRITORIES:
            name = f"{_name(entry, section)}_{territory or 'FR'}_{PHONE[0]}.png"
            phone.screenshot_full_height(shots / name, max_height=12000)
    assert phone.blocked == [], f"requests left the machine: {phone.blocked[:5]}"


def test_the_sidebar_closes_after_a_menu_navigation_on_a_phone(server, phone):
    page = phone.page
    phone.open(_url(server, "", "fed-midi-pyrenees"))
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar).to_have_attribute("data-collapsed", "true")  # closed when a phone opens the page
    page.get_by_test_id("stExpandSidebarButton").click()
    expect(sidebar).to_have_attribute("data-collapsed", "false")
    link = sidebar.get_by_role("link", name="Financements")
    phone.act(lambda: link.click())
    page.wait_for_url("**/financements?territoire=fed-midi-pyrenees", timeout=30000)
    expect(page.locator("h1").first).to_have_text("Financements")
    expect(sidebar).to_have_attribute("data-collapsed", "true")
    box = sidebar.bounding_box()
    assert box is None or box["x"] + box["width"] <= 1, f"le panneau latéral couvre encore la page : {box}"
    # Changing a filter is not a navigation: the sidebar stays open for the next choice.
    page.get_by_test_id("stExpandSidebarButton").click()
    phone.choose("Échelon territorial", "Département")
    expect(sidebar).to_have_attribute("data-collapsed", "false")


@pytest.mark.parametrize("territory", SHOT_TERRITORIES, ids=["France", "fed-midi-pyrenees"])
def test_every_page_fits_a_small_laptop(server, browser, artifacts, territory):
    probe = PageProbe(browser, *LAPTOP)
    shots = artifacts / "mobile"
    shots.mkdir(exist_ok=True)
    try:
        for entry, section in VIEWS:
            view = entry.label + (f" · {section}" if section else "")
            where = f"{view} ({territory or 'France'}, {LAPTOP[0]}×{LAPTOP[1]})"
            probe.open(_url(server, entry.url_path, territory, section), timeout=60000)
            assert probe.exceptions() == [], where
            _no_overflow(probe, where)
            for shown in _maps_drawn(probe):
                box = shapely.box(shown["west"], shown["south"], shown["east"], shown["north"]).buffer(TOLERANCE)
                assert box.contains(_expected(territory)), f"{where}: la carte ne montre pas tout : {shown}"
            probe.screenshot_full_height(shots / f"{_name(entry, section)}_{territory or 'FR'}_{LAPTOP[0]}.png",
                                         max_height=12000)
    finally:
        probe.close()
