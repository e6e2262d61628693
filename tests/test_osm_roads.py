"""OSM roads: offline parsing of a committed .osm fixture, cache handling, the network swap."""

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import LineString

from analysis import osm_roads
from analysis.access import attach_points
from analysis.connectivity import Scenario, compile_network, travel_time_matrix
from analysis.network import build_network
from core.crs import WGS84
from tests.toy_network import TOY_CONFIG

FIXTURE = Path(__file__).parent / "fixtures" / "corridor_roads.osm"


@pytest.fixture(scope="module")
def roads():
    return osm_roads.load_osm_xml(FIXTURE)


def test_fixture_parses_offline_and_drops_non_drivable_ways(roads):
    highways = {str(h) for _, _, h in roads.edges(data="highway")}
    assert not any("footway" in h for h in highways)
    assert roads.number_of_nodes() == 4  # simplified: junctions and ends only


def test_travel_times_from_maxspeed(roads):
    # way 101, nodes 2 -> 3: 0.02 deg of longitude at 36.1 N = 1797 m at maxspeed 100 -> 64.7 s
    data = min(roads.get_edge_data(2, 3).values(), key=lambda d: d["travel_time"])
    assert data["length"] == pytest.approx(1797, abs=2)
    assert data["travel_time"] == pytest.approx(data["length"] / (100 / 3.6), rel=1e-3)


def test_cache_roundtrip(tmp_path, roads):
    import osmnx as ox

    path = tmp_path / "roads.graphml"
    assert osm_roads.load_cached_roads(path) is None
    ox.save_graphml(roads, path)
    back = osm_roads.load_cached_roads(path)
    assert back.number_of_edges() == roads.number_of_edges()


def _links(status: str) -> gpd.GeoDataFrame:
    # a planned link from node 4 (120.36, 36.10) east, and an operating one that OSM replaces
    return gpd.GeoDataFrame([
        {"id": "new_link", "category": "expressway", "status": status, "design_speed_kmh": 100,
         "geometry": LineString([(120.3601, 36.1000), (120.4000, 36.1000)])},
        {"id": "old_expwy", "category": "expressway", "status": "operating", "design_speed_kmh": 100,
         "geometry": LineString([(120.30, 36.05), (120.40, 36.05)])},
    ], crs=WGS84)


def test_network_uses_osm_roads_and_keeps_unbuilt_links(roads):
    graph = build_network(links=_links("planned"), roads=roads, config=TOY_CONFIG)
    assert graph.graph["road_source"] == "osm"
    link_ids = {d for _, _, d in graph.edges(data="link_id")}
    assert "old_expwy" not in link_ids and "new_link" in link_ids
    points = gpd.GeoDataFrame({"id": ["w", "e"]}, geometry=gpd.points_from_xy([120.299, 120.401], [36.1, 36.1]),
                              crs=WGS84)
    net = compile_network(attach_points(graph, points, config=TOY_CONFIG))
    today = travel_time_matrix(net, ["fac:w"], ["fac:e"], modes="car")
    planned = travel_time_matrix(net, ["fac:w"], ["fac:e"], modes="car", scenario=Scenario("p", "today+planned"))
    assert planned.iloc[0, 0] < today.iloc[0, 0]


def test_cli_download_offline_fails_fast_with_a_message(monkeypatch, capsys):
    def unreachable(host_port, timeout):
        raise OSError("Name or service not known")

    monkeypatch.setattr(osm_roads.socket, "create_connection", unreachable)
    assert osm_roads.main(["--download"]) == 2
    assert "Are you online?" in capsys.readouterr().err


def test_cli_status_without_cache(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(osm_roads, "CACHE_DIR", tmp_path)
    assert osm_roads.main(["--status"]) == 0
    assert "absent" in capsys.readouterr().out


@pytest.mark.online
def test_download_or_skip_when_offline(tmp_path):
    try:
        out = osm_roads.download_drive_network(bbox=(120.37, 36.06, 120.40, 36.08), connect_timeout_s=5,
                                               path=tmp_path / "r.graphml")
    except ConnectionError as exc:
        pytest.skip(f"offline: {exc}")
    assert osm_roads.load_cached_roads(out).number_of_edges() > 0
