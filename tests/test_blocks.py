"""Every block shows the same numbers on its page (AppTest), on its slide (slides.build_slides), in the
PowerPoint's native chart, in the PDF's text and in the database (db.run_query); a 2015 year imported shows as
2015 on the pages and the slides, never as 2014."""

from __future__ import annotations

import base64
import io
import json
from collections import Counter
from typing import NamedTuple

import numpy as np
import pytest
from pptx import Presentation
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from observatoire import db, deck, fmt, slides
from observatoire.render import table
from tests.conftest import imported
from tests.test_deck import flat
from tests.test_pages import run_page as pages_run
from tests.test_versions import MEMBERS

YEAR = 2014


def q(path, name, **params):
    con = db.connect(path)
    try:
        return db.run_query(name, params, con=con)
    finally:
        con.close()


def values(df, column: str) -> list[float]:
    return sorted(float(v) for v in df[column])


def series(path, theme, indicator, territory="FR", year=YEAR):
    return values(q(path, "published_series", theme=theme, indicator=indicator, territory=territory, year=year),
                  "value")


def new_iso_by_federation(path) -> list[float]:
    """The federations named with new ISO certifications and, when they make the published total, 0 for the others."""
    named = series(path, "cedre", "iso_new_by_federation")
    total = series(path, "cedre", "iso_new_certified")
    federations = q(path, "territory_list").query("level == 'federation'")
    assert sum(named) == total[0]
    return sorted(named + [0.0] * (len(federations) - len(named)))


# block id, page, key of the block on the page, territory, the database's numbers
CASES = [
    ("types-structures", "pages/1_adherents.py", "members_by_type", "FR",
     lambda p: values(q(p, "members_by_type", territory="FR", year=YEAR), "members")),
    ("types-structures", "pages/1_adherents.py", "members_by_type", "fed-midi-pyrenees",
     lambda p: values(q(p, "members_by_type", territory="fed-midi-pyrenees", year=YEAR), "members")),
    ("types-structures", "pages/6_mon_territoire.py", "profile_types", "dep-31",
     lambda p: values(q(p, "members_by_type", territory="dep-31", year=YEAR), "members")),
    ("types-structures", "app.py", "overview_types", "FR",
     lambda p: values(q(p, "members_by_type", territory="FR", year=YEAR), "members")),
    # one level below the territory: federations for France, départements under a federation (page and slide)
    ("carte-adherents", "pages/1_adherents.py", "members_map", "FR",
     lambda p: values(q(p, "members_by_subterritory", territory="FR", level="federation", year=YEAR), "members")),
    ("carte-adherents", "pages/1_adherents.py", "members_map", "fed-midi-pyrenees",
     lambda p: values(q(p, "members_by_subterritory", territory="FR", level="departement", year=YEAR), "members")),
    ("financements", "pages/2_financements.py", "funding_mix", "FR",
     lambda p: values(q(p, "funding_mix_by_type", territory="FR", year=YEAR), "value")),
    ("ressources", "pages/2_financements.py", "resources", "dep-31",
     lambda p: series(p, "federation_resources", "federation_resources_share")),
    ("chiffre-affaires", "pages/2_financements.py", "turnover", "FR",
     lambda p: series(p, "network_economy", "turnover_by_scope")),
    ("secteurs", "pages/2_financements.py", "sectors", "FR",
     lambda p: series(p, "activity_sectors", "sector_distribution")),
    ("cedre", "pages/3_qualite_cedre.py", "cedre", "FR", lambda p: series(p, "cedre", "certified_by_scheme")),
    ("cedre", "pages/3_qualite_cedre.py", "cedre", "fed-midi-pyrenees",
     lambda p: values(q(p, "certified_by_scheme", territory="fed-midi-pyrenees", year=YEAR), "members")),
    ("cedre-engagements", "pages/3_qualite_cedre.py", "engagements", "fed-midi-pyrenees",
     lambda p: series(p, "cedre", "engagement_share", "fed-midi-pyrenees")),
    ("cedre-iso-carte", "pages/3_qualite_cedre.py", "new_iso_map", "FR", lambda p: new_iso_by_federation(p)),
]
# the section of its page a block of CASES is drawn in, when not the first one (only the open section is drawn)
SECTION_OF = {"funding_mix": "Financements et secteurs", "sectors": "Financements et secteurs",
              "engagements": "Engagements", "new_iso_map": "Nouveaux certifiés"}


