"""Presentation mode in a real browser: no Streamlit chrome, keyboard navigation, type readable at
1920x1080 and 1280x720, nothing requested outside the machine."""

from __future__ import annotations

import io
import time

import numpy as np
import pytest
from PIL import Image

from observatoire import db, slides
from tests.browser.conftest import PageProbe

TERRITORY = "fed-midi-pyrenees"
TIMEOUT = 60000


@pytest.fixture(scope="module")
def titles(built_db) -> list[str]:
    con = db.connect(built_db)
    try:
        available = slides.build_slides(con, TERRITORY, 2014)
    finally:
        con.close()
    return [s.title for s in slides.select(available, slides.default_selection(available))]


@pytest.fixture
def screen(browser):
    """A 1920x1080 page (a room projector) that blocks requests leaving localhost."""
    p = PageProbe(browser, width=1920, height=1080)
    yield p
    p.close()


@pytest.fixture
def small_screen(browser):
    p = PageProbe(browser, width=1280, height=720)
    yield p
    p.close()


def start(probe: PageProbe, server: str, titles: list[str]) -> None:
    probe.open(f"{server}/presentation?territoire={TERRITORY}")
    probe.page.get_by_role("button", name="Lancer la présentation").click()
    wait_for_slide(probe, titles, 0)


def wait_for_slide(probe: PageProbe, titles: list[str], index: int) -> None:
    """Wait until slide `index` is drawn: its title, then its footer number (the last element drawn)."""
    probe.page.wait_for_function(
        """([title, number]) => {
            const t = document.querySelector('.pres-title');
            const n = document.querySelector('.pres-footer span:last-child');
            return t && t.innerText.trim() === title && n && n.innerText.trim() === number
                && !document.querySelector('[data-testid="stStatusWidget"]');
        }""",
        arg=[titles[index], f"{index + 1} / {len(titles)}"], timeout=TIMEOUT,
    )
    probe.page.wait_for_timeout(500)


def blue_pixels(png: bytes) -> int:
    """Pixels of the charts' blues (the map's scale, the accent colour)."""
    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    return int(((rgb[:, :, 2] - rgb[:, :, 0] > 25) & (rgb[:, :, 2] > 90)).sum())


def wait_for_charts(probe: PageProbe, timeout: float = 40) -> None:
    """Plotly has drawn the slide's chart, and a map its polygons (software WebGL takes seconds)."""
    page = probe.page
    page.wait_for_function(
        """() => {
            const plots = Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot'));
            return plots.length > 0 && plots.every(gd => gd.querySelector('.main-svg'));
        }""",
        timeout=TIMEOUT,
    )
    if page.locator("canvas.maplibregl-canvas").count():
        # Measured on the page's own screenshot: the one the artifacts keep.
        deadline = time.monotonic() + timeout
        while blue_pixels(page.screenshot()) < 50_000:
            assert time.monotonic() < deadline, "the map was not drawn"
            page.wait_for_timeout(500)
    page.wait_for_timeout(500)


def px(probe: PageProbe, selector: str) -> float:
    return probe.page.eval_on_selector(selector, "e => parseFloat(getComputedStyle(e).fontSize)")


def fits_the_screen(probe: PageProbe) -> bool:
    """Nothing to scroll: the slide and its navigation fit in the window."""
    return probe.page.evaluate(
        """() => {
            const main = document.querySelector('[data-testid="stMain"]');
            const nav = document.querySelector('.st-key-presentation_nav');
            return main.scrollHeight <= main.clientHeight + 2
                && nav.getBoundingClientRect().bottom <= window.innerHeight + 1;
        }"""
    )


