"""Assemble the member register: the members the documents name, completed to the
published totals by a deterministic demonstration set (fixed seed), every such row
flagged. Also geocodes projects and enterprises (stg_points).

The demonstration set never changes a published number: type counts, the Midi-Pyrénées
count and its certified members, and the certified totals are read from the published
figures, and the database checks (queries/build/checks/db_*.sql) verify them again.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from observatoire import geocode

SEED = 2014
REGISTER_YEAR = 2014
DEMO_SOURCE = "Jeu de démonstration (graine fixe) — aucune donnée réelle"



class RegisterError(ValueError):
    """The named members contradict the published totals or the territorial reference."""


def _figure(frames: dict, indicator: str, category: str = "", territory: str = "FR", year: int = 2014) -> float:
    f = frames["stg_figures"]
    row = f[(f.indicator == indicator) & (f.category == category) & (f.territory == territory)
            & (f.year == str(year))]
    if row.empty:
        raise RegisterError(
            f"Chiffre publié introuvable : {indicator} « {category} » ({territory}, {year}) "
            "— nécessaire pour compléter le registre des adhérents"
        )
    return float(row.value.iloc[0])


def _type_quotas(frames: dict) -> dict[str, int]:
    f = frames["stg_figures"]
    rows = f[(f.indicator == "members_by_type") & (f.territory == "FR") & (f.year == str(REGISTER_YEAR))]
    return {r.category: int(float(r.value)) for r in rows.itertuples()}


def _territory_maps(frames: dict) -> tuple[dict, dict, dict]:
    deps = frames["stg_departements"]
    fed_of_region = dict(zip(frames["stg_federation_regions"].region_2014_id,
                             frames["stg_federation_regions"].federation_id))
    dep_code_to_id = dict(zip(deps.code, deps.dep_id))
    fed_of_dep = {r.dep_id: fed_of_region.get(r.region_2014_id) for r in deps.itertuples()}
    return dep_code_to_id, fed_of_dep, fed_of_region


def _where(row) -> str:
    return f"{row.src_file}, ligne {row.src_line}"


def locate_points(frames: dict) -> pd.DataFrame:
    """Points of innovation projects and social-utility enterprises (kind, id, dep_id, lon, lat)."""
    dep_code_to_id, _, _ = _territory_maps(frames)
    deps = frames["stg_departements"]
    rows = []
    for p in frames["stg_innovation_projects"].itertuples():
        if p.location_precision == "national":
            rows.append(("project", p.project_id, None, None, None))
            continue
        if p.commune_insee:
            lon, lat = geocode.commune_point(p.commune_insee, where=_where(p))
            dep_code = geocode.commune_departement(p.commune_insee)
        elif p.departement:
            dep_code = p.departement
            lon, lat = geocode.departement_point(dep_code)
        else:
            fed_deps = _federation_dep_codes(frames, p.federation_id)
            if not fed_deps:
                raise geocode.GeocodeError(f"Projet « {p.name} » sans commune, département ni région ({_where(p)})")
            dep_code = None
            lon, lat = geocode.region_point(fed_deps)
        rows.append(("project", p.project_id, dep_code_to_id.get(dep_code), lon, lat))
    for e in frames["stg_social_utility_enterprises"].itertuples():
        lon, lat = geocode.commune_point(e.commune_insee, where=_where(e))
        dep_code = geocode.commune_departement(e.commune_insee)
        if dep_code != e.departement:
            raise geocode.GeocodeError(
                f"Commune {e.commune_insee} ({e.commune_name}) hors du département {e.departement} ({_where(e)})"
            )
        rows.append(("enterprise", e.enterprise_id, dep_code_to_id[dep_code], lon, lat))
    del deps
    return pd.DataFrame(rows, columns=["kind", "id", "dep_id", "lon", "lat"])


def _federation_dep_codes(frames: dict, federation_id: str) -> list[str]:
    regions = frames["stg_federation_regions"]
    region_ids = set(regions[regions.federation_id == federation_id].region_2014_id)
    deps = frames["stg_departements"]
    return sorted(deps[deps.region_2014_id.isin(region_ids)].code)


def assemble(frames: dict) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(points, members, certifications) DataFrames for the staging views of the build."""
    rng = np.random.default_rng(SEED)
    points = locate_points(frames)
    dep_code_to_id, fed_of_dep, _ = _territory_maps(frames)
    communes = geocode.communes_table()  # code, name, dep_code, population, lon, lat
    communes["population"] = communes.population.fillna(0).astype(float)
    communes = communes[communes.lon.notna() & communes.lat.notna()]  # a few have no point at all
    dep_population = communes.groupby("dep_code").population.sum()
    communes_by_dep = {code: pool.reset_index(drop=True) for code, pool in communes.groupby("dep_code")}

    def pick_departement(codes: list[str]) -> str:
        weights = dep_population.reindex(codes).fillna(0).to_numpy(dtype=float)
        return codes[int(rng.choice(len(codes), p=weights / weights.sum()))]

    def pick_commune(dep_code: str) -> pd.Series:
        pool = communes_by_dep[dep_code]
        weights = pool.population.to_numpy(dtype=float) + 1.0
        return pool.iloc[int(rng.choice(len(pool), p=weights / weights.sum()))]

    # « 8 nouvelles entreprises COORACE (6 associations intermédiaires, une ETTI et une société
    # commerciale) » certified CEDRE ISO 9001 in 2014: the report does not say which is which,
    # so their types are imputed in name order from the published split (iso_new_by_type).
    f = frames["stg_figures"]
    split = f[(f.indicator == "iso_new_by_type") & (f.year == str(REGISTER_YEAR))]
    new_iso_types = iter([r.category for r in split.itertuples() for _ in range(int(float(r.value)))])
    named_certs = frames["stg_member_certifications_named"]
    iso_2014 = set(named_certs[(named_certs.scheme == "CEDRE ISO 9001") & (named_certs.year == "2014")].member_id)

    # 1. Named members: locate, attach to their federation, impute what the documents do not say.
    members = []
    named = frames["stg_members_named"].sort_values("name", key=lambda s: s.str.casefold())
    untyped = []
    for m in named.itertuples():
        imputed = [f for f in m.imputed_fields.split(",") if f.strip()] if m.imputed_fields else []
        precision = m.location_precision
        if m.commune_insee:
            lon, lat = geocode.commune_point(m.commune_insee, where=_where(m))
            dep_code = geocode.commune_departement(m.commune_insee)
            if m.departement and m.departement != dep_code:
                raise geocode.GeocodeError(
                    f"Commune {m.commune_insee} ({m.commune_name}) hors du département {m.departement} ({_where(m)})"
                )
        elif m.departement:
            dep_code = m.departement
            lon, lat = geocode.departement_point(dep_code)
        else:
            candidates = _federation_dep_codes(frames, m.federation_id)
            if not candidates:
                raise RegisterError(f"Adhérent « {m.name} » sans commune, département ni région ({_where(m)})")
            dep_code = pick_departement(candidates)
            lon, lat = geocode.departement_point(dep_code)
            if "departement" not in imputed:
                imputed.append("departement")
        dep_id = dep_code_to_id[dep_code]
        federation = fed_of_dep.get(dep_id)
        if m.federation_id and m.federation_id != federation:
            raise RegisterError(
                f"Adhérent « {m.name} » : COORACE régional {m.federation_id} incohérent avec le département "
                f"{dep_code} ({_where(m)})"
            )
        structure_type = m.structure_type
        if not structure_type and m.member_id in iso_2014:
            structure_type = next(new_iso_types)
            imputed.append("structure_type") if "structure_type" not in imputed else None
        members.append({
            "year": REGISTER_YEAR, "member_id": m.member_id, "name": m.name, "structure_type": structure_type,
            "commune_insee": m.commune_insee or None, "commune_name": m.commune_name or None,
            "dep_id": dep_id, "federation_id": federation, "location_precision": precision,
            "lon": lon, "lat": lat,
            "creation_year": int(m.creation_year) if m.creation_year else None,
            "fte": float(m.fte) if m.fte else None,
            "turnover_eur": float(m.turnover_eur) if m.turnover_eur else None,
            "is_demo": False, "imputed_fields": ",".join(sorted(set(imputed))) or None,
            "source_file": m.source_file, "section": m.section, "original_text": m.original_text,
        })
        if not structure_type:
            untyped.append(len(members) - 1)

    # 2. Types of named members the documents do not type: drawn from what the published
    #    split leaves once the typed named members are counted.
    quotas = _type_quotas(frames)
    total = int(_figure(frames, "members_total"))
    if sum(quotas.values()) != total:
        raise RegisterError(f"La répartition par type ({sum(quotas.values())}) ne fait pas le total publié ({total})")
    remaining = dict(quotas)
    for row in members:
        if row["structure_type"]:
            remaining[row["structure_type"]] -= 1
    for index in untyped:
        codes = sorted(c for c, n in remaining.items() if n > 0)
        weights = np.array([remaining[c] for c in codes], dtype=float)
        code = codes[int(rng.choice(len(codes), p=weights / weights.sum()))]
        remaining[code] -= 1
        members[index]["structure_type"] = code
        imputed = set(filter(None, (members[index]["imputed_fields"] or "").split(",")))
        members[index]["imputed_fields"] = ",".join(sorted(imputed | {"structure_type"}))
    if any(n < 0 for n in remaining.values()):
        raise RegisterError(f"Plus d'adhérents nommés que publiés pour un type : {remaining}")

    # 3. Demonstration rows: Midi-Pyrénées gets its published 41 members, the rest of France
    #    is split in proportion to population (an illustrative split, documented as such).
    mp_total = int(_figure(frames, "members_total", territory="fed-midi-pyrenees"))
    mp_deps = _federation_dep_codes(frames, "fed-midi-pyrenees")
    named_mp = sum(1 for r in members if r["federation_id"] == "fed-midi-pyrenees")
    demo_types = [code for code in sorted(remaining) for _ in range(remaining[code])]
    rng.shuffle(demo_types)
    other_deps = sorted(set(dep_code_to_id) - set(mp_deps))
    for i, code in enumerate(demo_types, start=1):
        dep_code = pick_departement(mp_deps if i <= mp_total - named_mp else other_deps)
        commune = pick_commune(dep_code)
        dep_id = dep_code_to_id[dep_code]
        members.append({
            "year": REGISTER_YEAR, "member_id": f"demo-{i:04d}", "name": f"Adhérent de démonstration n° {i}",
            "structure_type": code, "commune_insee": commune.code, "commune_name": commune["name"],
            "dep_id": dep_id, "federation_id": fed_of_dep.get(dep_id), "location_precision": "commune",
            "lon": float(commune.lon), "lat": float(commune.lat), "creation_year": None, "fte": None,
            "turnover_eur": None, "is_demo": True, "imputed_fields": None,
            "source_file": None, "section": DEMO_SOURCE, "original_text": None,
        })
    register = pd.DataFrame(members)
    certifications = _certifications(frames, register, rng)
    return points, register, certifications


