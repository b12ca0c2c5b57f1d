"""The register's source follows the data: demonstration rows are named as such, an imported register by its
file, its date and who imported it, and the pages' captions say which (no hard-coded « démonstration »)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from observatoire import db, validate, versions
from observatoire.paths import ROOT
from tests.test_versions import MEMBERS, day


@pytest.fixture
def served(served, monkeypatch):
    """The private copy, served to the pages."""
    monkeypatch.setenv("OBSERVATOIRE_DB", str(served))
    return served


def sources(path, territory: str, year: int) -> dict:
    con = db.connect(path)
    try:
        return db.run_query("register_sources", {"territory": territory, "year": year}, con).iloc[0].to_dict()
    finally:
        con.close()


def captions(page: str, year: int) -> list[str]:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if page != "app.py":
        at.switch_page(page)
    at.query_params["annee"] = str(year)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return [c.value for c in at.caption]


def test_the_2014_register_names_its_documents_and_its_demonstration_rows(built_db):
    row = sources(built_db, "FR", 2014)
    assert row["source"] == ("Rapport d'activité 2014 ; Synthèse utilité sociale territoriale ; "
                             "registre des adhérents (démonstration)")
    con = db.connect(built_db)
    demo = con.execute("select count(*) filter (where is_demo), count(*) from members where year = 2014").fetchone()
    con.close()
    assert (row["demo_members"], row["members"]) == demo


def test_an_imported_register_is_cited_by_its_file_on_the_pages(served):
    validation = validate.validate("members", "registre-2015.csv", MEMBERS, 2015, target=served)
    assert validation.ok, [str(i) for i in validation.issues]
    today = day(versions.apply(validation, "Hélène", target=served))
    row = sources(served, "FR", 2015)
    assert row == {"source": f"Fichier registre-2015.csv importé le {today} par Hélène", "members": 2,
                   "demo_members": 0}
    for page in ("app.py", "pages/1_adherents.py"):
        text = "\n".join(captions(page, 2015))
        assert "registre-2015" in text and "Hélène" in text, text
        assert "démonstration" not in text, text


def test_the_slides_cite_the_imported_register(served):
    from observatoire import slides

    validation = validate.validate("members", "registre-2015.csv", MEMBERS, 2015, target=served)
    today = day(versions.apply(validation, "Hélène", target=served))
    con = db.connect(served)
    try:
        deck = {s.id: s for s in slides.build_slides(con, "dep-31", 2015)}
        demo_deck = {s.id: s for s in slides.build_slides(con, "dep-31", 2014)}
    finally:
        con.close()
    for slide_id in ("chiffres-cles", "carte-adherents", "types-structures", "cedre"):
        assert f"Fichier registre-2015.csv importé le {today} par Hélène" in deck[slide_id].notes, slide_id
        assert "démonstration" not in deck[slide_id].notes + deck[slide_id].footer, slide_id
        assert not deck[slide_id].demo
        assert "egistre des adhérents (démonstration)" in demo_deck[slide_id].notes, slide_id
        assert demo_deck[slide_id].demo, slide_id