def run_page(path: str, territory: str, year: int | None = None, section: str | None = None) -> AppTest:
    """A page for a territory (« FR »: France), a year and a section (tests.test_pages.run_page)."""
    return pages_run(path, None if territory == "FR" else territory, section, timeout=90,
                     **({} if year is None else {"annee": str(year)}))


def _numbers(array) -> list[float]:
    """A plotly array as sent to the browser: a list (null: no bar drawn), or a typed array in base64."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).astype(float).tolist()
    return [float(v) for v in array if v is not None]


def chart_numbers(at: AppTest, key: str) -> list[float]:
    """The numbers the page's chart of this block draws (bars, slices, map areas)."""
    charts = [el for el in at.get("plotly_chart") if el.proto.id.endswith(f"chart_{key}")]
    assert len(charts) == 1, f"graphique {key} : {len(charts)} sur la page"
    out: list[float] = []
    for trace in json.loads(charts[0].proto.spec)["data"]:
        if trace["type"] in ("choropleth", "choroplethmap") and trace.get("showscale") is False:
            continue  # the areas outside any federation, drawn grey without a scale
        if trace["type"] == "bar":
            out += _numbers(trace["x"] if trace.get("orientation") == "h" else trace["y"])
        elif trace["type"] == "pie":
            out += _numbers(trace["values"])
        elif trace["type"] in ("choropleth", "choroplethmap"):  # values, not the classes the colours show
            out += _numbers([row[3] for row in trace["customdata"]])
    return sorted(out)


def chart_series(at: AppTest, key: str) -> dict[str, list[float]]:
    """Each bar series of the page's chart of this block (a year's bars), by name."""
    charts = [el for el in at.get("plotly_chart") if el.proto.id.endswith(f"chart_{key}")]
    assert len(charts) == 1, f"graphique {key} : {len(charts)} sur la page"
    return {t.get("name", ""): _numbers(t["x"] if t.get("orientation") == "h" else t["y"])
            for t in json.loads(charts[0].proto.spec)["data"] if t["type"] == "bar"}


def slide_numbers(built_db, block_id: str, territory: str, year: int = YEAR) -> list[float]:
    con = db.connect(built_db)
    try:
        slide = slides.select(slides.build_slides(con, territory, year), [block_id])[0]
    finally:
        con.close()
    return sorted(float(v) for c in slide.chart.value_cols for v in slide.data[c])


DECK_TERRITORIES = ("FR", "fed-midi-pyrenees")  # one exported deck each (about 9 s a deck)
TABLES_AND_POINTS = ("territoires-types", "nouveaux-certifies", "carte-entreprises", "carte-points-adherents")


class Placed(NamedTuple):
    number: int  # its index in the deck: PowerPoint slide and PDF page
    slide: slides.Slide


@pytest.fixture(scope="module")
def decks(built_db):
    """Per territory: the slides of every block of CASES, and the PowerPoint and PDF exported from them."""
    con = db.connect(built_db)
    try:
        out = {}
        for territory in DECK_TERRITORIES:
            available = slides.build_slides(con, territory, YEAR)
            ids = list(dict.fromkeys(c[0] for c in CASES if c[3] == territory))
            if territory == "FR":  # the key figures, tables, point maps and every project, checked below
                ids += ["chiffres-cles", *TABLES_AND_POINTS] + [s.id for s in available if s.kind == "project"]
            chosen = slides.select(available, ids)
            assert [s.id for s in chosen] == ids, f"{territory} : diapositives manquantes"
            files = deck.export(chosen, formats=("pptx", "pdf"))
            out[territory] = ({s.id: Placed(i, s) for i, s in enumerate(chosen)},
                              Presentation(io.BytesIO(files["pptx"])), PdfReader(io.BytesIO(files["pdf"])))
        return out
    finally:
        con.close()


def printed(value: float, chart) -> str | None:
    """A value as its slide prints it (a stacked share under 5 % is too narrow to be labelled: None)."""
    if chart.kind == "stacked":
        return fmt.percent(value) if value >= 5 else None
    return fmt.with_unit(value, chart.unit)


