"""The export page, headless (AppTest): filters, sizes before download, briefing form."""

import geopandas as gpd
import pytest
from shapely.geometry import Point
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest, app_test

from atlas.export.formats import read_bytes
from atlas.viewstate import ViewState
from tests.conftest import ROOT

PAGE = str(ROOT / "views" / "export.py")


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


# ---- issue 14: what the downloads hold --------------------------------------------------------

class _Recording(MemoryMediaFileStorage):
    last = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _Recording.last = self


def _content(button) -> bytes:
    file_id = button.proto.url.rsplit("/", 1)[-1].split(".")[0]
    return _Recording.last._files_by_id[file_id].content


@pytest.fixture
def recording(monkeypatch):
    monkeypatch.setattr(app_test, "MemoryMediaFileStorage", _Recording)


def test_csv_has_a_bom_by_default_and_plain_utf8_on_request(recording):
    at = _page(view=ViewState(lang="en"))
    at.radio(key="x_fmt").set_value("csv").run()
    assert not at.exception
    excel = _content(_downloads(at)[0])
    assert excel.startswith(b"\xef\xbb\xbfid,")  # Excel on a Chinese Windows machine reads it as UTF-8
    at.radio(key="x_csv_enc").set_value("plain").run()
    plain = _content(_downloads(at)[0])
    assert plain.startswith(b"id,")
    assert plain.decode("utf-8").splitlines()[1] == excel.decode("utf-8-sig").splitlines()[1]


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "csv"])
def test_the_filtered_view_export_honours_every_filter_and_has_no_index(recording, fmt):
    from atlas import mapmodel

    state = ViewState(clusters=("jiaozhou",), districts=("laoshan", "shinan", "shibei"),
                      types=("university", "platform", "institute"), statuses=("operating",))
    at = _page(view=state)
    at.radio(key="x_fmt").set_value(fmt).run()
    assert not at.exception, at.exception
    back = read_bytes(_content(_downloads(at)[0]), fmt)
    want = mapmodel.filtered(mapmodel.load_frames()[0], state)["resources"]
    assert 0 < len(want) < 55
    assert sorted(back["id"]) == sorted(want["id"])
    assert "index" not in back.columns


def test_every_layer_in_the_list_has_a_human_title():
    at = _page(view=ViewState(lang="en"))
    shown = at.selectbox(key="x_layer").options
    assert "city_outline" not in shown and "Qingdao land outline" in shown
    assert all("_" not in option for option in shown), shown


def test_briefing_focus_is_offered_and_renders(recording):
    at = _page(view=ViewState(layers=("parks",), lang="en"))
    options = at.selectbox(key="b_focus").options
    assert options[0] == "Bay-area corridor (three bays)" and "Aoshan Bay" in options and "Laoshan" in options
    at.selectbox(key="b_focus").set_value("cluster:aoshan")
    at.selectbox(key="b_preset").set_value("slide-16:9")
    at.button[0].click().run()
    assert not at.exception, at.exception
    data = _content([b for b in _downloads(at) if b.label.startswith(("下载", "Download"))][-1])
    assert data.startswith(b"\x89PNG")
