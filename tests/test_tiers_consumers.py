"""No consumer places a feature known only to its district or the city anywhere (issue 21)."""

import geopandas as gpd
import pytest
from shapely.geometry import Point

from analysis.tiers import n_unlocated, placed_points, with_district_tier
from layers import districts, resources


@pytest.fixture(scope="module")
def res():
    return resources.load()


def test_placed_points_leaves_out_district_and_city_tiers(res):
    pts = placed_points(res)
    assert set(pts["location_tier"]) <= {"site", "street"}
    assert pts.geometry.notna().all()
    left = pts.attrs["unlocated"]
    assert set(left) == {"district", "city"}
    assert len(left["city"]) == (res["location_tier"] == "city").sum()
    assert n_unlocated(pts) + len(pts) == len(res)


def test_district_counts_include_district_tier(res):
    from analysis.density import counts_by_zone

    pts = placed_points(res)
    table = with_district_tier(counts_by_zone(pts, districts.load(), zone_id="id"), res)
    by = table.set_index("zone")
    expected = res[res["location_tier"] == "district"]["district"].value_counts()
    for d, n in expected.items():
        assert by.loc[d, "district_tier"] == n
        assert by.loc[d, "count_in_district"] == by.loc[d, "count"] + n
    assert by["district_tier"].sum() == (res["location_tier"] == "district").sum()
    # the city-only features are in no district's count
    assert by["count_in_district"].sum() == len(res) - (res["location_tier"] == "city").sum() - _outside(pts)


def _outside(pts):
    land = districts.load().union_all()
    return int((~pts.geometry.within(land)).sum())


def test_toy_frame():
    gdf = gpd.GeoDataFrame({"id": ["a", "b", "c"], "location_tier": ["site", "district", "city"],
                            "district": ["jimo", "jimo", ""]},
                           geometry=[Point(120.45, 36.39), None, None], crs="EPSG:4326")
    pts = placed_points(gdf)
    assert pts["id"].tolist() == ["a"]
    assert pts.attrs["unlocated"] == {"district": ["b"], "city": ["c"]}
