"""Validate an uploaded file against the rules of its kind and preview what it would change.

Nothing is written here: observatoire.versions applies a valid upload.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from observatoire import build, db, geocode, kinds, units
from observatoire.kinds import IMPORT_SQL, KINDS, Kind
from observatoire.paths import BUILD_SQL_DIR, db_path
from observatoire.upload import Issue, read_upload


@dataclass
class Validation:
    """What an upload became: the typed rows ready to import, or the list of problems."""

    kind: Kind
    filename: str
    sha256: str
    year: int | None
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)
    issues: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues


def _reference(con: duckdb.DuckDBPyConnection) -> dict:
    return {name: kinds.ref(con, name) for name in ("types", "federations", "schemes", "axes", "deps")}


def _columns(frame: pd.DataFrame, kind: Kind, found: dict[str, str]) -> tuple[pd.DataFrame | None, list[Issue]]:
    """The file's columns named by the kind's codes (French labels accepted); optional ones may be left out.

    `found` receives, for each column, the header the file gives it.
    """
    issues = []
    for header in frame.columns:
        column = kind.column_for(header)
        if column is None:
            issues.append(Issue(1, header, f"colonne inconnue (colonnes attendues : {', '.join(kind.columns)})"))
        elif column in found:
            issues.append(Issue(1, header, f"colonne en double (« {found[column]} » et « {header} » désignent "
                                           f"{column})" if found[column] != header else "colonne en double"))
        else:
            found[column] = header
    issues += [Issue(1, c, "colonne obligatoire absente") for c in kind.required if c not in found]
    if issues:
        return None, issues
    picked = {c: frame[found[c]] if c in found else pd.Series("", index=frame.index, dtype=str) for c in kind.columns}
    return pd.DataFrame(picked, index=frame.index), []


# Refused anywhere: C0 controls but tab and line breaks (Excel's Alt+Entrée), DEL, C1 controls, and the
# bidirectional overrides that make a text display otherwise than it reads.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# A spreadsheet opening an export would run these as formulas (=, +, -, @); a number with a sign is fine
# where a number is expected.
FORMULA_LIKE = r"^[=+\-@]"
NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
NOT_FINITE = r"[+-]?(?:inf|infinity|nan|infini)"


def _check_cells(frame: pd.DataFrame, kind: Kind, issues: list[Issue]) -> None:
    """Control characters anywhere, formula-like text outside numbers."""
    for col in frame.columns:
        text = frame[col]
        for row, value in text[text.str.contains(CONTROL, regex=True)].items():
            char = CONTROL.search(value).group()
            name = "NUL" if char == "\x00" else f"U+{ord(char):04X}"
            issues.append(Issue(row, col, f"caractère de contrôle interdit ({name}, position "
                                          f"{value.index(char) + 1}) : retirez-le du fichier"))
        formula = text.str.contains(FORMULA_LIKE, regex=True)
        if col in kind.numbers:
            formula &= ~_number_text(text).str.fullmatch(NUMBER)
        for row, value in text[formula].items():
            issues.append(Issue(row, col, f"« {value[:40]} » commence par « {value[0]} » : un tableur le lirait "
                                          "comme une formule ; retirez ce signe"))


def _number_text(text: pd.Series) -> pd.Series:
    """French number text made plain: no space, NBSP or narrow NBSP thousands, decimal point."""
    return text.str.replace(r"[\s\u00a0\u202f\u2009]", "", regex=True).str.replace(",", ".", regex=False)


def _typed(frame: pd.DataFrame, kind: Kind, issues: list[Issue]) -> pd.DataFrame:
    """Required values present; each numeric column parsed and held to its kinds.Number rule."""
    out = frame.copy()
    for col in kind.required:
        for row in frame.index[frame[col] == ""]:
            issues.append(Issue(row, col, "valeur obligatoire manquante"))
    for col, rule in kind.numbers.items():
        out[col] = _numbers(frame[col], col, rule, issues)
    return out


def _numbers(raw: pd.Series, col: str, rule, issues: list[Issue]) -> pd.Series:
    text = _number_text(raw)
    well_formed = text.str.fullmatch(NUMBER)
    values = pd.to_numeric(text.where(well_formed), errors="coerce").astype("float64")
    formula = raw.str.contains(FORMULA_LIKE, regex=True) & ~well_formed  # reported by _check_cells
    for row in raw.index[(raw != "") & ~well_formed & ~formula]:
        value = raw.at[row]
        if re.fullmatch(NOT_FINITE, text.at[row], re.IGNORECASE):
            issues.append(Issue(row, col, f"« {value} » : valeur infinie ou indéfinie refusée, nombre attendu"))
        else:
            issues.append(Issue(row, col, f"« {value[:40]} » n'est pas un nombre"))
    infinite = values.isin([np.inf, -np.inf])
    for row in raw.index[infinite]:
        issues.append(Issue(row, col, f"« {raw.at[row][:40]} » : nombre trop grand"))
    values = values.where(~infinite)
    if rule.integer:
        fraction = values.notna() & (values != values.round())
        for row in raw.index[fraction]:
            issues.append(Issue(row, col, f"« {raw.at[row]} » n'est pas un entier"))
        values = values.where(~fraction)
    outside = values.notna() & ~values.apply(rule.accepts)
    for row in raw.index[outside]:
        issues.append(Issue(row, col, _bound_message(values.at[row], rule)))
    return values.where(~outside)


def _bound_message(value: float, rule) -> str:
    shown = f"{value:g}".replace(".", ",")
    if rule.low == 0 and value < 0:
        return f"valeur négative ({shown})"
    low = "" if rule.low is None else f"{rule.low:g}"
    high = "" if rule.high is None else f"{rule.high:g}"
    return f"valeur {shown} hors des bornes acceptées ({low or '…'} à {high or '…'})"


def _check_duplicates(frame: pd.DataFrame, kind: Kind, issues: list[Issue]) -> None:
    dup = frame.duplicated(kind.key, keep=False)
    for row in frame.index[dup]:
        key = ", ".join(str(frame.at[row, k]) for k in kind.key)
        issues.append(Issue(row, kind.key[0], f"identifiant en double ({key})"))


def _locate(frame: pd.DataFrame, ref: dict, issues: list[Issue]) -> pd.DataFrame:
    """Commune name, département, federation and point of each row's commune_insee (one merge, no loop)."""
    code = frame.commune_insee
    key = code.where(~code.str.fullmatch(r"\d+"), code.str.zfill(5)).str.upper()
    communes = geocode.communes_table()[["code", "name", "dep_code", "lon", "lat"]]
    deps = ref["deps"].rename(columns={"code": "dep_code"})
    found = (pd.DataFrame({"code": key.to_numpy()}).merge(communes, on="code", how="left")
             .merge(deps, on="dep_code", how="left"))
    found.index = frame.index
    for row in frame.index[(key != "") & found.name.isna()]:
        issues.append(Issue(row, "commune_insee", f"code commune INSEE inconnu : « {code.at[row]} »"))
    known = (key != "") & found.name.notna()
    for row in frame.index[known & found.lon.isna()]:
        issues.append(Issue(row, "commune_insee", f"commune {key.at[row]} ({found.at[row, 'name']}) sans localisation"))
    for row in frame.index[known & found.lon.notna() & found.dep_id.isna()]:
        issues.append(Issue(row, "commune_insee", f"commune {key.at[row]} ({found.at[row, 'name']}) : département "
                                                  f"{found.at[row, 'dep_code']} hors du territoire de l'observatoire"))
    located = frame.copy()
    located["commune_insee"] = key.where(known, code)
    located["commune_name"] = found.name.astype(object).where(known, None)
    located["dep_id"] = found.dep_id.astype(object).where(found.dep_id.notna(), None)
    located["federation_id"] = found.federation_id.astype(object).where(found.federation_id.notna(), None)
    located["lon"] = found.lon.astype("float64")
    located["lat"] = found.lat.astype("float64")
    return located


