"""Maps of France in a real browser with no internet: the polygons and the points are DRAWN.

Every request leaving the machine is blocked (PageProbe) and the tests assert that the page
never even tried one. "Drawn" is measured on screenshots: painted pixels of the scale's blues
inside the plotly map (colour bar excluded), pixels of the point colours on the points map.
Each test ends with a negative control: the same measure with the map's polygons or points
hidden must fall below the threshold, so the measure cannot pass on what is drawn around the map.
"""

from __future__ import annotations

import io
import time

import numpy as np
from PIL import Image
from playwright.sync_api import expect

from observatoire import db, fmt, point_map
from tests.browser.conftest import PageProbe

DRAW_TIMEOUT = 20  # seconds: the maps draw a second or two after the script run is over
MIN_PAINTED = 20_000  # non-white pixels in the choropleth's map area
MIN_BLUE = 20_000  # pixels of the blue scale in the map area
MIN_BLUES = 4  # distinct blues, each covering at least BLUE_SHADE_PIXELS: 5 quantile classes, the palest too light
BLUE_SHADE_PIXELS = 500
POINT_TOLERANCE = 40  # per channel: point colours are drawn at opacity 0.9 over the départements
MIN_POINT_PIXELS = 100  # per point (radius 9 px: about 250 pixels)

GEO = ".js-plotly-plot .geo"  # plotly's SVG map: its background rectangle is the map area
POLYGONS = f"{GEO} .choroplethlayer"


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def choropleth_measure(rgb: np.ndarray) -> dict:
    """Painted (non-white) pixels, blue pixels and the distinct blues of the scale."""
    painted = int((rgb.min(axis=2) < 245).sum())
    blue_mask = (rgb[:, :, 2] - rgb[:, :, 0] > 25) & (rgb[:, :, 2] > 90)
    colours, counts = np.unique(rgb[blue_mask], axis=0, return_counts=True)
    shades = sorted((int(n), tuple(int(v) for v in c)) for c, n in zip(colours, counts) if n >= BLUE_SHADE_PIXELS)
    return {"painted": painted, "blue": int(blue_mask.sum()), "shades": shades[::-1]}


def point_measure(rgb: np.ndarray, colours: list[tuple[int, int, int]]) -> dict:
    """Pixels within POINT_TOLERANCE of each point colour."""
    return {c: int((np.abs(rgb - np.array(c)).max(axis=2) <= POINT_TOLERANCE).sum()) for c in colours}


def poll(measure, done, timeout=DRAW_TIMEOUT):
    """Measure until done(result) or timeout; return the last result."""
    deadline = time.monotonic() + timeout
    while True:
        result = measure()
        if done(result) or time.monotonic() > deadline:
            return result
        time.sleep(0.5)


def crop(png: bytes, outer: dict, inner: dict) -> np.ndarray:
    """The part of an element's screenshot (box outer) covered by box inner."""
    rgb = _pixels(png)
    x0, y0 = round(inner["x"] - outer["x"]), round(inner["y"] - outer["y"])
    return rgb[max(y0, 0):y0 + round(inner["height"]), max(x0, 0):x0 + round(inner["width"])]


def hide(page, selector: str) -> None:
    page.eval_on_selector_all(selector, "els => els.forEach(e => e.style.visibility = 'hidden')")