def check_deck(decks, block_id: str, territory: str, in_db: list[float]) -> None:
    """The PowerPoint's native chart holds the database's numbers and the PDF page prints them; a map (an image in
    both) prints its ranking, whose numbers are the database's."""
    index, prs, pdf = decks[territory]
    spec, slide = index[block_id], prs.slides[index[block_id].number]
    text = flat(pdf.pages[spec.number].extract_text())
    charts = [shape.chart for shape in slide.shapes if shape.has_chart]
    if spec.slide.kind == "chart":
        assert len(charts) == 1, f"{block_id} : {len(charts)} graphique(s) dans le PowerPoint"
        assert sorted(float(v) for s in charts[0].plots[0].series for v in s.values) == in_db
        labels = [printed(v, spec.slide.chart) for v in in_db]
    else:
        assert charts == [], block_id  # a map is an image
        ranking = [s.text_frame.text for s in slide.shapes if s.name.startswith("Rang ") and s.name.endswith("valeur")]
        side = [float(v) for v in spec.slide.side.value]
        assert ranking and ranking == [fmt.number(v) for v in side], block_id
        assert not Counter(side) - Counter(in_db), f"{block_id} : le classement n'est pas celui de la base"
        labels = ranking
    missing = [label for label in labels if label is not None and flat(label) not in text]
    assert not missing, f"{block_id} : absents du texte du PDF : {missing}"


@pytest.mark.parametrize(("block_id", "page", "key", "territory", "expected"), CASES,
                         ids=[f"{c[0]}-{c[2]}-{c[3]}" for c in CASES])
def test_page_slide_deck_and_database_show_the_same_numbers(built_db, request, block_id, page, key, territory,
                                                            expected):
    in_db = expected(built_db)
    assert in_db, f"{block_id} : aucune donnée dans la base"
    assert slide_numbers(built_db, block_id, territory) == in_db
    assert chart_numbers(run_page(page, territory, section=SECTION_OF.get(key)), key) == in_db
    if territory in DECK_TERRITORIES:
        check_deck(request.getfixturevalue("decks"), block_id, territory, in_db)


def deck_text(decks, block_id: str, territory: str = "FR") -> tuple[str, str]:
    """The text of a slide in the PowerPoint and on its PDF page, spaces normalised."""
    index, prs, pdf = decks[territory]
    slide = prs.slides[index[block_id].number]
    shapes = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
    return flat(shapes), flat(pdf.pages[index[block_id].number].extract_text())


def test_key_figures_and_projects_on_the_page_are_the_slides_the_deck_and_the_database(built_db, decks):
    con = db.connect(built_db)
    try:
        deck = {s.id: s for s in slides.build_slides(con, "FR", YEAR)}
    finally:
        con.close()
    kpis = q(built_db, "key_figures", year=YEAR)
    expected = [fmt.with_unit(v, u) for v, u in zip(kpis.value, kpis.unit)]
    assert [fmt.with_unit(r.value, r.unit) for r in deck["chiffres-cles"].data.itertuples()] == expected
    assert [m.value for m in run_page("app.py", "FR").metric][:len(expected)] == expected
    at = run_page("pages/4_innovation.py", "FR")
    shown = sorted(v for df in at.dataframe if "Valeur" in df.value.columns and "Source" not in df.value.columns
                   for v in df.value["Valeur"])  # the projects' tables, not the page's « tous les chiffres publiés »
    projects = q(built_db, "innovation_projects", territory="FR", axis=0)
    results = [r for p in projects.project_id for r in q(built_db, "project_results", project=p).itertuples()]
    assert shown == sorted(fmt.with_unit(r.value, r.unit) for r in results)
    on_slides = [fmt.with_unit(r.value, r.unit) for s in deck.values() if s.kind == "project"
                 for r in s.data.itertuples()]
    assert sorted(on_slides) == shown
    for block_id, numbers in [("chiffres-cles", expected)] + [
            (s.id, [fmt.with_unit(r.value, r.unit) for r in s.data.itertuples()])
            for s in deck.values() if s.kind == "project"]:
        in_pptx, in_pdf = deck_text(decks, block_id)
        for number in numbers:
            assert flat(number) in in_pptx, f"{block_id} : {number} absent du PowerPoint"
            assert flat(number) in in_pdf, f"{block_id} : {number} absent du PDF"


