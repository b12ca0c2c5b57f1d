"""Pages in sections, in Chromium on a phone (390×844) and a desktop (1400×900): a link with ?onglet=… opens that
section and only it, a click on a tab opens another one and writes it in the URL (a reload, as a bookmark, opens it
again), the first tab leaves the URL clean, a menu link opens the next page on its first section, an unknown
section gets a French notice, and a section's export names it.

Screenshots: tests/artifacts/sections_<width>.png (Mon territoire, section Comparaison).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from observatoire.ui import PAGES, SECTION_PARAM
from tests.browser.conftest import PageProbe

SIZES = [(390, 844), (1400, 900)]
SECTIONED = [p for p in PAGES if p.sections]


def section_in_url(page) -> str | None:
    return parse_qs(urlparse(page.url).query).get(SECTION_PARAM, [None])[0]


def headings(page) -> list[str]:
    """The block titles drawn in the main area (level-4 headings)."""
    return [t.strip() for t in page.locator('[data-testid="stMain"] h4').all_inner_texts()]


@pytest.mark.parametrize("width, height", SIZES)
def test_a_link_opens_its_section_a_click_writes_it_in_the_url_and_a_reload_keeps_it(server, browser, artifacts,
                                                                                     width, height):
    probe = PageProbe(browser, width, height)
    try:
        page = probe.page
        probe.open(f"{server}/mon_territoire?territoire=dep-31&{SECTION_PARAM}=Comparaison")
        expect(page.get_by_role("tab", name="Comparaison")).to_have_attribute("aria-selected", "true")
        shown = headings(page)
        assert any(h.startswith("Adhérents pour 100 000 habitants") for h in shown), shown
        assert not any(h.startswith("Où sont les adhérents") for h in shown), shown  # the Profil section's map
        caption = page.get_by_text("dans l'onglet « Comparaison »")
        expect(caption).to_have_count(1)
        page.get_by_role("tab", name="Comparaison").scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / f"sections_{width}.png"))

        probe.act(lambda: page.get_by_role("tab", name="Chiffres et projets").click())
        expect(page.get_by_role("heading", name="Les projets nationaux, pour tout le réseau")).to_have_count(1)
        page.wait_for_function(f"() => location.search.includes('{SECTION_PARAM}=Chiffres')")
        assert section_in_url(page) == "Chiffres et projets"
        assert parse_qs(urlparse(page.url).query)["territoire"] == ["dep-31"]

        probe.open(page.url)  # a bookmark of that view
        expect(page.get_by_role("tab", name="Chiffres et projets")).to_have_attribute("aria-selected", "true")
        assert not any(h.startswith("Adhérents pour 100 000 habitants") for h in headings(page))

        probe.act(lambda: page.get_by_role("tab", name="Profil").click())
        page.wait_for_function(f"() => !location.search.includes('{SECTION_PARAM}=')")
        expect(page.locator('[data-testid="stMain"] h4', has_text="Où sont les adhérents")).to_have_count(1)
        assert probe.exceptions() == [] and probe.blocked == []
        # the tabs fit a phone: the page itself never scrolls sideways
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    finally:
        probe.close()


@pytest.mark.parametrize("entry", SECTIONED, ids=[p.url_path for p in SECTIONED])
def test_every_section_opens_from_its_link_without_error(server, browser, entry):
    probe = PageProbe(browser)
    try:
        for section in entry.sections:
            probe.open(f"{server}/{entry.url_path}?territoire=fed-midi-pyrenees&{SECTION_PARAM}={section}")
            expect(probe.page.get_by_role("tab", name=section, exact=True)).to_have_attribute("aria-selected", "true")
            assert probe.exceptions() == [], (section, probe.exceptions())
            assert probe.page.locator('[data-testid="stMain"] [data-testid="stElementContainer"]').count() > 3
        assert probe.console_errors == [] and probe.blocked == []
    finally:
        probe.close()


def test_a_menu_link_opens_the_next_page_on_its_first_section(server, browser):
    probe = PageProbe(browser)
    try:
        page = probe.page
        probe.open(f"{server}/adherents?{SECTION_PARAM}=Liste+des+adhérents")
        expect(page.get_by_role("tab", name="Liste des adhérents")).to_have_attribute("aria-selected", "true")
        probe.act(lambda: page.locator('[data-testid="stSidebar"]').get_by_role("link", name="Mon territoire").click())
        expect(page.get_by_role("tab", name="Profil")).to_have_attribute("aria-selected", "true")
        assert section_in_url(page) is None
        assert probe.exceptions() == []
    finally:
        probe.close()


def test_an_unknown_section_gets_a_french_notice_and_the_first_one(server, browser):
    probe = PageProbe(browser, 390, 844)
    try:
        page = probe.page
        probe.open(f"{server}/qualite_cedre?{SECTION_PARAM}=%5Bpi%C3%A8ge%5D(https://evil.example)")
        notice = page.locator('[data-testid="stAlert"]', has_text="n'existe pas sur cette page")
        expect(notice).to_have_count(1)
        # word joiners (U+2060) keep a URL from being made a link: the text reads the same
        assert "L'onglet « [piège](https://evil.example) » n'existe pas sur cette page : elle s'ouvre sur " \
               "« Le label CEDRE »." in notice.inner_text().replace("\u2060", "")
        assert notice.locator("a").count() == 0  # shown as text, never as a link
        expect(page.get_by_role("tab", name="Le label CEDRE")).to_have_attribute("aria-selected", "true")
        assert section_in_url(page) is None
    finally:
        probe.close()
