"""In Chromium: Mon territoire's export for a federation, prepared and downloaded as a user does, section by
section; each PowerPoint holds its section's titles and figures, not the other's. Screenshots of the export
section on a phone and a desktop."""

from __future__ import annotations

import io

from playwright.sync_api import expect
from pptx import Presentation

from observatoire import compare, db, fmt
from tests.browser.conftest import PageProbe

TERRITORY = "fed-midi-pyrenees"


def _export(probe, section) -> tuple[str, Presentation]:
    """Prepare and download the open section's PowerPoint as a user does: its file name and the deck."""
    page = probe.page
    probe.act(lambda: section.get_by_role("button", name="Préparer le PowerPoint et le PDF").click(), timeout=120000)
    button = section.get_by_role("button", name="PowerPoint (.pptx)")
    expect(button).to_be_visible(timeout=60000)
    with page.expect_download(timeout=60000) as info:
        button.click()
    download = info.value
    return download.suggested_filename, Presentation(io.BytesIO(open(download.path(), "rb").read()))


def test_my_territory_export_downloads_each_section_as_a_powerpoint(server, browser, built_db, artifacts):
    con = db.connect(built_db)
    try:
        profile = db.run_query("territory_profile", {"territory": TERRITORY, "year": 2014}, con=con).iloc[0]
        rate = compare.members_rate(con, TERRITORY, 2014)
    finally:
        con.close()
    probe = PageProbe(browser)
    try:
        page = probe.page
        probe.open(f"{server}/mon_territoire?territoire={TERRITORY}")
        section = page.locator(".st-key-export_territoire")
        expect(section.get_by_text("dans l'onglet « Profil »")).to_be_visible()
        name, prs = _export(probe, section)
        assert name == "observatoire-coorace-mon-territoire-profil-coorace-midi-pyrenees-2014.pptx"
        titles = [s.shapes.title.text for s in prs.slides]
        assert rate.title not in titles  # another section's chart is not in this one's deck
        # the members count of the profile tile on the page is on the profile slide
        tile = page.locator('[data-testid="stMetric"]').filter(has_text="Adhérents").first
        shown = " ".join(tile.locator('[data-testid="stMetricValue"]').inner_text().split())
        assert shown == fmt.number(int(profile.members))
        profile_slide = prs.slides[titles.index(f"COORACE Midi-Pyrénées en chiffres, {2014}")]
        texts = " ".join(" ".join(s.text_frame.text.split()) for s in profile_slide.shapes if s.has_text_frame)
        assert shown in texts.replace("\u202f", " ").replace("\u00a0", " ")

        probe.act(lambda: page.get_by_role("tab", name="Comparaison").click())
        expect(page.get_by_role("heading", name=rate.title, exact=True)).to_be_visible()
        expect(section.get_by_text("dans l'onglet « Comparaison »")).to_be_visible()
        name, prs = _export(probe, section)
        assert name == "observatoire-coorace-mon-territoire-comparaison-coorace-midi-pyrenees-2014.pptx"
        titles = [s.shapes.title.text for s in prs.slides]
        assert f"COORACE Midi-Pyrénées en chiffres, {2014}" not in titles
        # the rate chart of the slide holds the page's values (a native chart)
        chart = next(s.chart for s in prs.slides[titles.index(rate.title)].shapes if s.has_chart)
        assert list(chart.plots[0].series[0].values) == rate.data[rate.chart.value_cols[0]].tolist()
        section.scroll_into_view_if_needed()
        section.screenshot(path=str(artifacts / "page_export_1400x900.png"))
        assert not probe.exceptions() and not probe.blocked
    finally:
        probe.close()


def test_the_export_section_fits_a_phone(server, browser, artifacts):
    probe = PageProbe(browser, width=390, height=844)
    try:
        probe.open(f"{server}/?territoire={TERRITORY}")
        section = probe.page.locator(".st-key-export_overview")
        expect(section.get_by_role("button", name="Préparer le PowerPoint et le PDF")).to_be_visible()
        section.scroll_into_view_if_needed()
        box = section.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
        section.screenshot(path=str(artifacts / "page_export_390x844.png"))
        assert not probe.exceptions() and not probe.blocked
    finally:
        probe.close()