def test_presentation_mode_hides_the_chrome_and_follows_the_keyboard(server, screen, artifacts, titles):
    page = screen.page
    start(screen, server, titles)
    for testid in ("stSidebar", "stHeader", "stToolbar"):
        assert page.locator(f'[data-testid="{testid}"]').first.is_hidden(), f"{testid} is visible"
    assert page.locator("h1#presentation").is_hidden()  # the page title of the settings view
    assert px(screen, ".pres-title") >= 48  # a cover title seen from the back of the room
    page.screenshot(path=str(artifacts / "presentation_1_titre.png"))

    page.keyboard.press("ArrowRight")
    wait_for_slide(screen, titles, 1)
    assert px(screen, ".pres-title") >= 44 and px(screen, ".pres-tile .value") >= 60
    assert fits_the_screen(screen)
    page.screenshot(path=str(artifacts / "presentation_2_chiffres_cles.png"))

    page.keyboard.press("ArrowRight")
    wait_for_slide(screen, titles, 2)
    wait_for_charts(screen)
    assert fits_the_screen(screen)
    page.screenshot(path=str(artifacts / "presentation_3_carte.png"))

    page.keyboard.press("ArrowLeft")
    wait_for_slide(screen, titles, 1)

    for key, index in (("PageDown", 2), ("PageDown", 3), ("End", len(titles) - 1), ("Home", 0), (" ", 1)):
        page.keyboard.press(key)
        wait_for_slide(screen, titles, index)
        if index == 3:
            wait_for_charts(screen)
            assert fits_the_screen(screen)
            page.screenshot(path=str(artifacts / "presentation_4_types.png"))

    page.keyboard.press("Escape")
    page.get_by_role("button", name="Lancer la présentation").wait_for(timeout=TIMEOUT)
    screen.wait_idle()
    page.locator('[data-testid="stSidebar"]').first.wait_for(state="visible", timeout=TIMEOUT)
    assert screen.exceptions() == []
    assert screen.console_errors == []
    assert screen.blocked == [], f"requests left the machine: {screen.blocked[:5]}"


def test_slides_fit_a_1280x720_screen(server, small_screen, artifacts, titles):
    page = small_screen.page
    start(small_screen, server, titles)
    for index in range(1, 5):  # key figures, map, structure types, funding mix
        page.keyboard.press("ArrowRight")
        wait_for_slide(small_screen, titles, index)
        if index >= 2:
            wait_for_charts(small_screen)
        assert fits_the_screen(small_screen), titles[index]
        assert px(small_screen, ".pres-title") >= 26
        page.screenshot(path=str(artifacts / f"presentation_1280x720_{index + 1}.png"))
    page.get_by_role("button", name="Précédent").click()
    wait_for_slide(small_screen, titles, 3)
    assert small_screen.exceptions() == []
    assert small_screen.console_errors == []
    assert small_screen.blocked == [], f"requests left the machine: {small_screen.blocked[:5]}"


TEXT_MIN = 18  # px at 1280x720: read from the back of a room
# One slide of each kind beyond the default deck: tables (with facts, with long cells), point maps, tiles.
EXTRA = ("territoires-types", "nouveaux-certifies", "chiffres-cedre", "carte-entreprises", "carte-points-adherents",
         "emploi-reseau")
SMALL_TEXT_JS = """() => {
    const small = [];
    for (const e of document.querySelectorAll('[data-testid="stMain"] *')) {
        if (e.closest('.st-key-presentation_keys')) continue;
        const own = Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
        const r = e.getBoundingClientRect(), st = getComputedStyle(e);
        if (!own || r.width === 0 || r.height === 0 || st.visibility === 'hidden' || st.display === 'none') continue;
        const size = parseFloat(st.fontSize);
        small.push([size, e.textContent.trim().slice(0, 40)]);
    }
    return small;
}"""


def test_every_text_of_every_kind_of_slide_is_18_px_or_more_at_1280x720(server, small_screen, artifacts, built_db):
    con = db.connect(built_db)
    try:
        available = slides.build_slides(con, "FR", 2014)
    finally:
        con.close()
    names = {s.id: s.title for s in available}
    deck = slides.default_selection(available) + list(EXTRA)
    titles = [names[i] for i in deck]
    page = small_screen.page
    small_screen.open(f"{server}/presentation")
    box = page.get_by_role("combobox", name="Diapositives, dans l'ordre de passage")
    for block_id in EXTRA:
        def add(title=names[block_id]):
            box.click()
            box.fill(title[:25])
            page.get_by_role("option", name=title, exact=True).click()
        small_screen.act(add)
        page.keyboard.press("Escape")
    page.get_by_role("button", name="Lancer la présentation").click()
    wait_for_slide(small_screen, titles, 0)
    sizes = {}
    for index, block_id in enumerate(deck):
        if index:
            page.keyboard.press("ArrowRight")
            wait_for_slide(small_screen, titles, index)
        if page.locator('[data-testid="stPlotlyChart"]').count():
            wait_for_charts(small_screen)
        measured = page.evaluate(SMALL_TEXT_JS)
        sizes[block_id] = min(size for size, _ in measured)
        small = [m for m in measured if m[0] < TEXT_MIN]
        assert not small, f"{block_id} : textes de moins de {TEXT_MIN} px : {small[:5]}"
        assert fits_the_screen(small_screen), block_id
        page.screenshot(path=str(artifacts / f"presentation_1280x720_{index + 1:02d}_{block_id}.png"))
    print("plus petits caractères (px) :", sizes)
    assert small_screen.exceptions() == []
    assert small_screen.blocked == [], f"requests left the machine: {small_screen.blocked[:5]}"
