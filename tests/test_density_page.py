"""The density page runs headless (AppTest) on the atlas's resources and reacts to its widgets."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

PAGE = ROOT / "pages" / "density.py"


@pytest.fixture(scope="module")
def app():
    return AppTest.from_file(str(PAGE), default_timeout=180).run()


def test_page_runs_and_compares_the_bays(app):
    assert not app.exception, app.exception
    assert "Innovation-resource density" in app.title[0].value
    table = app.dataframe[0].value
    assert list(table.index) == ["aoshan", "jiaozhou", "lingshan", "city"]
    assert table.loc["city", "count"] >= table.loc[["aoshan", "jiaozhou", "lingshan"], "count"].sum()
    labels = [b.label for b in app.get("download_button")]
    assert "三湾对比 CSV" in labels and "六边形 GeoJSON" in labels


def test_switching_to_districts_and_unweighted(app):
    app.selectbox(key="w_zones").set_value("districts")
    app.selectbox(key="w_weight").set_value("无 none (unweighted)")
    app.run()
    assert not app.exception, app.exception
    zones = app.dataframe[-1].value
    assert len(zones) == 10 and (zones["weighted"] == zones["count"]).all()


def test_upload_mode_without_a_file_asks_for_a_file():
    at = AppTest.from_file(str(PAGE), default_timeout=120).run()
    at.sidebar.radio[0].set_value("upload").run()
    assert not at.exception
    assert any("Upload a CSV or GeoJSON" in i.value for i in at.info)
    assert len(at.dataframe) == 0


def test_an_upload_survives_reruns_in_the_session():
    at = AppTest.from_file(str(PAGE), default_timeout=180)
    csv = "name,lon,lat\na,120.38,36.07\nb,120.40,36.10\nc,120.45,36.12\nbad,abc,36.1\n".encode("gbk")
    at.session_state["density_upload"] = ("mine.csv", csv)  # as left by an earlier upload
    at.run()
    at.sidebar.radio[0].set_value("upload").run()
    assert not at.exception, at.exception
    assert not any("Upload a CSV or GeoJSON" in i.value for i in at.info)
    assert any("mine.csv" in c.value for c in at.sidebar.caption)
    at.run()  # another rerun: still there
    assert any("mine.csv" in c.value for c in at.sidebar.caption)
