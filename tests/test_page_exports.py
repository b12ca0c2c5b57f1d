"""Each page's « Exporter en PowerPoint et en PDF » holds the blocks the page shows, as shown (AppTest, real
database, the real export): Vue d'ensemble and Mon territoire for a federation and a département, the members map
with the measure and level picked on Adhérents, the projects map of Innovation."""

from __future__ import annotations

import io
import re

import pytest
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from observatoire import blocks, compare, content_blocks, db, fmt, show, ui
from tests.test_blocks import run_page

YEAR = 2014
PREPARE = "Préparer le PowerPoint et le PDF"


@pytest.fixture(scope="module")
def con(built_db):
    connection = db.connect(built_db)
    yield connection
    connection.close()


def prepare(at: AppTest, key: str) -> dict[str, bytes]:
    """Click the page's prepare button, as a user does; the files it stored in the session."""
    at.button(key=f"export_build_{key}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert downloads(at) == ["PowerPoint (.pptx)", "PDF"]
    return at.session_state[f"export_files_{key}"][1]


def downloads(at: AppTest) -> list[str]:
    return [d.proto.label for d in at.get("download_button") if d.proto.label in ("PowerPoint (.pptx)", "PDF")]


def headings(at: AppTest) -> list[str]:
    """The block titles the page shows, in order (ui.heading), without the export section's."""
    return [m.value[5:] for m in at.markdown if m.value.startswith("#### ") and "Exporter en" not in m.value]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\u00a0", " ")).strip()


def slide_text(slide) -> str:
    """Every text of a slide: its text boxes and the cells of its tables."""
    parts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
    parts += [c.text for s in slide.shapes if s.has_table for row in s.table.rows for c in row.cells]
    return flat(" ".join(parts))


def slide_count_caption(at: AppTest) -> int:
    found = [int(c.value.split()[0]) for c in at.caption if re.match(r"^\d+ diapositive\(s\)", c.value)]
    assert len(found) == 1, found
    return found[0]


def tile_values(at: AppTest) -> list[str]:
    return [flat(m.value) for m in at.metric]


# --------------------------------------------------------------------------- Vue d'ensemble


@pytest.mark.parametrize("territory", ["fed-midi-pyrenees", "dep-31"])
def test_overview_exports_the_territory_then_the_national_blocks(built_db, con, territory):
    at = run_page("app.py", territory)
    assert any(m.value == "#### Exporter en PowerPoint et en PDF" for m in at.markdown)
    own = [blocks.key_figures(con, territory, YEAR), blocks.members_map(con, territory, YEAR)]
    national = [blocks.key_figures(con, "FR", YEAR), blocks.members_map(con, "FR", YEAR),
                blocks.members_by_type(con, "FR", YEAR), content_blocks.year_in_brief(con, "FR", YEAR)]
    assert not blocks.key_figures_change(con, "FR", YEAR).default  # one year: no evolution block on the page
    expected = own + national
    assert headings(at) == [fmt.plain(b.title) for b in expected]
    assert slide_count_caption(at) == len(expected) + 1
    prs = Presentation(io.BytesIO(prepare(at, "overview")["pptx"]))
    titles = [s.shapes.title.text for s in prs.slides]
    assert titles[1:] == [b.title for b in expected]
    assert titles[0].startswith("Observatoire COORACE — ")
    # every tile of the page (territory's key figures, then France's, then the year in brief) is on a slide
    texts = [slide_text(s) for s in prs.slides]
    tiles = tile_values(at)
    assert len(tiles) == sum(len(b.data) for b in expected if b.kind == "kpis")
    for value in tiles:
        assert any(value in t for t in texts), f"« {value} » absent du PowerPoint"
    members = int(db.run_query("territory_profile", {"territory": territory, "year": YEAR}, con=con).members.iloc[0])
    assert f"{fmt.number(members)} adhérents au total" in texts[2]  # the territory's map
    # footers: the territory's own blocks carry its name, the national ones « France entière »
    name = db.run_query("territory_list", {}, con=con).set_index("territory_id").loc[territory, "name"]
    assert f"{name} · données {YEAR}" in texts[1] and f"{name} · données {YEAR}" in texts[2]
    for t in texts[3:]:
        assert f"France entière · données {YEAR}" in t


# --------------------------------------------------------------------------- Mon territoire


def territory_blocks(con, territory: str) -> dict[str, list]:
    """What Mon territoire shows for a territory, section by section, in the page's order."""
    projects = blocks.projects(con, territory, YEAR)
    ordered = sorted(projects, key=lambda p: p.scope == "France entière")
    return {"Profil": [content_blocks.territory_profile(con, territory, YEAR),
                       blocks.members_by_type(con, territory, YEAR), blocks.members_points(con, territory, YEAR)],
            "Comparaison": [compare.comparison(con, territory, YEAR), compare.members_rate(con, territory, YEAR),
                            compare.certified_share(con, territory, YEAR), compare.type_mix(con, territory, YEAR),
                            compare.register_years(con, territory, YEAR)],
            "Chiffres et projets": [content_blocks.territory_figures(con, territory, YEAR), *ordered,
                                    content_blocks.synthesis_enterprises(con, territory, YEAR),
                                    content_blocks.federation_teams(con, territory, YEAR)]}


def exported_section(at: AppTest, expected: list, section: str) -> list:
    """The open section's blocks are the page's and the export's, in order, and only them; its slides."""
    assert headings(at) == [fmt.plain(b.title) for b in expected]
    assert slide_count_caption(at) == len(expected) + 1
    assert any(c.value.startswith(f"{len(expected) + 1} diapositive(s), les graphiques tels qu'affichés dans "
                                  f"l'onglet « {section} » —") for c in at.caption)
    slides = list(Presentation(io.BytesIO(prepare(at, "territoire")["pptx"])).slides)
    assert [s.shapes.title.text for s in slides[1:]] == [b.title for b in expected]
    return slides


@pytest.mark.parametrize("territory", ["fed-midi-pyrenees", "dep-31"])
def test_my_territory_exports_its_profile_comparisons_and_lists(built_db, con, territory):
    sections = territory_blocks(con, territory)
    assert list(sections) == list(next(p for p in ui.PAGES if p.label == "Mon territoire").sections)
    at = run_page("pages/6_mon_territoire.py", territory)  # « Profil »
    slides = exported_section(at, sections["Profil"], "Profil")
    # the profile tiles of the page, figure for figure
    assert tile_values(at) and all(v in slide_text(slides[1]) for v in tile_values(at))
    profile = db.run_query("territory_profile", {"territory": territory, "year": YEAR}, con=con).iloc[0]
    assert fmt.number(int(profile.members)) in slide_text(slides[1])
    expected, all_slides = list(sections["Profil"]), slides[1:]
    for section in list(sections)[1:]:
        at = run_page("pages/6_mon_territoire.py", territory, section=section)
        expected += sections[section]
        all_slides += exported_section(at, sections[section], section)[1:]
        if section == "Comparaison":
            # the comparison table's rank row, as printed on the page
            comparison = slide_text(all_slides[len(sections["Profil"])])
            assert all(flat(str(v)) in comparison for v in sections[section][0].data.iloc[0] if isinstance(v, str))
    # the comparison charts are native charts holding the blocks' values (the page draws the same blocks)
    for block, slide in zip(expected, all_slides, strict=True):
        charts = [s.chart for s in slide.shapes if s.has_chart]
        if block.kind == "chart" and block.chart is not None:
            series = {s.name: list(s.values) for s in charts[0].plots[0].series}
            assert series == {n: block.data[c].tolist() for c, n in zip(block.chart.value_cols, block.chart.names())}
        if block.kind == "table" and len(block.data):
            first = block.data.iloc[0]
            assert flat(str(first.iloc[0])) in slide_text(slide), block.id


def test_my_territory_for_france_exports_too(built_db):
    at = run_page("pages/6_mon_territoire.py", "FR")
    assert slide_count_caption(at) == len(headings(at)) + 1
    assert at.button(key="export_build_territoire").label == PREPARE


# --------------------------------------------------------------------------- page options


def test_members_export_follows_the_measure_and_level_picked(built_db, con):
    at = run_page("pages/1_adherents.py", "FR")
    at.segmented_control(key="members_map_measure").set_value("rate").run()
    at.segmented_control(key="members_map_level").set_value("region_2014").run()
    assert not at.exception
    rate_map = blocks.members_map(con, "FR", YEAR, level="region_2014", measure="rate")
    assert fmt.plain(rate_map.title) in headings(at)
    assert rate_map.title != blocks.members_map(con, "FR", YEAR).title
    files = prepare(at, "adherents")
    prs = Presentation(io.BytesIO(files["pptx"]))
    titles = [s.shapes.title.text for s in prs.slides]
    assert titles[1] == rate_map.title  # « Adhérents pour 100 000 habitants par région (2014), 2014 »
    assert [fmt.plain(t) for t in titles[1:]] == headings(at)  # every block of the page, in its order
    assert blocks.type_matrix(con, "FR", YEAR).title in titles
    # the ranking beside the map is the rate's, highest first, as on the page
    ranking = {s.name: flat(s.text_frame.text) for s in prs.slides[1].shapes if s.name.startswith("Rang ")}
    for rank, row in enumerate(rate_map.side.itertuples(), start=1):
        assert ranking[f"Rang {rank} territoire"] == flat(str(row.label))
        assert ranking[f"Rang {rank} valeur"] == flat(fmt.number(row.value))
    assert rate_map.side.value.is_monotonic_decreasing and rate_map.side_title == "Les plus élevés"
    # the files stay while nothing changes; another measure changes the map, so the files must be prepared again
    at.run()
    assert downloads(at) == ["PowerPoint (.pptx)", "PDF"]
    at.segmented_control(key="members_map_measure").set_value("members").run()
    assert downloads(at) == []
    assert at.button(key="export_build_adherents").label == PREPARE


def test_innovation_export_holds_the_projects_map_then_the_cards(built_db, con):
    at = run_page("pages/4_innovation.py", "FR")
    projects = blocks.projects(con, "FR", YEAR)
    located = blocks.projects_map(con, "FR", YEAR)
    assert located is not None
    assert slide_count_caption(at) == 1 + 1 + len(projects)
    shown = headings(at)  # the cards are in two columns: the page lists one column, then the other
    assert shown[0] == fmt.plain(located.title) and sorted(shown[1:]) == sorted(fmt.plain(p.title) for p in projects)
    chosen = show.export_slides([located, *projects], at_ctx("FR", "France entière"))
    assert [s.id for s in chosen] == ["titre", "carte-projets", *(p.id for p in projects)]
    assert chosen[1].title == located.title and chosen[1].kind == "map"
    # each project's slide has its small locator map when the project is located
    assert any(s.locator is not None for s in chosen[2:])


def at_ctx(territory: str, name: str):
    """A page context outside Streamlit, for calling the function the export button calls."""
    return ui.Context(territory=territory, territory_name=name, level="france", year=YEAR)


@pytest.mark.parametrize("path,section,key,themes", [
    ("pages/2_financements.py", "Financements et secteurs", "funding", 3),  # the published figures' section
    ("pages/10_reseau.py", None, "network", 6)])
def test_every_table_the_page_shows_is_exported(built_db, path, section, key, themes):
    """The lists of the page and, once switched on, the tables of every published figure: all on slides."""
    at = run_page(path, "FR", section=section)
    shown = len(headings(at))
    assert slide_count_caption(at) == shown + 1  # every block of the page (Le réseau: its two lists too)
    at.toggle(key=f"table_figures_{key}").set_value(True).run()
    assert len(headings(at)) == shown + themes
    assert slide_count_caption(at) == shown + themes + 1
    prs = Presentation(io.BytesIO(prepare(at, EXPORT_KEYS[path])["pptx"]))
    titles = [flat(slide_text(s)) for s in prs.slides]
    for heading in headings(at):
        assert any(flat(heading) in t for t in titles), heading


EXPORT_KEYS = {"pages/2_financements.py": "financements", "pages/10_reseau.py": "reseau"}
