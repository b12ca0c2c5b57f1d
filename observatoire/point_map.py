"""Points maps drawn by plotly like the choropleths: SVG (geo subplot), no WebGL, no request.

No deck.gl to load on the pages that show one. Points sit over the départements, one trace per colour category (so the
colours get a legend), overseas points in the insets. With OBSERVATOIRE_BASEMAP, MapLibre
draws them over the basemap, as it does the choropleths.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from observatoire import charts, fmt, geo, map_view, maps
from observatoire.map_view import geo_view, view_bounds

BACKGROUND = charts.BACKGROUND  # départements under the points
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _hover(tooltip_html: str, columns: list[str]) -> str:
    """A plotly hovertemplate from a tooltip with {column} placeholders: each becomes %{customdata[i]}."""
    template = PLACEHOLDER.sub(lambda m: f"%{{customdata[{columns.index(m.group(1))}]}}", tooltip_html)
    return template.replace("<br/>", "<br>") + "<extra></extra>"


def _fit_bounds(xs, ys) -> tuple[float, float, float, float]:
    """Bounds of laid-out points with a quarter of their span (at least 0.5°) around them."""
    return map_view._padded((float(np.min(xs)), float(np.min(ys)), float(np.max(xs)), float(np.max(ys))),
                                 0.25, 1.5)


def _background(renderer: str, tolerance: float = 0.0, view=None):
    """All départements in light grey with white borders, never hoverable (full outlines in view: maps._collection)."""
    layer = maps._laid_out("departement")[0]
    return maps._areas(
        renderer, geojson=maps._collection("departement", layer.territory_id, tolerance, view),
        locations=layer.territory_id.tolist(),
        z=[0] * len(layer), colorscale=[[0, BACKGROUND], [1, BACKGROUND]], showscale=False,
        marker={"line": {"color": charts.WHITE, "width": 0.7}}, hoverinfo="skip", showlegend=False, name="départements")


def points_map(
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
    width: int = maps.WIDTH_HINT,
    focus: str | None = None,
    legend_col: str | None = None,
    name: str = "",
    legend_below: bool = False,
    light: bool = False,
) -> go.Figure:
    """Points over the départements, overseas points in the insets.

    tooltip_html uses "{column}" placeholders; their values are shown literally (fmt.plotly_text).
    fit: the view fits the points (a territory's); focus (a territory id): the view shows that territory
    and its neighbours, outlined; else all of France and the insets. legend_col names each colour's legend
    entry (default: the colour_col value); name labels the points when they have one colour (a legend entry
    then too). legend_below (pages, any width) puts the legend under the map, never over its points.
    light (pages): lighter département outlines where they do not show at first (maps._collection).
    """
    data = df[df[lon_col].notna() & df[lat_col].notna()].copy()
    codes = data[dep_col].astype(object).where(data[dep_col].notna(), None).tolist() if dep_col else None
    xs, ys = geo.layout_points(data[lon_col].to_numpy(float), data[lat_col].to_numpy(float), codes)
    columns = list(dict.fromkeys(PLACEHOLDER.findall(tooltip_html)))
    shown = pd.DataFrame({c: [fmt.plotly_text("" if pd.isna(v) else v) for v in data[c]] for c in columns},
                         index=data.index)
    renderer = "map" if maps.basemap_style() else "geo"
    shape = map_view.focus_shape(focus) if focus else None
    bounds = view_bounds(focus) if shape is not None else _fit_bounds(xs, ys) if fit and len(xs) else view_bounds()
    zoomed = shape is not None or (fit and len(xs))
    fig = go.Figure([_background(renderer, maps.view_tolerance(light), bounds if zoomed else None),
                     *maps._frame_traces(renderer)])
    groups = [(name or None, np.ones(len(data), dtype=bool), charts.ACCENT)]
    if colour_col:
        categories = list(dict.fromkeys(data[colour_col].dropna()))
        palette = dict(colours or {})
        spare = iter(c for c in maps.CATEGORY_COLOURS if c not in palette.values())
        for category in categories:
            if category not in palette:
                palette[category] = charts.TYPE_COLOURS.get(category) or next(spare, charts.MUTED)
        groups = [(c, (data[colour_col] == c).to_numpy(), palette[c]) for c in categories]
    names = _legend_names(data, colour_col, legend_col)
    for category, mask, colour in groups:
        marker = {"size": 2 * radius_px, "color": colour, "opacity": 0.9}
        kind = go.Scattergeo if renderer == "geo" else go.Scattermap  # MapLibre draws no marker outline
        fig.add_trace(kind(
            lon=np.round(xs[mask], 5).tolist(), lat=np.round(ys[mask], 5).tolist(), mode="markers",
            marker={**marker, "line": {"color": charts.WHITE, "width": 1}} if renderer == "geo" else marker,
            customdata=shown[mask].to_numpy().tolist(), hovertemplate=_hover(tooltip_html, columns),
            name=fmt.plotly_text(names.get(category, category)) if category is not None else "points",
            showlegend=category is not None))
    if shape is not None:
        fig.add_trace(maps._lines(renderer, *maps._rings(shape), charts.INK, 2, "contour du territoire"))
    charts.base_layout(fig, height)
    if renderer == "geo":
        fig.update_layout(geo=geo_view(bounds))
    else:
        lon, lat, zoom = maps.initial_view(height, width, bounds=bounds)
        fig.update_layout(map={"style": maps.basemap_style(), "center": {"lon": lon, "lat": lat}, "zoom": zoom})
    legend = ({"orientation": "h", "x": 0, "xanchor": "left", "y": 0, "yanchor": "top", "font": {"size": 13}}
              if legend_below else {"x": 1, "xanchor": "right", "y": 1, "yanchor": "top", "font": {"size": 12}})
    fig.update_layout(margin={"l": 0, "r": 0, "t": 0, "b": 0},
                      showlegend=bool(colour_col or name),
                      legend={**legend, "bgcolor": "rgba(255,255,255,0.8)"})
    return fig


def _legend_names(data: pd.DataFrame, colour_col: str | None, legend_col: str | None) -> dict:
    """Each colour category's legend name (the legend_col value of its rows)."""
    if not colour_col or not legend_col or legend_col not in data:
        return {}
    named = data[data[legend_col].notna() & (data[legend_col].astype(str) != "")]
    return dict(zip(named[colour_col], named[legend_col].astype(str)))
