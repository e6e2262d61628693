"""The files analysts bring, read by content (analysis.readers): every kind, disguised files,
typed columns, and the whole hostile upload corpus ending in a result or a clear ValueError."""

from __future__ import annotations

import numpy as np
import pytest

from analysis import readers
from analysis.points_io import read_upload
from tests.corpus.make_files import JIAOZHOU, LAOSHAN, LINGSHAN, file_cases
from tests.corpus.make_inputs import upload_cases

FILES = file_cases()


@pytest.mark.parametrize(("case", "name", "data", "expect"), FILES, ids=[c[0] for c in FILES])
def test_each_file_is_read_or_refused_clearly(case, name, data, expect):
    if expect[0] == "refused":
        with pytest.raises(ValueError, match=expect[1].replace(".", r"\.").replace("(", r"\(")):
            read_upload(data, name)
        return
    pts, problems = read_upload(data, name)
    assert len(pts) == expect[1], problems
    assert str(pts.crs) == "EPSG:4326"
    got = sorted(zip(np.round(pts.geometry.x, 4), np.round(pts.geometry.y, 4), strict=True))
    assert got == sorted([LAOSHAN, JIAOZHOU, LINGSHAN]) or case == "type_one_bay_only", got


def test_projected_files_come_back_to_the_same_lon_lat():
    cases = {c[0]: c for c in FILES}
    for key in ("shapefile_zip_projected", "geopackage_projected"):
        _, name, data, _ = cases[key]
        pts, _ = read_upload(data, name)
        xy = sorted(zip(pts.geometry.x, pts.geometry.y, strict=True))
        assert np.allclose(xy, sorted([LAOSHAN, JIAOZHOU, LINGSHAN]), atol=1e-7), key


def test_a_disguised_file_is_recognised_and_the_user_told():
    cases = {c[0]: c for c in FILES}
    _, name, data, _ = cases["xlsx_renamed_csv"]
    _, problems = read_upload(data, name)
    assert problems[0]["reason"] == "recognised_as" and "Excel workbook" in problems[0]["message"]
    _, name, data, _ = cases["kml_renamed_geojson"]
    assert "KML" in read_upload(data, name)[1][0]["message"]


def test_numbers_are_numbers():
    cases = {c[0]: c for c in FILES}
    pts, _ = read_upload(*cases["semicolon_decimal_comma"][1:3][::-1])
    assert pts["weight"].dtype == float and sorted(pts["weight"]) == [1.0, 2.5, 3.0]
    pts, _ = read_upload(*cases["xlsx"][1:3][::-1])
    assert pts["weight"].tolist() == [1, 2, 3]
    pts, _ = read_upload(*cases["weight_null"][1:3][::-1])
    assert pts["weight"].dtype == float and int(pts["weight"].isna().sum()) == 1
    pts, _ = read_upload("name,lon,lat,code\na,120.4,36.1,１２\nb,120.41,36.1,8\n".encode(), "x.csv")
    assert pts["code"].tolist() == [12.0, 8.0]  # full-width digits are digits
    pts, _ = read_upload("name,lon,lat,code\na,120.4,36.1,００７\nb,120.41,36.1,8\n".encode(), "x.csv")
    assert pts["code"].tolist() == ["００７", "8"]  # codes with leading zeros stay text, as written
    pts, _ = read_upload("name,lon,lat,code\na,120.4,36.1,A7\nb,120.41,36.1,8\n".encode(), "x.csv")
    assert pts["code"].tolist() == ["A7", "8"]  # a column with any text stays text


def test_list_values_become_hashable_text():
    cases = {c[0]: c for c in FILES}
    pts, _ = read_upload(*cases["type_list_valued"][1:3][::-1])
    assert pts["type"].tolist() == ['["lab", "uni"]', "lab", '{"a": 1}']


def test_delimiter_sniffing():
    assert readers.sniff_delimiter("a;b;c\n1;2,5;3\n") == ";"
    assert readers.sniff_delimiter("a\tb\n1\t2\n") == "\t"
    assert readers.sniff_delimiter("a,b\n1,2\n") == ","
    assert readers.sniff_delimiter("just one column\nvalue\n") == ","


def test_a_typo_in_the_column_box_names_the_column():
    with pytest.raises(ValueError, match="the lon column 'lonn' is not in the file"):
        read_upload(b"name,lon,lat\na,120.4,36.1\n", "x.csv", lon="lonn")


CORPUS = upload_cases()


@pytest.mark.parametrize(("name", "data", "kind"), CORPUS, ids=[c[0] for c in CORPUS])
def test_the_hostile_upload_corpus_ends_in_a_result_or_a_clear_message(name, data, kind):
    try:
        pts, problems = read_upload(data, f"{name}.{kind}")
    except ValueError as exc:
        assert str(exc).strip()
        return
    assert str(pts.crs) == "EPSG:4326"
    assert all(set(p) >= {"row", "reason", "message"} for p in problems)