def test_members_choropleth_is_drawn_offline(server, probe, artifacts, built_db):
    probe.open(server + "/adherents")
    page = probe.page
    assert page.locator("h1").inner_text() == "Adhérents"
    page.locator(f"{POLYGONS} .choroplethlocation").first.wait_for(state="attached", timeout=30000)

    # The map area only: the colour bar is under the geo subplot, never over it.
    plot = page.locator(".js-plotly-plot").first
    plot.scroll_into_view_if_needed()
    plot_box, map_box = plot.bounding_box(), page.locator(f"{GEO} .bg").first.bounding_box()
    colour_bar = plot.locator(".colorbar").first.bounding_box()
    assert colour_bar["y"] >= map_box["y"] + map_box["height"] - 1, (colour_bar, map_box)

    def map_area() -> np.ndarray:
        return crop(plot.screenshot(), plot_box, map_box)

    def drawn(m):
        return m["painted"] > MIN_PAINTED and m["blue"] > MIN_BLUE and len(m["shades"]) >= MIN_BLUES

    measured = poll(lambda: choropleth_measure(map_area()), drawn)
    plot.screenshot(path=str(artifacts / "map_choropleth.png"))
    print(f"\nchoropleth map area {map_box['width']:.0f}x{map_box['height']:.0f}: "
          f"{measured['painted']} painted, {measured['blue']} blue, {len(measured['shades'])} blues "
          f"(largest {measured['shades'][:3]})")
    assert measured["painted"] > MIN_PAINTED, f"map not drawn: {measured['painted']} painted pixels"
    assert measured["blue"] > MIN_BLUE, f"choropleth not filled: {measured['blue']} blue pixels"
    assert len(measured["shades"]) >= MIN_BLUES, f"colour scale missing: {measured['shades']}"

    # The darkest federation is drawn in the scale's darkest blue (#08306b): the scale is applied.
    members = db.run_query("members_by_subterritory", {"territory": "FR", "level": "federation", "year": 2014},
                           con=db.connect(built_db))
    assert members.members.nunique() >= MIN_BLUES  # the data do call for several shades
    darkest = np.array([0x08, 0x30, 0x6B])
    assert any(np.abs(np.array(c) - darkest).max() <= 12 for _, c in measured["shades"]), measured["shades"]

    # The inset names are text of the page (local fonts, nothing fetched).
    names = page.eval_on_selector_all(f"{GEO} .scatterlayer text", "els => els.map(e => e.textContent)")
    assert [n for n in names if n] == ["Guyane", "Guadeloupe", "Martinique", "Mayotte", "La Réunion"]

    # Negative control: the same area with the polygons hidden has no choropleth in it.
    hide(page, POLYGONS)
    page.wait_for_timeout(100)
    control = choropleth_measure(map_area())
    assert control["blue"] < MIN_BLUE // 10 and not drawn(control), control

    assert probe.exceptions() == []
    assert probe.console_errors == []
    assert probe.blocked == [], f"requests left the machine: {probe.blocked[:5]}"


def test_a_click_on_the_map_selects_the_territory(server, probe):
    probe.open(server + "/adherents")
    page = probe.page
    page.locator(f"{POLYGONS} .choroplethlocation").first.wait_for(state="attached", timeout=30000)
    captions = page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]').all_inner_texts()
    assert any("Périmètre : France entière" in c for c in captions), captions
    page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    # The centre of Midi-Pyrénées' polygon (plotly keeps each location's id on its path).
    centre = page.evaluate("""() => {
        for (const path of document.querySelectorAll('.geo .choroplethlocation')) {
            if (path.__data__ && path.__data__.loc === 'fed-midi-pyrenees') {
                const b = path.getBoundingClientRect();
                return [b.x + b.width / 2, b.y + b.height / 2];
            }
        }
        return null;
    }""")
    assert centre is not None
    page.mouse.click(*centre)
    # The click reaches Streamlit as a selection carrying the territory id, which goes to the URL.
    page.wait_for_url("**territoire=fed-midi-pyrenees*", timeout=30000)
    # ... and the page settles on that territory: no run after run (the selection used to select again)
    probe.wait_idle(timeout=30000)
    settled = probe.runs_done
    page.wait_for_timeout(3000)
    assert probe.runs_done == settled, f"{probe.runs_done - settled} runs in 3 s after the page settled"
    assert page.locator('[data-testid="stApp"]').get_attribute("data-test-script-state") == "notRunning"
    # the sidebar filters agree with the URL
    expect(probe.combobox("Échelon territorial")).to_have_value("COORACE régional")
    expect(probe.combobox("Territoire")).to_have_value("COORACE Midi-Pyrénées")
    assert probe.exceptions() == []
    assert probe.blocked == [], f"requests left the machine: {probe.blocked[:5]}"


