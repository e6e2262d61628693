"""Every file an analyst brings, through the Density page itself (AppTest): a result or a clear,
localised message — never Streamlit's redacted error box — and the session keeps working."""

from __future__ import annotations

import gc
import io

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analysis.points_io import read_upload
from atlas.pagekit import md
from core.i18n import t
from core.refusal import Refusal
from tests.conftest import ROOT
from tests.corpus.make_files import PAYLOADS, file_cases

PAGE = ROOT / "views" / "density.py"
FILES = {c[0]: c for c in file_cases()}
REFUSED_HEAD = "无法完成"  # t("err_input", "zh")


def upload(name: str, data: bytes, *, lon: str = "") -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=240)
    at.session_state["density_upload"] = (name, data)  # as left by the uploader
    at.session_state["w_source"] = "upload"
    at.run()
    if lon:
        at.sidebar.text_input[0].set_value(lon).run()
    return at


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def download(at: AppTest, label: str) -> bytes:
    """The bytes behind a download button (AppTest keeps them in its in-memory media storage)."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    button = next(b for b in at.get("download_button") if label in b.label)
    file_id = button.proto.url.rsplit("/", 1)[-1].split(".")[0]
    stores = [o for o in gc.get_objects() if isinstance(o, MemoryMediaFileStorage) and file_id in o._files_by_id]
    return stores[0]._files_by_id[file_id].content


CASES = ["xlsx_renamed_csv", "kml_renamed_geojson", "json_records", "semicolon_decimal_comma",
         "utf16_excel_unicode_text", "shapefile_zip_projected", "geopackage_projected", "kmz", "type_list_valued",
         "type_one_bay_only", "weight_null", "weight_negative"]


@pytest.mark.parametrize("case", CASES)
def test_files_analysts_bring_give_a_result_on_the_page(case):
    _, name, data, _ = FILES[case]
    at = upload(name, data)
    assert not at.exception, at.exception
    assert not errors(at), errors(at)
    bays = at.dataframe[-2].value if len(at.dataframe) >= 2 else None
    assert bays is not None and list(bays.columns) == ["鳌山湾", "胶州湾", "灵山湾", "全市"]
    assert bays.loc[t("c_count", "zh"), "全市"] == "3"  # the page's sheet has headings with units


@pytest.mark.parametrize("case", ["json_nested_100k", "geojson_nested_100k", "pdf_renamed_csv", "old_xls",
                                  "xlsx_damaged", "json_records_not_records", "zip_without_shapefile"])
def test_unusable_files_get_a_localised_message_and_what_to_do(case):
    _, name, data, (_, text) = FILES[case]
    at = upload(name, data)
    assert not at.exception, at.exception
    (message,) = errors(at)
    assert message.startswith(REFUSED_HEAD) and "请按上面的提示" in message
    with pytest.raises(ValueError) as refused:  # the detail is the reader's refusal, said in Chinese
        read_upload(data, name)
    assert isinstance(refused.value, Refusal) and text.split()[0] in str(refused.value)
    assert md(refused.value.localized("zh"), limit=600) in message
    at.sidebar.radio[0].set_value("atlas").run()  # the session still works
    assert not at.exception and not errors(at) and len(at.dataframe) >= 2


def test_a_typo_in_the_longitude_box_is_explained():
    at = upload("p.csv", b"name,lon,lat\na,120.47,36.10\nb,120.38,36.16\n", lon="lonn")
    assert not at.exception
    assert any("lonn" in e and "文件中没有lon列" in e for e in errors(at))  # in the page's language


def test_a_weight_with_bad_values_is_not_preselected_and_refused_if_chosen():
    _, name, data, _ = FILES["weight_negative"]
    at = upload(name, data)
    assert at.selectbox(key="w_weight").value != "weight"  # unweighted by default: the result is right
    at.selectbox(key="w_weight").set_value("weight").run()
    assert not at.exception
    assert any("权重列 'weight' 不能使用：1 行为负数" in e.replace("\\", "") for e in errors(at))


def test_one_bay_only_compares_without_crashing_and_says_nothing_there():
    _, name, data, _ = FILES["type_one_bay_only"]
    bays = upload(name, data).dataframe[-2].value
    count, top = t("c_count", "zh"), t("c_top_lq_type", "zh")
    assert bays.loc[count, "胶州湾"] == "3" and bays.loc[count, "鳌山湾"] == "0"
    assert bays.loc[top, "鳌山湾"] == "–" and bays.loc[top, "胶州湾"] in ("lab", "uni")  # nothing there: "–"


def test_the_bay_comparison_csv_neutralises_formulas():
    frame = pd.DataFrame({"lon": [120.38, 120.39, 120.40], "lat": [36.16, 36.17, 36.18], "type": list(PAYLOADS[:3])})
    at = upload("f.csv", frame.to_csv(index=False).encode())
    assert not at.exception and not errors(at)
    data = download(at, "三湾对比 CSV")
    assert data.startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    cells = set(table.to_numpy().ravel())
    text = {c for c in cells if pd.isna(pd.to_numeric(c, errors="coerce"))}  # numbers may be negative
    assert text and not any(c[:1] in "=+-@" for c in text if c), text
    assert any(c.startswith("'=") or c.startswith("'+") for c in cells)  # the payload survives as text


def test_problem_rows_are_summarised_and_all_downloadable():
    rows = "\n".join(f"r{i},abc,36.1" for i in range(450))
    at = upload("bad.csv", f"name,lon,lat\na,120.47,36.10\nb,120.38,36.16\n{rows}\n".encode())
    assert not at.exception
    shown = at.dataframe[0].value
    assert len(shown) == 200 and shown["行号"].iloc[0] == 3
    assert list(shown.columns) == ["行号", "问题"]  # issue 23: the reason id stays in the download
    assert shown["问题"].iloc[0].startswith("第 3 行")
    assert any("200" in c.value and "450" in c.value for c in at.caption)
    full = pd.read_csv(io.BytesIO(download(at, t("d_dl_problems", "zh"))), encoding="utf-8-sig")
    assert len(full) == 450 and full["row"].tolist() == list(range(3, 453))


def test_file_names_and_parameters_are_not_markup():
    at = AppTest.from_file(str(PAGE), default_timeout=240)
    at.session_state["density_upload"] = ("[x](https://evil.example) ![b](http://h.example/b.png).csv",
                                          b"name,lon,lat\na,120.47,36.10\nb,120.38,36.16\n")
    at.run()
    at.sidebar.radio[0].set_value("upload").run()  # rerun without a new file: the kept name is shown
    at.run()
    caption = next(c.value for c in at.sidebar.caption if "evil" in c.value)
    assert "\\[x\\]\\(https" in caption and "\\!\\[b\\]" in caption


def test_evenly_spread_points_with_no_hot_spot_give_a_map_not_an_error():
    """1,000 points on a regular grid over the three bays: many hexagons (drawn as an image above the
    vector limit) and not one hot or cold spot. The page used to refuse this upload as bad input
    ("cannot convert float NaN to integer": an image of zero hexagons); it shows the map and says 0."""
    side = 32
    rows = [f"p{i},{119.95 + 0.9 * (i % side) / side:.5f},{35.85 + 0.6 * (i // side) / side:.5f}" for i in range(1000)]
    at = upload("grid.csv", ("name,lon,lat\n" + "\n".join(rows) + "\n").encode())
    assert not at.exception and not errors(at), errors(at)
    sentence = next(c.value for c in at.caption if "本次：热点" in c.value)
    assert "本次：热点 0 个，冷点 0 个" in sentence, sentence
    assert len(at.dataframe) >= 2  # the bay comparison and the zone table follow the map


def test_points_offshore_are_listed_in_the_readers_words_without_ids():
    rows = "name,lon,lat\na,120.47,36.10\nb,120.38,36.16\nsea,120.90,35.60\n"
    for lang, head, words in (("zh", ["行号", "问题", "经度", "纬度"], "不计入分区统计"),
                              ("en", ["Row", "Problem", "Longitude", "Latitude"], "in no zone count")):
        at = AppTest.from_file(str(PAGE), default_timeout=240)
        at.session_state["density_upload"] = ("sea.csv", rows.encode())
        at.session_state["w_source"] = "upload"
        at.session_state["w_lang"] = lang
        at.run()
        assert not at.exception and not errors(at), errors(at)
        table = at.dataframe[0].value
        assert list(table.columns) == head and table.iloc[:, 0].tolist() == [3] and words in table.iloc[0, 1]
        assert "outside_districts" not in table.to_string()
