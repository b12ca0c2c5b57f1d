"""Where a map looks: France and its overseas insets, or a territory in focus with its neighbours.

Views are lon/lat bounds, given to plotly's SVG maps as axis ranges (the map then fits any
box, phone or slide) or turned into a centre and zoom for MapLibre and deck.gl at a given size.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np

from observatoire import geo

WIDTH_HINT = 700  # MapLibre and pydeck views fit the map into this width (pixels) and the figure height
VIEW_MARGIN = 0.04  # share of the map's span left blank on each side
FOCUS_CONTEXT = 0.5  # a territory in focus is shown with this share of its span around it: its neighbours
FOCUS_MIN_SPAN = 2.5  # degrees: a small territory in focus still shows its neighbours
FOCUS_LEVELS = {"dep-": "departement", "reg-": "region_2014", "r16-": "region_2016", "fed-": "federation"}


def _padded(bounds, share: float, min_span: float = 0.0) -> tuple[float, float, float, float]:
    """Bounds grown by share of their span on each side (latitudes in Web Mercator), at least min_span wide."""
    w, s, e, n = bounds
    y0, y1 = float(geo.mercator_y(s)), float(geo.mercator_y(n))
    grow_x = max((e - w) * share, (min_span - (e - w)) / 2)
    grow_y = max((y1 - y0) * share, (min_span - (y1 - y0)) / 2)
    return (w - grow_x, float(geo.latitude_of(y0 - grow_y)), e + grow_x, float(geo.latitude_of(y1 + grow_y)))


@cache
def focus_shape(territory_id: str):
    """The laid-out geometry of a territory of any level (dep-, reg-, r16-, fed-), or None if unknown."""
    level = next((lvl for prefix, lvl in FOCUS_LEVELS.items() if territory_id.startswith(prefix)), None)
    if level is None:
        return None
    layer = geo.load_layer(level)
    shape = geo.france_layout(layer[layer.territory_id == territory_id])
    return None if shape.empty else shape.geometry.iloc[0]


def view_bounds(focus: str | None = None) -> tuple[float, float, float, float]:
    """(west, south, east, north) a map shows: France and its insets, or a territory and its neighbours."""
    shape = focus_shape(focus) if focus else None
    if shape is None:
        return _padded(geo.layout_bounds(), VIEW_MARGIN)
    return _padded(shape.bounds, FOCUS_CONTEXT, FOCUS_MIN_SPAN)


def initial_view(height: int, width: int = WIDTH_HINT, margin: float = VIEW_MARGIN,
                 bounds=None) -> tuple[float, float, float]:
    """(lon, lat, zoom) of a MapLibre or deck.gl view fitting bounds (default: France and the insets)."""
    w, s, e, n = bounds if bounds is not None else _padded(geo.layout_bounds(), margin)
    y0, y1 = float(geo.mercator_y(s)), float(geo.mercator_y(n))
    zoom = math.log2(min(width / (e - w), height / (y1 - y0)) * 360 / 512)
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


def geo_view(bounds) -> dict:
    """A plotly geo subplot showing exactly bounds, fitted into whatever box the figure gets."""
    w, s, e, n = bounds
    return {"projection": {"type": "mercator"}, "visible": False, "showframe": False, "bgcolor": "rgba(0,0,0,0)",
            "fitbounds": False, "lonaxis": {"range": [w, e]}, "lataxis": {"range": [s, n]}}
