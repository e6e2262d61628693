"""Connectivity results drawn with the atlas map: bands, gains, critical links; text escaped."""

import json

import pandas as pd
import pytest

from analysis.access import attach_points
from analysis.connectivity import Scenario, compile_network, isochrones
from analysis.network import build_network
from analysis.scenarios import critical_links, isochrone_change, link_geometries
from layers import connectivity_style as style
from layers.atlas_map import MapView, build_map
from tests.toy_network import TOY_CONFIG, metro_frames, metro_points, two_route_links, two_route_points


def test_isochrone_and_gain_layers_render():
    stations, lines = metro_frames()
    graph = build_network(metro_stations=stations, metro_lines=lines, config=TOY_CONFIG)
    net = compile_network(attach_points(graph, metro_points(), config=TOY_CONFIG))
    iso = isochrones(net, "fac:f1", cutoffs=(15, 30), modes="transit")
    layers = style.isochrone_layers(iso, lang="zh")
    assert [layer.title for layer in layers] == ["30 分钟等时圈", "15 分钟等时圈"]  # widest drawn first
    change = isochrone_change(net, "fac:f1", cutoffs=(30,), modes="transit", base=Scenario(),
                              alt=Scenario("l2", add_links=("m2",)))
    layers.append(style.gain_layer(change, lang="en"))
    html = build_map(layers, MapView(legend=style.legend((15, 30), lang="zh"))).get_root().render()
    label = "15 分钟等时圈"
    assert (label in html or json.dumps(label)[1:-1] in html) and style.GAIN_COLOR in html


def test_critical_layer_escapes_hostile_link_names():
    links = two_route_links()
    links.loc[0, "name_zh"] = "<script>alert(1)</script>"
    graph = build_network(links=links, config=TOY_CONFIG)
    net = compile_network(attach_points(graph, two_route_points(), config=TOY_CONFIG))
    ranking = critical_links(net, ["fac:A", "fac:B"], modes="car")
    assert ranking.iloc[0]["name_zh"] == "<script>alert(1)</script>"
    layer = style.critical_layer(link_geometries(net, ["bridge"]), ranking, lang="zh")
    html = build_map([layer], MapView()).get_root().render()
    assert "<script>alert(1)</script>" not in html
    assert "+10.5 min" in html
    assert isinstance(ranking, pd.DataFrame)


def test_route_layer_draws_the_route_legs():
    from analysis.routes import fastest_route

    stations, lines = metro_frames(line2_status="operating")
    graph = build_network(metro_stations=stations, metro_lines=lines, config=TOY_CONFIG)
    net = compile_network(attach_points(graph, metro_points(), config=TOY_CONFIG))
    minutes, legs = fastest_route(net, "fac:f1", "fac:f4", modes="transit")
    assert minutes == pytest.approx(5 + 4 + 3.5 + 1 + 4 + 3.5 + 1 + 5)
    assert list(legs["kind"]) == ["walk", "wait", "ride", "exit", "wait", "ride", "exit", "walk"]
    assert list(legs["minutes"].round(1)) == [5, 4, 3.5, 1, 4, 3.5, 1, 5]  # in-vehicle apart from getting off
    shown = legs.dropna(subset=["geometry"]).to_crs("EPSG:4326")
    shown["name_zh"], shown["name_en"] = shown["line_zh"], ["<b>x</b>"] * len(shown)
    html = build_map([style.route_layer(shown, title="Route")], MapView()).get_root().render()
    assert style.ROUTE_STYLE["color"] in html and "<b>x</b>" not in html
