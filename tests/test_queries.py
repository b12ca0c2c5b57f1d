"""Every named query runs against the built database and returns the published numbers."""

from __future__ import annotations

import re

import pytest

from observatoire import db
from observatoire.paths import QUERIES_DIR, ROOT

DEFAULTS = {
    "territory": "FR", "year": 2014, "level": "federation", "sublevel": "federation",
    "theme": "network_members", "indicator": "members_by_type", "federation": "", "axis": 0,
    "project": "airservices", "scheme": "CEDRE ISO 9001",
}


def run(con, name, **params):
    wanted = {p: params.get(p, DEFAULTS[p]) for p in db.query_params(name)}
    return db.run_query(name, wanted, con=con)


@pytest.mark.parametrize("name", db.list_queries())
def test_every_query_runs(con, name):
    df = run(con, name)
    assert df.columns.size > 0


def test_missing_or_extra_parameters_are_refused(con):
    with pytest.raises(ValueError, match="paramètres attendus"):
        db.run_query("members_by_type", {"territory": "FR"}, con=con)
    with pytest.raises(ValueError, match="paramètres attendus"):
        db.run_query("territory_list", {"x": 1}, con=con)


def test_query_names_cannot_be_paths():
    with pytest.raises(ValueError):
        db.query_text("../queries/build/00_schema")


def test_source_short_is_defined_once_in_the_database(con):
    label = con.execute("select source_short('Rapport d''activité 2014', 'Adhérents')").fetchone()[0]
    assert label == "Rapport d'activité 2014, « Adhérents »"
    written_out = [p.name for p in QUERIES_DIR.glob("*.sql") if re.search(r"short_title \|\| ', « '", p.read_text())]
    assert written_out == [], "source_short écrit à la main au lieu de la macro de queries/build/85_macros.sql"
    shorts = run(con, "published_series", theme="cedre", indicator="certified_by_scheme")
    assert shorts.source_short.str.fullmatch(r".+, « .+ »").all()


def test_sql_files_run_only_through_db():
    """Build steps, checks and import scripts all run through db.run_file / db.run_script (one way to run SQL)."""
    offenders = []
    for path in (ROOT / "observatoire").rglob("*.py"):
        if path.name == "db.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\.execute\([^)]*(read_text|query_text)", text) or re.search(r"run_script\([^)]*read_text", text):
            offenders.append(path.name)
    assert offenders == []


def test_members_by_type_reproduces_the_published_split(con):
    df = run(con, "members_by_type").set_index("structure_type")
    assert df.members.to_dict() == {
        "AI": 297, "ACI": 85, "ETTI": 46, "NL": 25, "EI": 22, "GES": 21, "AUTRE": 18, "ASP": 8, "RQ": 1,
    }
    assert df.members.sum() == 523


def test_midi_pyrenees_has_41_members_of_which_18_certified(con):
    df = run(con, "members_by_subterritory", level="federation").set_index("territory_id")
    assert df.loc["fed-midi-pyrenees", "members"] == 41
    assert df.loc["fed-midi-pyrenees", "certified"] == 18
    profile = run(con, "territory_profile", territory="fed-midi-pyrenees").iloc[0]
    assert (profile.members, profile.certified) == (41, 18)


def test_certified_members_by_scheme(con):
    df = run(con, "certified_by_scheme").set_index("scheme")
    assert df.members.to_dict() == {"CEDRE": 93, "CEDRE ISO 9001": 27}


def test_the_eight_new_iso_certified_are_in_their_named_regions(con):
    df = run(con, "new_certified_members")
    iso = df[df.scheme == "CEDRE ISO 9001"]
    assert len(iso) == 8 and not iso.is_demo.any()
    assert iso.groupby("federation").size().to_dict() == {
        "COORACE Centre-Limousin": 3, "COORACE Midi-Pyrénées": 3, "COORACE Pays de la Loire": 2,
    }
    assert set(iso.name) >= {"APPEL EMPLOI", "ECLAIR", "INTER RELAIS", "MSSV", "DEFII"}


def test_federation_resources_split(con):
    df = run(con, "published_series", theme="federation_resources", indicator="federation_resources_share")
    assert df.set_index("category").value.to_dict() == {
        "conventions_subventions": 47, "cotisations": 27, "ventes": 22, "reprises_provisions_autres": 4,
    }
    total = run(con, "published_series", theme="federation_resources", indicator="federation_resources_total")
    assert (total.value.iloc[0], total.unit.iloc[0]) == (2812, "k€")


def test_national_only_series_is_empty_for_a_territory(con):
    df = run(con, "published_series", theme="federation_resources", indicator="federation_resources_share",
             territory="fed-bretagne")
    assert df.empty


def test_funding_mix_retains_the_complementary_series(con):
    df = run(con, "funding_mix_by_type")
    public = df[df.series == "Financements publics"].set_index("category").value.to_dict()
    assert public == {"AI": 11, "ETTI": 9, "ACI": 67, "EI": 23, "PROX": 2}
    assert set(df.year) == {2013}


def test_key_figures(con):
    df = run(con, "key_figures").set_index("label")
    assert df.value.to_dict() == {
        "Adhérents": 523, "Salarié·es en parcours d'insertion": 68830, "Salarié·es permanent·es": 2825,
        "Chiffre d'affaires HT cumulé": 308, "Entreprises certifiées CEDRE": 120, "Stagiaires formé·es": 1235,
    }


def test_projects_in_a_federation(con):
    df = run(con, "innovation_projects", territory="fed-poitou-charentes")
    assert {"ipso2", "airservices", "ptce"} <= set(df.project_id)
    assert "villette-emploi" not in set(df.project_id)
    results = run(con, "project_results", project="airservices").set_index("value")
    assert {113, 524} <= set(results.index)


def test_social_utility_enterprises(con):
    df = run(con, "social_utility_enterprises").set_index("enterprise_id")
    assert len(df) == 6
    by_name = df.set_index("name")
    assert by_name.loc["TREMPLIN 95", "fte"] == 28.5
    assert by_name.loc["ISA GROUPE", "turnover_eur"] == 4549860
    assert by_name.loc["IRISSE", "creation_year"] == 2011
    in_mp = run(con, "social_utility_enterprises", territory="fed-midi-pyrenees")
    assert sorted(in_mp.name) == ["BOURIANE SOLIDARITE", "DEFI EMPLOI", "IRISSE"]


def test_territory_list_counts(con):
    df = run(con, "territory_list")
    assert df.level.value_counts().to_dict() == {
        "departement": 101, "region_2014": 27, "federation": 18, "france": 1,
    }


def test_teams_of_a_federation(con):
    df = run(con, "federation_teams", federation="fed-midi-pyrenees")
    assert "Sylvia RICCI-RAGUENEAU" in set(df.person)
    assert set(df.source_short) == {"Rapport d'activité 2014, « LES ÉQUIPES DES COORACE RÉGIONAUX »"}


def test_territory_figures_of_france_are_not_the_regional_rows_it_contains(con):
    assert db.run_query("territory_figures", {"territory": "FR", "year": 2014}, con=con).empty
    for_31 = db.run_query("territory_figures", {"territory": "dep-31", "year": 2014}, con=con)
    assert set(for_31.relation) == {"un territoire englobant"} and set(for_31.territory) == {"COORACE Midi-Pyrénées"}