# --------------------------------------------------------------------------- a 2015 year imported

FIGURES_2015 = ("theme,indicator,label,category,category_label,value,unit,year,territory,source_file,section,"
                "original_text,note\n"
                "federation_resources,federation_resources_total,Ressources du COORACE national,,,3100,k€,2015,FR,"
                "004_9797810c7b6b2072.txt,Ressources 2015,3 100 k€,\n").encode()


@pytest.fixture
def year_2015(served, monkeypatch):
    monkeypatch.setenv("OBSERVATOIRE_DB", str(served))  # the pages read the imported base
    return imported(served, ("figures", "chiffres-2015.csv", FIGURES_2015, None),
                    ("members", "registre-2015.csv", MEMBERS, 2015))


def test_a_2015_year_shows_as_2015_on_the_slides(year_2015):
    con = db.connect(year_2015)
    try:
        deck = {s.id: s for s in slides.build_slides(con, "FR", 2015)}
    finally:
        con.close()
    assert deck["ressources"].title == (f"Ressources du COORACE national, 2015 : {fmt.with_unit(3100, 'k€')} "
                                        f"(+{fmt.with_unit(288, 'k€')} depuis 2014)")  # 2 812 k€ in 2014
    assert deck["types-structures"].title == "Adhérents par type de structure, 2015"
    assert deck["types-structures"].data["2015"].sum() == 2  # the 2015 register, the 523 members as 2014's
    assert deck["types-structures"].data["2014"].sum() == 523
    assert "523" not in deck["carte-adherents"].caption and deck["carte-adherents"].caption.startswith("2 ")
    for slide in deck.values():
        assert "2014" not in slide.footer.split(" · Sources")[0], slide.id
    kpis = deck["chiffres-cles"].data
    members = kpis[kpis.label == "Adhérents"]
    assert members.empty or "2014" in members.caption.iloc[0]  # a 2014 count says it is 2014's


@pytest.mark.parametrize("page", ["app.py", "pages/1_adherents.py", "pages/2_financements.py"])
def test_a_2015_year_shows_as_2015_on_the_pages(year_2015, page):
    at = run_page(page, "FR", year=2015)
    headings = [m.value for m in at.markdown if m.value.startswith("#### ")]
    captions = "\n".join(c.value for c in at.caption)
    assert "523" not in captions and "démonstration" not in captions
    if page == "pages/2_financements.py":
        assert any("Ressources du COORACE national, 2015" in h for h in headings), headings
        assert {m.label: m.value for m in at.metric}["Ressources du COORACE national"] == fmt.with_unit(3100, "k€")
    else:
        assert any(h.startswith("#### Adhérents par type de structure") and h.endswith("2015") for h in headings)
        assert not any(h.startswith("#### Adhérents par") and "2014" in h for h in headings), headings
        # the 2015 register's two members; the 2014 register beside them, labelled 2014
        drawn = chart_series(at, "members_by_type" if page != "app.py" else "overview_types")
        assert sorted(v for v in drawn["2015"] if v) == [1.0, 1.0] and sum(drawn["2014"]) == 523


# --------------------------------------------------------------------------- tables and point maps


def page_table(at: AppTest, *columns: str):
    """The one dataframe of the page that has these columns."""
    found = [df.value for df in at.dataframe if set(columns) <= set(df.value.columns)]
    assert len(found) == 1, f"{columns} : {len(found)} tableau(x) sur la page"
    return found[0]


def pptx_table(decks, block_id: str) -> list[list[str]]:
    index, prs, _ = decks["FR"]
    tables = [s.table for s in prs.slides[index[block_id].number].shapes if s.has_table]
    assert len(tables) == 1, f"{block_id} : {len(tables)} tableau(x) dans le PowerPoint"
    return [[cell.text for cell in row.cells] for row in tables[0].rows]


