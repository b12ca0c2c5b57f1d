"""Years side by side for the published series: once an earlier or a later year is imported, the resources, the
turnover, the sectors and the funding mix show both years as bars side by side, each value with its change and
both years' sources, on the page (AppTest) and in the PowerPoint (native charts); with one year each block says
that the comparison will come with the next import."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from pptx import Presentation
from pypdf import PdfReader

from observatoire import db, deck, fmt, slides, years
from tests.conftest import imported
from tests.test_blocks import chart_numbers, chart_series, run_page
from tests.test_deck import flat
from tests.test_versions import MEMBERS

HEADER = ("theme,indicator,label,category,category_label,value,unit,year,territory,source_file,section,"
          "original_text,note\n")
DOC = "004_9797810c7b6b2072.txt"
RESOURCES_2015 = {("conventions_subventions", "Conventions et subventions"): 45, ("cotisations", "Cotisations"): 28,
                  ("ventes", "Ventes (formations et prestations)"): 23,
                  ("reprises_provisions_autres", "Reprise de provisions, autres produits"): 4}
CERTIFIED_2015 = {("CEDRE", "CEDRE"): 95, ("CEDRE_ISO_9001", "CEDRE ISO 9001"): 31}  # 93 and 27 in 2014
TURNOVER_2014 = {("SIAE", "SIAE"): 295, ("RESEAU", "Réseau"): 22}
PUBLIC_2014 = {"AI": 12, "ETTI": 9, "ACI": 65, "EI": 25}  # PROX not published in 2014: no 2014 bar, « — »


def _rows() -> bytes:
    """A figures file as an administrator would import it: a 2015 report's resources, certified enterprises and
    member total, a 2014 observatory's turnover and funding mix."""
    rows = [(f"federation_resources,federation_resources_share,Répartition des ressources,{c}", name, v, "%", 2015,
             "Rapport 2015 — Ressources") for (c, name), v in RESOURCES_2015.items()]
    rows += [("network_members,members_total,Nombre total d'adhérents,", "", 540, "nombre", 2015,
              "Rapport 2015 — Le réseau"),  # a published member total makes 2015 a year to pick
             ("federation_resources,federation_resources_total,Ressources du COORACE national,", "", 2900, "k€", 2015,
              "Rapport 2015 — Ressources")]
    rows += [(f"cedre,certified_by_scheme,Entreprises certifiées par référentiel,{c}", name, v, "nombre", 2015,
              "Rapport 2015 — Qualité") for (c, name), v in CERTIFIED_2015.items()]
    rows.append(("cedre,certified_total,Entreprises certifiées,", "", sum(CERTIFIED_2015.values()), "nombre", 2015,
                 "Rapport 2015 — Qualité"))  # the published total the split must add up to
    rows += [(f"network_economy,turnover_by_scope,Chiffre d'affaires,{c}", name, v, "M€", 2014,
              "Observatoire 2014 — Chiffre d'affaires") for (c, name), v in TURNOVER_2014.items()]
    rows.append(("network_economy,turnover_total,Chiffre d'affaires HT cumulé,", "", 317, "M€", 2014,
                 "Observatoire 2014 — Chiffre d'affaires"))
    for code, public in PUBLIC_2014.items():
        rows.append((f"funding_mix,public_funding_share,Part des financements publics,{code}", "", public, "%", 2014,
                     "Observatoire 2014 — Financement"))
        rows.append((f"funding_mix,own_revenue_share,Part hors financements publics,{code}", "", 100 - public, "%",
                     2014, "Observatoire 2014 — Financement"))
    out = io.StringIO()
    out.write(HEADER)
    writer = csv.writer(out, lineterminator="\n")
    for head, name, value, unit, year, section in rows:
        writer.writerow([*head.split(","), name, value, unit, year, "FR", DOC, section, f"{value} {unit}", ""])
    return out.getvalue().encode()


@pytest.fixture
def other_years(served, monkeypatch):
    monkeypatch.setenv("OBSERVATOIRE_DB", str(served))  # the pages read the imported base
    return imported(served, ("figures", "series-2014-2015.csv", _rows(), None))


