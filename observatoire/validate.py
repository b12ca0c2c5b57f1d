"""Validate an uploaded file against the rules of its kind and preview what it would change.

Nothing is written here: observatoire.versions applies a valid upload.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from observatoire import db, geo, kinds
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


def _check_columns(frame: pd.DataFrame, kind: Kind) -> list[Issue]:
    issues = [Issue(1, c, "colonne obligatoire absente") for c in kind.columns if c not in frame.columns]
    issues += [Issue(1, c, f"colonne inconnue (colonnes attendues : {', '.join(kind.columns)})")
               for c in frame.columns if c not in kind.columns]
    duplicated = frame.columns[frame.columns.duplicated()].tolist()
    issues += [Issue(1, c, "colonne en double") for c in duplicated]
    return issues


def _typed(frame: pd.DataFrame, kind: Kind, issues: list[Issue]) -> pd.DataFrame:
    out = frame.copy()
    for col in kind.required:
        for i in frame.index[frame[col] == ""]:
            issues.append(Issue(i + 2, col, "valeur obligatoire manquante"))
    for col in (*kind.integers, *kind.numbers):
        text = frame[col].str.replace("\u202f", "").str.replace("\u00a0", "").str.replace(" ", "")
        text = text.str.replace(",", ".", regex=False)
        values = pd.to_numeric(text.where(text != ""), errors="coerce")
        bad = (text != "") & values.isna()
        for i in frame.index[bad]:
            issues.append(Issue(i + 2, col, f"« {frame.at[i, col]} » n'est pas un nombre"))
        if col in kind.integers:
            frac = values.notna() & (values != values.round())
            for i in frame.index[frac]:
                issues.append(Issue(i + 2, col, f"« {frame.at[i, col]} » n'est pas un entier"))
        negative = values < 0
        for i in frame.index[negative.fillna(False)]:
            issues.append(Issue(i + 2, col, f"valeur négative ({frame.at[i, col]})"))
        out[col] = values
    return out


def _check_duplicates(frame: pd.DataFrame, kind: Kind, issues: list[Issue]) -> None:
    dup = frame.duplicated(kind.key, keep=False)
    for i in frame.index[dup]:
        key = ", ".join(str(frame.at[i, k]) for k in kind.key)
        issues.append(Issue(i + 2, kind.key[0], f"identifiant en double ({key})"))


def _locate(frame: pd.DataFrame, ref: dict, issues: list[Issue]) -> pd.DataFrame:
    """Commune name, département, federation and point of each row's commune_insee."""
    communes = geo.communes_table().set_index("code")
    deps = ref["deps"].set_index("code")
    located = frame.copy()
    for col in ("commune_name", "dep_id", "federation_id"):
        located[col] = None
    located["lon"] = float("nan")
    located["lat"] = float("nan")
    for i, code in frame.commune_insee.items():
        if not code:
            continue
        key = code.zfill(5) if code.isdigit() else code.upper()
        if key not in communes.index:
            issues.append(Issue(i + 2, "commune_insee", f"code commune INSEE inconnu : « {code} »"))
            continue
        commune = communes.loc[key]
        if pd.isna(commune.lon):
            issues.append(Issue(i + 2, "commune_insee", f"commune {key} ({commune['name']}) sans localisation"))
            continue
        dep = deps.loc[commune.dep_code]
        located.loc[i, ["commune_insee", "commune_name", "dep_id", "federation_id", "lon", "lat"]] = [
            key, commune["name"], dep.dep_id, dep.federation_id if pd.notna(dep.federation_id) else None,
            float(commune.lon), float(commune.lat)]
    return located


def _validate_members(frame, kind, ref, year, issues) -> pd.DataFrame:
    rows = _typed(frame, kind, issues)
    _check_duplicates(frame, kind, issues)
    types = set(ref["types"].code)
    for i, code in frame.structure_type.items():
        if code and code not in types:
            issues.append(Issue(i + 2, "structure_type",
                                f"type « {code} » inconnu (attendu : {', '.join(sorted(types))})"))
    for i, created in rows.creation_year.items():
        if pd.notna(created) and not 1800 <= created <= year:
            issues.append(Issue(i + 2, "creation_year", f"année de création {int(created)} hors de 1800–{year}"))
    for i, fte in rows.fte.items():
        if pd.notna(fte) and fte > 100_000:
            issues.append(Issue(i + 2, "fte", f"{fte} ETP : valeur invraisemblable"))
    return _locate(rows, ref, issues)


