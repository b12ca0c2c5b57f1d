"""Years side by side: once a second year is imported, each key figure shows its change since the year before and
its trend line, on the page and in the PowerPoint, and a table sets both years side by side with their sources;
with one year the page says the comparison will come with the next import."""

from __future__ import annotations

import io

import pytest
from pptx import Presentation

from observatoire import blocks, db, deck, fmt, slides, years
from tests.conftest import imported
from tests.test_blocks import chart_numbers, run_page

# A 2015 figure for two key figures of the overview: members (523 in 2014) and trainees (1 235 in 2014).
FIGURES_2015 = ("theme,indicator,label,category,category_label,value,unit,year,territory,source_file,section,"
                "original_text,note\n"
                "network_members,members_total,Nombre total d'adhérents,,,540,nombre,2015,FR,"
                "004_9797810c7b6b2072.txt,Rapport 2015 — Le réseau,540 adhérents,\n"
                "training,trainees,Stagiaires formé-e-s par COORACE Formation,,,1200,nombre,2015,FR,"
                "004_9797810c7b6b2072.txt,Rapport 2015 — Formation,1 200 stagiaires,\n").encode()


@pytest.fixture
def year_2015(served, monkeypatch):
    monkeypatch.setenv("OBSERVATOIRE_DB", str(served))  # the pages read the imported base
    return imported(served, ("figures", "chiffres-2015.csv", FIGURES_2015, None))


def test_one_year_says_the_comparison_comes_with_the_next_import(built_db):
    at = run_page("app.py", "FR")
    assert years.ONE_YEAR in [m.value for m in at.markdown]
    assert not any(m.proto.delta for m in at.metric)  # no change without a second year
    assert not any(h.value.startswith("#### Évolution des chiffres clés") for h in at.markdown)


def test_a_second_year_shows_each_change_on_the_page(year_2015):
    at = run_page("app.py", "FR", year=2015)
    tiles = {m.label: m for m in at.metric}
    members, trainees = tiles["Adhérents"], tiles["Stagiaires formé·es"]
    shown = {label: m.proto.delta.replace("\\", "") for label, m in tiles.items()}  # Markdown escapes removed
    assert members.value == "540" and shown["Adhérents"] == "+17 depuis 2014"
    assert trainees.value == fmt.number(1200) and shown["Stagiaires formé·es"] == "−35 depuis 2014"
    assert list(members.proto.chart_data) == [523.0, 540.0]  # the trend line
    assert tiles["Salarié·es permanent·es"].proto.delta == ""  # published for 2013 only: no change shown
    assert chart_numbers(at, "kpis_evolution") == sorted([round(17 * 100 / 523, 1), round(-35 * 100 / 1235, 1)])
    at.toggle(key="table_kpis_evolution").set_value(True).run()
    table = next(f.value for f in at.dataframe if "Évolution" in f.value.columns).set_index("Indicateur")
    assert list(table.index) == ["Adhérents", "Stagiaires formé·es"]
    assert table.loc["Adhérents", "Année précédente"] == "523 (2014)"
    assert table.loc["Adhérents", "Dernière année"] == "540 (2015)"
    assert table.loc["Adhérents", "Évolution"] == "+17"
    sources = table.loc["Adhérents", "Sources"]
    assert "LE RÉSEAU D’ENTREPRISES" in sources and "Rapport 2015 — Le réseau" in sources  # both years' sources
    assert years.ONE_YEAR not in [m.value for m in at.markdown]


def test_a_second_year_shows_each_change_in_the_powerpoint(year_2015):
    con = db.connect(year_2015)
    try:
        chosen = slides.select(slides.build_slides(con, "FR", 2015), ["chiffres-cles", "chiffres-cles-evolution"])
        block = blocks.key_figures(con, "FR", 2015)
    finally:
        con.close()
    assert [s.id for s in chosen] == ["chiffres-cles", "chiffres-cles-evolution"]
    files = deck.export(chosen)
    prs = Presentation(io.BytesIO(files["pptx"]))
    text = "\n".join(shape.text_frame.text for slide in prs.slides for shape in slide.shapes if shape.has_text_frame)
    charts = [shape.chart for slide in prs.slides for shape in slide.shapes if shape.has_chart]
    assert "+17 depuis 2014" in text and "−35 depuis 2014" in text
    assert [round(v, 1) for v in charts[0].plots[0].series[0].values] == [3.3, -2.8]  # native, editable chart
    assert list(block.data.delta[:1]) == ["+17 depuis 2014"]
