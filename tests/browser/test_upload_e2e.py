"""A register saved by French Excel (CSV Windows-1252 `;` CRLF, then XLSX) uploaded through the administration
page in a real browser, confirmed, then seen in the Adhérents page's members list for that year."""

from __future__ import annotations

import io
import re
import shutil

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from bench.server import Server
from observatoire import auth

PASSWORD = "un mot de passe de test assez long"
HEADER = ["Identifiant", "Nom", "Type de structure", "Code INSEE", "Année de création", "ETP",
          "Chiffre d'affaires (€)"]
CSV_ROWS = [["m-e2e-1", "Régie de quartier Étoile", "RQ", "31555", "1998", "12,5", "1\xa0234\xa0000"],
            ["m-e2e-2", "Atelier Cœur d'Ariège", "ACI", "9261", "", "", ""]]
XLSX_ROWS = [["m-e2e-3", "Entreprise d'insertion Garonne", "EI", 31555, 2004, 7.5, 250000]]


@pytest.fixture(scope="module")
def upload_server(built_db, tmp_path_factory, artifacts):
    """The dashboard on a copy of the built database, with an administrator and its own runtime folders."""
    folder = tmp_path_factory.mktemp("upload")
    served = folder / "served.duckdb"
    shutil.copyfile(built_db, served)
    secrets = folder / "secrets.toml"
    auth.write_secrets(auth.make_entry("admin", PASSWORD), secrets)
    env = {"OBSERVATOIRE_SECRETS": str(secrets), "OBSERVATOIRE_RUNTIME": str(folder / "runtime"),
           "OBSERVATOIRE_VERSIONS": str(folder / "versions")}
    with Server(db=served, env=env, log=artifacts / "upload_server.log") as s:
        yield s.url


def french_excel_csv() -> bytes:
    return "\r\n".join(";".join(row) for row in [HEADER, *CSV_ROWS]).encode("cp1252") + b"\r\n"


def workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Données"
    for row in [HEADER, *XLSX_ROWS]:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def import_through_the_page(probe, name: str, mime: str, data: bytes, rows: int) -> None:
    page = probe.page
    page.get_by_role("tab", name="Importer").click()
    expect(probe.combobox("Type de fichier")).to_have_value("Registre des adhérents (une année)")
    year = page.get_by_label("Année du registre")
    if year.input_value() != "2015":
        probe.act(lambda: (year.fill("2015"), year.press("Enter")))
    uploader = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    probe.act(lambda: uploader.set_input_files(files=[{"name": name, "mimeType": mime, "buffer": data}]))
    expect(page.get_by_text(f"{name} : fichier valide, {rows} ligne(s)")).to_be_visible(timeout=30000)
    probe.act(lambda: page.get_by_role("button", name="Confirmer l'import").click(), timeout=60000)
    expect(page.get_by_text("Import enregistré (version")).to_be_visible(timeout=30000)


def members_listed(probe, url: str, name: str):
    """Open Adhérents for 2015 on its list, search the name: the list shows it (its grid cell) and counts it."""
    probe.open(f"{url}/adherents?annee=2015&onglet=Liste+des+adhérents")
    page = probe.page
    expect(probe.combobox("Année des données")).to_have_value("2015")
    search = page.get_by_label("Rechercher (nom, commune, département, type)")
    probe.act(lambda: (search.fill(name), search.press("Enter")))
    return page.locator('[data-testid="stDataFrame"]').filter(has_text=name)


def login(probe, url: str) -> None:
    probe.open(f"{url}/administration")
    page = probe.page
    page.get_by_label("Identifiant").fill("admin")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    probe.act(lambda: page.get_by_role("button", name="Se connecter").click())
    expect(page.get_by_role("tab", name="Importer")).to_be_visible()


def test_a_french_excel_csv_then_an_xlsx_register_show_on_the_adherents_page(upload_server, probe, artifacts):
    login(probe, upload_server)
    import_through_the_page(probe, "registre-2015.csv", "text/csv", french_excel_csv(), rows=2)
    probe.page.screenshot(path=str(artifacts / "import_csv_excel.png"))
    listed = members_listed(probe, upload_server, "Régie de quartier Étoile")
    expect(listed).to_have_count(1)
    expect(probe.page.get_by_text("1 adhérent(s) affiché(s) sur 2")).to_be_visible()
    listed.scroll_into_view_if_needed()
    probe.page.screenshot(path=str(artifacts / "adherents_apres_import_csv.png"))

    login(probe, upload_server)
    import_through_the_page(probe, "registre-2015.xlsx",
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", workbook(), rows=1)
    listed = members_listed(probe, upload_server, "Entreprise d'insertion Garonne")
    expect(listed).to_have_count(1)
    expect(probe.page.get_by_text("1 adhérent(s) affiché(s) sur 1")).to_be_visible()
    # the XLSX replaced the 2015 register: the CSV's members are gone from the list
    expect(members_listed(probe, upload_server, "Régie de quartier Étoile")).to_have_count(0)
    expect(probe.page.get_by_text("0 adhérent(s) affiché(s) sur 1")).to_be_visible()
    assert probe.exceptions() == []  # requests and console: tests/browser/test_pages_e2e.py


def test_a_bad_file_shows_french_errors_with_a_dash_for_the_file_level_row(upload_server, probe):
    login(probe, upload_server)
    page = probe.page
    page.get_by_role("tab", name="Importer").click()
    uploader = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    bad = "\r\n".join(";".join(r) for r in [HEADER, ["m1", "=HYPERLINK(\"x\")", "RQ", "31555", "1850", "", ""]])
    probe.act(lambda: uploader.set_input_files(files=[{"name": "mauvais.csv", "mimeType": "text/csv",
                                                        "buffer": bad.encode("cp1252")}]))
    expect(page.get_by_text("mauvais.csv : 2 erreur(s), rien n'a été importé.")).to_be_visible()
    probe.act(lambda: uploader.set_input_files(files=[{"name": "vide.csv", "mimeType": "text/csv",
                                                        "buffer": b"\r\n"}]))
    expect(page.get_by_text("vide.csv : 1 erreur(s), rien n'a été importé.")).to_be_visible()
    expect(page.get_by_text("mauvais.csv")).to_have_count(0)
    assert probe.exceptions() == []


def test_a_file_over_5_mb_is_refused_in_french_and_replaces_the_previous_result(upload_server, probe):
    login(probe, upload_server)
    page = probe.page
    page.get_by_role("tab", name="Importer").click()
    uploader = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    probe.act(lambda: uploader.set_input_files(files=[{"name": "petit.csv", "mimeType": "text/csv",
                                                        "buffer": french_excel_csv()}]))
    expect(page.get_by_text("petit.csv : fichier valide")).to_be_visible()
    big = french_excel_csv() + b"m;A;AI;31555;;;\r\n" * 400_000  # 6.5 Mo
    probe.act(lambda: uploader.set_input_files(files=[{"name": "gros.csv", "mimeType": "text/csv", "buffer": big}]),
              timeout=60000)
    expect(page.get_by_text("gros.csv : 1 erreur(s), rien n'a été importé.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Fichier trop volumineux : 6,\d Mo \(maximum 5 Mo\)\."))).to_be_visible()
    expect(page.get_by_text("petit.csv : fichier valide")).to_have_count(0)
    expect(page.get_by_text("File must be")).to_have_count(0)
