"""Map builders on the real geometry of data/geo: SVG choropleths that request nothing, views that
fit France or a territory in focus, the MapLibre variant with a basemap, the points map, the deck image."""

from __future__ import annotations

import json
from urllib.parse import unquote

import pandas as pd
import plotly.graph_objects as go
import pytest
import shapely

from observatoire import charts, deck, fmt, geo, geocode, map_view, maps, point_map

AREAS = (go.Choropleth, go.Choroplethmap)


@pytest.fixture(autouse=True)
def no_basemap(monkeypatch):
    monkeypatch.delenv(maps.BASEMAP_ENV, raising=False)


def _choropleth_traces(fig: go.Figure) -> list:
    return [t for t in fig.data if isinstance(t, AREAS)]


def _box(bounds) -> shapely.Polygon:
    return shapely.box(*bounds)


@pytest.mark.parametrize("level, budget_kb", [
    ("departement", 300), ("region_2014", 120), ("region_2016", 120), ("federation", 120),
])
def test_choropleth_has_one_location_per_territory_and_a_small_payload(level, budget_kb):
    layer = geo.load_layer(level)
    df = pd.DataFrame({"territory_id": layer.territory_id[::2], "value": range(len(layer.territory_id[::2]))})
    fig = maps.choropleth(df, level, "value", value_name="Adhérents", unit="nombre")
    locations = [loc for t in _choropleth_traces(fig) for loc in t.locations]
    expected = list(layer.territory_id)
    if level == "federation":
        expected += list(geo.regions_without_federation().territory_id)
    assert sorted(locations) == sorted(expected) and len(locations) == len(set(locations))
    for trace in _choropleth_traces(fig):
        assert [row[0] for row in trace.customdata] == list(trace.locations)
        assert {f["id"] for f in trace.geojson["features"]} == set(trace.locations)
    coloured = [t for t in _choropleth_traces(fig) if t.showscale is not False]
    assert len(coloured) == 1 and sorted(coloured[0].locations) == sorted(df.territory_id)
    assert "http" not in fig.to_json()
    size = geojson_bytes(fig)
    print(f"{level}: GeoJSON de la figure {size / 1024:.0f} Ko")
    assert size <= budget_kb * 1024


def geojson_bytes(fig: go.Figure) -> int:
    """Bytes of GeoJSON the figure sends to the browser (compact JSON, all traces)."""
    payload = json.loads(fig.to_json())
    return sum(len(json.dumps(t["geojson"], separators=(",", ":"), ensure_ascii=False).encode())
               for t in payload["data"] if "geojson" in t)


def test_choropleth_is_an_svg_map_of_france_and_its_insets_with_no_world_topology():
    fig = maps.choropleth(pd.DataFrame({"territory_id": ["fed-bretagne"], "v": [12]}), "federation", "v")
    areas = _choropleth_traces(fig)
    assert areas and all(isinstance(t, go.Choropleth) and t.featureidkey == "id" for t in areas)
    assert not any(isinstance(t, (go.Choroplethmap, go.Scattermap)) for t in fig.data)  # no WebGL, no MapLibre
    view = fig.layout.geo
    assert view.visible is False and view.projection.type == "mercator" and view.fitbounds is False
    shown = _box((view.lonaxis.range[0], view.lataxis.range[0], view.lonaxis.range[1], view.lataxis.range[1]))
    assert shown.contains(_box(geo.layout_bounds()))  # metropolitan France and the five inset frames
    # plotly.js loads a world topology for a geo subplot: given inline, empty, nothing to fetch
    assert maps.PLOTLY_CONFIG["topojsonURL"] == maps.TOPOJSON_URL
    scheme, _, body = maps.TOPOJSON_URL.partition(",")
    assert scheme == "data:application/json" and body.endswith("#")
    topology = json.loads(unquote(body[:-1]))
    assert topology["type"] == "Topology" and topology["arcs"] == []
    assert {"land", "coastlines", "countries", "subunits"} <= set(topology["objects"])
    assert all(o["geometries"] == [] for o in topology["objects"].values())


