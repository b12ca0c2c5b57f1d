"""An innovation project imported through the importer shows on Innovation and on Mon territoire, with its source;
an imported project whose cells carry Markdown and HTML links and images shows them as plain text."""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import expect

from bench.server import Server
from observatoire import validate, versions
from tests.test_versions import day

PROJECT = ("project_id,name,carrier,commune_insee,axis_id,summary\n"
           "p-ressourcerie,Ressourcerie du Mirail,Association Réemploi,31555,2,Une ressourcerie d'insertion\n"
           f"p-piege,{'[Connexion admin](https://evil.example)'},{'![logo](https://evil.example/x.png)'},31555,2,"
           "<img src=https://evil.example/y.png> **gras** [ici](https://evil.example/z)\n"
           ).encode()


@pytest.fixture(scope="module")
def imported_server(built_db, tmp_path_factory, artifacts):
    """A copy of the built database with one project imported by versions.apply, served for real."""
    folder = tmp_path_factory.mktemp("imported")
    served = folder / "served.duckdb"
    shutil.copyfile(built_db, served)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("OBSERVATOIRE_VERSIONS", str(folder / "versions"))
        validation = validate.validate("projects", "projets-2015.csv", PROJECT, None, target=served)
        assert validation.ok, [str(i) for i in validation.issues]
        entry = versions.apply(validation, "Hélène", target=served)
        source = f"Fichier projets-2015.csv importé le {day(entry)} par Hélène"
        with Server(db=served, env={"OBSERVATOIRE_VERSIONS": str(folder / "versions")},
                    log=artifacts / "imported_server.log") as s:
            yield s.url, source


def project_card_with_its_source(page, source: str) -> None:
    """The imported project's card: its name, its place, and its source behind « Détail et source »."""
    heading = page.get_by_role("heading", name="Ressourcerie du Mirail")
    expect(heading).to_have_count(1)
    card = heading.locator("xpath=ancestor::div[@data-testid='stVerticalBlock'][1]")
    expect(card).to_contain_text("Toulouse (31)")
    card.get_by_text("Détail et source").click()
    expect(page.get_by_text(f"Source : {source} — Import des projets — « Une ressourcerie d'insertion »")
           ).to_be_visible()


def test_the_imported_project_is_on_the_innovation_page_with_its_source(imported_server, probe, artifacts):
    url, source = imported_server
    probe.open(f"{url}/innovation?territoire=dep-31")
    project_card_with_its_source(probe.page, source)
    probe.page.screenshot(path=str(artifacts / "innovation_projet_importe.png"))
    assert probe.exceptions() == [] and probe.console_errors == [] and probe.blocked == []


def test_the_imported_project_is_on_mon_territoire_with_its_source(imported_server, probe, artifacts):
    url, source = imported_server
    for territory in ("dep-31", "fed-midi-pyrenees"):
        probe.open(f"{url}/mon_territoire?territoire={territory}&onglet=Chiffres+et+projets")  # projects' section
        page = probe.page
        project_card_with_its_source(page, source)
    page.screenshot(path=str(artifacts / "mon_territoire_projet_importe.png"))
    probe.open(f"{url}/mon_territoire?territoire=dep-75&onglet=Chiffres+et+projets")
    expect(probe.page.get_by_text("Ressourcerie du Mirail")).to_have_count(0)
    assert probe.exceptions() == [] and probe.console_errors == [] and probe.blocked == []


def test_markdown_and_html_in_an_imported_file_stay_text(imported_server, probe, artifacts):
    url, _ = imported_server
    for path in ("innovation?territoire=dep-31", "mon_territoire?territoire=dep-31&onglet=Chiffres+et+projets"):
        probe.open(f"{url}/{path}")
        page = probe.page
        main = page.locator('[data-testid="stMain"]')

        # what a reader sees (fmt.plain puts invisible word joiners inside URLs)
        shown = main.inner_text().replace("\u2060", "")
        assert "[Connexion admin](https://evil.example)" in shown
        if path.startswith("innovation"):
            assert "![logo](https://evil.example/x.png)" in shown
            assert "<img src=https://evil.example/y.png> **gras** [ici](https://evil.example/z)" in shown
        links = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        assert not [href for href in links if "evil.example" in href], links
        images = page.eval_on_selector_all("img", "els => els.map(e => e.src)")
        assert not [src for src in images if "evil.example" in src], images
        assert main.locator("strong", has_text="gras").count() == 0
        page.screenshot(path=str(artifacts / f"imported_markdown_{path.split('?')[0]}.png"))
        assert probe.blocked == [], probe.blocked
        assert probe.exceptions() == []