def _published(con, theme: str, indicator: str, year: int) -> dict[str, float]:
    rows = con.execute("select category, value from figures_published where theme = ? and indicator = ? "
                       "and territory = 'FR' and year = ?", [theme, indicator, year]).fetchall()
    return {c: float(v) for c, v in rows}


def _caption(at, snippet: str) -> str:
    """The caption (source, scope, years) under the block whose source holds this snippet."""
    found = [c.value for c in at.caption if c.value.startswith("Source :") and snippet in c.value]
    assert len(found) == 1, (snippet, found)
    return found[0]


def test_one_year_each_series_says_the_comparison_comes_with_the_next_import(built_db):
    first = run_page("pages/2_financements.py", "FR")  # « Ressources et chiffre d'affaires »
    second = run_page("pages/2_financements.py", "FR", section="Financements et secteurs")
    for at, snippet, year in ((first, "Ressources financières", 2014), (first, "Chiffre d’affaires HT cumulé", 2013),
                              (second, "Financement des entreprises", 2013), (second, "Répartition par secteur", 2013)):
        assert f"Publié pour {year} seulement : l'évolution s'affichera dès qu'une autre année sera importée" \
            in _caption(at, snippet), snippet


def test_the_page_sets_both_years_side_by_side(other_years):
    con = db.connect(other_years)
    try:
        resources = {2014: _published(con, "federation_resources", "federation_resources_share", 2014),
                     2015: _published(con, "federation_resources", "federation_resources_share", 2015)}
        public_2013 = _published(con, "funding_mix", "public_funding_share", 2013)
    finally:
        con.close()
    at = run_page("pages/2_financements.py", "FR", year=2015)
    tiles = {m.label: m for m in at.metric}  # the totals' tiles: value, change and trend line
    resources_tile = tiles["Ressources du COORACE national"]
    turnover_tile = tiles["Chiffre d'affaires HT cumulé du réseau"]
    assert resources_tile.proto.delta.replace("\\", "") == "+88\u00a0k€ depuis 2014"
    assert list(resources_tile.proto.chart_data) == [2812.0, 2900.0]
    assert turnover_tile.proto.delta.replace("\\", "") == "+9\u00a0M€ depuis 2013"
    titles = [m.value for m in at.markdown]
    assert any("Ressources du COORACE national, 2015 : 2,9\u00a0M€ (+88\u00a0k€ depuis 2014)" in t for t in titles)
    turnover = "Chiffre d'affaires HT cumulé du réseau, 2014 : 317\u00a0M€ (+9\u00a0M€ depuis 2013)"
    assert any(turnover in t for t in titles)
    # bars side by side: every 2014 and 2015 share of the resources, both years of the turnover
    assert chart_numbers(at, "resources") == sorted([*resources[2014].values(), *resources[2015].values()])
    assert chart_numbers(at, "turnover") == sorted([287, 21, *TURNOVER_2014.values()])
    caption = _caption(at, "Rapport 2015 — Ressources")
    assert "Rapport 2015 — Ressources" in caption and "LA FÉDÉRATION" in caption  # both years' sources
    assert "seulement" not in caption
    at.toggle(key="table_resources").set_value(True).run()
    table = next(f.value for f in at.dataframe if "Évolution 2014–2015" in f.value.columns).set_index("Catégorie")
    assert table.loc["Cotisations", "2014"] == fmt.with_unit(27, "%")
    assert table.loc["Cotisations", "2015"] == fmt.with_unit(28, "%")
    assert table.loc["Cotisations", "Évolution 2014–2015"] == "+1 point"
    assert table.loc["Conventions et subventions", "Évolution 2014–2015"] == "−2 points"
    at = run_page("pages/2_financements.py", "FR", year=2015, section="Financements et secteurs")
    assert chart_numbers(at, "funding_mix") == sorted([*PUBLIC_2014.values(), *public_2013.values()])
    at.toggle(key="table_funding_mix").set_value(True).run()
    mix = next(f.value for f in at.dataframe if "Évolution 2013–2014" in f.value.columns)
    prox = mix[mix.Type.str.startswith("prox")]
    assert list(prox["2013"]) == [fmt.with_unit(2, "%"), fmt.with_unit(98, "%")] and set(prox["2014"]) == {"—"}
    # a series still published for one year only says so
    assert "Publié pour 2013 seulement" in _caption(at, "Répartition par secteur")


