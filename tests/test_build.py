"""The build: a real DuckDB file from data/sources, and named errors for bad rows."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from observatoire import build, fmt, units


def edit_cell(path, match: dict, column: str, value: str) -> int:
    """Set `column` of the first row matching `match` in a CSV; return its line number."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    mask = pd.Series(True, index=df.index)
    for key, wanted in match.items():
        mask &= df[key] == wanted
    index = int(mask.idxmax())
    assert mask.any(), f"no row matching {match} in {path}"
    df.loc[index, column] = value
    df.to_csv(path, index=False)
    return index + 2


def figure_file(sources, indicator: str) -> tuple[str, dict]:
    for path in sorted((sources / "figures").glob("*.csv")):
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        if (df.indicator == indicator).any():
            row = df[df.indicator == indicator].iloc[0]
            return path, {"indicator": indicator, "category": row.category, "territory": row.territory}
    raise AssertionError(f"indicator {indicator} not found")


def build_error(sources, tmp_path) -> str:
    with pytest.raises(build.BuildError) as info:
        build.build(tmp_path / "out.duckdb", sources_dir=sources)
    assert not (tmp_path / "out.duckdb").exists()
    return str(info.value)


def test_figures_view_keeps_its_name_and_columns(con):
    cols = [r[0] for r in con.execute("describe figures").fetchall()]
    assert cols == ["theme", "indicator", "category", "value", "unit", "year", "territory", "source"]
    types = dict(con.execute("select column_name, column_type from (describe figures)").fetchall())
    assert types["value"] == "DOUBLE"


def test_every_published_figure_reaches_the_view(con):
    published = con.execute("select count(*) from figures_published").fetchone()[0]
    in_view = con.execute("select count(*) from figures where theme not in "
                          "('social_utility_enterprises', 'training_offers')").fetchone()[0]
    assert published == in_view > 100


def test_the_units_are_one_list_written_into_the_database(con):
    assert tuple(u for (u,) in con.execute("select unit from units order by position").fetchall()) == units.NAMES
    assert {u for (u,) in con.execute("select distinct unit from figures_published").fetchall()} <= set(units.NAMES)
    shown = [fmt.with_unit(2812, u) for u in ("k€", "ETP", "nombre")]
    assert shown == ["2,8\u00a0M€", "2\u202f812\u00a0ETP", "2\u202f812"]


def test_unknown_unit_names_file_line_and_the_allowed_units(sources_copy, tmp_path):
    path, match = figure_file(sources_copy, "members_total")
    line = edit_cell(path, match, "unit", "adhérents")
    message = build_error(sources_copy, tmp_path)
    assert f"{path.name}, ligne {line}" in message
    assert "unité « adhérents » : attendu nombre, %, €, k€, M€, ETP, heures, jours ou année" in message


def test_percentage_out_of_range_names_file_line_and_rule(sources_copy, tmp_path):
    path, match = figure_file(sources_copy, "public_funding_share")
    line = edit_cell(path, match, "value", "120")
    message = build_error(sources_copy, tmp_path)
    assert f"figures/{path.name}, ligne {line}" in message
    assert "pourcentage entre 0 et 100" in message


def test_non_numeric_value_is_named(sources_copy, tmp_path):
    path, match = figure_file(sources_copy, "members_total")
    line = edit_cell(path, match, "value", "5 23")
    message = build_error(sources_copy, tmp_path)
    assert f"{path.name}, ligne {line}" in message
    assert "valeur numérique" in message and "« 5 23 »" in message


def test_parts_that_no_longer_add_up_to_the_published_total(sources_copy, tmp_path):
    path, match = figure_file(sources_copy, "members_by_type")
    match["category"] = "AI"
    line = edit_cell(path, match, "value", "298")
    message = build_error(sources_copy, tmp_path)
    assert "parts = total publié" in message
    assert str(line) in message and "524" in message and "523" in message


def test_unknown_territory_is_named(sources_copy, tmp_path):
    path, match = figure_file(sources_copy, "members_total")
    line = edit_cell(path, match, "territory", "fed-atlantide")
    message = build_error(sources_copy, tmp_path)
    assert f"{path.name}, ligne {line}" in message and "fed-atlantide" in message


def test_wrong_header_is_named(sources_copy, tmp_path):
    path = sources_copy / "entities" / "training_offers.csv"
    text = path.read_text(encoding="utf-8").replace("price_member_eur", "prix", 1)
    path.write_text(text, encoding="utf-8")
    message = build_error(sources_copy, tmp_path)
    assert "training_offers.csv, ligne 1" in message and "manquantes : price_member_eur" in message


def test_wrong_encoding_is_named(sources_copy, tmp_path):
    path = sources_copy / "entities" / "regional_federations.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
    message = build_error(sources_copy, tmp_path)
    assert "regional_federations.csv" in message and "encodage UTF-8" in message


def test_member_price_above_non_member_price_is_refused(sources_copy, tmp_path):
    path = sources_copy / "entities" / "training_offers.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df.loc[0, "price_member_eur"] = "99999"
    df.to_csv(path, index=False)
    message = build_error(sources_copy, tmp_path)
    assert "training_offers.csv, ligne 2" in message and "tarif adhérent" in message


def test_failed_build_leaves_the_existing_database_untouched(sources_copy, tmp_path):
    target = tmp_path / "served.duckdb"
    build.build(target, sources_dir=sources_copy)
    before = hashlib.sha256(target.read_bytes()).hexdigest()
    path, match = figure_file(sources_copy, "members_total")
    edit_cell(path, match, "value", "abc")
    with pytest.raises(build.BuildError):
        build.build(target, sources_dir=sources_copy)
    assert hashlib.sha256(target.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".duckdb") == ["served.duckdb"]
