"""The general-assembly deck: slides from the database, a PowerPoint whose native charts hold the
database's numbers, footers and notes with the sources, and a PDF with one page per slide whose text (titles,
footers, every number) can be searched and whose charts are vector shapes."""

from __future__ import annotations

import io
import re

import pytest
from pptx import Presentation
from pypdf import PdfReader

from observatoire import compare, db, deck, fmt, slides
from observatoire.render import layout, powerpoint

YEAR = 2014
TERRITORIES = {"FR": "France entière", "fed-midi-pyrenees": "COORACE Midi-Pyrénées"}


@pytest.fixture(scope="module")
def con(built_db):
    connection = db.connect(built_db)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def decks(con):
    """The default deck of each territory: (chosen slides, {"pptx": bytes, "pdf": bytes})."""
    out = {}
    for territory in TERRITORIES:
        available = slides.build_slides(con, territory, YEAR)
        chosen = slides.select(available, slides.default_selection(available))
        out[territory] = chosen, deck.export(chosen)
    return out


def q(con, name, **params):
    return db.run_query(name, params, con=con)


def published(con, theme, indicator, territory="FR"):
    return q(con, "published_series", theme=theme, indicator=indicator, territory=territory, year=YEAR)


def expected_series(con, slide_id: str, territory: str) -> dict[str, list[float]]:
    """Series name -> values, straight from the database, for each chart slide."""
    if slide_id == "types-structures":
        return {"Adhérents": q(con, "members_by_type", territory=territory, year=YEAR).members.tolist()}
    if slide_id == "financements":
        mix = q(con, "funding_mix_by_type", territory="FR", year=YEAR)
        return {name: mix[mix.series == name].value.tolist() for name in ("Financements publics",
                                                                           "Activité économique")}
    if slide_id == "ressources":
        return {"Part des ressources": published(con, "federation_resources", "federation_resources_share")
                .value.tolist()}
    if slide_id == "cedre":
        if territory == "FR":
            return {"Entreprises certifiées": published(con, "cedre", "certified_by_scheme").value.tolist()}
        return {"Entreprises certifiées": q(con, "certified_by_scheme", territory=territory, year=YEAR)
                .members.tolist()}
    if slide_id == "cedre-engagements":
        return {"Part des engagements": published(con, "cedre", "engagement_share", "fed-midi-pyrenees")
                .value.tolist()}
    if slide_id == "chiffre-affaires":
        return {"Chiffre d'affaires": published(con, "network_economy", "turnover_by_scope").value.tolist()}
    if slide_id == "secteurs":
        return {"Part": published(con, "activity_sectors", "sector_distribution").value.tolist()}
    if slide_id in ("comparaison-taux", "comparaison-types"):  # their values equal the database: tests/test_compare.py
        block = compare.BLOCKS[slide_id](con, territory, YEAR)
        return {name: block.data[col].tolist() for col, name in zip(block.chart.value_cols, block.chart.names())}
    raise AssertionError(f"pas de graphique attendu pour {slide_id}")


def open_pptx(data: bytes):
    return Presentation(io.BytesIO(data))


def shape_named(slide, name):
    found = [s for s in slide.shapes if s.name == name]
    assert len(found) == 1, f"{name} : {len(found)} forme(s)"
    return found[0]


def test_the_default_deck_follows_the_brief(decks):
    fr = [s.id for s in decks["FR"][0]]
    assert fr[:7] == ["titre", "chiffres-cles", "carte-adherents", "types-structures", "financements", "ressources",
                      "cedre"]
    assert [i for i in fr if i.startswith("projet-")] == [
        "projet-villette-emploi", "projet-ipso2", "projet-happy-culture-citadine", "projet-unis-vers-l-emploi",
        "projet-airservices", "projet-alveole", "projet-ladomifa-erdf", "projet-ptce"]
    mp = [s.id for s in decks["fed-midi-pyrenees"][0]]
    # the engagement shares are published for Midi-Pyrénées: its deck shows them; one project is national
    assert "cedre-engagements" in mp and "cedre-engagements" not in fr
    assert [i for i in mp if i.startswith("projet-")] == ["projet-ptce"]