def test_the_type_matrix_shows_the_database_on_the_page_the_slide_the_powerpoint_and_the_pdf(built_db, decks):
    long = q(built_db, "members_by_subterritory_and_type", territory="FR", sublevel="federation", year=YEAR)
    totals = long.groupby("subterritory").members.sum()
    at = run_page("pages/1_adherents.py", "FR")
    on_page = page_table(at, "Territoire", "Total")
    as_text = [v if isinstance(v, str) else fmt.number(v) for v in on_page.Total[on_page.Territoire != "Total"]]
    assert sorted(as_text) == sorted(fmt.number(v) for v in totals)
    spec = decks["FR"][0]["territoires-types"].slide
    shown = table.slide_table(spec.data)
    top = totals.sort_values(ascending=False).head(len(shown.rows))
    assert [r[-1] for r in shown.rows] == [fmt.number(v) for v in top]  # the largest territories first
    assert shown.total[-1] == fmt.number(totals.sum()) == fmt.number(len(q(built_db, "members_points", territory="FR",
                                                                           year=YEAR)))
    assert shown.more == table.more_line(len(totals) - len(shown.rows)) != ""
    cells = pptx_table(decks, "territoires-types")
    assert cells[0] == list(shown.header)
    assert [row[-1] for row in cells[1:1 + len(shown.rows)]] == [fmt.number(v) for v in top]
    assert cells[-2][0] == shown.more and cells[-1] == list(shown.total)
    _, in_pdf = deck_text(decks, "territoires-types")
    for row in (*shown.rows, shown.total):
        assert flat(" ".join(row)) in in_pdf, f"ligne absente du PDF : {row}"
    assert flat(shown.more) in in_pdf


def test_the_new_certified_show_the_database_on_the_page_the_slide_the_powerpoint_and_the_pdf(built_db, decks):
    named = q(built_db, "new_certified_members", territory="FR", year=YEAR)
    names = sorted(named[~named.is_demo.astype(bool)].name)
    assert names
    at = run_page("pages/3_qualite_cedre.py", "FR", section="Nouveaux certifiés")
    assert sorted(page_table(at, "Entreprise", "Certification").Entreprise) == names
    assert sorted(decks["FR"][0]["nouveaux-certifies"].slide.data.Entreprise) == names
    assert sorted(row[0] for row in pptx_table(decks, "nouveaux-certifies")[1:]) == names
    in_pptx, in_pdf = deck_text(decks, "nouveaux-certifies")
    missing = [n for n in names if flat(n) not in in_pdf]
    assert not missing, f"absents du PDF : {missing}"
    body = decks["FR"][0]["nouveaux-certifies"].slide.body
    assert body and flat(body[0]) in in_pptx and flat(body[0]) in in_pdf


def points_on_page(at: AppTest, key: str) -> int:
    charts = [el for el in at.get("plotly_chart") if el.proto.id.endswith(f"chart_{key}")]
    assert len(charts) == 1, key
    return sum(len(_numbers(t["lon"])) for t in json.loads(charts[0].proto.spec)["data"]
               if t["type"] == "scattergeo" and t.get("mode") == "markers")


def test_point_maps_show_the_database_on_the_page_the_slide_the_powerpoint_and_the_pdf(built_db, decks):
    index, prs, pdf = decks["FR"]
    members = q(built_db, "members_points", territory="FR", year=YEAR)
    located = members[members.lon.notna()]
    assert points_on_page(run_page("pages/6_mon_territoire.py", "FR"), "profile_points") == len(located)
    assert len(index["carte-points-adherents"].slide.data.dropna(subset=["lon"])) == len(located)
    enterprises = q(built_db, "social_utility_enterprises", territory="FR")
    assert points_on_page(run_page("pages/5_utilite_sociale.py", "FR"), "ust_map") == len(enterprises)
    assert sorted(index["carte-entreprises"].slide.data.name) == sorted(enterprises.name)
    for block_id in ("carte-points-adherents", "carte-entreprises"):  # a map is a picture in the PowerPoint
        shapes = prs.slides[index[block_id].number].shapes
        assert [s.name for s in shapes if s.shape_type == 13] == [f"Carte {block_id}"]
    in_pptx, in_pdf = deck_text(decks, "carte-entreprises")  # a few places: named beside the map
    for name in enterprises.name:
        assert flat(name) in in_pptx and flat(name) in in_pdf, name
    _, in_pdf = deck_text(decks, "carte-points-adherents")  # the legend's structure types, as vector text
    missing = [t for t in set(members.type_label.dropna()) if flat(t) not in in_pdf]
    assert not missing, f"légende absente du PDF : {missing}"