def _validate_certifications(frame, kind, ref, year, issues, con) -> pd.DataFrame:
    rows = _typed(frame, kind, issues)
    _check_duplicates(frame, kind, issues)
    schemes = set(ref["schemes"].scheme)
    known = set(kinds.ref(con, "member_ids").member_id)
    for i, r in frame.iterrows():
        if r.scheme and r.scheme not in schemes:
            expected = ", ".join(sorted(schemes))
            issues.append(Issue(i + 2, "scheme", f"label « {r.scheme} » inconnu (attendu : {expected})"))
        if r.event and r.event not in ("certification", "renouvellement"):
            issues.append(Issue(i + 2, "event", f"« {r.event} » : attendu certification ou renouvellement"))
        if r.member_id and r.member_id not in known:
            issues.append(Issue(i + 2, "member_id", f"adhérent « {r.member_id} » absent du registre"))
    for i, y in rows.year.items():
        if pd.notna(y) and not 1980 <= y <= 2100:
            issues.append(Issue(i + 2, "year", f"année {int(y)} hors de 1980–2100"))
    rows["level"] = rows.level.replace("", None)
    return rows


def _validate_projects(frame, kind, ref, year, issues) -> pd.DataFrame:
    rows = _typed(frame, kind, issues)
    _check_duplicates(frame, kind, issues)
    axes = set(ref["axes"].axis_id)
    for i, axis in rows.axis_id.items():
        if pd.notna(axis) and int(axis) not in axes:
            issues.append(Issue(i + 2, "axis_id", f"axe {int(axis)} inconnu (attendu : 1, 2 ou 3)"))
    return _locate(rows, ref, issues)


def _validate_figures(frame, kind, con, issues) -> pd.DataFrame:
    """The build's own checks (types, units, territories, shares, parts) on the uploaded figures."""
    staged = frame.copy()
    staged["src_file"] = "fichier"
    staged["src_line"] = [str(i + 2) for i in range(len(staged))]
    check = duckdb.connect()
    try:
        check.register("stg_figures", staged)
        check.register("stg_rules", _rules_for(con, staged))
        check.register("stg_regional_federations", kinds.ref(con, "federations"))
        check.register("stg_regions_2014", kinds.ref(con, "regions_2014"))
        check.register("stg_departements", kinds.ref(con, "dep_ids"))
        documents = pd.DataFrame({"source_file": sorted(set(staged.source_file) | set(
            kinds.ref(con, "documents").source_file))})
        check.register("stg_documents", documents)
        for prefix in ("source_figures", "source_rules"):
            sql = (BUILD_SQL_DIR / "checks" / f"{prefix}.sql").read_text(encoding="utf-8")
            for _source, line, rule, detail in check.execute(sql).fetchall():
                first = str(line).split(",")[0]
                row = int(first) if first.isdigit() and first != "0" else None
                issues.append(Issue(row, None, f"règle « {rule} » : {detail}"))
    finally:
        check.close()
    rows = frame.copy()
    rows["value"] = pd.to_numeric(rows.value.str.replace(",", "."), errors="coerce")
    rows["year"] = pd.to_numeric(rows.year, errors="coerce").astype("Int64")
    rows["category_label"] = rows.category_label.replace("", None)
    rows["note"] = rows.note.replace("", None)
    rows["source_line"] = range(2, len(rows) + 2)
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
    if frame is None:
        result.issues = issues
        return result
    issues = _check_columns(frame, kind)
    if issues:
        result.issues = issues
        return result
    frame = frame[kind.columns]
    con = duckdb.connect(str(target or db_path()), read_only=True)
    try:
        ref = _reference(con)
        if kind.per_year and (year is None or not 1980 <= int(year) <= 2100):
            issues.append(Issue(None, None, "choisissez l'année du registre importé (entre 1980 et 2100)"))
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
    result.rows = rows
    result.issues = sorted(issues, key=lambda x: (x.row or 0, x.column or ""))
    return result


# ---------------------------------------------------------------- preview

def preview(validation: Validation, target: Path | None = None) -> dict[str, pd.DataFrame]:
    """What the import would change: added, changed and removed rows (by key)."""
    kind = validation.kind
    con = duckdb.connect(str(target or db_path()), read_only=True)
    try:
        sql = (IMPORT_SQL / f"current_{kind.name}.sql").read_text(encoding="utf-8")
        current = db.run_script(con, sql, {"year": validation.year}).df()
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
