"""Chart builders: a DataFrame and column names in, a plotly figure out.

The palette (one colour per structure type, the same on every page, from the
Okabe-Ito set readable by colour-blind people), fonts and French number formats are
defined here once. Plotly reads labels and hovers as a little HTML (<a href>, <b>, <br>):
names from the data go through fmt.plotly_text so that they show as the characters they are.
"""

from __future__ import annotations

import re
import textwrap

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
# « Pas de donnée », « Sans COORACE régional » and zero (the first blue of SEQUENTIAL) must not be confused:
# no data is near-white with a grey outline, no federation a mid grey, zero the palest blue.
NO_DATA = "#f4f4f4"  # an area without a value (drawn with a NO_DATA_LINE outline)
NO_DATA_LINE = "#8a9097"
NO_FEDERATION = "#b9bcc1"  # an area outside every COORACE régional
BACKGROUND = "#eceff3"  # départements under the points of a point map
TILE = "#f3f5f8"  # key figure tiles
BADGE, BADGE_INK = "#fff4cc", "#5c4400"  # « données de démonstration »
BRAND = "#C8102E"  # the dashboard's primary colour (.streamlit/config.toml)


def _labels(values) -> list[str]:
    """Category names as plotly shows them literally (data, not markup)."""
    return [fmt.plotly_text(v) for v in values]


NOTE = re.compile(r"^(\S{1,12}) \((.+)\)$")  # « prox (libellé abrégé de la source) »: a short label and its note
NOTE_MARKS = "¹²³⁴⁵⁶⁷⁸⁹"


def short_labels(values) -> tuple[list[str], list[str]]:
    """Labels with their parenthesised notes moved to footnotes: (« prox ¹ », …), (« ¹ prox : libellé… », …).

    A long label like « prox (libellé abrégé de la source) » would take half a phone's width; the bar
    keeps the short form with a mark, the note is printed under the chart and shown on hover."""
    shown, notes = [], []
    for value in values:
        match = NOTE.match(str(value))
        if match is None or len(notes) >= len(NOTE_MARKS):
            shown.append(str(value))
            continue
        mark = NOTE_MARKS[len(notes)]
        shown.append(f"{match.group(1)} {mark}")
        notes.append(f"{mark} {match.group(1)} : {match.group(2)}")
    return shown, notes


NOTE_WIDTH = 52  # characters of a footnote line: about 340 px at 12 px, a phone's chart width


def _footnotes(fig: go.Figure, notes: list[str], below: int = 0) -> None:
    """Notes printed under the plot area (and `below` pixels more), left-aligned, room made in the bottom margin."""
    if not notes:
        return
    # plotly does not wrap text: long notes are cut into lines a phone's width can hold
    lines = [line for n in notes for line in textwrap.wrap(n, NOTE_WIDTH, subsequent_indent="   ")]
    fig.add_annotation(text="<br>".join(fmt.plotly_text(n) for n in lines), x=0, y=0, xref="paper", yref="paper",
                       xanchor="left", yanchor="top", yshift=-8 - below, showarrow=False, align="left",
                       font={"size": 12, "color": GREY})
    fig.update_layout(margin={"b": fig.layout.margin.b + 8 + 17 * len(lines)})


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


BAR_SLOT = 56  # pixels per bar when its label is written above it
BAR_GAP = 0.5  # share of a slot left empty: the label sits in it
TOP_SLOT = 0.5  # share of a slot above the first bar, for its label
LABEL_ROOM = 4  # top margin
LEGEND_LINE = 22  # pixels per line of a legend


def _bars_height(n: int) -> int:
    """Pixels for n bars with their labels above them."""
    return round(BAR_SLOT * (n + TOP_SLOT)) + LABEL_ROOM


