"""The SVG redraw of maps for static export (the figures themselves are charts.block_figure's)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go


def _rgb(colour: str) -> tuple[float, ...]:
    from plotly.colors import hex_to_rgb, unlabel_rgb

    return tuple(float(c) for c in (hex_to_rgb(colour) if colour.startswith("#") else unlabel_rgb(colour)))


def sample(scale: list, t: float) -> str:
    """The colour at t (0 to 1) of a plotly colour scale, stepped scales (repeated positions, hex) included."""
    steps = [(float(pos), _rgb(colour)) for pos, colour in scale]
    for (p0, c0), (p1, c1) in zip(steps, steps[1:]):
        if p0 <= t <= p1:
            f = 0.0 if p1 == p0 else (t - p0) / (p1 - p0)
            return "rgb({:.0f}, {:.0f}, {:.0f})".format(*(a + (b - a) * f for a, b in zip(c0, c1)))
    return "rgb({:.0f}, {:.0f}, {:.0f})".format(*steps[-1 if t > steps[-1][0] else 0][1])


def _rings(geometry: dict) -> list[list]:
    """Exterior rings of a GeoJSON Polygon or MultiPolygon."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    if geometry["type"] == "MultiPolygon":
        return [polygon[0] for polygon in geometry["coordinates"]]
    return []


def legend_aside(fig: go.Figure, font: float) -> go.Figure:
    """A point map's legend beside the map (short names) or under it (long ones), never over France."""
    names = [t.name or "" for t in fig.data if t.showlegend]
    if not names:
        return fig
    if max(len(n) for n in names) <= 12:
        where = {"orientation": "v", "x": 1.0, "xanchor": "left", "y": 0.5, "yanchor": "middle"}
    else:
        where = {"orientation": "h", "x": 0.5, "xanchor": "center", "y": 0.0, "yanchor": "top"}
    fig.update_layout(legend={**where, "font": {"size": font}, "bgcolor": "rgba(255,255,255,0)"})
    return fig


def static_map(fig: go.Figure, width: int, height: int) -> dict:
    """The same map redrawn as SVG (a plotly figure dict): filled polygons on Web Mercator axes, no WebGL.

    Exported images need no zoom or hover: plain scatter polygons render in a fraction of the
    time of a geo subplot (and of MapLibre's WebGL, with a basemap), with no topology to load.
    Colours come from each trace's own colour scale, so the image matches the screen.
    Plain dicts rather than plotly objects: validating thousands of points costs a second.
    """
    from observatoire import geo

    def y_of(lats) -> list:
        """Web Mercator ordinates, None (a gap between lines) kept."""
        values = np.array([np.nan if v is None else v for v in lats], dtype=float)
        ys = np.round(geo.mercator_y(values), 5).astype(object)
        ys[np.isnan(values)] = None
        return ys.tolist()

    source = fig.to_plotly_json()
    data: list[dict] = []
    for trace in source["data"]:
        if trace["type"] in ("choropleth", "choroplethmap"):
            z = np.asarray(trace["z"], dtype=float)
            zmin = trace.get("zmin", float(z.min()) if len(z) else 0.0)
            zmax = trace.get("zmax", float(z.max()) if len(z) else 1.0)
            scale = [list(step) for step in trace["colorscale"]]
            colours = [sample(scale, t) for t in np.clip((z - zmin) / ((zmax - zmin) or 1.0), 0, 1)]
            shapes = {f["id"]: f["geometry"] for f in trace["geojson"]["features"]}
            line = trace.get("marker", {}).get("line", {})
            for location, colour in zip(trace["locations"], colours):
                xs: list = []
                lats: list = []
                for ring in _rings(shapes[location]):
                    xs += [pt[0] for pt in ring] + [None]
                    lats += [pt[1] for pt in ring] + [None]
                data.append({"type": "scatter", "x": xs, "y": y_of(lats), "mode": "lines", "fill": "toself",
                             "fillcolor": colour, "line": line, "hoverinfo": "skip", "showlegend": False})
            if trace.get("showlegend"):
                data.append({"type": "scatter", "x": [None], "y": [None], "mode": "markers", "name": trace.get("name"),
                             "showlegend": True,
                             "marker": {"symbol": "square", "size": 12, "color": colours[0] if colours else "#ccc"}})
            if trace.get("showscale", True) and len(z):
                data.append({"type": "scatter", "x": [None], "y": [None], "mode": "markers", "showlegend": False,
                             "hoverinfo": "skip",
                             "marker": {"color": [zmin, zmax], "cmin": zmin, "cmax": zmax, "colorscale": scale,
                                        "showscale": True, "colorbar": trace.get("colorbar", {})}})
        elif trace["type"] in ("scattergeo", "scattermap"):
            # frames, outlines, inset names; and a point map's points, with their legend entry
            keep = {k: trace[k] for k in ("mode", "line", "text", "textposition", "textfont", "marker", "name",
                                          "showlegend") if k in trace}
            data.append({"type": "scatter", "x": list(trace["lon"]), "y": y_of(trace["lat"]), "hoverinfo": "skip",
                         "showlegend": False, **keep})
    layout = dict(source["layout"])
    view, ranges = layout.pop("map", {}), layout.pop("geo", {})
    layout.pop("template", None)
    margin = layout.get("margin", {})
    plot_w = width - margin.get("l", 80) - margin.get("r", 80)
    plot_h = height - margin.get("t", 100) - margin.get("b", 80)
    if ranges:  # SVG map: its lon/lat ranges fitted into the plot area, as plotly does
        (w, e), (s, n) = ranges["lonaxis"]["range"], ranges["lataxis"]["range"]
        y0, y1 = float(geo.mercator_y(s)), float(geo.mercator_y(n))
        per_px = max((e - w) / plot_w, (y1 - y0) / plot_h)
        cx, cy = (w + e) / 2, (y0 + y1) / 2
    else:  # MapLibre map (with a basemap): its centre and zoom
        per_px = 360 / (512 * 2 ** view.get("zoom", 4))
        cx, cy = view["center"]["lon"], float(geo.mercator_y(view["center"]["lat"]))
    axis = {"visible": False, "showgrid": False, "zeroline": False, "fixedrange": True}
    layout.update(width=width, height=height, plot_bgcolor="white",
                  xaxis={"range": [cx - plot_w * per_px / 2, cx + plot_w * per_px / 2], **axis},
                  yaxis={"range": [cy - plot_h * per_px / 2, cy + plot_h * per_px / 2], **axis})
    return {"data": data, "layout": layout}
