"""The built map's HTML, asserted without a browser."""

import re

from core.vocab import DISTRICTS
from layers import districts
from layers.atlas_map import MapLayer, MapView, build_map


def _html(layers, **view):
    return build_map(layers, MapView(**view)).get_root().render()


def test_map_contains_the_ten_districts():
    frame = districts.load()
    html = _html([MapLayer("districts", "Districts", frame, districts.STYLE)])
    for zh, _en in DISTRICTS.values():
        assert zh in html or zh.encode("unicode_escape").decode() in html
    assert "MultiPolygon" in html or "Polygon" in html


def test_map_loads_no_cdn_asset():
    html = _html([])
    srcs = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert srcs and all(s.startswith("/app/static/") for s in srcs), srcs


import json

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point

from core.crs import wgs84_to_gcj02_xy

HOSTILE = '<img src=x onerror=alert(1)><script>alert("x")</script>'


def _point_frame(lon=120.3845, lat=36.0622, name="五四广场"):
    return gpd.GeoDataFrame(
        {"id": ["p1"], "name_zh": [name], "name_en": [name], "category": ["resource"], "type": ["platform"],
         "district": ["shinan"], "cluster": ["jiaozhou"], "plan_ref": [name], "source": [name],
         "source_crs": ["EPSG:4326"], "geom_precision": ["surveyed"], "status": ["operating"],
         "as_of": ["2026-11-01"], "notes": [name]},
        geometry=[Point(lon, lat)], crs="EPSG:4326")


def _coords(html: str) -> list[list[float]]:
    return [json.loads(m) for m in re.findall(r'"coordinates":\s*(\[[^\]]*\])', html)]


def test_hostile_names_are_escaped_in_popups_and_tooltips():
    html = _html([MapLayer("x", HOSTILE, _point_frame(name=HOSTILE), {"color": "#000"})])
    assert "<img src=x" not in html and "<script>alert" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # escaped text, JSON as UTF-8 (layers.render.compact_json)


@pytest.mark.parametrize("value", ["</script><script>alert(1)</script>", "<!-- <script>", "</SCRIPT >",
                                   "a\u2028b\u2029c", {"k</": ["胶州湾", "<!--"]}])
def test_compact_json_cannot_end_the_script_and_round_trips(value):
    from layers.render import compact_json

    text = str(compact_json(None, value))
    assert "</" not in text and "<!" not in text and "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == value
    if isinstance(value, dict):
        assert "胶州湾" in text  # sent as UTF-8, not \uXXXX


def test_popups_are_short_and_styled_once():
    from layers.render import POPUP_MAX_CHARS, popup_html

    long = "规" * 500
    props = {**_point_frame().iloc[0].drop("geometry").to_dict(), "plan_ref": long}
    popup = popup_html(props, "zh")
    assert "规" * (POPUP_MAX_CHARS - 1) + "…" in popup and "规" * POPUP_MAX_CHARS not in popup
    assert "style=" not in popup
    html = _html([MapLayer("x", "x", _point_frame(), {"color": "#000"})])
    assert html.count("atlas-popup th{") == 1


def test_legend_labels_cannot_close_the_script():
    html = _html([], legend=[("point", "#000", "</script><script>alert(1)</script>")])
    assert "</script><script>alert(1)" not in html
    assert "\\u003c/script\\u003e" in html


@pytest.mark.parametrize("basemap", ["none", "osm", "positron"])
def test_wgs84_basemaps_draw_stored_coordinates(basemap):
    html = _html([MapLayer("x", "x", _point_frame(), {"color": "#000"})], basemap=basemap)
    assert [120.3845, 36.0622] in _coords(html)


def test_amap_shift_is_applied_exactly_once():
    lon, lat = 120.3845, 36.0622
    gx, gy = wgs84_to_gcj02_xy(lon, lat)
    twice = wgs84_to_gcj02_xy(gx, gy)
    frame = _point_frame(lon, lat)
    html = _html([MapLayer("x", "x", frame, {"color": "#000"})], basemap="amap")
    coords = _coords(html)
    assert [round(float(gx), 5), round(float(gy), 5)] in coords
    assert [lon, lat] not in coords
    assert [round(float(twice[0]), 5), round(float(twice[1]), 5)] not in coords
    assert frame.geometry.iloc[0].x == lon  # the stored data is untouched
    assert "autonavi.com" in html


