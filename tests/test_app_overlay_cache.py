"""The main page builds each overlay once per (layer, its filters, language, basemap): a rerun
with the same view builds nothing, a district filter rebuilds only the filterable layers."""

import json

import streamlit as st
from streamlit.testing.v1 import AppTest

from atlas import mapmodel
from atlas.viewstate import ViewState
from tests.conftest import ROOT


def _map_args(at) -> dict:
    maps = [e for e in at.get("component_instance") if "streamlit_folium" in e.proto.component_name]
    return json.loads(maps[0].proto.json_args)


def test_overlays_are_built_once_per_filter_set(monkeypatch):
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
    first = _map_args(at)["feature_group"]

    built.clear()
    at.run()  # same view: nothing rebuilt, the same overlays sent
    assert built == []
    assert _map_args(at)["feature_group"] == first

    at.multiselect(key="w_districts").select("laoshan").run()
    assert not at.exception, at.exception
    assert sorted(k for k, _ in built) == sorted(k for k in visible if mapmodel.SPECS[k].filterable)
    assert all(d == ("laoshan",) for _, d in built)
    assert _map_args(at)["feature_group"] != first