def test_inset_names_are_plain_text_inside_their_frames():
    fig = maps.choropleth(pd.DataFrame({"territory_id": ["dep-31"], "v": [1]}), "departement", "v")
    names = next(t for t in fig.data if isinstance(t, go.Scattergeo) and t.mode == "text")
    assert list(names.text) == ["Guyane", "Guadeloupe", "Martinique", "Mayotte", "La Réunion"]
    frames = geo.inset_frames()
    for lon, lat, frame in zip(names.lon, names.lat, frames.geometry):
        assert frame.contains(shapely.Point(lon, lat))


@pytest.mark.parametrize("territory, level", [("dep-31", "departement"), ("reg-bretagne", "region_2014")])
def test_a_territory_in_focus_is_outlined_and_shown_with_its_neighbours(territory, level):
    fig = maps.choropleth(pd.DataFrame({"territory_id": ["dep-31"], "v": [5]}), "departement", "v", focus=territory)
    outline = next(t for t in fig.data if t.name == "contour du territoire")
    shape = map_view.focus_shape(territory)
    points = [shapely.Point(x, y) for x, y in zip(outline.lon, outline.lat) if x is not None]
    assert len(points) > 20 and all(shape.boundary.distance(p) < 1e-3 for p in points)
    view = fig.layout.geo
    shown = _box((view.lonaxis.range[0], view.lataxis.range[0], view.lonaxis.range[1], view.lataxis.range[1]))
    assert shown.contains(shape)
    assert shown.area < _box(map_view.view_bounds()).area / 4  # zoomed in
    layer = geo.france_layout(geo.load_layer(level))
    neighbours = layer[layer.geometry.intersects(shape.buffer(0.01)) & (layer.territory_id != territory)]
    assert len(neighbours) >= 2
    assert all(shown.contains(g.representative_point()) for g in neighbours.geometry), list(neighbours.territory_id)


def test_an_unknown_focus_shows_all_of_france_without_outline():
    fig = maps.choropleth(pd.DataFrame({"territory_id": ["dep-31"], "v": [5]}), "departement", "v", focus="FR")
    assert not [t for t in fig.data if t.name == "contour du territoire"]
    assert tuple(fig.layout.geo.lonaxis.range) == pytest.approx(map_view.view_bounds()[0::2])


def test_choropleth_shows_regions_without_federation_in_grey():
    df = pd.DataFrame({"territory_id": ["fed-midi-pyrenees", "fed-corse"], "value": [41, 3]})
    fig = maps.choropleth(df, "federation", "value", value_name="Adhérents")
    grey = {t.name: t for t in _choropleth_traces(fig) if t.showscale is False}
    assert set(grey[geo.NO_FEDERATION_LABEL].locations) == set(geo.regions_without_federation().territory_id)
    assert "fed-alsace" in grey[maps.NO_DATA_LABEL].locations
    assert all(t.showlegend for t in grey.values())
    coloured = [t for t in _choropleth_traces(fig) if t.showscale is not False][0]
    hover = {row[0]: list(row[1:]) for row in coloured.customdata}
    assert hover["fed-midi-pyrenees"][:2] == ["COORACE Midi-Pyrénées", "Adhérents : 41"]  # then the value itself
    assert fig.layout.clickmode == "event+select" and coloured.unselected.marker.opacity == 0.35


def test_choropleth_rejects_unknown_territories():
    with pytest.raises(ValueError, match="dep-99"):
        maps.choropleth(pd.DataFrame({"territory_id": ["dep-99"], "v": [1]}), "departement", "v")


def test_basemap_is_switched_on_by_configuration(monkeypatch):
    url = "http://localhost:8080/styles/basic/style.json"
    monkeypatch.setenv(maps.BASEMAP_ENV, url)
    fig = maps.choropleth(pd.DataFrame({"territory_id": ["dep-31"], "v": [1]}), "departement", "v", focus="dep-31")
    assert fig.layout.map.style == url
    assert all(isinstance(t, go.Choroplethmap) for t in _choropleth_traces(fig))
    names = next(t for t in fig.data if t.name == "noms des encadrés")  # strokes: MapLibre would fetch glyphs
    assert isinstance(names, go.Scattermap) and names.mode == "lines"
    assert any(t.name == "contour du territoire" for t in fig.data)