def test_tianditu_needs_a_key():
    from layers.basemaps import available

    assert "tianditu" not in available(None)
    assert "tianditu" in available("abc")
    html = _html([], basemap="tianditu", tianditu_token="KEY123")
    assert "tianditu.gov.cn" in html and "tk=KEY123" in html


def test_popup_shows_labels_and_disambiguates_cluster_from_district():
    from layers.render import popup_html

    props = {"name_zh": "x", "name_en": "x", "district": "jiaozhou", "cluster": "jiaozhou", "status": "planned"}
    zh = popup_html(props, "zh")
    assert "胶州市" in zh and "胶州湾" in zh and "规划" in zh
    en = popup_html(props, "en")
    assert "Jiaozhou Bay" in en and "Planned" in en


def test_a_layer_emptied_by_filters_still_builds():
    empty = _point_frame().iloc[0:0]
    html = _html([MapLayer("x", "Empty layer", empty, {"color": "#000"})])
    assert "Empty layer" in html


def test_app_survives_filters_that_empty_layers():
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["districts"] = "laixi"
    at.query_params["types"] = "national_lab"
    at.run()
    assert not at.exception, at.exception


@pytest.mark.parametrize("district", ["shinan", "shibei", "huangdao", "laoshan", "licang", "chengyang", "jimo",
                                      "jiaozhou", "pingdu", "laixi"])
def test_every_district_filter_builds_a_map(district):
    from atlas import mapmodel
    from atlas.viewstate import OVERLAYS, ViewState

    frames, _ = mapmodel.load_frames()
    for types in ((), ("national_lab",), ("incubator", "zone")):
        state = ViewState(layers=OVERLAYS, districts=(district,), types=types, statuses=("planned",))
        build_map(mapmodel.overlays(frames, state), MapView(legend=mapmodel.legend_items(frames, state)))


def test_packed_lines_and_polygons_decode_to_the_same_coordinates_in_javascript():
    import shutil
    import subprocess

    from layers.render import compact_json

    if shutil.which("node") is None:
        pytest.skip("node (installed with the map assets) is needed to run the decoder")
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"n": "胶州湾</script>"},
         "geometry": {"type": "Polygon", "coordinates": [[[120.1, 36.0], [120.30001, 36.0], [120.2, 36.24999],
                                                          [120.1, 36.0]]]}},
        {"type": "Feature", "properties": {}, "geometry": {"type": "MultiLineString", "coordinates": [
            [[119.99999, 35.5], [121.00001, 37.1]], [[120.5, 36.5], [120.50001, 36.50002], [120.4, 36.6]]]}},
        {"type": "Feature", "properties": {}, "geometry": {"type": "MultiPolygon", "coordinates": [
            [[[120.0, 36.0], [120.1, 36.0], [120.1, 36.1], [120.0, 36.0]]]]}},
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [120.38451, 36.06221]}},
    ]}
    expr = str(compact_json(None, fc))
    assert "</" not in expr and '"coordinates":[[[' not in expr  # packed, and still safe in a <script>
    out = subprocess.run(["node", "-e", f"process.stdout.write(JSON.stringify({expr}))"], capture_output=True,
                         text=True, check=True).stdout
    decoded = json.loads(out)
    for got, want in zip(decoded["features"], fc["features"], strict=True):
        assert got["properties"] == want["properties"] and got["geometry"]["type"] == want["geometry"]["type"]
        assert np.allclose(np.asarray(_flat(got["geometry"]["coordinates"])),
                           np.asarray(_flat(want["geometry"]["coordinates"])), atol=1e-9)


def _flat(coords):
    if isinstance(coords[0], (int, float)):
        return [coords]
    return [p for c in coords for p in _flat(c)]


