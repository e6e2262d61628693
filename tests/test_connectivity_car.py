"""Car on the strategic network: calibrated speed, interchanges along expressways, legs with kilometres."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from analysis.access import attach_points
from analysis.network import build_network
from analysis.network_config import DEFAULT_CONFIG
from analysis.routes import fastest_route
from analysis.validate import load_trips
from tests.toy_network import TOY_CONFIG, X0, frame, line, pt

ROOT = Path(__file__).resolve().parents[1]


def test_road_speed_factor_comes_from_the_calibration_trips_only():
    trips = load_trips()
    cal = trips[(trips["use"] == "calibration") & (trips["kind"] == "road_link")]
    assert set(cal["trip_id"]) == {"tunnel_measured_2011", "bridge_measured_2011"}
    km = dict(DEFAULT_CONFIG.road_published_lengths_km)
    lengths = cal["from_id"].map(km)
    speed = lengths.sum() / cal["published_min"].sum() * 60  # (7.8 + 26.7) km / 32 min
    assert DEFAULT_CONFIG.road_speed_factor == round(speed / 80, 2)


def test_expressway_is_joined_along_its_length():
    links = frame([{"id": "ew", "category": "expressway", "status": "operating", "design_speed_kmh": 100,
                    "geometry": line((0, 0), (20_000, 0))}])
    graph = build_network(links=links, config=TOY_CONFIG)
    xs = sorted(d["x"] - X0 for _, d in graph.nodes(data=True) if d.get("kind") == "road")
    assert xs == pytest.approx([0, 4_000, 8_000, 12_000, 16_000, 20_000], abs=1.0)  # 4 km apart
    # a place 1 km off the middle: its city-road leg is 1 km to the 8 or 12 km interchange, not 10 km to an end
    place = frame([{"id": "p", "name_zh": "p", "name_en": "p", "geometry": pt(10_000, 1_000)}])
    out = attach_points(graph, place, config=TOY_CONFIG)
    legs = [d["length_m"] for _, _, d in out.out_edges("fac:p", data=True) if d["mode"] == "drive"]
    assert min(legs) == pytest.approx((2_000**2 + 1_000**2) ** 0.5)


def _route(*args):
    out = subprocess.run([sys.executable, "-m", "atlas", "route", *args], capture_output=True, text=True, cwd=ROOT,
                         timeout=180, check=False)
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()


def test_tunnel_crossing_by_car_is_the_tunnel_plus_city_roads():
    lines = _route("薛家岛", "团岛", "--mode", "car", "--lang", "en")
    tunnel = [ln for ln in lines if "Tunnel" in ln]
    assert len(tunnel) == 1 and "7.2 min, 7.8 km" in tunnel[0]  # 7.8 km at 0.81 x 80 km/h
    legs = lines[2:]
    assert all(" km" in ln for ln in legs if not ln.startswith("#"))  # every leg says how far it goes


def test_same_place_is_zero_minutes_apart_by_car():
    lines = _route("青岛北站", "rst_qingdao_north", "--mode", "car")
    assert lines[0] == "minutes: 0"


def test_leg_kilometres_add_up():
    from analysis import corridor as cd

    frames, _ = cd.load_transport_frames()
    graph = cd.base_network(frames)
    a, b = cd.resolve_place(frames, "青岛站"), cd.resolve_place(frames, "青岛西站")
    minutes, legs, _ = cd.route_between(graph, a, b, modes="car")
    assert legs["minutes"].sum() == pytest.approx(minutes)
    tunnel = legs[legs["link"] == "road_jiaozhouwan_tunnel"]
    assert len(tunnel) == 1 and tunnel["km"].iloc[0] == pytest.approx(7.8, abs=0.05)
    assert tunnel["minutes"].iloc[0] < 8  # the city streets at its portals are legs of their own
    assert (legs["km"] > 0).all()


def test_toy_route_has_kilometres():
    links = frame([{"id": "ew", "category": "expressway", "status": "operating", "design_speed_kmh": 100,
                    "geometry": line((0, 0), (20_000, 0))}])
    graph = build_network(links=links, config=TOY_CONFIG)
    places = frame([{"id": "a", "name_zh": "a", "name_en": "a", "geometry": pt(0, 0)},
                    {"id": "b", "name_zh": "b", "name_en": "b", "geometry": pt(20_000, 0)}])
    out = attach_points(graph, places, config=TOY_CONFIG)
    minutes, legs = fastest_route(out, "fac:a", "fac:b", modes="car")
    assert legs["km"].sum() == pytest.approx(20.0)
    assert minutes == pytest.approx(20 / 80 * 60)  # 100 km/h design x 0.8 (toy factor)


def test_a_feature_without_a_place_of_its_own_says_why():
    import geopandas as gpd
    from shapely.geometry import Point

    from analysis import corridor as cd

    row = gpd.GeoDataFrame({"id": ["x"], "name_zh": ["某区园区"], "name_en": ["A district park"],
                            "location_tier": ["district"]}, geometry=[Point(120.4, 36.1)], crs="EPSG:4326")
    with pytest.raises(cd.UnplacedError, match="known only by its district or city"):
        cd._place(row)
    nowhere = row.assign(location_tier="site", geometry=[None])
    with pytest.raises(cd.UnplacedError):
        cd._place(nowhere)


def test_route_uses_the_cached_osm_streets_when_there_are_some(tmp_path, monkeypatch, capsys):
    import argparse

    import osmnx as ox

    from analysis import osm_roads
    from atlas.cli.route import cmd_route

    cache = tmp_path / "roads.graphml"
    ox.save_graphml(osm_roads.load_osm_xml(ROOT / "tests" / "fixtures" / "corridor_roads.osm"), cache)
    args = argparse.Namespace(origin="120.30,36.10", destination="120.36,36.10", mode="car", scenario="today",
                              lang="en", roads="auto")
    monkeypatch.setattr(osm_roads, "cache_path", lambda cache_dir=None: tmp_path / "none.graphml")
    assert cmd_route(args) == 0
    assert "strategic roads" in capsys.readouterr().out.splitlines()[1]  # nothing cached: the offline default
    monkeypatch.setattr(osm_roads, "cache_path", lambda cache_dir=None: cache)
    assert cmd_route(args) == 0
    assert "OSM streets" in capsys.readouterr().out.splitlines()[1]
