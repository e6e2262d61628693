"""Matrices, isochrones, indices, critical links and scenarios on toy networks."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from analysis.access import attach_points
from analysis.connectivity import (
    Scenario,
    compile_network,
    corridor_indices,
    gravity_accessibility,
    ideal_matrix,
    isochrones,
    travel_time_matrix,
)
from analysis.network import build_network
from analysis.scenarios import compare_scenarios, critical_links, isochrone_change, link_geometries
from core.crs import MEASURE_CRS
from tests.toy_network import TOY_CONFIG, metro_frames, metro_points, pt, two_route_links, two_route_points


@pytest.fixture
def two_route():
    graph = build_network(links=two_route_links(), config=TOY_CONFIG)
    return compile_network(attach_points(graph, two_route_points(), config=TOY_CONFIG))


@pytest.fixture
def metro_net():
    stations, lines = metro_frames()
    graph = build_network(metro_stations=stations, metro_lines=lines, config=TOY_CONFIG)
    return compile_network(attach_points(graph, metro_points(), config=TOY_CONFIG))


def test_two_route_times_with_and_without_the_bridge(two_route):
    # 2 min drive + 7.5 min bridge + 2 min drive; without it 2 + 18 + 2
    with_bridge = travel_time_matrix(two_route, ["fac:A"], ["fac:B"], modes="car")
    without = travel_time_matrix(two_route, ["fac:A"], ["fac:B"], modes="car",
                                 scenario=Scenario("no bridge", remove_links=("bridge",)))
    assert with_bridge.iloc[0, 0] == pytest.approx(11.5)
    assert without.iloc[0, 0] == pytest.approx(22.0)


def test_critical_links_rank_the_bridge_first(two_route):
    ranking = critical_links(two_route, ["fac:A", "fac:B"], modes="car")
    top = ranking.iloc[0]
    assert top["link"] == "bridge"
    assert top["delta_min"] == pytest.approx(10.5)
    assert ranking.set_index("link").loc["detour", "delta_min"] == pytest.approx(0.0)
    assert ranking.attrs["params"]["config_id"] == two_route.config_id


def test_matrix_is_symmetric_where_the_network_is(two_route, metro_net):
    m = travel_time_matrix(two_route, ["fac:A", "fac:B"], modes="car")
    np.testing.assert_allclose(m.to_numpy(), m.to_numpy().T)
    t = travel_time_matrix(metro_net, ["fac:f1", "fac:f3"], modes="transit")
    np.testing.assert_allclose(t.to_numpy(), t.to_numpy().T)


def test_metro_trip_by_hand(metro_net):
    # walk 5 + wait 4 + two sections of 3.5 + alight 1 + walk 5 = 22
    m = travel_time_matrix(metro_net, ["fac:f1"], ["fac:f3"], modes="transit")
    assert m.iloc[0, 0] == pytest.approx(22.0)
    assert m.attrs["params"]["modes"] == "transit"
    assert m.attrs["params"]["config_id"] == metro_net.config_id


def test_line_change_pays_the_wait_again_and_status_switches_it(metro_net):
    today = travel_time_matrix(metro_net, ["fac:f1"], ["fac:f4"], modes="transit")
    built = travel_time_matrix(metro_net, ["fac:f1"], ["fac:f4"], modes="transit",
                               scenario=Scenario("built", "today+construction"))
    # f4 is 400 m from s4, which only the unbuilt line 2 serves; s2-s4 is 2 km, too far to walk.
    # built: walk 5 + wait 4 + s1-s2 3.5 + alight 1 + wait 4 (line change) + s2-s4 3.5 + alight 1 + walk 5
    expected = 5 + 4 + 3.5 + 1 + 4 + 3.5 + 1 + 5
    assert built.iloc[0, 0] == pytest.approx(expected)
    assert today.iloc[0, 0] > built.iloc[0, 0]


def test_car_mode_ignores_the_metro(metro_net):
    m = travel_time_matrix(metro_net, ["fac:f1"], ["fac:f3"], modes="car")
    assert np.isinf(m.iloc[0, 0])


def test_unknown_node_is_a_clear_error(metro_net):
    with pytest.raises(ValueError, match="attach points first"):
        travel_time_matrix(metro_net, ["fac:nowhere"])


def test_isochrone_contains_and_excludes_known_points(metro_net):
    iso = isochrones(metro_net, "fac:f1", cutoffs=(20,), modes="transit").to_crs(MEASURE_CRS)
    area = iso.geometry.iloc[0]
    # s3 hub is reached at 5 + 4 + 7 + 1 = 17 min: 3 min left = 240 m of walking
    assert area.contains(pt(4_000, 200))
    assert not area.contains(pt(4_000, 300))
    # the origin's own walk is capped at walk_max_m (1200 m)
    assert area.contains(pt(0, -1_500)) and not area.contains(pt(-1_700, -400))


def test_isochrones_are_nested_and_stored_in_wgs84(metro_net):
    iso = isochrones(metro_net, "fac:f1", cutoffs=(30, 15), modes="transit")
    assert iso.crs.to_epsg() == 4326
    assert iso["cutoff_min"].tolist() == [15.0, 30.0]
    assert iso.to_crs(MEASURE_CRS).geometry.iloc[1].contains(iso.to_crs(MEASURE_CRS).geometry.iloc[0].buffer(-1))
    assert iso.attrs["params"]["method"] == "reached nodes + access buffer"


def test_corridor_indices_by_hand():
    m = pd.DataFrame([[0, 30, 90], [30, 0, np.inf], [90, np.inf, 0]], index=list("abc"), columns=list("abc"))
    idx = corridor_indices(m, threshold_min=60)
    assert idx["pairs"] == 6
    assert idx["mean_min"] == pytest.approx(60.0)  # (30+30+90+90)/4
    assert idx["worst_min"] == 90
    assert idx["unreachable_pairs"] == 2
    assert idx["share_within"] == pytest.approx(2 / 6)
    assert idx["efficiency"] == pytest.approx((2 / 30 + 2 / 90) / 6)
    ideal = pd.DataFrame(15.0, index=list("abc"), columns=list("abc"))
    assert corridor_indices(m, ideal=ideal)["efficiency_norm"] == pytest.approx(idx["efficiency"] / (1 / 15))


def test_gravity_accessibility_by_hand():
    m = pd.DataFrame([[0, 30], [30, 0]], index=["a", "b"], columns=["a", "b"], dtype=float)
    g = gravity_accessibility(m, pd.Series({"a": 2.0, "b": 10.0}), tau_min=30)
    assert g["a"] == pytest.approx(10 * np.exp(-1))
    assert g["b"] == pytest.approx(2 * np.exp(-1))


def test_ideal_matrix_is_straight_line_time(two_route):
    ideal = ideal_matrix(two_route, ["fac:A", "fac:B"], speed_kmh=60)
    assert ideal.loc["fac:A", "fac:B"] == pytest.approx(12.0)  # 12 km at 1 km/min


def test_compare_scenarios_adds_the_planned_line(metro_net):
    nodes = ["fac:f1", "fac:f3", "fac:f4"]
    res = compare_scenarios(metro_net, nodes, modes="transit", base=Scenario(),
                            alt=Scenario("line 2", add_links=("m2",)))
    # f4's own station s4 is served only by line 2 (not running): today a feeder bus takes it to s2,
    # 5 min wait + 2,040 m x 1.4 at 20 km/h, then line 1 to s1 and a 5 min walk
    feeder = 5 + np.hypot(400, 2_000) * 1.4 / 1000 / 20 * 60
    assert res["before"].loc["fac:f4", "fac:f1"] == pytest.approx(feeder + 4 + 3.5 + 1 + 5)
    assert res["after"].loc["fac:f1", "fac:f4"] == pytest.approx(5 + 4 + 3.5 + 1 + 4 + 3.5 + 1 + 5)
    assert res["diff"].loc["fac:f1", "fac:f3"] == 0
    assert res["indices"].loc["unreachable_pairs", "change"] == 0
    assert res["indices"].loc["mean_min", "change"] < 0
    assert res["diff"].attrs["params"]["after"]["add_links"] == ["m2"]


def test_isochrone_change_shows_the_gain(metro_net):
    change = isochrone_change(metro_net, "fac:f1", cutoffs=(30,), modes="transit", base=Scenario(),
                              alt=Scenario("line 2", add_links=("m2",)))
    gained = change.to_crs(MEASURE_CRS).geometry.iloc[0]
    assert gained.contains(pt(2_000, 2_000))  # around s4, newly served
    assert change["lost_km2"].iloc[0] == pytest.approx(0.0)


def test_link_geometries_for_highlighting(two_route):
    geoms = link_geometries(two_route, ["bridge"]).to_crs(MEASURE_CRS)
    assert geoms.geometry.iloc[0].length == pytest.approx(10_000, rel=1e-6)
    assert isinstance(geoms, gpd.GeoDataFrame)


def test_link_geometries_of_nothing_is_an_empty_frame(two_route):
    empty = link_geometries(two_route, [])
    assert empty.empty and empty.crs.to_epsg() == 4326 and list(empty.columns) == ["link", "geometry"]


def test_facility_matrix_in_one_call():
    from analysis.connectivity import facility_matrix

    graph = build_network(links=two_route_links(), config=TOY_CONFIG)
    pts = two_route_points()
    m = facility_matrix(graph, pts.iloc[[0]], pts.iloc[[1]], modes="car")
    assert m.loc["A", "B"] == pytest.approx(11.5)
    square = facility_matrix(graph, pts, modes="car")
    assert list(square.index) == ["A", "B"] and square.loc["B", "A"] == pytest.approx(11.5)
    assert square.attrs["params"]["config_id"] == graph.graph["config_id"]