def _labels_above(fig: go.Figure, n: int, height: int) -> None:
    """Category labels written above their bars, from the left edge: the bars get the whole width at any
    width (a phone included) and a long label is never cut. Labels stay the y axis' tick labels, drawn
    inside the plot area (plotly hides inside labels that overflow it: the axis gets half a slot on top)."""
    plot_height = height - fig.layout.margin.t - fig.layout.margin.b
    slot = plot_height / (n + TOP_SLOT)
    shift = slot * (1 - BAR_GAP) / 2 + 1
    fig.update_yaxes(ticklabelposition="inside top", ticklabelshift=-round(shift), ticklabelstandoff=6,
                     ticks="", showline=False, automargin=False, range=[-0.5, n - 0.5 + TOP_SLOT],
                     tickfont={"size": 13, "color": INK})
    fig.update_layout(bargap=BAR_GAP, margin={"l": 6})


def bar(
    df: pd.DataFrame,
    label_col: str,
    value_col: str,
    unit: str = "nombre",
    colour_col: str | None = None,
    horizontal: bool = True,
    height: int | None = None,
    key_col: str | None = None,
    labels_above: bool = False,
) -> go.Figure:
    """A sorted bar chart with values printed on the bars in French format.

    colour_col holds structure-type codes (coloured with TYPE_COLOURS) or is None
    (one accent colour). key_col goes to customdata so a click can select the bar.
    labels_above (horizontal bars) writes each label above its bar instead of at its left.
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
    above = labels_above and horizontal
    default_height = _bars_height(len(data)) + 10 if above else max(220, 36 * len(data) + 40)
    fig = base_layout(go.Figure(trace), height or default_height)
    axis = {"showgrid": False, "showticklabels": False, "zeroline": False}
    if horizontal:
        fig.update_xaxes(**axis, range=[0, data[value_col].max() * 1.3])
        fig.update_yaxes(automargin=True)
        fig.update_layout(margin={"r": 60})
        if above:
            fig.update_layout(margin={"t": LABEL_ROOM, "r": 10})
            _labels_above(fig, len(data), fig.layout.height)
    else:
        fig.update_yaxes(**axis, range=[0, data[value_col].max() * 1.2])
        fig.update_xaxes(tickangle=0)  # never sideways: long labels are wrapped by the caller
    return fig


SMALL_SHARE = 12  # % : a segment narrower than this has its value written beside the label, not inside
TINY_SHARE = 5  # % : the same on a slide, whose bars are wider
TICK_ROOM = 28  # pixels of the value axis' tick labels, under which footnotes start


def stacked_shares(
    df: pd.DataFrame,
    category_col: str,
    series_col: str,
    value_col: str,
    colours: dict[str, str],
    height: int | None = None,
    labels_above: bool = False,
) -> go.Figure:
    """100 % stacked horizontal bars (e.g. public funding vs own revenue by structure type).

    Values are written horizontally inside their segment; a segment too narrow for its value gets it
    written beside the category label (with labels_above) or on hover only. Labels with a
    parenthesised note get a footnote (short_labels)."""
    categories = list(dict.fromkeys(df[category_col]))
    short, notes = short_labels(categories)
    shown = dict(zip(categories, _labels(short)))
    ticks = dict(shown)
    fig = go.Figure()
    for series, colour in colours.items():
        part = df[df[series_col] == series]
        name = fmt.plotly_text(series)
        values = pd.to_numeric(part[value_col], errors="coerce")
        small = SMALL_SHARE if labels_above else TINY_SHARE
        inside = [fmt.percent(v) if pd.isna(v) or v >= small else "" for v in values]
        for category, v in zip(part[category_col], values):
            if pd.notna(v) and v < small:
                ticks[category] += f" — {name} : {fmt.percent(v)}"
        fig.add_bar(
            x=values, y=[shown[c] for c in part[category_col]], name=name, orientation="h", marker_color=colour,
            text=inside, textposition="inside", insidetextanchor="middle", textangle=0,
            customdata=[fmt.percent(v) for v in values], meta=[fmt.plotly_text(c) for c in part[category_col]],
            hovertemplate="%{meta} — %{fullData.name} : %{customdata}<extra></extra>",
        )
    n = len(categories)
    fig.update_xaxes(range=[0, 100], ticksuffix=" %", showgrid=False)
    fig.update_yaxes(automargin=True, tickvals=[shown[c] for c in categories],
                     ticktext=[ticks[c] for c in categories])
    if not labels_above:
        base_layout(fig, height or 320)
        fig.update_layout(barmode="stack", showlegend=True,
                          legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0})  # above: notes below
        _footnotes(fig, notes, below=TICK_ROOM)
        if notes:  # the tick labels' room too
            fig.update_layout(margin={"b": fig.layout.margin.b + TICK_ROOM})
        return fig
    # legend under the bars, one series a line, then the notes: heights known, nothing overlaps
    legend_height = LEGEND_LINE * len(colours)
    bottom = 8 + legend_height + 8
    base_layout(fig, (height or _bars_height(n)) + bottom + 17 * len(notes) + (8 if notes else 0))
    fig.update_layout(barmode="stack", showlegend=True, margin={"t": LABEL_ROOM, "b": bottom},
                      legend={"orientation": "v", "x": 0, "xanchor": "left", "y": 0, "yanchor": "top",
                              "traceorder": "normal", "tracegroupgap": 0})
    fig.update_xaxes(showticklabels=False, zeroline=False)
    # first category on top, axis not reversed (labels are shifted up, the axis' positive direction)
    fig.update_yaxes(categoryorder="array", categoryarray=[shown[c] for c in reversed(categories)])
    _labels_above(fig, n, fig.layout.height - 17 * len(notes) - (8 if notes else 0))
    _footnotes(fig, notes, below=legend_height + 8)
    return fig


def donut(df: pd.DataFrame, label_col: str, value_col: str, unit: str = "%", colours: list[str] | None = None,
          height: int = 340, legend_below: bool = False) -> go.Figure:
    """A donut for a split into a few shares; values printed in French outside their slice.

    legend_below puts the legend under the donut, one line per share: no slice or value is hidden
    behind it and the donut keeps the whole width on a phone."""
    n = len(df)
    fig = go.Figure(go.Pie(
        labels=_labels(df[label_col]), values=df[value_col], hole=0.55, sort=False,
        text=[fmt.with_unit(v, unit) for v in df[value_col]], textinfo="text", textposition="outside",
        marker={"colors": list(colours or SERIES_COLOURS)},
        hovertemplate="%{label} : %{text}<extra></extra>",
        domain={"y": [0, 1]},
    ))
    if legend_below:  # the legend's lines, then a gap for the lowest value, then the donut with room on its sides
        legend_room = LEGEND_LINE * n + 8
        base_layout(fig, height + legend_room)
        # a share of the width on each side for the values written outside (about 40 px on a phone)
        fig.update_traces(domain={"x": [0.12, 0.88], "y": [(legend_room + 24) / (height + legend_room - 30), 1]})
        fig.update_layout(showlegend=True, legend={"orientation": "v", "x": 0, "y": 0, "xanchor": "left",
                                                   "yanchor": "bottom", "font": {"size": 14}},
                          margin={"l": 4, "r": 4, "t": 30, "b": 0})
        return fig
    base_layout(fig, height)
    # outside labels need room on every side, or plotly clips them at the figure's edge
    fig.update_layout(showlegend=True, legend={"orientation": "v", "x": 1.02, "y": 0.5},
                      margin={"l": 50, "r": 10, "t": 30, "b": 30})
    return fig


LEGEND_NAMES = {"structure_type": "type_label"}  # a points map's colour codes and the column naming them
POINTS_NAME = "Localisation"  # the legend of a points map with one colour, when its chart names no series


def block_figure(chart, data: pd.DataFrame, height: int | None = None, font_size: float | None = None,
                 width: int | None = None) -> go.Figure:
    """The plotly figure of a block's chart spec (observatoire.blocks.Chart): the one drawing of each chart kind
    for the pages, the full-screen slides and the deck's images. font_size None keeps the page's sizes."""
    value = chart.value_cols[0] if chart.value_cols else None
    size = font_size or 14
    page = font_size is None  # pages fit any width, a phone's included; slides have a known size
    if chart.kind in ("bar", "column") and len(chart.value_cols) > 1:  # a figure in two years, side by side
        from observatoire.grouped_bars import grouped

        fig = grouped(data, chart.category_col, chart.value_cols, chart.names(),
                      chart.series_colours or SERIES_COLOURS, unit=chart.unit, horizontal=chart.kind == "bar",
                      height=height, labels_above=page)
        if font_size:
            fig.update_traces(textfont_size=font_size)
            fig.update_layout(legend={"font": {"size": font_size}})
    elif chart.kind in ("bar", "column"):
        fig = bar(data, chart.category_col, value, unit=chart.unit, colour_col=chart.colour_col,
                  horizontal=chart.kind == "bar", height=height, labels_above=page)
        if font_size:
            fig.update_traces(textfont_size=font_size)
            if chart.kind == "bar":
                fig.update_layout(margin={"r": font_size * 3})
    elif chart.kind == "stacked":
        long = data.melt(id_vars=chart.category_col, value_vars=list(chart.value_cols), var_name="series",
                         value_name="value")
        fig = stacked_shares(long, chart.category_col, "series", "value",
                             dict(zip(chart.value_cols, chart.series_colours or SERIES_COLOURS)),
                             height=height or (None if page else 320), labels_above=page)
        fig.update_traces(textfont_size=size, textfont_color="white")
        if not page:
            fig.update_yaxes(autorange="reversed")
            fig.update_layout(legend={"font": {"size": size}, "y": 1.0, "yanchor": "bottom", "traceorder": "normal"},
                              uniformtext={"minsize": size, "mode": "show"})  # every share written, 18 px at least
    elif chart.kind == "doughnut":
        fig = donut(data, chart.category_col, value, unit=chart.unit, colours=chart.series_colours or None,
                    height=height or 340, legend_below=page)
        if font_size:
            fig.update_traces(textfont_size=font_size)
            fig.update_layout(legend={"font": {"size": font_size}}, margin={"l": 20, "r": 20, "t": 30, "b": 30})
    elif chart.kind == "map":
        from observatoire import maps

        # the block's territory, outlined and shown with its neighbours
        fig = maps.choropleth(data, chart.level, value, unit=chart.unit, value_name=chart.names()[0],
                              height=height or 520, width=width or maps.WIDTH_HINT,
                              focus=chart.zoom_to[1] if chart.zoom_to else None, legend_below=page,
                              classes=chart.classes, class_labels=chart.class_labels,
                              class_method=chart.class_method, light=page)
        if font_size:
            fig.update_layout(legend={"font": {"size": font_size * 0.8}})
            fig.update_annotations(font_size=max(font_size * 0.5, 10))  # the map credit
    elif chart.kind == "points":
        from observatoire import point_map

        focus = chart.zoom_to[1] if chart.zoom_to and page else None
        fig = point_map.points_map(data, "lon", "lat", chart.hover, colour_col=chart.colour_col, dep_col="dep_code",
                                   radius_px=chart.radius, height=height or 460, fit=chart.zoom_to is not None,
                                   focus=focus, legend_col=LEGEND_NAMES.get(chart.colour_col),
                                   name=(chart.series_names or (POINTS_NAME,))[0] if page else "",
                                   legend_below=page, light=page, **({"width": width} if width else {}))
    else:
        raise ValueError(f"Type de graphique inconnu : {chart.kind}")
    if font_size:
        fig.update_layout(font={"size": font_size})
    if width:
        fig.update_layout(width=width)
    return fig