def test_deck_image_of_an_svg_map_keeps_colours_and_view():
    df = pd.DataFrame({"territory_id": ["fed-bretagne", "fed-corse"], "v": [10, 40]})
    fig = maps.choropleth(df, "federation", "v", value_name="Adhérents", focus="fed-bretagne")
    image = deck.static_map(fig, 800, 500)
    filled = [t for t in image["data"] if t.get("fill") == "toself"]
    expected = sum(len(t.locations) for t in _choropleth_traces(fig))
    assert len(filled) == expected
    assert "rgb(8, 48, 107)" in {t["fillcolor"] for t in filled}  # Corse, the largest value: darkest blue
    names = [t for t in image["data"] if t.get("mode") == "text"]
    assert names and list(names[0]["text"]) == ["Guyane", "Guadeloupe", "Martinique", "Mayotte", "La Réunion"]
    w, s, e, n = map_view.view_bounds("fed-bretagne")
    x0, x1 = image["layout"]["xaxis"]["range"]
    y0, y1 = image["layout"]["yaxis"]["range"]
    assert x0 <= w and x1 >= e and y0 <= geo.mercator_y(s) + 1e-9 and y1 >= geo.mercator_y(n) - 1e-9
    assert "geo" not in image["layout"] and "map" not in image["layout"]


def test_points_map_is_an_svg_map_with_a_legend_escaped_tooltips_and_overseas_points_in_insets():
    girons, denis = geocode.commune_point("09261"), geocode.commune_point("97411")
    points = pd.DataFrame({"name": ["<b>Saint-Girons</b>", "Saint-Denis", "Sans position"],
                           "lon": [girons[0], denis[0], None], "lat": [girons[1], denis[1], None],
                           "dep": ["09", "974", None], "structure_type": ["AI", "ACI", "EI"]})
    fig = point_map.points_map(points, "lon", "lat", "<b>{name}</b><br/>{structure_type}",
                               colour_col="structure_type", dep_col="dep", fit=True)
    assert not any(isinstance(t, (go.Scattermap, go.Choroplethmap)) for t in fig.data)  # no WebGL
    markers = {t.name: t for t in fig.data if isinstance(t, go.Scattergeo) and t.mode == "markers"}
    assert set(markers) == {"AI", "ACI"} and all(t.showlegend for t in markers.values())  # EI has no position
    assert markers["AI"].marker.color == charts.TYPE_COLOURS["AI"]
    assert markers["AI"].hovertemplate == "<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>"
    assert list(markers["AI"].customdata[0]) == ["&lt;b&gt;Saint-Girons&lt;/b&gt;", "AI"]  # shown literally
    frame = geo.inset_frames().set_index("dep_code").geometry["974"]
    assert frame.contains(shapely.Point(markers["ACI"].lon[0], markers["ACI"].lat[0]))
    view = fig.layout.geo
    shown = _box((view.lonaxis.range[0], view.lataxis.range[0], view.lonaxis.range[1], view.lataxis.range[1]))
    assert all(shown.contains(shapely.Point(t.lon[0], t.lat[0])) for t in markers.values())  # fitted to the points
    assert "http" not in fig.to_json()


def test_points_map_goes_over_the_basemap_when_one_is_configured(monkeypatch):
    url = "http://localhost:8080/styles/basic/style.json"
    monkeypatch.setenv(maps.BASEMAP_ENV, url)
    points = pd.DataFrame({"name": ["Toulouse"], "lon": [1.44], "lat": [43.6]})
    fig = point_map.points_map(points, "lon", "lat", "{name}")
    assert fig.layout.map.style == url
    assert any(isinstance(t, go.Scattermap) and t.mode == "markers" for t in fig.data)


def test_no_data_no_federation_and_zero_have_three_distinct_colours():
    df = pd.DataFrame({"territory_id": ["fed-midi-pyrenees", "fed-bretagne"], "value": [0, 3]})
    fig = maps.choropleth(df, "federation", "value", value_name="Nouveaux certifiés", legend_below=True)
    grey = {t.name: t for t in _choropleth_traces(fig) if t.showscale is False}
    no_data, no_federation = grey[maps.NO_DATA_LABEL], grey[geo.NO_FEDERATION_LABEL]
    coloured = next(t for t in _choropleth_traces(fig) if t.showscale is not False)
    zero = coloured.colorscale[0][1]  # 0 is the lowest value of the scale: its first colour
    assert coloured.zmin == 0 and "fed-midi-pyrenees" in coloured.locations
    fills = {no_data.colorscale[0][1], no_federation.colorscale[0][1], zero}
    assert len({c.lower() for c in fills}) == 3, fills
    assert no_data.marker.line.color == charts.NO_DATA_LINE  # outlined: white-ish areas stay visible
    assert {no_data.name, no_federation.name} == {"Pas de donnée", "Sans COORACE régional"}


