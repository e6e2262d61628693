"""The network builder on toy layers whose edges can be computed by hand."""

from dataclasses import replace

import networkx as nx
import pandas as pd
import pytest

from analysis.access import attach_points, representative_points
from analysis.network import build_network, resolve_modes, resolve_statuses, worst_status
from analysis.network_config import DEFAULT_CONFIG, SOURCES, NetworkConfig, config_id
from tests.toy_network import (
    TOY_CONFIG, frame, line, metro_frames, metro_points, pt, two_route_links, two_route_points,
)


def test_every_config_field_has_a_source():
    assert set(NetworkConfig.__dataclass_fields__) == set(SOURCES)


def test_config_id_changes_with_values_not_notes():
    assert config_id(DEFAULT_CONFIG) == config_id(replace(DEFAULT_CONFIG, notes="other words"))
    assert config_id(DEFAULT_CONFIG) != config_id(replace(DEFAULT_CONFIG, walk_speed_kmh=5.0))


def test_graph_records_its_config():
    graph = build_network(links=two_route_links(), config=TOY_CONFIG)
    assert graph.graph["config_id"] == config_id(TOY_CONFIG)
    assert graph.graph["config"]["walk_detour"] == 1.0


def test_bridge_and_detour_edge_times():
    graph = build_network(links=two_route_links(), config=TOY_CONFIG)
    times = {}
    for _, _, d in graph.edges(data=True):
        times[d["link_id"]] = times.get(d["link_id"], 0) + d["time_min"] / 2  # both directions
    assert times["bridge"] == pytest.approx(7.5)
    assert times["detour"] == pytest.approx(18.0)


def test_metro_sections_dwell_and_platforms():
    stations, lines = metro_frames(line2_status="operating")
    graph = build_network(metro_stations=stations, metro_lines=lines, config=TOY_CONFIG)
    # 2 km at 40 km/h = 3 min + 0.5 min dwell
    assert graph.edges["metro:s1@1", "metro:s2@1"]["time_min"] == pytest.approx(3.5)
    assert graph.edges["metro:s2", "metro:s2@2"]["time_min"] == 4.0  # boarding = wait
    assert graph.edges["metro:s2@2", "metro:s2"]["time_min"] == 1.0  # alighting
    assert graph.edges["metro:s1@1", "metro:s2@1"]["section_id"] == "m1:s1|s2"


def test_status_is_the_worst_of_line_and_stations():
    stations, lines = metro_frames()
    graph = build_network(metro_stations=stations, metro_lines=lines, config=TOY_CONFIG)
    assert graph.edges["metro:s2@2", "metro:s4@2"]["status"] == "under_construction"
    assert graph.edges["metro:s1@1", "metro:s2@1"]["status"] == "operating"
    assert worst_status("operating", "planned", "under_construction") == "planned"


def test_unknown_station_ids_are_reported():
    stations, lines = metro_frames()
    lines.loc[0, "stations"] = "s1;ghost;s2"
    graph = build_network(metro_stations=stations, metro_lines=lines, config=TOY_CONFIG)
    assert any("ghost" in w for w in graph.graph["warnings"])
    assert graph.has_edge("metro:s1@1", "metro:s2@1")


def test_roads_that_nearly_touch_are_joined():
    links = frame([
        {"id": "west", "category": "expressway", "status": "operating", "design_speed_kmh": 100,
         "geometry": line((0, 0), (5_000, 0))},
        # starts 200 m from the end of "west" (under the 300 m tolerance), on its own
        {"id": "east", "category": "expressway", "status": "operating", "design_speed_kmh": 100,
         "geometry": line((5_000, 200), (10_000, 200))},
        # a T-junction onto the middle of "west" without a shared vertex, 100 m short
        {"id": "north", "category": "expressway", "status": "operating", "design_speed_kmh": 100,
         "geometry": line((2_500, 5_000), (2_500, 100))},
    ])
    graph = build_network(links=links, config=TOY_CONFIG)
    roads = graph.subgraph([n for n, k in graph.nodes(data="kind") if k == "road"])
    assert nx.number_weakly_connected_components(roads) == 1


def test_far_apart_roads_are_stitched_by_city_streets():
    links = frame([
        {"id": "tunnel", "category": "tunnel", "status": "operating", "design_speed_kmh": 80,
         "geometry": line((0, 0), (0, 4_000))},
        {"id": "expwy", "category": "expressway", "status": "operating", "design_speed_kmh": 100,
         "geometry": line((3_000, 4_000), (9_000, 4_000))},
    ])
    graph = build_network(links=links, config=TOY_CONFIG)
    roads = graph.subgraph([n for n, k in graph.nodes(data="kind") if k == "road"])
    assert nx.number_weakly_connected_components(roads) == 1
    stitch = [d for _, _, d in graph.edges(data=True) if d["link_id"] == ""]
    # 3 km of city streets at 30 km/h, detour 1.0 -> 6 min
    assert min(d["time_min"] for d in stitch) == pytest.approx(6.0)


