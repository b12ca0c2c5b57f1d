"""Chart builders: a DataFrame and column names in, a plotly figure out.

The palette (one colour per structure type, the same on every page, from the
Okabe-Ito set readable by colour-blind people), fonts and French number formats are
defined here once. Plotly reads labels and hovers as a little HTML (<a href>, <b>, <br>):
names from the data go through fmt.plotly_text so that they show as the characters they are.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from observatoire import fmt

FONT = "Source Sans Pro, Arial, sans-serif"
INK = "#1f2430"
MUTED = "#9aa0a6"
# Okabe & Ito (2008) colour-blind safe set: every colour of the dashboard's charts is one of these.
BLUE, ORANGE, GREEN, PURPLE, VERMILLION, SKY, YELLOW, BLACK = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000")
ACCENT = BLUE
# One colour per series wherever several series share a chart (donuts, stacked bars, category maps).
SERIES_COLOURS = (BLUE, ORANGE, GREEN, PURPLE, SKY, VERMILLION, YELLOW, BLACK)
FUNDING_COLOURS = (BLUE, ORANGE)  # public funding, economic activity
SCHEME_COLOURS = (BLUE, GREEN)  # CEDRE, CEDRE ISO 9001

# Okabe & Ito (2008) colour-blind safe set, one colour per structure type.
TYPE_COLOURS = {
    "AI": BLUE,
    "ACI": GREEN,
    "EI": ORANGE,
    "ETTI": PURPLE,
    "GES": VERMILLION,
    "ASP": SKY,
    "RQ": YELLOW,
    "AUTRE": "#7F7F7F",  # grey
    "NL": "#C7C7C7",     # light grey: label lost in the source
}
SEQUENTIAL = ["#deebf7", "#9ecae1", "#4292c6", "#08519c", "#08306b"]

# Neutrals and the brand colour: maps' empty areas, slides' text and fills.
WHITE = "#ffffff"
GREY = "#5f6368"  # secondary text (captions, rankings' headers)
NO_DATA = "#cfcfcf"  # an area without a value
NO_FEDERATION = "#e8e8e8"  # an area outside every COORACE régional
BACKGROUND = "#eceff3"  # départements under the points of a point map
TILE = "#f3f5f8"  # key figure tiles
BADGE, BADGE_INK = "#fff4cc", "#5c4400"  # « données de démonstration »
BRAND = "#C8102E"  # the dashboard's primary colour (.streamlit/config.toml)


def _labels(values) -> list[str]:
    """Category names as plotly shows them literally (data, not markup)."""
    return [fmt.plotly_text(v) for v in values]


def base_layout(fig: go.Figure, height: int = 380) -> go.Figure:
    """Shared look: font, margins, French separators (decimal comma, narrow space)."""
    fig.update_layout(
        height=height,
        font={"family": FONT, "size": 14, "color": INK},
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        paper_bgcolor="white",
        plot_bgcolor="white",
        separators=", ",
        showlegend=False,
        hoverlabel={"font": {"family": FONT}},
    )
    return fig


def bar(
    df: pd.DataFrame,
    label_col: str,
    value_col: str,
    unit: str = "nombre",
    colour_col: str | None = None,
    horizontal: bool = True,
    height: int | None = None,
    key_col: str | None = None,
) -> go.Figure:
    """A sorted bar chart with values printed on the bars in French format.

    colour_col holds structure-type codes (coloured with TYPE_COLOURS) or is None
    (one accent colour). key_col goes to customdata so a click can select the bar.
    """
    data = df.sort_values(value_col, ascending=horizontal)
    colours = (
        [TYPE_COLOURS.get(c, ACCENT) for c in data[colour_col]] if colour_col else ACCENT
    )
    text = [fmt.with_unit(v, unit) for v in data[value_col]]
    labels = _labels(data[label_col])
    custom = data[key_col] if key_col else labels
    common = {"marker_color": colours, "text": text, "textposition": "outside", "cliponaxis": False,
              "customdata": custom, "hovertemplate": "%{y}<br>%{text}<extra></extra>" if horizontal
              else "%{x}<br>%{text}<extra></extra>"}
    if horizontal:
        trace = go.Bar(x=data[value_col], y=labels, orientation="h", **common)
    else:
        trace = go.Bar(x=labels, y=data[value_col], **common)
    fig = base_layout(go.Figure(trace), height or max(220, 36 * len(data) + 40))
    axis = {"showgrid": False, "showticklabels": False, "zeroline": False}
    if horizontal:
        fig.update_xaxes(**axis, range=[0, data[value_col].max() * 1.3])
        fig.update_yaxes(automargin=True)
        fig.update_layout(margin={"r": 60})
    else:
        fig.update_yaxes(**axis, range=[0, data[value_col].max() * 1.2])
    return fig


def stacked_shares(
    df: pd.DataFrame,
    category_col: str,
    series_col: str,
    value_col: str,
    colours: dict[str, str],
    height: int = 320,
) -> go.Figure:
    """100 % stacked horizontal bars (e.g. public funding vs own revenue by structure type)."""
    fig = go.Figure()
    for series, colour in colours.items():
        part = df[df[series_col] == series]
        name = fmt.plotly_text(series)
        fig.add_bar(
            x=part[value_col], y=_labels(part[category_col]), name=name, orientation="h", marker_color=colour,
            text=[fmt.percent(v) for v in part[value_col]], textposition="inside", insidetextanchor="middle",
            hovertemplate="%{y} — %{fullData.name} : %{text}<extra></extra>",
        )
    base_layout(fig, height)
    fig.update_layout(barmode="stack", showlegend=True,
                      legend={"orientation": "h", "y": -0.15, "x": 0})
    fig.update_xaxes(range=[0, 100], ticksuffix=" %", showgrid=False)
    fig.update_yaxes(automargin=True)
    return fig


def donut(df: pd.DataFrame, label_col: str, value_col: str, unit: str = "%", colours: list[str] | None = None,
          height: int = 340) -> go.Figure:
    """A donut for a split into a few shares; values printed in French."""
    fig = go.Figure(go.Pie(
        labels=_labels(df[label_col]), values=df[value_col], hole=0.55, sort=False,
        text=[fmt.with_unit(v, unit) for v in df[value_col]], textinfo="text", textposition="outside",
        marker={"colors": list(colours or SERIES_COLOURS)},
        hovertemplate="%{label} : %{text}<extra></extra>",
    ))
    base_layout(fig, height)
    # outside labels need room on every side, or plotly clips them at the figure's edge
    fig.update_layout(showlegend=True, legend={"orientation": "v", "x": 1.02, "y": 0.5},
                      margin={"l": 50, "r": 10, "t": 30, "b": 30})
    return fig


def block_figure(chart, data: pd.DataFrame, height: int | None = None, font_size: float | None = None,
                 width: int | None = None) -> go.Figure:
    """The plotly figure of a block's chart spec (observatoire.blocks.Chart): the one drawing of each chart kind
    for the pages, the full-screen slides and the deck's images. font_size None keeps the page's sizes."""
    value = chart.value_cols[0] if chart.value_cols else None
    size = font_size or 14
    if chart.kind in ("bar", "column"):
        fig = bar(data, chart.category_col, value, unit=chart.unit, colour_col=chart.colour_col,
                  horizontal=chart.kind == "bar", height=height)
        if font_size:
            fig.update_traces(textfont_size=font_size)
            if chart.kind == "bar":
                fig.update_layout(margin={"r": font_size * 3})
    elif chart.kind == "stacked":
        long = data.melt(id_vars=chart.category_col, value_vars=list(chart.value_cols), var_name="series",
                         value_name="value")
        fig = stacked_shares(long, chart.category_col, "series", "value",
                             dict(zip(chart.value_cols, chart.series_colours or SERIES_COLOURS)), height=height or 320)
        fig.update_traces(textfont_size=size, textfont_color="white")
        fig.update_yaxes(autorange="reversed")
        fig.update_layout(legend={"font": {"size": size}, "y": -0.08, "yanchor": "top", "traceorder": "normal"},
                          uniformtext={"minsize": size * 0.8, "mode": "hide"})
    elif chart.kind == "doughnut":
        fig = donut(data, chart.category_col, value, unit=chart.unit, colours=chart.series_colours or None,
                    height=height or 340)
        if font_size:
            fig.update_traces(textfont_size=font_size)
            fig.update_layout(legend={"font": {"size": font_size}}, margin={"l": 20, "r": 20, "t": 30, "b": 30})
    elif chart.kind == "map":
        from observatoire import maps

        # the block's territory, outlined and shown with its neighbours
        fig = maps.choropleth(data, chart.level, value, unit=chart.unit, value_name=chart.names()[0],
                              height=height or 520, width=width or maps.WIDTH_HINT,
                              focus=chart.zoom_to[1] if chart.zoom_to else None)
        if font_size:
            fig.update_layout(legend={"font": {"size": font_size * 0.8}})
            fig.update_annotations(font_size=max(font_size * 0.5, 10))  # the map credit
    elif chart.kind == "points":
        from observatoire import point_map

        fig = point_map.points_map(data, "lon", "lat", chart.hover, colour_col=chart.colour_col, dep_col="dep_code",
                                   radius_px=chart.radius, height=height or 460, fit=chart.zoom_to is not None,
                                   **({"width": width} if width else {}))
    else:
        raise ValueError(f"Type de graphique inconnu : {chart.kind}")
    if font_size:
        fig.update_layout(font={"size": font_size})
    if width:
        fig.update_layout(width=width)
    return fig