def _unknown(frame: pd.DataFrame, col: str, allowed, message, issues: list[Issue]) -> None:
    """One issue per non-empty value of `col` outside `allowed`; message(value) says what was expected."""
    bad = (frame[col] != "") & ~frame[col].isin(list(allowed))
    for row in frame.index[bad]:
        issues.append(Issue(row, col, message(frame.at[row, col])))


def _validate_members(frame, kind, ref, year, issues) -> pd.DataFrame:
    rows = _typed(frame, kind, issues)
    _check_duplicates(frame, kind, issues)
    types = sorted(ref["types"].code)
    _unknown(frame, "structure_type", types, lambda v: f"type « {v} » inconnu (attendu : {', '.join(types)})", issues)
    for row in rows.index[rows.creation_year > year]:
        issues.append(Issue(row, "creation_year", f"année de création {int(rows.at[row, 'creation_year'])} "
                                                  f"postérieure à l'année du registre ({year})"))
    rows["creation_year"] = rows.creation_year.astype("Int64")
    return _locate(rows, ref, issues)


def _validate_certifications(frame, kind, ref, year, issues, con) -> pd.DataFrame:
    rows = _typed(frame, kind, issues)
    _check_duplicates(frame, kind, issues)
    schemes = sorted(ref["schemes"].scheme)
    _unknown(frame, "scheme", schemes, lambda v: f"label « {v} » inconnu (attendu : {', '.join(schemes)})", issues)
    _unknown(frame, "event", kinds.EVENTS, lambda v: f"« {v} » : attendu {' ou '.join(kinds.EVENTS)}", issues)
    known = kinds.ref(con, "member_ids").member_id
    _unknown(frame, "member_id", known, lambda v: f"adhérent « {v} » absent du registre", issues)
    rows["year"] = rows.year.astype("Int64")
    rows["level"] = rows.level.replace("", None)
    return rows