def test_expressway_running_on_the_bridge_yields_to_it():
    through = frame([{"id": "through", "category": "expressway", "status": "operating", "design_speed_kmh": 120,
                      "geometry": line((-5_000, 30), (15_000, 30))}])
    links = pd.concat([two_route_links(), through], ignore_index=True)
    graph = build_network(links=links, config=TOY_CONFIG)
    mid = [d["link_id"] for u, v, d in graph.edges(data=True)
           if d["mode"] == "road" and d["geometry"].intersects(line((5_000, -50), (5_000, 80)))]
    assert set(mid) == {"bridge"}  # removing the bridge really removes the crossing


def test_attach_points_walk_and_drive_legs():
    stations, lines = metro_frames()
    graph = build_network(metro_stations=stations, metro_lines=lines, links=two_route_links(), config=TOY_CONFIG)
    out = attach_points(graph, metro_points(), config=TOY_CONFIG)
    assert "fac:f1" not in graph  # the input graph is untouched
    assert out.edges["fac:f1", "metro:s1"]["mode"] == "walk"
    assert out.edges["fac:f1", "metro:s1"]["time_min"] == pytest.approx(5.0)  # 400 m at 80 m/min
    assert any(d["mode"] == "drive" for _, _, d in out.out_edges("fac:f1", data=True))


def test_far_point_gets_a_feeder_leg():
    stations, lines = metro_frames()
    graph = build_network(metro_stations=stations, metro_lines=lines, config=TOY_CONFIG)
    far = frame([{"id": "far", "geometry": pt(0, -5_000)}])
    out = attach_points(graph, far, config=TOY_CONFIG)
    modes = {d["mode"] for _, _, d in out.out_edges("fac:far", data=True)}
    assert modes == {"feeder"}


def test_polygons_become_representative_points_and_need_ids():
    poly = frame([{"id": "p", "geometry": pt(0, 0).buffer(500)}])
    assert representative_points(poly).geom_type.tolist() == ["Point"]
    with pytest.raises(ValueError, match="id column"):
        representative_points(poly.drop(columns="id"))
    with pytest.raises(ValueError, match="no CRS"):
        representative_points(poly.set_crs(None, allow_override=True))


def test_mode_and_status_sets():
    assert "metro" in resolve_modes("transit") and "road" not in resolve_modes("transit")
    assert "park_ride" in resolve_modes("combined") and "park_ride" not in resolve_modes("car")
    assert resolve_statuses("today") == {"operating"}
    with pytest.raises(ValueError, match="Unknown mode set"):
        resolve_modes("teleport")
    with pytest.raises(ValueError, match="Unknown status"):
        resolve_statuses({"dreamt"})


def test_real_layers_form_one_road_and_one_transit_network():
    from layers import links, metro, transport

    graph = build_network(metro_stations=metro.load_stations(), metro_lines=metro.load_lines(),
                          links=links.load(), transport_nodes=transport.load())
    assert graph.graph["warnings"] == []
    # roads + the city streets stitched between road ends (mode "drive", shown as city-road legs)
    roads = graph.edge_subgraph([(u, v) for u, v, m in graph.edges(data="mode") if m in ("road", "drive")])
    assert nx.number_weakly_connected_components(roads) == 1
    link_ids = {d for _, _, d in roads.edges(data="link_id")}
    assert {"road_jiaozhouwan_bridge", "road_jiaozhouwan_tunnel", "road_jiaozhouwan_tunnel2"} <= link_ids
    transit = graph.edge_subgraph([(u, v) for u, v, m in graph.edges(data="mode")
                                   if m in {"metro", "rail", "board", "alight", "transfer"}])
    assert nx.number_weakly_connected_components(transit) == 1


def test_ferry_crossing_with_wait_and_transfer_to_metro():
    stations, lines = metro_frames()
    ferries = frame([{"id": "ferry", "name_zh": "轮渡", "name_en": "Ferry", "status": "operating",
                      "geometry": line((4_300, 0), (4_300, -8_000))}])
    graph = build_network(metro_stations=stations, metro_lines=lines, ferries=ferries, config=TOY_CONFIG)
    crossing = graph.edges["ferry:ferry:a", "ferry:ferry:b"]
    # 8 km at 20 km/h = 24 min + 15 min wait
    assert crossing["time_min"] == pytest.approx(39.0)
    # pier a is 300 m from metro s3: a walking transfer (300 m at 80 m/min + 3 min penalty)
    assert graph.edges["ferry:ferry:a", "metro:s3"]["time_min"] == pytest.approx(300 / 80 + 3.0)
