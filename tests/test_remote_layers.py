"""Layer data served as files (layers.datastore, layers.remote): what the browser fetches, and
what the map script carries instead of the features."""

import json
import os
import re

import folium
import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point

from atlas import mapmodel
from atlas.viewstate import ViewState
from layers import datastore, webassets
from layers.atlas_map import MapLayer, MapView, build_base_map, data_stem, publish_layer, remote_group
from layers.remote import PREFETCH_URL, payload
from layers.render import display_frame


def _frame():
    return gpd.GeoDataFrame(
        {"id": ["a", "b", "c"], "name_zh": ["甲<b>", "乙", "丙"], "name_en": ["A<b>", "B", "C"],
         "category": ["resource"] * 3, "type": ["university", "institute", "university"],
         "status": ["operating", "under_construction", "operating"], "weight": [3.0, 1.0, 2.0]},
        geometry=[Point(120.3, 36.1), Point(120.3, 36.1), LineString([(120.0, 36.0), (120.1, 36.05), (120.2, 36.0)])],
        crs="EPSG:4326")


def test_publish_is_content_addressed_atomic_and_pruned(tmp_path):
    url = datastore.publish("resources_zh_wgs84", b'{"x":1}', folder=tmp_path, url="/d")
    name = url.rsplit("/", 1)[1]
    assert re.fullmatch(r"/d/resources_zh_wgs84-[0-9a-f]{16}\.json", url)
    assert (tmp_path / name).read_bytes() == b'{"x":1}'
    assert datastore.publish("resources_zh_wgs84", b'{"x":1}', folder=tmp_path, url="/d") == url  # same bytes, same file
    assert datastore.publish("resources_zh_wgs84", b'{"x":2}', folder=tmp_path, url="/d") != url
    assert not list(tmp_path.glob(".tmp-*")) and not list(tmp_path.glob("*.part"))
    pruned = tmp_path / "pruned"
    for i in range(6):
        name = datastore.publish(f"l{i}", b"%d" % i, folder=pruned, url="/d", keep=100).rsplit("/", 1)[1]
        os.utime(pruned / name, (1000 + i, 1000 + i))
    datastore.publish("last", b"{}", folder=pruned, url="/d", keep=3)
    assert sorted(p.name.split("-")[0] for p in pruned.glob("*.json")) == ["l4", "l5", "last"]  # the newest kept


@pytest.mark.parametrize("stem", ["../etc", "A", "", "x" * 65, "a.b"])
def test_publish_refuses_stems_that_are_not_layer_keys(tmp_path, stem):
    with pytest.raises(ValueError, match="stem"):
        datastore.publish(stem, b"{}", folder=tmp_path)