def test_the_powerpoint_sets_both_years_side_by_side(other_years):
    con = db.connect(other_years)
    try:
        chosen = slides.select(slides.build_slides(con, "FR", 2015), ["ressources", "chiffre-affaires"])
    finally:
        con.close()
    files = deck.export(chosen)
    prs = Presentation(io.BytesIO(files["pptx"]))
    charts = [shape.chart for slide in prs.slides for shape in slide.shapes if shape.has_chart]
    resources, turnover = charts
    assert [s.name for s in resources.plots[0].series] == ["2014", "2015"]  # native, editable, one series a year
    assert list(resources.plots[0].series[0].values) == [47.0, 27.0, 22.0, 4.0]
    assert list(resources.plots[0].series[1].values) == [float(v) for v in RESOURCES_2015.values()]
    assert [list(s.values) for s in turnover.plots[0].series] == [[287.0, 21.0], [295.0, 22.0]]
    assert resources.has_legend
    text = "\n".join(shape.text_frame.text for slide in prs.slides for shape in slide.shapes if shape.has_text_frame)
    assert "(+88\u00a0k€ depuis 2014)" in text and "(+9\u00a0M€ depuis 2013)" in text
    # the PDF: the same titles and every bar's value as text (vector charts)
    pdf = [flat(page.extract_text()) for page in PdfReader(io.BytesIO(files["pdf"])).pages]
    assert "(+88 k€ depuis 2014)" in pdf[0] and "(+9 M€ depuis 2013)" in pdf[1]
    for value in [47, 27, 22, 45, 28, 23]:
        assert f"{value} %" in pdf[0], value
    for value in [287, 21, 295, 22]:
        assert f"{value} M€" in pdf[1], value
    assert "2014" in pdf[0] and "2015" in pdf[0]  # the legend


# --------------------------------------------------------------------------- a register imported for a second year


MEMBERS_2016 = MEMBERS + b"n-2;Jardins de Garonne;ACI;31555;2016;4;120000\n"  # one more member in Haute-Garonne


@pytest.fixture
def registers(served, monkeypatch):
    """Two real registers imported, 2015 and 2016, after the 2014 demonstration one."""
    monkeypatch.setenv("OBSERVATOIRE_DB", str(served))
    return imported(served, ("members", "registre-2015.csv", MEMBERS, 2015),
                    ("members", "registre-2016.csv", MEMBERS_2016, 2016))


def _register(con, territory: str, year: int) -> dict[str, int]:
    rows = con.execute("select m.structure_type, count(*) from members as m join territory_departements as t "
                       "using (dep_id) where t.territory_id = ? and m.year = ? group by all",
                       [territory, year]).fetchall()
    return dict(rows)


def _tiles(at) -> dict:
    tiles = {}
    for m in at.metric:  # the territory's tiles come first, then the national ones
        tiles.setdefault(m.label, m)
    return tiles


def test_a_second_register_shows_each_territory_its_change(registers):
    con = db.connect(registers)
    try:
        before, now = _register(con, "dep-31", 2015), _register(con, "dep-31", 2016)
        chosen = slides.select(slides.build_slides(con, "dep-31", 2016), ["types-structures"])
    finally:
        con.close()
    assert before == {"AI": 1} and now == {"AI": 1, "ACI": 1}  # the imported registers in Haute-Garonne
    members = _tiles(run_page("app.py", "dep-31", year=2016))["Adhérents"]
    assert members.value == "2" and members.proto.delta.replace("\\", "") == "+1 depuis 2015"
    assert list(members.proto.chart_data) == [1.0, 2.0]  # the trend line: the real registers only, not 2014's
    at = run_page("pages/1_adherents.py", "dep-31", year=2016)
    bars = chart_series(at, "members_by_type")
    assert sorted(bars) == ["2015", "2016"]
    assert sorted(bars["2015"]) == [0.0, 1.0] and sorted(bars["2016"]) == [1.0, 1.0]  # ACI: none in 2015
    # both registers' sources under the chart
    assert any("Fichier registre-2016.csv importé" in c.value and "Fichier registre-2015.csv importé" in c.value
               for c in at.caption)
    # the PowerPoint: one native series per year, the same numbers
    prs = Presentation(io.BytesIO(deck.export(chosen)["pptx"]))
    chart = next(shape.chart for slide in prs.slides for shape in slide.shapes if shape.has_chart)
    series = {s.name: list(s.values) for s in chart.plots[0].series}
    assert sorted(series["2015"]) == sorted(bars["2015"]) and sorted(series["2016"]) == sorted(bars["2016"])