def _certifications(frames: dict, register: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Named quality labels, completed with demonstration ones to the published counts."""
    named = frames["stg_member_certifications_named"]
    rows = [{
        "member_id": c.member_id, "scheme": c.scheme, "level": c.level or None, "year": int(c.year),
        "event": c.event, "is_demo": False, "source_file": c.source_file, "section": c.section,
        "original_text": c.original_text,
    } for c in named.itertuples()]
    certified = set(named.member_id)
    # Published: 120 certified members at 31/12/2014, of which 27 CEDRE ISO 9001 and 93 CEDRE;
    # in Midi-Pyrénées 18 of 41; 6 new CEDRE and 7 renewals in 2014.
    iso_total = int(_figure(frames, "certified_by_scheme", "CEDRE_ISO_9001"))
    cedre_total = int(_figure(frames, "certified_by_scheme", "CEDRE"))
    mp_certified = int(_figure(frames, "certified_members", territory="fed-midi-pyrenees"))
    new_cedre_2014 = int(_figure(frames, "cedre_new_certified"))
    renewals_2014 = int(_figure(frames, "cedre_renewals"))
    latest = pd.DataFrame(rows).sort_values("year").drop_duplicates("member_id", keep="last")
    iso_named = int((latest.scheme == "CEDRE ISO 9001").sum())
    cedre_named = int((latest.scheme == "CEDRE").sum())

    demo = register[register.is_demo]
    in_mp = demo.federation_id == "fed-midi-pyrenees"
    named_mp_certified = register[(~register.is_demo) & (register.federation_id == "fed-midi-pyrenees")
                                  & register.member_id.isin(certified)]
    mp_needed = mp_certified - len(named_mp_certified)
    others_needed = (iso_total - iso_named) + (cedre_total - cedre_named) - mp_needed
    chosen = list(rng.choice(demo[in_mp].member_id.to_numpy(), size=mp_needed, replace=False))
    chosen += list(rng.choice(demo[~in_mp].member_id.to_numpy(), size=others_needed, replace=False))
    schemes = ["CEDRE ISO 9001"] * (iso_total - iso_named) + ["CEDRE"] * (cedre_total - cedre_named)
    rng.shuffle(schemes)
    cedre_seen = 0
    for member_id, scheme in zip(chosen, schemes):
        if scheme == "CEDRE ISO 9001":
            year, event = 2013, "certification"
        else:
            cedre_seen += 1
            if cedre_seen <= new_cedre_2014:
                year, event = 2014, "certification"
            else:
                year, event = int(rng.integers(2006, 2014)), "certification"
        rows.append({"member_id": member_id, "scheme": scheme, "level": None, "year": year, "event": event,
                     "is_demo": True, "source_file": None, "section": DEMO_SOURCE, "original_text": None})
    cedre_demo = [r for r in rows if r["is_demo"] and r["scheme"] == "CEDRE" and r["year"] < 2014]
    for r in cedre_demo[:renewals_2014]:
        rows.append({**r, "year": 2014, "event": "renouvellement"})
    return pd.DataFrame(rows)