def test_an_unwritable_folder_says_what_to_do(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(datastore.DataStoreError, match="make the app's static/ folder writable"):
        datastore.Publisher(folder=blocker / "data").check()


def test_publisher_builds_each_stem_once(tmp_path):
    calls = []
    pub = datastore.Publisher(folder=tmp_path, url="/d")
    build = lambda: calls.append(1) or b"[1]"  # noqa: E731
    assert pub("parks_zh_wgs84", build) == pub("parks_zh_wgs84", build)
    assert calls == [1]


def test_payload_styles_each_feature_like_the_inline_layer():
    gdf = _frame()
    style = lambda f: {"color": "#111", "radius": 9 if f["properties"]["type"] == "university" else 5}  # noqa: E731
    fc = json.loads(payload(gdf, style, "en"))
    inline = json.loads(display_frame(gdf, "en", also_here=False).to_json(drop_id=True))
    assert [f["properties"]["id"] for f in fc["features"]] == ["a", "b", "c"]
    for got, want in zip(fc["features"], inline["features"], strict=True):
        assert fc["styles"][got["properties"]["_s"]] == style(want)  # the same style the folium layer would get
        assert got["properties"]["_popup"] == want["properties"]["_popup"]  # escaped by the server
    assert len(fc["styles"]) == 2  # stored once per distinct style
    assert "&lt;b&gt;" in fc["features"][0]["properties"]["_tooltip"]
    assert fc["features"][0]["properties"]["_name"] == "A<b>"  # raw: the browser sets it with textContent
    assert "atlas-also" not in fc["features"][0]["properties"]["_popup"]  # listed by the browser instead
    line = fc["features"][2]["geometry"]
    assert "coordinates" not in line and line["p"][:2] == [12000000, 3600000]  # packed integer deltas (1e-5)
    assert line["p"][2:4] == [10000, 5000]


def test_shading_payload_is_geometry_only():
    fc = json.loads(payload(_frame(), {"fillColor": "#fff"}, "zh", popups=False))
    assert all(set(f["properties"]) == {"_s"} for f in fc["features"]) and fc["styles"] == [{"fillColor": "#fff"}]


def test_remote_map_script_names_files_and_prefetches_them(tmp_path):
    pub = datastore.Publisher(folder=tmp_path, url="/app/static/data")
    view = MapView(lang="en", publish=pub, land=_frame().iloc[:1], legend=[("point", "#000", "x")])
    layer = MapLayer("resources", "Resources", _frame(), {"color": "#000"})
    group = remote_group(layer, publish_layer(layer, view), ids=["a"])
    m = build_base_map(view, prefetch=[publish_layer(layer, view)])
    html = m.get_root().render()
    assert "window.atlasRemote" in html and '"interactive":false' in html  # land: shading, not clickable
    assert '"coordinates"' not in html and "甲" not in html  # the features are in the files only
    prefetch = [u for n, u in m.default_js if n == "atlas_prefetch"]
    assert prefetch and prefetch[0].startswith(PREFETCH_URL + "?u=%2Fapp%2Fstatic%2Fdata%2Fland_en_wgs84-")
    assert "resources_en_wgs84-" in prefetch[0]
    assert m.default_js[0][0] == "atlas_prefetch"  # first: the files download while Leaflet loads
    assert not any("jquery" in u for _, u in m.default_js)  # no folium.Popup on this map
    assert [n for n, _ in m.default_js] == ["atlas_prefetch", "leaflet"]  # the tools load after the map
    assert '"/app/static/vendor/leaflet-measure/dist/leaflet-measure.js"' in html and "L.Control.Measure" in html
    fg = folium.Map()
    group.add_to(fg)
    assert '"ids":["a"]' in fg.get_root().render()
    assert data_stem("metro_lines", MapView(lang="zh", basemap="amap")) == "metro_lines_zh_gcj02"


def test_jquery_stays_when_a_folium_popup_needs_it():
    m = folium.Map(tiles=None)
    folium.Marker([36, 120], popup=folium.Popup("x")).add_to(m)
    assert any("jquery" in u for _, u in webassets.localize(m).default_js)


def test_prefetch_script_fetches_only_the_atlas_data_files():
    js = (webassets.STATIC_DIR / "atlas" / "prefetch.js").read_text(encoding="utf-8")
    pattern = re.search(r"var own = /(.+)/;", js).group(1).replace("\\/", "/")
    assert re.fullmatch(pattern, "/app/static/data/resources_zh_wgs84-0123456789abcdef.json")
    for bad in ("https://evil.example/x.json", "/app/static/data/../x.json", "//evil/app/static/data/a-0123456789abcdef.json"):
        assert not re.fullmatch(pattern, bad)


def test_shown_ids_follow_the_filters():
    frames, _ = mapmodel.load_frames(("resources", "links"))
    assert mapmodel.shown_ids(frames, ViewState(), "resources") is None  # no filter: every feature
    ids = mapmodel.shown_ids(frames, ViewState(districts=("laoshan",)), "resources")
    assert ids == mapmodel.filtered(frames, ViewState(districts=("laoshan",)))["resources"]["id"].tolist()
    assert 0 < len(ids) < len(frames["resources"])


def test_the_selection_ring_is_drawn_over_served_layers_and_never_catches_clicks(tmp_path):
    from layers.atlas_map import highlight_group
    from layers.remote import TOP_PANE

    ring = highlight_group(_frame().iloc[:1], MapView(publish=datastore.Publisher(folder=tmp_path)))
    m = folium.Map()
    ring.add_to(m)
    out = m.get_root().render()
    assert f'"pane":"{TOP_PANE}"' in out.replace(" ", "") and '"interactive":false' in out.replace(" ", "")