def test_no_change_is_computed_from_demonstration_rows(registers):
    """2015 after the 2014 demonstration register: a territory's change would compare real rows with an
    illustrative distribution; the tiles, the types chart and « D'une année à l'autre » show none and say why."""
    assert not _tiles(run_page("app.py", "dep-31", year=2015))["Adhérents"].proto.delta
    at = run_page("pages/1_adherents.py", "dep-31", year=2015)
    assert len(chart_series(at, "members_by_type")) == 1  # one year's bars
    note = "Pas d'évolution calculée : le registre de 2014 et celui-ci ne sont pas de même nature"
    assert any(c.value.startswith("Source :") and note in c.value for c in at.caption)
    at = run_page("pages/6_mon_territoire.py", "dep-31", year=2015, section="Comparaison")  # « D'une année à l'autre »
    table = next(df.value for df in at.dataframe if "Indicateur" in df.value.columns and "2015" in df.value.columns)
    assert "2014" not in table.columns and not any(c.startswith("Évolution") for c in table.columns)
    assert any(m.value.startswith(note) for m in at.markdown)


@pytest.mark.parametrize("territory,what", [("dep-31", "Registre"), ("FR", "Publié")])  # FR: the report's split
def test_one_register_year_says_the_comparison_comes_with_the_next_import(built_db, territory, what):
    at = run_page("pages/1_adherents.py", territory)
    note = f"{what} pour 2014 seulement : l'évolution s'affichera dès qu'une autre année sera importée"
    assert any(c.value.startswith("Source :") and note in c.value for c in at.caption)
    assert not any(m.proto.delta for m in at.metric)


def test_the_certified_enterprises_by_label_in_both_years(other_years):
    at = run_page("pages/3_qualite_cedre.py", "FR", year=2015)
    assert any("Qualité CEDRE : 126 entreprises certifiées, 2015 (+6 depuis 2014)" in m.value for m in at.markdown)
    drawn = chart_series(at, "cedre")  # horizontal bars are sent bottom to top
    assert {year: sorted(v) for year, v in drawn.items()} == {"2014": [27.0, 93.0], "2015": [31.0, 95.0]}
    assert any("Rapport 2015 — Qualité" in c.value and "Les nouveaux certifiés CEDRE 2014" in c.value
               for c in at.caption)  # both years' sources
    con = db.connect(other_years)
    try:
        chosen = slides.select(slides.build_slides(con, "FR", 2015), ["cedre"])
    finally:
        con.close()
    prs = Presentation(io.BytesIO(deck.export(chosen)["pptx"]))
    chart = next(shape.chart for slide in prs.slides for shape in slide.shapes if shape.has_chart)
    assert {s.name: list(s.values) for s in chart.plots[0].series} == {"2014": [93.0, 27.0], "2015": [95.0, 31.0]}


def test_a_figures_file_of_a_year_not_yet_offered_says_when_it_will_be():
    rows = pd.DataFrame({"indicator": ["federation_resources_total", "members_total", "turnover_total"],
                         "year": [2016, 2017, 2013]})
    message = years.hidden_years(rows, [2014, 2015])
    assert message.startswith("Chiffres de 2016 : l'année n'est pas encore proposée dans « Année des données ».")
    assert "2017" not in message and "2013" not in message  # 2017 brings its member total; 2013 is older
    assert years.hidden_years(rows[rows.year != 2016], [2014, 2015]) == ""
