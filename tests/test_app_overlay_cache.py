"""The main page builds each overlay once per (layer, language, basemap) and serves it as a file
(layers.datastore); a rerun re-sends only a small script naming the files and, under a filter,
the ids to show — never the features themselves."""

import json
import re

import streamlit as st
from streamlit.testing.v1 import AppTest

from atlas import mapmodel
from atlas.viewstate import ViewState
from layers import datastore
from tests.conftest import ROOT


def _map_args(at) -> dict:
    maps = [e for e in at.get("component_instance") if "streamlit_folium" in e.proto.component_name]
    return json.loads(maps[0].proto.json_args)


def _urls(text: str) -> list[str]:
    return re.findall(r'"url":"(/app/static/data/[a-z0-9_]+-[0-9a-f]{16}\.json)"', text)


def _served(url: str) -> dict:
    return json.loads((datastore.DATA_DIR / url.rsplit("/", 1)[1]).read_text(encoding="utf-8"))


def test_overlays_are_built_once_and_a_filter_sends_ids_only(monkeypatch):
    built = []
    real = mapmodel.overlay

    def counting(frames, state, key):
        built.append((key, state.districts))
        return real(frames, state, key)

    monkeypatch.setattr(mapmodel, "overlay", counting)
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    assert not at.exception, at.exception
    visible = [k for k in mapmodel.SPECS if k in ViewState().layers]
    assert sorted(k for k, _ in built) == sorted(visible)
    args = _map_args(at)
    first = args["feature_group"]
    # the script carries no features: neighbouring land, Qingdao's land, water and districts are files too
    assert len(_urls(args["script"])) == 4 and '"coordinates"' not in args["script"]
    # ~21 kB of code (map setup, legend, popup keeper, fit, fill-height, district badges): no data inlined
    assert len(args["script"].encode()) < 24_000, len(args["script"].encode())
    urls = _urls(first)
    assert len(urls) == len(visible) and '"coordinates"' not in first and '"ids":null' in first
    frames, _ = mapmodel.load_frames()
    resources = next(u for u in urls if "/resources_zh_" in u)
    from layers.base import located

    # every located feature (issue 21: none at a made-up point); filters apply in the browser
    assert len(_served(resources)["features"]) == len(located(frames["resources"]))

    built.clear()
    at.run()  # same view: nothing rebuilt, the same overlays sent
    assert built == []
    assert _map_args(at)["feature_group"] == first

    at.multiselect(key="w_districts").select("laoshan").run()
    assert not at.exception, at.exception
    assert built == []  # a filter builds nothing: the same files, other ids
    after = _map_args(at)
    assert _urls(after["feature_group"]) == urls and after["script"] == args["script"]
    ids = json.loads(re.search(r'/resources_zh_[^"]+","ids":(\[[^\]]*\])', after["feature_group"]).group(1))
    state = ViewState(districts=("laoshan",))
    expected = mapmodel.filtered(frames, state)["resources"]["id"].tolist()
    assert sorted(ids) == sorted(expected) and 0 < len(ids) < len(frames["resources"])
    assert len(after["feature_group"].encode()) < 8_000, len(after["feature_group"].encode())


def test_a_gcj02_basemap_gets_its_own_shifted_files():
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["basemap"] = "amap"
    at.run()
    assert not at.exception, at.exception
    urls = _urls(_map_args(at)["feature_group"])
    assert urls and all("_zh_gcj02-" in u for u in urls)
    frames, _ = mapmodel.load_frames(("resources",))
    shifted = _served(next(u for u in urls if "/resources_" in u))["features"][0]["geometry"]["coordinates"]
    plain = frames["resources"].set_index("id").geometry
    first = _served(next(u for u in urls if "/resources_" in u))["features"][0]["properties"]["id"]
    assert 0.001 < abs(shifted[0] - plain[first].x) < 0.01  # GCJ-02 is a few hundred metres east here


def test_a_read_only_static_folder_falls_back_to_inline_layers(monkeypatch):
    def refuse(self):
        raise datastore.DataStoreError("cannot write map data to static/data (read-only)")

    monkeypatch.setattr(datastore.Publisher, "check", refuse)
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    assert not at.exception, at.exception
    args = _map_args(at)
    assert not _urls(args["feature_group"]) and "atlasRemote" not in args["script"]
    assert "geo_json" in args["feature_group"] and "山东大学(青岛)" in args["feature_group"]  # the same map, inline
    st.cache_resource.clear()  # the next test gets the served files again


def test_filtering_and_the_district_lists_are_worked_out_once_per_filter_set(monkeypatch):
    """Reruns of a view ask the cache, not pandas: the counters and the district lists are the same figures
    the pure functions give, and a filter set is filtered once however many sessions and reruns show it."""
    calls = []
    real = mapmodel.filtered

    def counting(frames, state):
        calls.append(mapmodel.filter_key(state))
        return real(frames, state)

    monkeypatch.setattr(mapmodel, "filtered", counting)
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    assert not at.exception, at.exception
    first = list(calls)  # the counters, the badges and the view's GeoJSON, each cached for the view
    assert first and set(first) == {((), (), (), ())}
    at.run()
    at.run()
    assert calls == first  # a rerun filters nothing
    at.multiselect(key="w_districts").select("laoshan").run()
    assert set(calls[len(first):]) == {((), ("laoshan",), (), ())}
    after = list(calls)
    at.run()
    assert calls == after
    frames, _ = mapmodel.load_frames()
    state = ViewState(districts=("laoshan",))
    expected = mapmodel.counts(frames, state)
    counters = " ".join(e.proto.body for e in at.get("html"))
    for key, n in expected.items():
        assert f">{n}<" in counters, (key, n)
    lists = real(frames, state)
    want = mapmodel.unplaced(frames, state, shown=lists)
    assert want == mapmodel.unplaced(frames, state) and want.n_district > 0
    titles = [e.label for e in at.expander]
    for district, items in want.by_district.items():
        assert any(str(len(items)) in title for title in titles), (district, titles)
    st.cache_resource.clear()


def test_maps_reach_the_browser_without_the_discarded_first_render(monkeypatch):
    """views.foliummap.show skips st_folium's first whole-figure render: the component gets the same
    script, header, feature groups and layer control as st_folium's default way."""
    import folium
    import streamlit_folium

    from layers.atlas_map import MapView, build_map, overlay_group
    from views.foliummap import show

    sent = []
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kw: sent.append(kw))
    frames, _ = mapmodel.load_frames()
    state = ViewState(districts=("laoshan",))

    def draw(how):
        m = build_map([], MapView(legend=mapmodel.legend_items(frames, state)))
        groups = [overlay_group(layer, MapView()) for layer in mapmodel.overlays(frames, state)[:3]]
        folium.Marker([36.1, 120.4], tooltip="<b>x</b>").add_to(groups[0])
        how(m, key="m", feature_group_to_add=groups, layer_control=folium.LayerControl())

    draw(streamlit_folium.st_folium)
    draw(show)
    ids = re.compile(r"[0-9a-f]{32}")
    default, quick = ({k: ids.sub("ID", str(v)) for k, v in kw.items() if k != "on_change"} for kw in sent)
    assert default == quick
    assert "map_div" in quick["script"] and quick["feature_group"].count("L.marker(") == 1
    assert quick["feature_group"].count("L.geoJson(") >= 3 and '"atlas-legend"' in quick["script"]
