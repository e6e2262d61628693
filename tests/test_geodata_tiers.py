"""Location tiers as data (issue 21): the tier, not a placeholder point, decides geometry and district."""

import pytest
from shapely.geometry import Point

from core.vocab import LOCATION_TIERS
from layers import catalog, park_sites, parks, resources
from layers.base import by_district, located, read_layer, schema_problems, unlocated

TIERED = ["resources", "parks", "park_sites"]
#: The made-up points the placeholders used to stand at (city reference point, 黄岛 reference point).
PLACEHOLDERS = [(120.302437, 36.362115), (119.885477, 35.860505)]


@pytest.fixture(scope="module", params=TIERED)
def layer_frame(request):
    layer = catalog.get(request.param)
    return layer, read_layer(layer)


def test_every_feature_has_a_tier(layer_frame):
    _, gdf = layer_frame
    assert gdf["location_tier"].isin(LOCATION_TIERS).all()


def test_city_tier_has_no_geometry_and_no_district(layer_frame):
    _, gdf = layer_frame
    city = gdf[gdf["location_tier"] == "city"]
    assert city.geometry.isna().all()
    assert (city["district"].fillna("") == "").all()


def test_district_tier_is_never_a_point(layer_frame):
    _, gdf = layer_frame
    part = gdf[gdf["location_tier"] == "district"]
    assert not part.geometry.geom_type.eq("Point").any()
    assert part.geometry.isna().all()  # the choice: no geometry, a per-district list with counts
    assert part["district"].str.len().gt(0).all()


def test_nothing_stands_at_a_placeholder_point(layer_frame):
    _, gdf = layer_frame
    pts = located(gdf).geometry
    for x, y in PLACEHOLDERS:
        assert not any(g.distance(Point(x, y)) < 1e-6 for g in pts), (x, y)


def test_tier_counts_of_the_committed_layers():
    res = read_layer(resources.LAYER)
    counts = res["location_tier"].value_counts().to_dict()
    assert sum(counts.values()) == len(res) == 82
    assert len(located(res)) == counts.get("site", 0) + counts.get("street", 0)
    assert len(unlocated(res, "city")) == counts["city"]
    assert sum(len(v) for v in by_district(res).values()) == counts["district"]
    assert "res_china_ocean_eng_inst" in set(unlocated(res, "city")["id"])  # no district is published
    assert "res_uhrs" in set(located(res)["id"])  # 康复大学: its published site (issue 21)
    assert set(unlocated(read_layer(parks.LAYER), "city")["id"]) == {"park_future_tech"}


def test_jimo_holds_only_features_known_to_be_in_jimo():
    res = read_layer(resources.LAYER)
    jimo = res[res["district"] == "jimo"]
    assert not (jimo["location_tier"] == "city").any()
    assert len(jimo) < 28  # was 28, 20 of them city-only placeholders


@pytest.mark.parametrize("name", TIERED)
def test_placeholder_given_a_point_fails_validation(name):
    layer = catalog.get(name)
    gdf = read_layer(layer)
    assert schema_problems(gdf, layer) == []
    i = gdf.index[gdf["location_tier"].isin(["district", "city"])][0]
    gdf.loc[i, "geometry"] = Point(120.302437, 36.362115)
    assert any("has a geometry" in p for p in schema_problems(gdf, layer))


@pytest.mark.parametrize("name", ["resources", "parks"])
def test_city_feature_given_a_district_fails_validation(name):
    layer = catalog.get(name)
    gdf = read_layer(layer)
    i = gdf.index[gdf["location_tier"] == "city"][0]
    gdf.loc[i, "district"] = "jimo"
    assert any("known only to the city" in p for p in schema_problems(gdf, layer))


def test_placed_feature_without_geometry_fails_validation():
    gdf = read_layer(park_sites.LAYER)
    i = gdf.index[gdf["location_tier"] == "street"][0]
    gdf.loc[i, "geometry"] = None
    assert any("empty geometry" in p for p in schema_problems(gdf, park_sites.LAYER))


def test_unknown_tier_fails_validation():
    gdf = read_layer(resources.LAYER)
    gdf.loc[gdf.index[0], "location_tier"] = "near"
    assert any("location_tier" in p for p in schema_problems(gdf, resources.LAYER))