def test_innovation_points_are_drawn_offline(server, probe, artifacts, built_db):
    projects = db.run_query("innovation_projects", {"territory": "FR", "axis": 0}, con=db.connect(built_db))
    located = projects[projects.lon.notna()]
    assert len(located) > 0
    # The colours the page gives the points (same builder, same colour column as pages/4_innovation.py).
    fig = point_map.points_map(located, "lon", "lat", "{name}", colour_col="axis", dep_col="dep_code", radius_px=9)
    per_colour: dict[tuple[int, int, int], int] = {}
    for trace in fig.data:
        if getattr(trace, "mode", None) == "markers":
            colour = tuple(int(trace.marker.color.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
            per_colour[colour] = per_colour.get(colour, 0) + len(trace.lon)
    n_points = sum(per_colour.values())
    assert n_points == len(located)

    probe.open(server + "/innovation")
    page = probe.page
    assert page.locator("h1").inner_text() == "Innovation"
    page.locator(f"{GEO} .scatterlayer .point").first.wait_for(state="attached", timeout=30000)
    chart = page.locator(".js-plotly-plot").first
    chart.scroll_into_view_if_needed()

    # The colours have a legend (one entry per axis); hidden from then on: its swatches are not points.
    legend = page.eval_on_selector_all(".js-plotly-plot .legend .legendtext", "els => els.map(e => e.textContent)")
    assert sorted(legend) == sorted(t.name for t in fig.data if getattr(t, "mode", None) == "markers")
    hide(page, ".js-plotly-plot .legend")

    def drawn(m):
        return all(m[c] >= MIN_POINT_PIXELS for c in per_colour) and sum(m.values()) >= MIN_POINT_PIXELS * n_points

    measured = poll(lambda: point_measure(_pixels(chart.screenshot()), list(per_colour)), drawn)
    chart.screenshot(path=str(artifacts / "map_points.png"))
    print(f"\npoints: {n_points} located projects, colours {per_colour}, pixels {measured}")
    for colour, count in per_colour.items():
        assert measured[colour] >= MIN_POINT_PIXELS, f"points of colour {colour} ({count}) not drawn: {measured}"
    assert sum(measured.values()) >= MIN_POINT_PIXELS * n_points, measured

    # Negative control: with the SVG points hidden, no pixel has a point colour.
    hide(page, f"{GEO} .scatterlayer")
    page.wait_for_timeout(100)
    control = point_measure(_pixels(chart.screenshot()), list(per_colour))
    assert sum(control.values()) < MIN_POINT_PIXELS, control

    assert probe.exceptions() == []
    assert probe.console_errors == []
    assert probe.blocked == [], f"requests left the machine: {probe.blocked[:5]}"


def _spaces(text: str) -> str:
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


def test_the_new_iso_map_switches_to_rates_per_inhabitant_on_a_phone(server, browser, artifacts, built_db):
    """Qualité CEDRE at 390×844: « Pour 100 000 habitants » recolours the map; its legend states the method and
    ends at the highest rate of the database (new certified × 100 000 / population of a named federation)."""
    with db.connect(built_db) as con:
        rates = con.execute("""select f.category, f.value * 100000.0 / p.population from figures_published as f
                               join population as p on p.territory_id = f.category
                               where f.theme = 'cedre' and f.indicator = 'iso_new_by_federation'""").fetchall()
    assert len(rates) == 3
    probe = PageProbe(browser, 390, 844)
    try:
        probe.open(server + "/qualite_cedre?onglet=Nouveaux+certifiés")  # the map's section
        page = probe.page
        option = page.get_by_role("radio", name="Pour 100 000 habitants", exact=True)
        option.scroll_into_view_if_needed()
        probe.act(option.click)
        heading = page.get_by_text("Nouveaux certifiés CEDRE ISO 9001 pour 100 000 habitants par COORACE régional")
        expect(heading).to_be_visible()
        legend = page.locator(".js-plotly-plot .colorbar").first
        legend.wait_for(state="attached", timeout=30000)
        legend.scroll_into_view_if_needed()
        page.wait_for_timeout(800)
        text = _spaces(legend.text_content())
        assert "Pour 100 000 habitants(0 à part, puis classes par quantiles)" in text, text  # title, then method
        ticks = [_spaces(t) for t in legend.locator("g.tick text, .cbaxis text").all_text_contents()]
        assert ticks[0] == fmt.number(0, 2) and ticks[-1] == fmt.number(max(r for _, r in rates), 2), ticks
        expect(page.get_by_text("INSEE, population municipale 2017", exact=False).first).to_be_attached()
        page.locator('[data-testid="stPlotlyChart"]').filter(has=legend).screenshot(
            path=str(artifacts / "iso_taux_390_carte.png"))
        probe.screenshot_full_height(artifacts / "iso_taux_390_page.png", max_height=9000)
        assert probe.exceptions() == [] and probe.console_errors == []
        assert probe.blocked == [], f"requests left the machine: {probe.blocked[:5]}"
    finally:
        probe.close()
