"""Pages in sections (issue 12: only the open section runs and is sent): each section drawn as a tab, opened by
?onglet=<label> and written back to the URL (left out for the first one), an unknown or hostile name opening the
first section with a French notice shown as plain text, and the export holding the open section's blocks only."""

from __future__ import annotations

import io
import re

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest, app_test

from observatoire import fmt, ui
from observatoire.paths import ROOT
from tests.test_pages import open_section, run_page

SECTIONED = [page for page in ui.DATA_PAGES if page.sections]
# the block titles (their beginning) each section draws for France: a section shows its own, never another's
SECTION_HEADINGS = {
    "Carte et types": ["Adhérents par COORACE régional", "Adhérents par type de structure",
                       "Territoires × types de structure"],
    "Liste des adhérents": ["Liste des adhérents"],
    "Équipes régionales": ["Les COORACE régionaux et leurs équipes"],
    "Ressources et chiffre d'affaires": ["Ressources du COORACE national", "Chiffre d'affaires HT cumulé du réseau"],
    "Financements et secteurs": ["Financements publics et activité économique", "Répartition par secteur d'activité"],
    "Le label CEDRE": ["Entreprises certifiées et certifications de l'année", "Objectif 2015 : nouveaux certifiés",
                       "Qualité CEDRE : 120 entreprises certifiées", "Adhérents certifiés par label"],
    "Nouveaux certifiés": ["Nouveaux certifiés CEDRE ISO 9001 par COORACE régional",
                           "Les entreprises certifiées en 2014"],
    "Engagements": ["Les engagements CEDRE"],
    "Profil": ["France entière en chiffres", "Adhérents par type de structure", "Où sont les adhérents"],
    "Comparaison": ["La France entière et les COORACE régionaux", "Adhérents pour ", "Part des adhérents certifiés",
                    "Types de structure en France", "D'une année à l'autre"],
    "Chiffres et projets": ["Chiffres publiés pour « France entière »", "Démarche nationale PTCE",
                            "Les entreprises de la synthèse « utilité sociale »"],
    "Chiffres publiés": ["Tous les chiffres publiés"],
    "Téléchargements": ["Télécharger les tables"],
    "Dictionnaire et documents": ["Documents sources", "Dictionnaire des données"],
}
EXPORT_HEADING = "Exporter en PowerPoint et en PDF"


def block_headings(at: AppTest) -> list[str]:
    """The block titles the page shows (ui.heading), the export's apart."""
    return [m.value[5:] for m in at.markdown if m.value.startswith("#### ") and m.value[5:] != EXPORT_HEADING]


def section_warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.warning if w.value.startswith("L'onglet « ")]


def test_every_section_has_its_block_titles_listed():
    assert sorted(SECTION_HEADINGS) == sorted(s for page in SECTIONED for s in page.sections)


@pytest.mark.parametrize(("path", "section"), [(p.path, s) for p in SECTIONED for s in p.sections])
def test_the_address_opens_the_section_it_names_and_draws_only_it(built_db, path, section):
    at = run_page(path, section=section)
    page = next(p for p in SECTIONED if p.path == path)
    assert [tab.label for tab in at.tabs] == list(page.sections)  # every section is offered as a tab
    shown = block_headings(at)
    for title in SECTION_HEADINGS[section]:
        assert any(h.startswith(title) for h in shown), f"« {title} » absent de l'onglet « {section} » : {shown}"
    others = [t for other in page.sections if other != section for t in SECTION_HEADINGS[other]]
    drawn = [h for h in shown for t in others if h.startswith(t)
             and not any(h.startswith(own) for own in SECTION_HEADINGS[section])]
    assert not drawn, f"l'onglet « {section} » dessine des blocs d'un autre onglet : {drawn}"
    assert not section_warnings(at)
    # the first section is the page's address without ?onglet=, another one is written to the URL
    assert at.query_params.get(ui.SECTION_PARAM) == (None if section == page.sections[0] else section)


@pytest.mark.parametrize("page", SECTIONED, ids=[p.label for p in SECTIONED])
def test_a_page_opens_on_its_first_section_and_a_tab_changed_is_written_to_the_url(built_db, page):
    at = run_page(page.path, "fed-midi-pyrenees")
    assert open_section(at) == page.sections[0]
    assert ui.SECTION_PARAM not in at.query_params
    key = f"_section_{page.url_path}"  # the tabs' state (show.section): what a click on a tab changes
    for section in (*page.sections[1:], page.sections[0]):
        at.session_state[key] = section
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert open_section(at) == section
        assert at.query_params.get(ui.SECTION_PARAM) == (None if section == page.sections[0] else section)
        assert at.query_params["territoire"] == "fed-midi-pyrenees"  # the territory stays in the URL