def test_a_page_map_keeps_its_legends_off_the_map():
    df = pd.DataFrame({"territory_id": ["fed-midi-pyrenees", "fed-corse"], "value": [41, 3]})
    fig = maps.choropleth(df, "federation", "value", value_name="Adhérents", legend_below=True)
    coloured = next(t for t in _choropleth_traces(fig) if t.showscale is not False)
    bar = coloured.colorbar
    assert bar.orientation == "h" and bar.y == 0 and bar.yanchor == "top"  # under the map
    assert fig.layout.margin.r == 0 and fig.layout.margin.b >= maps.COLOURBAR_ROOM  # the map gets the whole width
    assert fig.layout.legend.y == 1 and fig.layout.legend.yanchor == "bottom"  # grey areas' legend above the map
    credit = fig.layout.annotations[0]
    assert credit.yshift == -maps.COLOURBAR_ROOM and "<br>" in credit.text  # under the bar, on two lines
    side = maps.choropleth(df, "federation", "value", value_name="Adhérents")  # slides: bar on the right
    assert side.layout.margin.r == maps.COLOURBAR_MARGIN


def test_points_maps_on_pages_have_a_legend_under_the_map_with_readable_names():
    from observatoire.block import Chart

    girons, toulouse = geocode.commune_point("09261"), geocode.commune_point("31555")
    points = pd.DataFrame({"name": ["A", "B"], "lon": [girons[0], toulouse[0]], "lat": [girons[1], toulouse[1]],
                           "dep_code": ["09", "31"], "structure_type": ["AI", "ACI"],
                           "type_label": ["Associations Intermédiaires", "Ateliers et Chantiers d'Insertion"]})
    typed = Chart("points", "name", (), colour_col="structure_type", hover="{name}",
                  zoom_to=("federation", "fed-midi-pyrenees"))
    fig = charts.block_figure(typed, points)
    markers = {t.name for t in fig.data if getattr(t, "mode", None) == "markers"}
    assert markers == {fmt.plotly_text(n) for n in points.type_label}  # names, not codes
    assert fig.layout.legend.orientation == "h" and fig.layout.legend.y == 0 and fig.layout.legend.yanchor == "top"
    # a territory in focus: outlined, and the view holds it whole
    shape = map_view.focus_shape("fed-midi-pyrenees")
    view = fig.layout.geo
    shown = _box((view.lonaxis.range[0], view.lataxis.range[0], view.lonaxis.range[1], view.lataxis.range[1]))
    assert shown.contains(shape) and any(t.name == "contour du territoire" for t in fig.data)
    # one colour: still a legend entry naming the points
    plain = charts.block_figure(Chart("points", "name", (), hover="{name}"), points)
    assert [t.name for t in plain.data if getattr(t, "mode", None) == "markers"] == [charts.POINTS_NAME]
    assert plain.layout.showlegend is True


def test_page_charts_never_turn_labels_sideways_and_footnote_short_labels():
    from observatoire.block import Chart

    shares = pd.DataFrame({"type": ["AI", "prox (libellé abrégé de la source)"], "public": [11.0, 2.0],
                           "eco": [89.0, 98.0]})
    fig = charts.block_figure(Chart("stacked", "type", ("public", "eco"), unit="%"), shares)
    ticks = list(fig.layout.yaxis.ticktext)
    assert ticks == ["AI — public : 11\u00a0%", "prox ¹ — public : 2\u00a0%"]  # too narrow to hold their value
    assert all(t.textangle == 0 for t in fig.data)
    assert fig.layout.annotations[0].text == "¹ prox : libellé abrégé de la source"
    assert fig.layout.yaxis.ticklabelposition == "inside top"  # labels above the bars, the width to the bars
    donut = charts.block_figure(Chart("doughnut", "type", ("public",), unit="%"), shares)
    assert donut.layout.legend.y == 0 and donut.layout.legend.yanchor == "bottom"  # under the donut
    assert donut.data[0].domain.y[0] > 0 and donut.data[0].textposition == "outside"
    bars = charts.block_figure(Chart("bar", "type", ("public",), unit="%"), shares)
    assert bars.layout.yaxis.ticklabelposition == "inside top" and bars.layout.margin.l < 10
    slide = charts.block_figure(Chart("bar", "type", ("public",), unit="%"), shares, font_size=20)
    assert slide.layout.yaxis.ticklabelposition is None  # slides keep their labels on the left


