"""The export page, headless (AppTest): filters, sizes before download, briefing form."""

import geopandas as gpd
from shapely.geometry import Point
from streamlit.testing.v1 import AppTest

from atlas.viewstate import ViewState
from tests.conftest import ROOT

PAGE = str(ROOT / "pages" / "export.py")


def _page(**session):
    at = AppTest.from_file(PAGE, default_timeout=120)
    for key, value in session.items():
        at.session_state[key] = value
    return at.run()


def _downloads(at):
    return at.get("download_button")


def test_page_starts_from_the_map_view_and_shows_sizes():
    at = _page(view=ViewState(districts=("laoshan",), lang="en"))
    assert not at.exception, at.exception
    assert at.multiselect(key="x_district").value == ["laoshan"]
    caption = at.caption[0].value
    assert "features" in caption and ("KB" in caption or " B" in caption)
    labels = [b.label for b in _downloads(at)]
    assert labels[0].startswith("Download resources_laoshan.geojson (")


def test_changing_format_and_filter_changes_the_file():
    at = _page()
    at.multiselect(key="x_district").set_value(["shinan"]).run()
    at.radio(key="x_fmt").set_value("csv").run()
    assert not at.exception
    assert _downloads(at)[0].label.startswith("下载 resources_shinan.csv")


def test_analysis_results_from_the_session_are_offered():
    table = gpd.GeoDataFrame({"cluster": ["aoshan"], "count": [7]}, geometry=[Point(120.6, 36.4)], crs="EPSG:4326")
    at = _page(analysis_results={"density by cluster": table})
    at.selectbox(key="x_layer").set_value("analysis:density by cluster").run()
    assert not at.exception
    assert "1 个要素" in at.caption[0].value
    assert _downloads(at)[0].label.startswith("下载 density_by_cluster.geojson")


def test_briefing_form_renders_a_download():
    at = _page(view=ViewState(layers=("parks",)))
    at.text_input(key="b_title").set_value("../../简报")
    at.selectbox(key="b_preset").set_value("slide-16:9")
    at.button[0].click().run()
    assert not at.exception, at.exception
    labels = [b.label for b in _downloads(at)]
    assert any(label.startswith("下载 简报.png (") for label in labels), labels