@pytest.mark.parametrize("page", SECTIONED, ids=[p.label for p in SECTIONED])
def test_an_unknown_section_in_the_url_opens_the_first_one_with_a_french_notice(built_db, page):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page(page.path)
    at.query_params[ui.SECTION_PARAM] = "xyz"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert section_warnings(at) == [f"L'onglet « xyz » n'existe pas sur cette page : elle s'ouvre sur "
                                    f"« {page.sections[0]} »."]
    assert open_section(at) == page.sections[0]
    assert ui.SECTION_PARAM not in at.query_params
    assert all(any(h.startswith(t) for h in block_headings(at)) for t in SECTION_HEADINGS[page.sections[0]])


@pytest.mark.parametrize("value", ["[Connexion admin](https://evil.example)", "y" * 10_000],
                         ids=["lien", "10000-caracteres"])
def test_a_hostile_section_name_is_shown_as_plain_text(built_db, value):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/6_mon_territoire.py")
    at.query_params[ui.SECTION_PARAM] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    notice = section_warnings(at)
    assert notice == [f"L'onglet « {fmt.plain(value[:80])} » n'existe pas sur cette page : elle s'ouvre sur "
                      "« Profil »."]  # a long name is cut at 80 characters
    assert not re.search(r"(?<!\\)\[[^\]]*(?<!\\)\]\(", notice[0]) and "https://" not in notice[0]  # no live link
    assert open_section(at) == "Profil"


@pytest.mark.parametrize(("path", "section"), [(p.path, s) for p in SECTIONED for s in p.sections
                                               if p.path != "pages/7_sources.py"])
def test_the_export_holds_the_open_section_only(built_db, path, section):
    at = run_page(path, "fed-midi-pyrenees", section)
    counts = [c.value for c in at.caption if " diapositive(s), " in c.value]
    # the cover, then one slide per block the section draws (the other sections' are neither drawn nor exported)
    assert len(counts) == 1 and counts[0].startswith(
        f"{len(block_headings(at)) + 1} diapositive(s), les graphiques tels qu'affichés dans l'onglet « {section} » —")


class NamedFiles(MediaFileManager):
    """Streamlit's media file manager, noting the file name of each download it is given."""

    names: list[str] = []

    def add(self, path_or_data, mimetype, coordinates, file_name=None, is_for_static_download=False):
        NamedFiles.names.append(file_name)
        return super().add(path_or_data, mimetype, coordinates, file_name, is_for_static_download)


def test_the_exported_files_are_named_after_the_section(built_db, monkeypatch):
    from pptx import Presentation

    NamedFiles.names = []
    monkeypatch.setattr(app_test, "MediaFileManager", NamedFiles)
    at = run_page("pages/3_qualite_cedre.py", "fed-midi-pyrenees", "Engagements")
    shown = block_headings(at)
    at.button(key="export_build_cedre").click().run()
    assert not at.exception, [e.value for e in at.exception]
    stem = "observatoire-coorace-qualite-cedre-engagements-coorace-midi-pyrenees-2014"
    assert {f"{stem}.pptx", f"{stem}.pdf"} <= set(NamedFiles.names)
    prs = Presentation(io.BytesIO(at.session_state["export_files_cedre"][1]["pptx"]))
    titles = [fmt.plain(s.shapes.title.text) for s in prs.slides]
    assert titles[1:] == shown  # the section's blocks, none of « Le label CEDRE » or « Nouveaux certifiés »


@pytest.mark.parametrize(("value", "opened"), [("comparaison", "Comparaison"), ("  COMPARAISON ", "Comparaison"),
                                               ("", "Profil")], ids=["minuscules", "majuscules", "vide"])
def test_a_section_name_in_any_case_opens_it_and_an_empty_one_the_first_without_notice(built_db, value, opened):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/6_mon_territoire.py")
    at.query_params[ui.SECTION_PARAM] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert section_warnings(at) == []
    assert open_section(at) == opened
    assert at.query_params.get(ui.SECTION_PARAM) == (None if opened == "Profil" else opened)  # its exact label