def _coordinates(fig: go.Figure) -> int:
    return sum(shapely.get_num_coordinates(shapely.from_geojson(json.dumps(f["geometry"])))
               for t in _choropleth_traces(fig) for f in t.geojson["features"])


def _shapes(fig: go.Figure) -> dict[str, shapely.Geometry]:
    return {f["id"]: shapely.from_geojson(json.dumps(f["geometry"]))
            for t in _choropleth_traces(fig) for f in t.geojson["features"]}


@pytest.mark.parametrize("level", ["departement", "region_2014", "federation"])
def test_a_page_national_map_draws_lighter_outlines_that_still_tile_france(level):
    layer = geo.load_layer(level)
    df = pd.DataFrame({"territory_id": layer.territory_id, "value": range(len(layer))})
    full = maps.choropleth(df, level, "value", legend_below=True)
    light = maps.choropleth(df, level, "value", legend_below=True, light=True)
    assert _coordinates(light) < 0.6 * _coordinates(full)
    full_shapes, light_shapes = _shapes(full), _shapes(light)
    assert light_shapes.keys() == full_shapes.keys()  # the uncovered régions of a federation map included
    for territory, shape in light_shapes.items():
        assert shape.is_valid and not shape.is_empty, territory
        # clockwise outer rings, as in data/geo: d3-geo fills the rest of the globe around a counter-clockwise one
        assert not any(shapely.is_ccw(part.exterior) for part in shapely.get_parts(shape)), territory
        # each territory stays where it is: a pixel or two on its outline at most (Paris the smallest)
        assert shapely.hausdorff_distance(shape, full_shapes[territory]) < 0.2, territory
    # borders stay shared: no gap nor overlap between neighbours
    total = sum(s.area for s in light_shapes.values())
    assert shapely.union_all(list(light_shapes.values())).area == pytest.approx(total, rel=1e-6)
    assert total == pytest.approx(sum(s.area for s in full_shapes.values()), rel=0.01)


def test_a_zoomed_page_map_keeps_full_outlines_in_view_and_slides_keep_them_all():
    layer = geo.load_layer("departement")
    df = pd.DataFrame({"territory_id": layer.territory_id, "value": range(len(layer))})
    slide = maps.choropleth(df, "departement", "value", focus="fed-midi-pyrenees")
    page = maps.choropleth(df, "departement", "value", legend_below=True, light=True, focus="fed-midi-pyrenees")
    assert _coordinates(slide) == _coordinates(maps.choropleth(df, "departement", "value"))
    assert _coordinates(page) < 0.7 * _coordinates(slide)
    full, shown = _shapes(slide), _shapes(page)
    in_view = {t for t, shape in full.items() if shape.intersects(_box(map_view.view_bounds("fed-midi-pyrenees")))}
    assert {"dep-31", "dep-09", "dep-11", "dep-33"} <= in_view  # Toulouse's federation and its neighbours
    assert all(shown[t].equals_exact(full[t], 1e-9) for t in in_view)
    assert not shown["dep-59"].equals_exact(full["dep-59"], 1e-9)  # far off the view: light
    assert maps.view_tolerance(True) == maps.LIGHT_TOLERANCE and maps.view_tolerance(False) == 0.0


def test_points_maps_on_pages_draw_light_outlines_where_they_do_not_show_at_first():
    df = pd.DataFrame({"lon": [1.44, 2.35], "lat": [43.6, 48.86], "nom": ["A", "B"], "dep": ["31", "75"]})

    def background_coordinates(**kwargs) -> int:
        fig = point_map.points_map(df, "lon", "lat", "{nom}", dep_col="dep", **kwargs)
        return _coordinates(fig)

    full = background_coordinates()
    assert background_coordinates(light=True) < 0.6 * full
    assert 0.6 * full < background_coordinates(light=True, focus="fed-midi-pyrenees") < 0.9 * full
    assert background_coordinates(fit=True) == background_coordinates(focus="fed-midi-pyrenees") == full
