"""Every reader and size message in the reader's language, detail included (issue 24), through the Density
page (AppTest upload path, zh and en) and the command line: a JSON array is not "the GeoJSON", an empty
.zip is not a CSV, a swapped lon/lat hint names the columns (not a CRS the box lacks), degree-minute-second
coordinates are read, and each bad row is counted once."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile

import pytest
from streamlit.testing.v1 import AppTest

from analysis.points_io import read_upload
from tests.conftest import ROOT

PAGE = ROOT / "views" / "density.py"


def _empty_zip() -> bytes:
    buf = io.BytesIO()
    zipfile.ZipFile(buf, "w").close()
    return buf.getvalue()


def upload(name: str, data: bytes, lang: str) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=240)
    at.session_state["density_upload"] = (name, data)
    at.session_state["w_source"] = "upload"
    at.session_state["w_lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


def plain(text: str) -> str:
    return text.replace("\\", "")


REFUSED = [("points.json", b'[{"lon": 120.4, "lat":', "无法读取该 JSON 文件（JSON 语法错误",
            "the JSON file could not be read"),
           ("e.zip", _empty_zip(), "该 .zip 压缩包是空的", "the .zip archive is empty"),
           ("e.csv", b"", "文件是空的（没有表头也没有数据）", "the file is empty (no header row and no data)")]


@pytest.mark.parametrize(("name", "data", "zh", "en"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refusals_say_what_is_wrong_in_the_readers_language(name, data, zh, en):
    (message,) = [plain(e.value) for e in upload(name, data, "zh").error]
    assert zh in message and "GeoJSON" not in message and "CSV could not" not in message
    (message,) = [plain(e.value) for e in upload(name, data, "en").error]
    assert en in message


def test_dms_coordinates_are_read_and_a_bad_row_is_counted_once():
    data = ("name,lon,lat\na,120°23′E,36°04′N\nb,120°23'10\"E,36°04'30\"N\nc,120°29′E,36°07′N\n"
            "d,120°x′E,36°y′N\n").encode("utf-8")
    pts, problems = read_upload(data, "dms.csv")
    assert pts.geometry.x.round(5).tolist() == [round(120 + 23 / 60, 5), round(120 + 23 / 60 + 10 / 3600, 5),
                                               round(120 + 29 / 60, 5)]
    assert [(p["row"], p["reason"]) for p in problems] == [(4, "not_a_number_dms")]
    at = upload("dms.csv", data, "zh")
    assert not at.error, [e.value for e in at.error]
    assert any("1 行有问题" in e.label for e in at.expander)  # one bad row, not two
    shown = at.dataframe[0].value  # headers in the reader's language (问题 = the message)
    assert shown["问题"].tolist() == ["第 4 行：lon='120°x′E' 既不是数字，也不是 120°23′10″E 这样的度分秒；"
                                    "lat='36°y′N' 既不是数字，也不是 120°23′10″E 这样的度分秒"]


def test_a_swapped_file_is_told_to_swap_the_columns_not_to_pick_a_crs():
    data = b"name,lon,lat\na,36.07,120.38\nb,36.08,120.39\nc,36.12,120.48\n"
    _, problems = read_upload(data, "s.csv")
    (hint,) = [p for p in problems if p["reason"] == "suggest_crs"]
    assert "try crs=" not in hint["message"] and "type 'lat' as the longitude column" in hint["message"]
    at = upload("s.csv", data, "zh")
    messages = at.dataframe[0].value["问题"].tolist()
    assert "经纬度列似乎颠倒（swapped lon/lat）：请在经度列中填写 'lat'，在纬度列中填写 'lon'" in messages[-1]
    crs_box = at.sidebar.selectbox[0]
    assert "swapped lon/lat" not in crs_box.options


@pytest.mark.parametrize(("lang", "words"), [("zh", "每个文件不超过 50 MB"), ("en", "up to 50 MB a file")])
def test_the_upload_limit_is_said_in_words(lang, words):
    at = AppTest.from_file(str(PAGE), default_timeout=240)
    at.session_state["w_source"] = "upload"
    at.session_state["w_lang"] = lang
    at.run()
    (uploader,) = at.get("file_uploader")
    assert words in uploader.proto.label and "50 MB" in uploader.proto.help


def test_the_cli_says_an_empty_zip_is_an_empty_zip(tmp_path):
    (tmp_path / "e.zip").write_bytes(_empty_zip())
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "atlas", "density-report", "e.zip", "--out", "out"], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr  # the file is unusable (not a bad argument)
    assert proc.stderr.strip().splitlines()[-1].endswith("the .zip archive is empty; put the shapefile (.shp, .shx, "
                                                         ".dbf, .prj) or KML in it")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e.zip"]