def test_approximate_positions_drawn_dashed_missing_uncertainty_is_exact():
    from atlas.mapmodel import approximate_aware

    style = approximate_aware(lambda f: {"color": "#222", "fillColor": "#f00", "radius": 6, "weight": 1})
    assert style({"properties": {"pos_uncertainty_m": 5000}})["dashArray"] == "3 3"
    assert "dashArray" not in style({"properties": {"pos_uncertainty_m": 100}})  # 100 m is not "> 100"
    assert "dashArray" not in style({"properties": {}})  # before the field existed: drawn as exact
    assert "dashArray" not in style({"properties": {"pos_uncertainty_m": "n/a"}})


def test_uncertainty_for_reading_and_details_language():
    from layers.render import field_value, popup_html, uncertainty_text

    assert uncertainty_text(250, "en") == "± 250 m" and uncertainty_text(2700, "en") == "± 2.7 km"
    assert uncertainty_text(60000, "zh") == "± 60 公里" and uncertainty_text(None) == ""
    row = {"name_zh": "甲", "name_en": "A", "source": "Baidu", "source_zh": "百度", "notes": "n", "notes_zh": ""}
    assert field_value(row, "source", "zh") == "百度" and field_value(row, "source", "en") == "Baidu"
    assert field_value(row, "notes", "zh") == "n"  # no Chinese note: the English one, not nothing
    html = popup_html(row, "en", also_here=("B <b>",))
    assert "1 more at this point" in html and "B &lt;b&gt;" in html and "百度" not in html


def test_colocated_lists_every_feature_at_the_point_lab_first():
    from atlas import mapmodel

    frames, _ = mapmodel.load_frames()
    here = mapmodel.colocated(frames, "res_laoshan_lab")
    ids = [row["id"] for _, row in here]
    assert ids[0] == "res_laoshan_lab" and len(ids) >= 3
    lab = frames["resources"].set_index("id").loc["res_laoshan_lab"].geometry
    assert all(row.geometry.distance(lab) < 1e-5 for _, row in here)  # the same point, nothing else


def test_feature_index_answers_as_a_scan_of_every_frame():
    """The index the map page keeps (views.map_data.index_once) finds what scanning every frame finds."""
    from atlas import mapmodel

    frames, _ = mapmodel.load_frames()
    index = mapmodel.FeatureIndex.of(frames)
    ids = sorted({fid for gdf in frames.values() for fid in gdf["id"]})
    assert len(ids) > 300
    points = [(k, fid, round(g.x, 5), round(g.y, 5)) for k, gdf in frames.items()
              for fid, g in zip(gdf["id"], gdf.geometry, strict=True) if g is not None and g.geom_type == "Point"]
    for fid in ids:
        layer, rows = index.find(fid)
        first = next(k for k, g in frames.items() if (g["id"] == fid).any())
        assert layer == first and list(rows["id"]) == [fid] * int((frames[first]["id"] == fid).sum())
        p = rows.geometry.iloc[0]
        if p is None or p.geom_type != "Point":
            assert [row["id"] for _, row in index.colocated(fid)] == [fid]
            continue
        here = {(k, other) for k, other, x, y in points if (x, y) == (round(p.x, 5), round(p.y, 5))}
        got = [(k, row["id"]) for k, row in index.colocated(fid)]
        assert set(got) == here and (layer, fid) in here and len(got) == len(here)
    assert index.find("no_such_feature") is None and index.colocated("no_such_feature") == []
    assert mapmodel.find_feature(frames, "no_such_feature") is None


def test_fit_view_frames_the_filtered_places():
    from atlas import mapmodel
    from atlas.viewstate import ViewState

    frames, _ = mapmodel.load_frames()
    lat, lon, zoom = mapmodel.fit_view(frames, ViewState(districts=("laixi",), layers=("resources", "parks")))
    kept = mapmodel.filtered(frames, ViewState(districts=("laixi",)))["resources"]
    x0, y0, x1, y1 = kept.total_bounds
    assert y0 - 0.3 <= lat <= y1 + 0.3 and x0 - 0.3 <= lon <= x1 + 0.3 and 9 <= zoom <= 15
    assert mapmodel.fit_view(frames, ViewState(districts=("laixi",), types=("national_lab",), layers=("resources",))) is None
