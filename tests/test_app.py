"""The Streamlit app, headless (AppTest): widgets, filters, language, URL state."""

import html
import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

HOSTILE = {
    "lat": "<script>alert(1)</script>", "lon": "1e999", "zoom": "NaN", "basemap": "../../etc/passwd",
    "lang": "xx", "layers": "resources,<img src=x onerror=alert(1)>", "clusters": "nowhere",
    "districts": "shinan;DROP TABLE", "types": "x" * 5000, "statuses": "\x00\x01", "q": "a" * 200,
    "selected": "../x",
}


def _run(**query):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def _metrics(at):
    """The counters above the map (atlas.pagekit.counters_html): label -> number."""
    strips = [e.proto.body for e in at.get("html") if "atlas-counts" in e.proto.body]
    assert len(strips) == 1, strips
    return {html.unescape(k): int(v.replace(",", "")) for k, v in
            re.findall(r"<span>(.*?)</span><b>([\d,]+)</b>", strips[0])}


def test_app_runs_and_shows_widgets():
    at = _run()
    assert not at.exception, at.exception
    assert "青岛" in at.title[0].value
    labels = {w.label for w in at.sidebar.multiselect}
    assert {"图层", "湾区", "区(市)", "资源类型", "状态"} <= labels
    assert at.sidebar.text_input[0].label.startswith("搜索")
    assert _metrics(at)["创新资源"] >= 50


def test_filter_changes_the_counts():
    at = _run()
    before = _metrics(at)
    at.sidebar.multiselect(key="w_districts").set_value(["laoshan"]).run()
    after = _metrics(at)
    assert 0 < after["创新资源"] < before["创新资源"]
    at.sidebar.multiselect(key="w_types").set_value(["university"]).run()
    assert _metrics(at)["创新资源"] <= after["创新资源"]


def test_language_switch_changes_labels():
    at = _run()
    at.sidebar.radio(key="w_lang").set_value("en").run()
    assert at.title[0].value == "Qingdao Bay-Area Innovation Corridor Atlas"
    assert "Innovation resources" in _metrics(at)
    assert {w.label for w in at.sidebar.multiselect} >= {"Layers", "Bay cluster", "District"}


def test_query_parameters_restore_state():
    at = _run(lang="en", basemap="positron", districts="laoshan,jimo", types="university,campus",
              layers="resources,parks", lat="36.2", lon="120.5", zoom="12")
    assert not at.exception
    assert at.sidebar.radio(key="w_lang").value == "en"
    assert at.sidebar.selectbox(key="w_basemap").value == "positron"
    assert at.sidebar.multiselect(key="w_districts").value == ["laoshan", "jimo"]
    assert set(_metrics(at)) == {"Innovation resources", "High-tech zone parks"}
    assert not at.warning


@pytest.mark.parametrize(("key", "value"), sorted(HOSTILE.items()))
def test_hostile_query_parameter_falls_back_with_notice(key, value):
    at = _run(**{key: value})
    assert not at.exception, at.exception
    assert any(f"“{key}”" in w.value for w in at.warning), [w.value for w in at.warning]


def test_search_locates_a_feature():
    at = _run()
    at.sidebar.text_input(key="w_q").set_value("中国海洋大学").run()
    assert not at.exception
    radio = [r for r in at.sidebar.radio if r.label == "匹配结果"]
    assert radio and radio[0].value.startswith("res_ouc")
    assert "中国海洋大学" in at.text[0].value  # the details panel shows the located feature


def test_search_without_match_says_so():
    at = _run(q="zzzzqqq")
    assert any("zzzzqqq" in i.value for i in at.sidebar.info)


def test_quick_briefing_and_view_export():
    at = _run(layers="parks", districts="laoshan")
    dl = [b for b in at.sidebar.get("download_button") if "GeoJSON" in b.proto.label]
    assert dl, "GeoJSON download of the filtered view"
    at.sidebar.button(key="w_brief").click().run()
    assert not at.exception, at.exception
    assert any("PNG" in b.proto.label for b in at.sidebar.get("download_button"))


def test_one_language_switch_for_every_page():
    at = _run()
    at.sidebar.radio(key="w_lang").set_value("en").run()
    assert at.query_params["lang"] == "en"
    at.switch_page("views/connectivity.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Corridor connectivity"  # AppTest runs the page alone: the router's
    assert not [r for r in at.radio if r.key == "c_lang"]  # switch is checked in tests/test_browser.py


def test_language_from_the_link_reaches_other_pages():
    at = _run(lang="en")
    assert at.sidebar.radio(key="w_lang").value == "en"
    at.switch_page("views/connectivity.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Corridor connectivity"


def test_cluster_filter_applies_to_the_cluster_layer_and_the_view_export():
    from atlas import mapmodel
    from atlas.viewstate import ViewState

    at = _run(clusters="jiaozhou", layers="clusters,resources")
    assert _metrics(at)["三湾科创集聚区"] == 2  # 胶州湾 and the corridor line that strings it in
    # the view's GeoJSON download is built from mapmodel.filtered (app.view_geojson): same rows
    shown = mapmodel.filtered(mapmodel.load_frames()[0], ViewState(clusters=("jiaozhou",)))
    assert set(shown["clusters"]["id"]) == {"cluster_jiaozhou", "corridor_bay_area"}
    assert not shown["resources"]["cluster"].str.contains("lingshan").any() or \
        shown["resources"]["cluster"].str.contains("jiaozhou").all()


def test_filtering_fits_the_map_to_what_is_left():
    at = _run()
    at.sidebar.multiselect(key="w_districts").set_value(["laixi"]).run()
    assert not at.exception, at.exception
    view = at.session_state["view"]
    assert view.lat > 36.6 and view.zoom >= 10  # 莱西, far north of the default centre (36.22)
    assert at.query_params["lat"] == str(view.lat)
