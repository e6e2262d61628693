"""The connectivity page runs headless, shows its panels, and degrades when layers are missing."""

import re

import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

PAGE = str(ROOT / "views" / "connectivity.py")


def _fresh(timeout=120):
    st.cache_data.clear()
    st.cache_resource.clear()
    return AppTest.from_file(PAGE, default_timeout=timeout)


def test_page_runs_and_shows_panels():
    at = _fresh().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "走廊连通性"
    assert len(at.tabs) == 7
    assert [tab.label for tab in at.tabs][4:] == ["路线", "一小时通勤圈", "模型校验"]
    assert any(c.value.startswith("模型配置编号") for c in at.caption)  # inside "About the model"
    assert len(at.get("download_button")) >= 3
    indices = at.table[0].value.iloc[:, 0].to_dict()  # written for reading, not 0.873456
    assert indices["60分钟内占比"].endswith("%") and re.fullmatch(r"\d+\.\d", indices["平均时间 (分)"])
    assert re.fullmatch(r"[\d,]+", indices["起讫对数"]), indices


def test_page_switches_mode_and_language():
    at = _fresh()
    at.query_params["lang"] = "en"  # the app's one switch lives in app.py; the page reads it
    at.run()
    at.selectbox(key="c_modes").set_value("car").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Corridor connectivity"


def test_page_without_transport_layers(monkeypatch):
    from analysis import corridor as connectivity_data

    monkeypatch.setattr(connectivity_data, "load_transport_frames", lambda: (None, "Transport layers are missing"))
    at = _fresh().run()
    assert not at.exception, at.exception
    assert "missing" in at.warning[0].value


def test_page_scenario_switches_the_second_tunnel_in():
    at = _fresh().run()
    at.selectbox(key="c_modes").set_value("car").run()
    at.selectbox(key="c_alt").set_value("today").run()
    # hubs (stations, airport, ports) sit on both shores near the tunnel; cluster centres sit far from it,
    # and parks whose boundary is unpublished are drawn at district reference points, away from it too
    at.selectbox(key="c_origins").set_value("hubs").run()
    at.multiselect(key="c_add").set_value(["road_jiaozhouwan_tunnel2"]).run()
    assert not at.exception, at.exception
    # the scenario metrics show a change against today
    deltas = [m.delta for m in at.metric]
    assert any(d not in (None, "0.0", "+0.0", "-0.0", "0%") for d in deltas), deltas


def test_page_isochrones_from_a_custom_point():
    at = _fresh().run()
    at.toggle(key="c_custom").set_value(True).run()
    at.number_input(key="c_lon").set_value(120.38).run()
    assert not at.exception, at.exception
    iso = [df.value for df in at.dataframe if "面积（平方公里）" in list(getattr(df.value, "columns", []))]
    area = iso[0]["面积（平方公里）"] if len(iso) == 1 else None
    assert area is not None and area.is_monotonic_increasing and area.iloc[0] > 0


def test_page_route_tab_draws_the_same_trip_as_the_cli():
    from analysis import corridor as cd

    at = _fresh().run()
    assert not at.exception, at.exception
    minutes = [m for m in at.metric if m.label in ("门到门时间（分钟）", "Door to door (min)")]
    assert len(minutes) == 1
    frames, _ = cd.load_transport_frames()
    places = [cd.resolve_place(frames, p) for p in ("崂山实验室", "胶东机场")]
    expected, _, _ = cd.route_between(cd.corridor_network(frames), *places, modes="combined")
    assert float(minutes[0].value) == round(expected)
    at.text_input(key="c_route_to").set_value("no such place xyz").run()
    assert any("no such place xyz" in w.value for w in at.warning)


def test_page_cluster_matrix_and_validation_table():
    at = _fresh().run()
    assert any("走廊线仅作展示" in c.value for c in at.caption)
    shown = [str(getattr(df, "value", "")) for df in at.dataframe]
    assert any("鳌山湾" in text and "灵山湾" in text for text in shown)
    table = [df.value for df in at.dataframe if "模型 / 公布" in list(getattr(df.value, "columns", []))]
    assert len(table) == 1 and table[0]["行程"].str.startswith("地铁8号线").any()  # trips by name, headers in words
