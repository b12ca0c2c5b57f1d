"""Every published figure (each row of the `figures` view) is shown on a page other than Sources: a board member
finds it where its subject is, with its label and its value in French format."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from observatoire import db, fmt
from tests.test_pages import VIEWS, run_page, show_tables

VIEWS_BUT_SOURCES = [(path, section) for path, section in VIEWS if path != "pages/7_sources.py"]  # every section
TERRITORIES = [None, "fed-midi-pyrenees"]


def norm(text: str) -> str:
    """Lower case, every kind of space as one space, typographic apostrophes and hyphens folded."""
    text = re.sub(r"[\s\u00a0\u202f\u2009\u2060]+", " ", str(text)).lower()
    return text.replace("’", "'").replace("-e-s", "·es").replace("-", " ")


def page_lines(path: str, territoire: str | None, section: str | None) -> list[str]:
    """What a page's section shows as lines: each table row, each tile, each text element."""
    at = run_page(path, territoire, section)
    if any(str(t.key).startswith("table_") for t in at.toggle):
        at = show_tables(at)
    lines = []
    for frame in at.dataframe:
        df = frame.value
        lines += [" | ".join(str(v) for v in row) for row in df.astype(str).itertuples(index=False)]
    lines += [f"{m.label} | {m.value}" for m in at.metric]
    for element in (*at.markdown, *at.caption, *at.text):
        lines += str(element.value).splitlines()
    return [norm(line) for line in lines]


@pytest.fixture(scope="module")
def shown(built_db) -> list[str]:
    return [line for path, section in VIEWS_BUT_SOURCES for territoire in TERRITORIES
            for line in page_lines(path, territoire, section)]


def names_and_values(con, row) -> tuple[list[str], list[str]]:
    """The words that name a figure on a page and the French forms its value may take."""
    names = []
    if row.theme == "social_utility_enterprises":
        names.append(con.execute("select name from social_utility_enterprises where enterprise_id = ?",
                                 [row.category]).fetchone()[0])
    elif row.theme == "training_offers":
        names.append(con.execute("select title from training_offers where offer_id = ?", [row.category]).fetchone()[0])
    else:
        label, category = con.execute(
            "select label, category_label from figures_published where theme = ? and indicator = ? and category = ? "
            "and year = ? and territory = ?", [row.theme, row.indicator, row.category, row.year,
                                                      row.territory]).fetchone()
        names += [label] + ([category] if category else [])
    values = {fmt.with_unit(row.value, row.unit), fmt.number(row.value)}
    if not pd.isna(row.value) and row.value != int(row.value):
        values.add(fmt.number(row.value, 1))
    return [norm(n) for n in names], [norm(v) for v in values]


def test_every_published_figure_is_on_a_page_other_than_sources(built_db, shown):
    con = db.connect(built_db)
    figures = con.sql("select theme, indicator, category, value, unit, year, territory from figures").df()
    missing = []
    for row in figures.itertuples():
        names, values = names_and_values(con, row)
        found = any(any(n in line for n in names) and any(v in line for v in values) for line in shown)
        if not found:
            missing.append(f"{row.theme}/{row.indicator}/{row.category} ({row.territory}, {row.year}) = "
                           f"{values} — {names[0]}")
    assert not missing, f"{len(missing)} chiffre(s) publié(s) introuvable(s) hors de Sources :\n" + "\n".join(missing)


def test_the_network_page_shows_the_workforce_and_the_national_bodies(built_db):
    at = run_page("pages/10_reseau.py")
    con = db.connect(built_db)
    total, home = (con.execute("select value from figures where indicator = ?", [i]).fetchone()[0]
                   for i in ("employees_total", "home_care_workers"))
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Salarié·es au total"] == fmt.with_unit(total, "nombre")
    assert tiles["Intervenant·es à domicile"] == fmt.with_unit(home, "nombre")
    bodies = next(f.value for f in at.dataframe if "Instance" in f.value.columns)
    assert len(bodies) == con.execute("select count(*) from governance_members").fetchone()[0]
    assert (bodies.Instance == "Bureau").sum() == con.execute(
        "select value from figures where indicator = 'governance_body_members' and category = 'bureau'").fetchone()[0]


def test_the_network_page_elsewhere_says_its_figures_are_national(built_db):
    at = run_page("pages/10_reseau.py", "dep-31")
    assert any("France entière uniquement" in i.value for i in at.info)
    name = db.run_query("territory_list", {}, con=db.connect(built_db)).set_index("territory_id").name["dep-31"]
    assert any(f"il n'existe pas pour « {name} »" in c.value for c in at.caption)
