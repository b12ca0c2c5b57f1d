"""Hostile URLs and a missing or corrupt database: a French message, never a traceback."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from observatoire import fmt, ui
from observatoire.paths import ROOT
from tests.test_pages import open_section

PAGES = [p.path for p in ui.PAGES]
SECTIONED = [p for p in ui.PAGES if p.sections]
HOSTILE = [
    "' OR 1=1 --",
    "dep-31'; DROP TABLE members; --",
    "$territory",
    "x" * 10_000,
    "🙂 Île-de-France \u202e",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "dep-31\x00",
    "[Connexion admin](https://evil.example)",
    "![](http://127.0.0.1:9/x.png)",
    "<img src=x onerror=alert(1)>",
    "**g** `c` :red[x] www.ev.fr a@ev.fr",  # within the 40 characters the notice shows
]


def run(path: str, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if path != "app.py":
        at.switch_page(path)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    return at


# every page on its first section with every hostile value; each other section (?onglet=…) with four of them
VIEWS = [(p.path, None, index) for p in ui.PAGES for index in range(len(HOSTILE))] + [
    (p.path, section, index) for p in SECTIONED for section in p.sections[1:] for index in (1, 3, 7, 8)]


@pytest.mark.parametrize(("path", "section", "index"), VIEWS)
def test_hostile_territory_shows_the_notice_and_no_exception(built_db, path, section, index):
    value = HOSTILE[index]
    at = run(path, territoire=value, **({ui.SECTION_PARAM: section} if section else {}))
    assert not at.exception, [e.value for e in at.exception]
    assert any("n'existe pas" in w.value for w in at.warning)
    assert "territoire" not in at.query_params
    first = next(p.sections[0] if p.sections else None for p in ui.PAGES if p.path == path)
    assert open_section(at) == (section or first)
    assert at.query_params.get(ui.SECTION_PARAM) == section  # the section asked for stays open and in the URL


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("page", SECTIONED, ids=[p.label for p in SECTIONED])
def test_hostile_section_shows_the_notice_and_opens_the_first_section(built_db, page, value):
    at = run(page.path, territoire="dep-31", **{ui.SECTION_PARAM: value})
    assert not at.exception, [e.value for e in at.exception]
    notice = [w.value for w in at.warning if w.value.startswith("L'onglet « ")]
    assert notice == [f"L'onglet « {fmt.plain(value[:80])} » n'existe pas sur cette page : elle s'ouvre sur "
                      f"« {page.sections[0]} »."]
    assert open_section(at) == page.sections[0]
    assert ui.SECTION_PARAM not in at.query_params  # the first section: no ?onglet= left in the URL
    assert at.query_params["territoire"] == "dep-31"  # the territory is kept


@pytest.mark.parametrize("param", ["territoire", ui.SECTION_PARAM])
@pytest.mark.parametrize("value", HOSTILE[-4:], ids=["lien", "image", "html", "mise-en-forme"])
def test_the_notice_shows_the_address_text_literally(built_db, value, param):
    at = run("app.py" if param == "territoire" else "pages/6_mon_territoire.py", **{param: value})
    notice = next(w.value for w in at.warning if "n'existe pas" in w.value)
    assert f"« {fmt.plain(value)} »" in notice
    unescaped = [r"(?<!\\)\[", r"(?<!\\)<", r"(?<!\\)\*\*g", r"(?<!\\)`c", "://", r"www\.", "@e"]
    assert not [p for p in unescaped if re.search(p, notice)], notice


@pytest.mark.parametrize("path", PAGES)
def test_repeated_keys_and_bad_year_fall_back(built_db, path):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if path != "app.py":
        at.switch_page(path)
    at.query_params["territoire"] = ["dep-31", "dep-09"]
    at.query_params["annee"] = "2014; select 1"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="filter_year").value == 2014


def test_a_missing_database_gives_a_french_page_that_says_how_to_rebuild(tmp_path, monkeypatch):
    monkeypatch.setenv("OBSERVATOIRE_DB", str(tmp_path / "absent.duckdb"))
    at = run("app.py")
    assert not at.exception
    text = at.error[0].value
    assert "introuvable" in text and "make data" in text


def test_a_corrupt_database_gives_a_french_page_that_says_how_to_rebuild(tmp_path, monkeypatch):
    corrupt = tmp_path / "observatoire.duckdb"
    corrupt.write_bytes(b"ceci n'est pas une base DuckDB" * 1000)
    monkeypatch.setenv("OBSERVATOIRE_DB", str(corrupt))
    for path in ("app.py", "pages/1_adherents.py"):
        at = run(path)
        assert not at.exception, [e.value for e in at.exception]
        assert "corrompue" in at.error[0].value and "make data" in at.error[0].value
