"""The Density page's map holds what the user switched on and every uploaded point (AppTest)."""

import json

import numpy as np
from streamlit.testing.v1 import AppTest

from core.i18n import t
from tests.conftest import ROOT

PAGE = ROOT / "views" / "density.py"


def _map_args(at) -> str:
    maps = [e for e in at.get("component_instance") if "streamlit_folium" in e.proto.component_name]
    assert len(maps) == 1
    return json.loads(maps[0].proto.json_args)["script"]


def _map_bytes(at) -> bytes:
    return next(e for e in at.get("component_instance") if "streamlit_folium" in e.proto.component_name
                ).proto.json_args.encode()


def _csv(n: int) -> bytes:
    rng = np.random.default_rng(3)
    lon, lat = rng.uniform(120.20, 120.60, n), rng.uniform(36.05, 36.35, n)
    return ("lon,lat\n" + "".join(f"{x:.5f},{y:.5f}\n" for x, y in zip(lon, lat, strict=True))).encode()


def test_hidden_kde_is_not_sent_until_switched_on():
    at = AppTest.from_file(str(PAGE), default_timeout=180).run()
    assert not at.exception, at.exception
    args = _map_args(at)
    assert "density-kde" not in args and "data:image/png" not in args  # no image layer: the KDE is off
    assert "分区密度" in args and "六边形" in args  # the page's language (中文 by default)
    at.multiselect(key="w_dmap_layers").select("kde").run()
    assert not at.exception, at.exception
    args = _map_args(at)
    assert "density-kde" in args and "data:image/png;base64," in args
    assert "核密度" in args  # its own legend block (purples, apart from the Gi* reds and blues)


def test_an_upload_above_the_marker_limit_is_drawn_whole_as_an_image():
    at = AppTest.from_file(str(PAGE), default_timeout=180)
    at.session_state["density_upload"] = ("many.csv", _csv(3000))
    at.run()
    at.sidebar.radio[0].set_value("upload").run()
    assert not at.exception, at.exception
    assert any("全部 3,000 个点绘为一幅" in c.value for c in at.caption)
    args = _map_args(at)
    assert "density-points" in args
    assert len(_map_bytes(at)) < 200_000  # 3,000 CircleMarkers with popups would be ~1.5 MB


def test_resources_known_only_to_a_district_or_the_city_are_left_out_by_default():
    """No false hot spot at a made-up point: features known only to a district or the city have no position
    (issue 21), are never analysed, and the page says how many were left out."""
    from layers import resources
    from layers.base import unlocated

    res = resources.load()
    n_out = len(unlocated(res))
    at = AppTest.from_file(str(PAGE), default_timeout=180).run()
    assert not at.exception, at.exception
    assert any(f"{n_out} 个规划要素尚无自身位置" in c.value for c in at.caption)
    compared = at.dataframe[0].value
    assert compared.loc[t("c_count", "zh"), "全市"] == str(len(res) - n_out)
    at.selectbox(key="w_max_unc").select_index(0).run()  # "keep all" placed points: still none without a place
    assert not at.exception, at.exception
    assert at.dataframe[0].value.loc[t("c_count", "zh"), "全市"] == str(len(res) - n_out)
