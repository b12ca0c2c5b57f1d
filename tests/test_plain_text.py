"""Text is text: names, sources and notes from the database are shown literally on every page.

A copy of the built database has every displayed text cell (names, places, sections, original
texts, notes, territory names...) followed by Markdown and HTML payloads; every page is run
headless and each string Streamlit would render as Markdown must carry the escaped payload,
never a live link, image, HTML tag or formatting.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from observatoire import charts, fmt, point_map, ui
from observatoire.paths import ROOT
from tests.test_pages import run_page

PAYLOAD = ("[lien](https://evil.example) ![x](http://127.0.0.1:9/x.png) <img src=x onerror=alert(1)> "
           "**gras** `code`")
# Text columns the pages show; keys, codes and units stay as they are so that every query still joins.
DISPLAYED = {
    "name", "label", "short_label", "category_label", "section", "original_text", "note", "title", "short_title",
    "publisher", "person", "role", "summary", "carrier", "commune_name", "description", "structure_description",
    "certification_note", "other_communes", "college", "represents", "duration_text", "trainers", "domain",
}
# every page but Administration (behind its password), each section of a page in sections
VIEWS = [(p.path, section) for p in ui.PAGES if p.path != "pages/9_administration.py"
         for section in p.sections or (None,)]
TERRITORIES = [None, "fed-midi-pyrenees"]
# Protos whose text Streamlit never reads as Markdown (tables, charts, st.text, st.code) or reads as HTML.
NOT_MARKDOWN = {"Text", "Code", "Arrow", "Dataframe", "PlotlyChart", "DeckGlJsonChart", "Html", "DownloadButton"}
MARKDOWN_FIELDS = {"body", "label", "help", "content", "placeholder", "caption"}
LIVE = [
    re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\("),  # a link or an image: [text](url)
    re.compile(r"(?i)https?://|www\.[a-z]"),  # an autolink (plain() puts a word joiner after the scheme)
    re.compile(r"(?<!\\)<[a-z/!]", re.I),  # raw HTML
    re.compile(r"(?<!\\)\*\*gras(?<!\\)\*\*"),  # emphasis
    re.compile(r"(?<!\\)`code(?<!\\)`"),  # inline code
]


def hostile_copy(built_db: Path, target: Path) -> Path:
    """A copy of the built database whose displayed text cells all end with Markdown and HTML payloads."""
    shutil.copy(built_db, target)
    con = duckdb.connect(str(target))
    try:
        columns = con.execute(
            "select c.table_name, c.column_name from information_schema.columns c "
            "join information_schema.tables t using (table_schema, table_name) "
            "where t.table_type = 'BASE TABLE' and c.data_type = 'VARCHAR'").fetchall()
        for table, column in columns:
            if column in DISPLAYED:
                con.execute(f'update "{table}" set "{column}" = "{column}" || $p where "{column}" is not null',
                            {"p": " " + PAYLOAD})
    finally:
        con.close()
    return target


@pytest.fixture(scope="module")
def hostile_db(built_db, tmp_path_factory):
    return hostile_copy(built_db, tmp_path_factory.mktemp("hostile") / "observatoire.duckdb")


def run(path: str, territory: str | None, section: str | None = None) -> AppTest:
    return run_page(path, territory or None, section, timeout=90)


def markdown_strings(node) -> list[str]:
    """Every string of the page that Streamlit renders as Markdown (bodies, labels, help, options)."""
    found: list[str] = []
    proto = getattr(node, "proto", None)
    if proto is not None and type(proto).__name__ not in NOT_MARKDOWN and not getattr(proto, "allow_html", False):
        _collect(proto, found)
    for child in (getattr(node, "children", None) or {}).values():
        found += markdown_strings(child)
    return found


def _collect(message, found: list[str]) -> None:
    for field, value in message.ListFields():
        if field.type == field.TYPE_MESSAGE:
            for item in (value if field.is_repeated else [value]):
                _collect(item, found)
        elif field.type == field.TYPE_STRING and field.name in MARKDOWN_FIELDS:
            found += list(value) if field.is_repeated else [value]


# Our own script (assets/close_sidebar.js: constant text, no data in it), the one st.html allowed to run JavaScript.
OWN_SCRIPT = f"<script>{(ROOT / 'assets' / 'close_sidebar.js').read_text(encoding='utf-8')}</script>"


def html_bodies(at: AppTest) -> list[str]:
    """What the page renders as HTML from data: st.html (our constant script apart) and Markdown allowed to hold
    HTML (the demonstration badge)."""
    bodies = [h.proto.body for h in at.get("html")]
    assert bodies.count(OWN_SCRIPT) <= 1
    return [b for b in bodies if b != OWN_SCRIPT] + [m.proto.body for m in at.markdown if m.proto.allow_html]


def plotly_specs(at: AppTest) -> list[str]:
    return [c.proto.spec for c in at.get("plotly_chart")]


def assert_no_live_html(bodies: list[str]) -> None:
    """HTML built by the pages holds data only escaped: no image, link or handler comes from the data."""
    for body in bodies:
        assert not re.search(r"(<|\\u003c)(img|a|script|iframe)\b", body, re.I), body[:300]


def assert_no_live_markup(strings: list[str]) -> None:
    for text in strings:
        for pattern in LIVE:
            assert not pattern.search(text), f"balisage actif ({pattern.pattern}) dans : {text[:300]!r}"


@pytest.mark.parametrize("territory", TERRITORIES)
@pytest.mark.parametrize(("path", "section"), VIEWS)
def test_every_page_shows_database_text_literally(hostile_db, monkeypatch, path, section, territory):
    monkeypatch.setenv("OBSERVATOIRE_DB", str(hostile_db))
    at = run(path, territory, section)
    strings = markdown_strings(at._tree)
    assert_no_live_markup(strings)
    assert_no_live_html(html_bodies(at) + plotly_specs(at))
    # the data was shown, escaped: the payload is there, as text (Utilité sociale shows names in tables only)
    if path != "pages/5_utilite_sociale.py":
        assert any(fmt.plain(PAYLOAD) in s for s in strings), f"aucun texte de la base affiché sur {path}"


def test_the_presentation_slides_escape_database_text(hostile_db, monkeypatch):
    monkeypatch.setenv("OBSERVATOIRE_DB", str(hostile_db))
    at = run("pages/8_presentation.py", "fed-midi-pyrenees")
    at.button(key="presentation_start").click().run()
    seen = 0
    for _ in range(60):
        assert_no_live_html(html_bodies(at) + plotly_specs(at))
        seen += fmt.html_text(PAYLOAD) in "\n".join(html_bodies(at))
        assert_no_live_markup(markdown_strings(at._tree))
        if at.button(key="presentation_next").disabled:
            break
        at.button(key="presentation_next").click().run()
        assert not at.exception, [e.value for e in at.exception]
    assert seen > 0


def test_kpi_caption_shows_an_imported_section_name_as_text(hostile_db, monkeypatch):
    monkeypatch.setenv("OBSERVATOIRE_DB", str(hostile_db))
    at = run("app.py", None)
    captions = [c.value for c in at.caption]
    assert any(fmt.plain(PAYLOAD) in c and "Source" in c for c in captions)
    assert all(fmt.plain(PAYLOAD) in m.proto.help for m in at.metric)


def test_chart_labels_reach_plotly_escaped():
    import pandas as pd

    df = pd.DataFrame({"name": ['<a href="https://evil.example">x</a> & co'], "value": [3]})
    for fig in (charts.bar(df, "name", "value"), charts.donut(df, "name", "value")):
        shown = fig.to_plotly_json()["data"][0]
        labels = shown.get("y", shown.get("labels"))
        assert list(labels) == ['&lt;a href="https://evil.example"&gt;x&lt;/a&gt; &amp; co']


def test_points_map_tooltips_show_names_literally():
    """Points maps are plotly figures: a name with markup shows its characters, it does not become a link."""
    df = pd.DataFrame({"name": ['<a href="https://evil.example">x</a> & co'], "lon": [1.44], "lat": [43.6]})
    fig = point_map.points_map(df, "lon", "lat", "<b>{name}</b>")
    markers = [t for t in fig.data if getattr(t, "mode", None) == "markers"][0]
    assert list(markers.customdata[0]) == ['&lt;a href="https://evil.example"&gt;x&lt;/a&gt; &amp; co']
    assert markers.hovertemplate == "<b>%{customdata[0]}</b><extra></extra>"

