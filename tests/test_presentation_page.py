"""The Présentation page headless (AppTest): slide choice kept for the session, full-screen mode,
navigation, and the export buttons of the pages."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from observatoire import db, slides
from tests.test_pages import VIEWS, run_page

TERRITORY = "fed-midi-pyrenees"


def open_page(path: str = "pages/8_presentation.py", territoire: str | None = TERRITORY,
              section: str | None = None) -> AppTest:
    return run_page(path, territoire or None, section)


@pytest.fixture(scope="module")
def available(built_db) -> list[slides.Slide]:
    con = db.connect(built_db)
    try:
        return slides.build_slides(con, TERRITORY, 2014)
    finally:
        con.close()


def picker(at: AppTest):
    return at.multiselect(key=f"presentation_pick_{TERRITORY}_2014")


def html(at: AppTest) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def test_the_default_deck_is_offered_in_order(built_db, available):
    at = open_page()
    assert picker(at).value == slides.default_selection(available)
    assert set(picker(at).options) == {s.title for s in available}  # every slide can be added


def test_the_choice_and_order_are_kept_for_the_session(built_db, available):
    at = open_page()
    picker(at).set_value(["cedre", "titre", "projet-ptce"]).run()
    assert at.session_state["presentation_selection"][(TERRITORY, 2014)] == ["cedre", "titre", "projet-ptce"]
    # move "projet-ptce" up one place
    at.selectbox(key="presentation_move").set_value("projet-ptce").run()
    at.button(key="presentation_move_up").click().run()
    assert picker(at).value == ["cedre", "projet-ptce", "titre"]
    # full-screen mode shows the chosen slides in that order; leaving keeps the choice
    at.button(key="presentation_start").click().run()
    assert not at.exception
    assert "Qualité CEDRE" in html(at) and "1 / 3" in html(at)
    at.button(key="presentation_next").click().run()
    assert "Démarche nationale PTCE" in html(at) and "2 / 3" in html(at)
    at.button(key="presentation_exit").click().run()
    assert picker(at).value == ["cedre", "projet-ptce", "titre"]
    at.button(key="presentation_reset").click().run()
    assert picker(at).value == slides.default_selection(available)


def test_full_screen_navigation_stays_within_the_deck(built_db, available):
    at = open_page()
    at.button(key="presentation_start").click().run()
    assert at.button(key="presentation_prev").disabled
    total = len(slides.default_selection(available))
    for _ in range(total - 1):
        at.button(key="presentation_next").click().run()
    assert at.session_state["presentation_index"] == total - 1
    assert at.button(key="presentation_next").disabled
    assert not at.exception


@pytest.mark.parametrize(("path", "section"), [
    *((path, section) for path, section in VIEWS if path in ("pages/1_adherents.py", "pages/2_financements.py",
                                                             "pages/3_qualite_cedre.py", "pages/4_innovation.py")),
    ("pages/8_presentation.py", None)])
def test_pages_offer_their_charts_as_a_deck(built_db, path, section):
    at = open_page(path, section=section)
    labels = [b.label for b in at.button]
    assert "Préparer le PowerPoint et le PDF" in labels


# --------------------------------------------------------------------------- the presentation offers what pages show


@pytest.fixture
def drawn(monkeypatch) -> list[str]:
    """Ids of the blocks show.block draws while pages run (the real renderer runs; only the ids are noted)."""
    from observatoire import show

    ids: list[str] = []
    draw = show.block

    def noting(b, *args, **kwargs):
        if b is not None:
            ids.append(b.id)
        return draw(b, *args, **kwargs)

    monkeypatch.setattr(show, "block", noting)
    return ids


@pytest.mark.parametrize("territory", ["FR", TERRITORY])
def test_the_presentation_offers_every_block_a_page_shows(built_db, drawn, territory):
    con = db.connect(built_db)
    try:
        offered = {s.id for s in slides.build_slides(con, territory, 2014)}
    finally:
        con.close()
    by_page = {}  # every view: each section of a page in sections draws its own blocks
    for path, section in VIEWS:
        drawn.clear()
        open_page(path, territory if territory != "FR" else None, section)
        by_page[path + (f" · {section}" if section else "")] = list(drawn)
    shown = {i for ids in by_page.values() for i in ids}
    assert {"territoires-types", "nouveaux-certifies", "carte-points-adherents"} <= shown  # the walk saw them
    missing = {path: sorted(set(ids) - offered) for path, ids in by_page.items() if set(ids) - offered}
    assert not missing, f"blocs montrés par une page mais absents de la présentation : {missing}"