@pytest.mark.parametrize("territory", TERRITORIES)
def test_slide_count_and_titles_are_the_chosen_ones(decks, territory):
    chosen, files = decks[territory]
    prs = open_pptx(files["pptx"])
    assert len(prs.slides) == len(chosen)
    assert [s.shapes.title.text for s in prs.slides] == [s.title for s in chosen]
    assert prs.slides[0].shapes.title.text == f"Observatoire COORACE — {TERRITORIES[territory]}"
    assert prs.slide_width / prs.slide_height == pytest.approx(16 / 9, rel=1e-3)


@pytest.mark.parametrize("territory", TERRITORIES)
def test_every_chart_is_native_and_holds_the_database_values(decks, con, territory):
    chosen, files = decks[territory]
    prs = open_pptx(files["pptx"])
    charted = 0
    for spec, slide in zip(chosen, prs.slides):
        charts = [shape.chart for shape in slide.shapes if shape.has_chart]
        pictures = [shape for shape in slide.shapes if shape.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
        if spec.kind == "chart" and spec.chart is not None:
            assert len(charts) == 1, spec.id
            chart = charts[0]
            series = {s.name: list(s.values) for s in chart.plots[0].series}
            assert series == expected_series(con, spec.id, territory), spec.id
            assert list(chart.plots[0].categories) == [str(c) for c in spec.data[spec.chart.category_col]]
            charted += 1
        elif spec.kind == "map":
            assert charts == [] and len(pictures) == 1, spec.id  # maps are images
        else:
            assert charts == [], spec.id
    assert charted >= 4


@pytest.mark.parametrize("territory", TERRITORIES)
def test_every_slide_has_a_footer_and_notes_with_the_sources(decks, territory):
    chosen, files = decks[territory]
    prs = open_pptx(files["pptx"])
    for number, (spec, slide) in enumerate(zip(chosen, prs.slides), start=1):
        footer = shape_named(slide, "Pied de page").text_frame.text
        assert footer.startswith(f"{TERRITORIES[territory]} · données {YEAR} · Sources : "), footer
        assert shape_named(slide, "Numéro").text_frame.text == f"{number} / {len(chosen)}"
        notes = slide.notes_slide.notes_text_frame.text
        assert notes.startswith("Sources :\n- "), spec.id
        assert "Rapport d'activité 2014" in notes or "Registre des adhérents" in notes, spec.id
        # charts of the register (counts, comparisons) cite no sentence of a document
        if spec.kind == "chart" and spec.id not in ("types-structures", "comparaison-taux", "comparaison-types"):
            assert "« " in notes, f"{spec.id} : la citation de la source manque dans les notes"


def test_demonstration_data_is_flagged_on_the_slide_and_in_the_notes(decks):
    chosen, files = decks["fed-midi-pyrenees"]
    prs = open_pptx(files["pptx"])
    for spec, slide in zip(chosen, prs.slides):
        badges = [s for s in slide.shapes if s.name == "Badge démonstration"]
        assert bool(badges) == spec.demo, spec.id
        if spec.demo:
            assert "démonstration" in slide.notes_slide.notes_text_frame.text


@pytest.mark.parametrize("territory", TERRITORIES)
def test_the_pdf_has_one_page_per_slide(decks, territory):
    chosen, files = decks[territory]
    reader = PdfReader(io.BytesIO(files["pdf"]))
    assert len(reader.pages) == len(chosen)
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((960, 540))  # 13.33 x 7.5 in, as the pptx


def flat(text: str) -> str:
    """Spaces normalised: pypdf returns line breaks and narrow or plain spaces where the slide has one space."""
    return re.sub(r"(?<=[-/]) ", "", re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\u00a0", " "))).strip()


def shown_numbers(spec) -> list[str]:
    """The chart's value labels as printed on the slide (a stacked share under 5 % is too narrow to be labelled)."""
    c = spec.chart
    if c is None or spec.kind != "chart":
        return []
    values = [v for col in c.value_cols for v in spec.data[col]]
    if c.kind == "stacked":
        return [fmt.percent(v) for v in values if v >= 5]
    return [fmt.with_unit(v, c.unit) for v in values]


def images_in(resources) -> list[tuple[int, int]]:
    """(width, height) of every image XObject of a page, forms searched too."""
    found = []
    xobjects = resources.get("/XObject") if resources else None
    for ref in (xobjects.get_object().values() if xobjects else []):
        xobject = ref.get_object()
        if xobject.get("/Subtype") == "/Image":
            found.append((int(xobject["/Width"]), int(xobject["/Height"])))
        elif xobject.get("/Subtype") == "/Form":
            found += images_in(xobject.get("/Resources"))
    return found


@pytest.mark.parametrize("territory", TERRITORIES)
def test_the_pdf_text_holds_every_title_footer_and_number_of_its_slide(decks, territory):
    chosen, files = decks[territory]
    reader = PdfReader(io.BytesIO(files["pdf"]))
    print(f"PDF {territory} : {len(files['pdf']) / 1e6:.2f} Mo, {len(chosen)} pages")
    assert len(files["pdf"]) < 2.8e6
    for number, (spec, page) in enumerate(zip(chosen, reader.pages), start=1):
        text = flat(page.extract_text())
        printed = [p.text for item in layout.layout(spec, number, len(chosen)).items
                   if isinstance(item, layout.Text) for p in item.paras]
        assert flat(spec.title) in text and flat(spec.footer) in text, spec.id
        for expected in printed + shown_numbers(spec):
            assert flat(expected) in text, f"{spec.id} : « {expected} » absent du texte du PDF"
        assert images_in(page["/Resources"]) == [], f"{spec.id} : image dans la page (graphique non vectoriel)"


def test_a_custom_selection_keeps_its_order(con):
    available = slides.build_slides(con, "FR", YEAR)
    ids = ["cedre", "projet-ptce", "types-structures", "titre", "secteurs"]
    chosen = slides.select(available, ids)
    files = deck.export(chosen)
    prs = open_pptx(files["pptx"])
    assert [s.shapes.title.text for s in prs.slides] == [
        next(a.title for a in available if a.id == i) for i in ids]
    assert len(PdfReader(io.BytesIO(files["pdf"])).pages) == len(ids)
    secteurs = [sh.chart for sh in prs.slides[4].shapes if sh.has_chart][0]
    assert list(secteurs.plots[0].series[0].values) == expected_series(con, "secteurs", "FR")["Part"]


def test_progress_is_reported_up_to_completion(con):
    chosen = slides.select(slides.build_slides(con, "FR", YEAR), ["titre", "types-structures"])
    seen = []
    deck.export(chosen, progress=lambda done, text: seen.append((done, text)))
    assert seen[-1][0] == 1.0 and all(0 <= d <= 1 for d, _ in seen)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_a_territory_without_certified_members_gets_text_not_an_empty_chart(con):
    available = slides.build_slides(con, "reg-bourgogne", YEAR)
    cedre = slides.select(available, ["cedre"])[0]
    assert cedre.chart is None and "Aucun adhérent certifié" in cedre.body[0]
    prs = open_pptx(deck.to_pptx([cedre]))
    assert not any(sh.has_chart for sh in prs.slides[0].shapes)


def test_unknown_ids_are_skipped_and_an_empty_deck_is_refused(con):
    available = slides.build_slides(con, "FR", YEAR)
    assert [s.id for s in slides.select(available, ["inconnue", "titre"])] == ["titre"]
    with pytest.raises(ValueError):
        deck.export([])


def test_number_formats_follow_the_unit():
    assert powerpoint._number_format([47, 27], "%") == '#,##0"\u00a0%"'
    assert powerpoint._number_format([21.3], "%") == '#,##0.0"\u00a0%"'
    assert powerpoint._number_format([308], "M€") == '#,##0"\u00a0M€"'
    assert powerpoint._number_format([523], "nombre") == "#,##0"


def test_long_text_is_shrunk_to_fit_its_box():
    box = deck.Box(0, 0, 3, 0.5)
    paras = deck.fit([deck.Para("un titre bien trop long pour une si petite boîte " * 3, 30)], box)
    assert paras[0].size < 30
    assert layout._measure(paras, box.w * 72) <= box.h * 72 or paras[0].size <= 30 * 0.55 + 0.5