def _validate_projects(frame, kind, ref, year, issues) -> pd.DataFrame:
    rows = _typed(frame, kind, issues)
    _check_duplicates(frame, kind, issues)
    axes = set(ref["axes"].axis_id)
    for row in rows.index[rows.axis_id.notna() & ~rows.axis_id.isin(axes)]:
        expected = ", ".join(str(a) for a in sorted(axes))
        issues.append(Issue(row, "axis_id", f"axe {rows.at[row, 'axis_id']:g} inconnu (attendu : {expected})"))
    rows["axis_id"] = rows.axis_id.astype("Int64")
    rows["carrier"] = rows.carrier.replace("", None)
    return _locate(rows, ref, issues)


def _validate_figures(frame, kind, con, issues) -> pd.DataFrame:
    """The build's own checks (types, units, territories, shares, parts) on the uploaded figures."""
    rows = _typed(frame, kind, issues)
    staged = frame.copy()
    for col in kind.numbers:  # French numbers made plain for the build's SQL checks
        plain = rows[col].map(lambda v: "" if pd.isna(v) else f"{v:.17g}")
        staged[col] = plain.where(rows[col].notna(), frame[col])
    staged["src_file"] = "fichier"
    staged["src_line"] = [str(row) for row in frame.index]
    check = duckdb.connect()
    try:
        check.register("stg_figures", staged.reset_index(drop=True))
        check.register("stg_units", units.frame())
        check.register("stg_rules", _rules_for(con, staged))
        check.register("stg_regional_federations", kinds.ref(con, "federations"))
        check.register("stg_regions_2014", kinds.ref(con, "regions_2014"))
        check.register("stg_departements", kinds.ref(con, "dep_ids"))
        documents = pd.DataFrame({"source_file": sorted(set(staged.source_file) | set(
            kinds.ref(con, "documents").source_file))})
        check.register("stg_documents", documents)
        for prefix in ("source_figures", "source_rules"):
            found = db.run_file(check, BUILD_SQL_DIR / "checks" / f"{prefix}.sql").fetchall()
            for _source, line, rule, detail in found:
                first = str(line).split(",")[0]
                row = int(first) if first.isdigit() and first != "0" else None
                issues.append(Issue(row, None, f"règle « {rule} » : {detail}"))
    finally:
        check.close()
    rows["year"] = rows.year.astype("Int64")
    rows["category_label"] = rows.category_label.replace("", None)
    rows["note"] = rows.note.replace("", None)
    rows["source_line"] = list(frame.index)
    return rows


def _rules_for(con, staged: pd.DataFrame) -> pd.DataFrame:
    rules = kinds.ref(con, "rules")
    present = set(zip(staged.theme, staged.indicator))
    rules = rules[[(t, i) in present for t, i in zip(rules.theme, rules.indicator)]].copy()
    rules["src_file"] = "règles"
    rules["src_line"] = "0"
    return rules


def validate(kind_name: str, filename: str, data: bytes, year: int | None = None,
             target: Path | None = None) -> Validation:
    """Check everything at once and list every problem; nothing is written."""
    kind = KINDS[kind_name]
    result = Validation(kind, filename, hashlib.sha256(data).hexdigest(), year)
    frame, issues = read_upload(filename, data)
    headers: dict[str, str] = {}
    if frame is not None:
        frame, issues = _columns(frame, kind, headers)
    if frame is None:
        result.issues = issues
        return result
    if kind.per_year and (year is None or not kinds.YEAR.accepts(int(year))):
        issues.append(Issue(None, None, "choisissez l'année du registre importé (entre 1980 et 2100)"))
    _check_cells(frame, kind, issues)
    con = duckdb.connect(str(target or db_path()), read_only=True)
    try:
        ref = _reference(con)
        if kind.name == "members":
            rows = _validate_members(frame, kind, ref, int(year or 2100), issues)
        elif kind.name == "certifications":
            rows = _validate_certifications(frame, kind, ref, year, issues, con)
        elif kind.name == "projects":
            rows = _validate_projects(frame, kind, ref, year, issues)
        else:
            rows = _validate_figures(frame, kind, con, issues)
    finally:
        con.close()
    result.rows = rows.reset_index(drop=True)
    if not issues:
        issues = _trial_import(result, Path(target or db_path()))
    named = [Issue(i.row, headers.get(i.column, i.column), i.message) for i in issues]  # the file's own headers
    result.issues = sorted(named, key=lambda x: (x.row or 0, x.column or ""))
    return result


