"""Numbers and text that cannot be trusted are not used silently (issue 24): weights that are infinite,
absurd (1e308), negative or all zero are refused or dropped with a message and never auto-selected;
the encoding of a legacy file is found by charset-normalizer ("név" in Latin-1 stays "név")."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.points_io import MAX_WEIGHT, check_weight, read_upload, weight_issue
from analysis.readers import decode, legacy_encoding
from core.refusal import Refusal

CSV = "name,lon,lat,w\n{a},120.47,36.10,1\n{b},120.38,36.16,2\n"


@pytest.mark.parametrize(("encoding", "names"), [("latin-1", ("név", "Müller")), ("cp1252", ("Straße €", "Zoë")),
                                                 ("gb18030", ("崂山实验室", "海洋大学")), ("gbk", ("崂山", "喆")),
                                                 ("utf-8", ("név", "青岛")), ("utf-8-sig", ("név", "青岛")),
                                                 ("utf-16", ("név", "青岛"))])
def test_each_encoding_reads_back_the_names_it_holds(encoding, names):
    data = CSV.format(a=names[0], b=names[1]).encode(encoding)
    pts, problems = read_upload(data, "p.csv")
    assert list(pts["name"]) == list(names) and not problems


def test_a_short_latin1_file_is_not_read_as_chinese():
    data = "name,lon,lat\nnév,120.4,36.1\n".encode("latin-1")
    assert data.decode("gb18030") == "name,lon,lat\nn関,120.4,36.1\n"  # the old reading: "GB18030 if it decodes"
    assert legacy_encoding(data) in ("cp1252", "latin_1") and decode(data).splitlines()[1] == "név,120.4,36.1"
    assert legacy_encoding("name,lon,lat\n青岛,120.4,36.1\n".encode("gb18030")) == "gb18030"


@pytest.mark.parametrize(("values", "reason", "n"), [([1.0, np.inf, 2.0], "infinite", 1), ([1e308, 1e308], "absurd", 2),
                                                     ([0, 0, 0], "all_zero", 3), ([1, -2, -3], "negative", 2),
                                                     (["1", "x", None], "missing", 2)])
def test_untrustworthy_weights_are_named_with_their_rows(values, reason, n):
    assert weight_issue(values) == (reason, n)
    frame = {"w": values}

    with pytest.raises(Refusal, match="weight column 'w' cannot be used") as err:
        check_weight(pd.DataFrame(frame), "w")
    assert err.value.key == f"weight_{reason}" and "权重列" in err.value.localized("zh")
    assert weight_issue([0, 1.5, MAX_WEIGHT]) is None


def test_absurd_weights_of_an_upload_are_dropped_row_by_row_with_a_message():
    data = b"name,lon,lat,w\na,120.47,36.10,1e308\nb,120.38,36.16,2\nc,120.40,36.12,inf\n"
    pts, problems = read_upload(data, "p.csv", weight="w")
    assert list(pts["name"]) == ["b"]
    assert [(p["row"], p["reason"]) for p in problems] == [(1, "bad_weight"), (3, "bad_weight")]


def test_the_page_never_auto_selects_an_absurd_weight_and_says_why():
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    data = b"name,lon,lat,weight\na,120.47,36.10,1e308\nb,120.38,36.16,1e308\nc,120.45,36.12,1\n"
    at = AppTest.from_file(str(ROOT / "views" / "density.py"), default_timeout=240)
    at.session_state["density_upload"] = ("p.csv", data)
    at.session_state["w_source"] = "upload"
    at.run()
    assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])
    assert at.sidebar.selectbox(key="w_weight").value == "<none>"
    (notice,) = [w.value for w in at.sidebar.warning]
    assert "未自动选用“weight”列作为权重" in notice and "2 行大于 1e+12" in notice
    at.sidebar.selectbox(key="w_weight").set_value("weight").run()  # chosen by hand: refused, in Chinese
    assert any("weight" in e.value and "不能使用：2 行大于" in e.value for e in at.error)