def _trial_import(validation: Validation, target: Path) -> list[Issue]:
    """Write the rows into an in-memory copy of the base and run its own checks, so a valid file always imports.

    The column rules of kinds already match the schema's CHECKs; this catches what spans tables (e.g. figures
    of a demonstration year that the register must reproduce: queries/build/checks/db_*.sql).
    """
    con = duckdb.connect()
    try:
        con.execute(f"attach '{str(target).replace(chr(39), chr(39) * 2)}' as served (read_only)")
        con.execute("attach ':memory:' as trial")
        con.execute("copy from database served to trial")
        con.execute("use trial")
        con.execute("detach served")
        con.register("import_rows", validation.rows)
        db.run_file(con, IMPORT_SQL / f"{validation.kind.name}.sql",
                    {"year": validation.year, "source": f"{validation.filename} (essai)",
                     "provenance": f"fichier {validation.filename}"})
        problems = build.run_checks(con, "db_")
    except duckdb.ConstraintException:
        return [Issue(None, None, "la base refuserait ces lignes (contrainte non respectée) : signalez ce fichier "
                                  "à l'équipe technique, le contrôle du fichier aurait dû le dire")]
    finally:
        con.close()
    return [Issue(None, None, f"la base refuserait l'import, règle « {p.rule} » : {p.detail}") for p in problems]


def once(store: MutableMapping, kind_name: str, filename: str, data: bytes, year: int | None = None,
         target: Path | None = None) -> tuple[Validation, dict[str, pd.DataFrame] | None]:
    """Validate an upload and preview it once: kept in `store` (the session) under (kind, year, SHA-256).

    Streamlit reruns the page at every click, « Confirmer l'import » included: this keeps those reruns cheap.
    """
    key = (kind_name, year, hashlib.sha256(data).hexdigest())
    cached = store.get("import_checked")
    if cached is not None and cached[0] == key:
        return cached[1], cached[2]
    result = validate(kind_name, filename, data, year, target)
    changes = preview(result, target) if result.ok else None
    store["import_checked"] = (key, result, changes)
    return result, changes


def issue_table(issues: list[Issue]) -> pd.DataFrame:
    """The issues as a French table; « — » where an issue concerns the whole file, not a row."""
    return pd.DataFrame({"Ligne": ["—" if i.row is None else str(i.row) for i in issues],
                         "Colonne": [i.column or "—" for i in issues],
                         "Erreur": [i.message for i in issues]})


# ---------------------------------------------------------------- preview

def preview(validation: Validation, target: Path | None = None) -> dict[str, pd.DataFrame]:
    """What the import would change: added, changed and removed rows (by key)."""
    kind = validation.kind
    con = duckdb.connect(str(target or db_path()), read_only=True)
    try:
        current = db.run_file(con, IMPORT_SQL / f"current_{kind.name}.sql", {"year": validation.year}).df()
    finally:
        con.close()
    new = validation.rows[[c for c in current.columns if c in validation.rows.columns]].copy()
    key = kind.key
    for df in (current, new):
        for k in key:
            df[k] = df[k].astype(str)
    merged = current.merge(new, on=key, how="outer", suffixes=("_avant", "_après"), indicator=True)
    added = merged[merged._merge == "right_only"]
    removed = merged[merged._merge == "left_only"] if kind.per_year else merged.iloc[0:0]
    both = merged[merged._merge == "both"]
    compared = [c for c in current.columns if c not in key]

    def differs(row) -> bool:
        for c in compared:
            a, b = row[f"{c}_avant"], row[f"{c}_après"]
            if not ((pd.isna(a) and pd.isna(b)) or str(a) == str(b)
                    or (_is_number(a) and _is_number(b) and float(a) == float(b))):
                return True
        return False

    changed = both[both.apply(differs, axis=1)] if len(both) else both
    clean = lambda df: df.drop(columns="_merge").reset_index(drop=True)  # noqa: E731
    return {"ajoutées": clean(added), "modifiées": clean(changed), "supprimées": clean(removed)}


def _is_number(value) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True
