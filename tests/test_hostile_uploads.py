"""Malformed and hostile uploads through analysis.points_io.read_points (issue 8).

Every case ends in a result (points + row problems) or a ValueError with a clear
message; nothing else escapes. The corpus is generated into a tmp dir at test time.
"""

from __future__ import annotations

import io

import numpy as np
import pytest

from analysis.points_io import read_points
from core.settings import UPLOAD
from tests.corpus.make_inputs import LAT, LON, upload_cases, write_inputs

CASES = upload_cases()


def test_corpus_has_at_least_200_cases():
    assert len(CASES) >= 200
    assert len({name for name, _, _ in CASES}) == len(CASES)


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("uploads")
    write_inputs(folder)
    return folder


@pytest.mark.parametrize(("name", "kind"), [(n, k) for n, _, k in CASES], ids=[n for n, _, _ in CASES])
def test_every_case_is_a_result_or_a_clear_valueerror(corpus_dir, name, kind):
    path = corpus_dir / f"{name}.{'csv' if kind == 'csv' else 'geojson'}"
    try:
        gdf, problems = read_points(path)
    except ValueError as exc:
        assert len(str(exc)) > 10 and "Traceback" not in str(exc)
        return
    assert gdf.crs.to_epsg() == 4326
    assert len(gdf) <= max(gdf.attrs.get("params", {}).get("rows", len(gdf)), len(gdf))
    for p in problems:
        assert set(p) >= {"row", "reason", "message"} and p["message"]
    assert gdf.geometry.is_empty.sum() == 0


def _read(name, **kw):
    data, kind = next((d, k) for n, d, k in CASES if n == name)
    return read_points(data, kind=kind, **kw)


@pytest.mark.parametrize("name", ["utf8", "utf8_bom", "gbk", "gb18030", "chinese_header", "crlf", "cr_only",
                                  "header_spaces"])
def test_encodings_and_headers_give_the_same_two_points(name):
    gdf, problems = _read(name)
    assert problems == []
    assert gdf.geometry.x.round(2).tolist() == [120.47, 120.2]
    assert gdf.geometry.y.round(2).tolist() == [36.1, 35.96]


def test_fullwidth_digits_are_read_as_numbers():
    gdf, problems = _read("fullwidth_digits")
    assert problems == []
    assert (gdf.geometry.x.iloc[0], gdf.geometry.y.iloc[0]) == pytest.approx((120.47, 36.10))


def test_chinese_comma_is_reported_per_row_not_guessed():
    gdf, problems = _read("chinese_comma")
    assert len(gdf) == 0
    assert [(p["row"], p["reason"]) for p in problems] == [(1, "not_a_number")]  # one bad row, counted once
    assert "120,47" in problems[0]["message"] or "120，47" in problems[0]["message"]
    assert "36,10" in problems[0]["message"] or "36，10" in problems[0]["message"]  # both faults said


def test_empty_rows_are_reported_and_good_rows_kept():
    gdf, problems = _read("empty_rows")
    assert len(gdf) == 2
    assert {p["reason"] for p in problems} == {"missing_coordinate"}


@pytest.mark.parametrize(("name", "match"), [("empty_file", "the file is empty"),
                                             ("only_newlines", "the file is empty"),
                                             ("missing_lat", "no longitude/latitude columns"),
                                             ("missing_both", "no longitude/latitude columns"),
                                             ("binary_garbage", "neither UTF-8 nor GBK")])
def test_unusable_files_raise_a_specific_message(name, match):
    with pytest.raises(ValueError, match=match):
        _read(name)


def test_utf16_text_is_read_like_an_upload():
    """One reader for the page and the command line: Excel's "Unicode text" (UTF-16) is read by both."""
    gdf, problems = _read("utf16")
    assert len(gdf) > 0 and not [p for p in problems if p["row"] is None and p["reason"] != "suggest_crs"]


def test_header_only_gives_no_points_and_no_problems():
    gdf, problems = _read("header_only")
    assert len(gdf) == 0 and problems == []


@pytest.mark.parametrize(("name", "crs"), [("swapped_values", "swapped lon/lat"), ("projected_4549", "EPSG:4549")])
def test_points_outside_qingdao_get_a_crs_suggestion(name, crs):
    _, problems = _read(name)
    hint = [p for p in problems if p["reason"] == "suggest_crs"]
    assert len(hint) == 1 and hint[0]["crs"] == crs and crs in hint[0]["message"]


@pytest.mark.parametrize(("name", "crs"), [("gcj02", "GCJ-02"), ("bd09", "BD-09")])
def test_declared_web_datums_convert_back_to_wgs84(name, crs):
    gdf, problems = _read(name, crs=crs)
    assert problems == []
    assert gdf.geometry.x.iloc[0] == pytest.approx(LON, abs=2e-5)
    assert gdf.geometry.y.iloc[0] == pytest.approx(LAT, abs=2e-5)


def test_projected_points_read_with_the_suggested_crs_land_in_qingdao():
    gdf, problems = _read("projected_4549", crs="EPSG:4549")
    assert problems == [] and len(gdf) == 3
    x, y = gdf.geometry.x.to_numpy(), gdf.geometry.y.to_numpy()
    assert np.all((x > 119.69) & (x < 119.71) & (y > 36.08) & (y < 36.09))  # 27 km west of the 120°E meridian


@pytest.mark.parametrize(("name", "match"), [
    ("gj_invalid_json", "GeoJSON could not be read"), ("gj_truncated", "GeoJSON could not be read"),
    ("gj_deep_nesting", "GeoJSON could not be read"), ("gj_array", "not a GeoJSON"),
    ("gj_null", "not a GeoJSON"), ("gj_empty_object", "not a GeoJSON"),
    ("gj_features_string", "not a GeoJSON"), ("gj_features_numbers", "not a GeoJSON"),
])
def test_bad_geojson_raises_a_specific_message(name, match):
    with pytest.raises(ValueError, match=match):
        _read(name)


def test_non_point_and_broken_geometries_are_reported_per_feature():
    gdf, problems = _read("gj_mixed")
    assert len(gdf) == 1
    assert [(p["row"], p["reason"]) for p in problems] == [(2, "not_a_point"), (3, "not_a_point")]
    assert "Polygon" in problems[0]["message"] and "LineString" in problems[1]["message"]
    for name in ("gj_geometry_string", "gj_geometry_null", "gj_coords_string", "gj_self_intersecting"):
        gdf, problems = _read(name)
        assert len(gdf) == 0 and [p["reason"] for p in problems] == ["not_a_point"]


def test_properties_never_override_coordinates_and_odd_properties_are_tolerated():
    gdf, problems = _read("gj_props_clash")
    assert problems == [] and gdf.geometry.x.iloc[0] == pytest.approx(LON)
    for name in ("gj_props_list", "gj_props_string", "gj_nested_props"):
        gdf, problems = _read(name)
        assert len(gdf) == 1 and problems == []


@pytest.mark.parametrize("name", ["gj_nan", "gj_neg_inf", "gj_huge_coords", "nan_inf", "huge_numbers"])
def test_nan_infinity_and_huge_coordinates_are_row_problems(name):
    gdf, problems = _read(name)
    assert len(gdf) == 0
    assert problems and {p["reason"] for p in problems} <= {"missing_coordinate", "not_a_number", "out_of_range"}


def test_empty_feature_collection_is_an_empty_result():
    gdf, problems = _read("gj_empty_collection")
    assert len(gdf) == 0 and problems == [] and gdf.crs.to_epsg() == 4326


def test_a_file_above_the_limit_is_refused_before_reading(tmp_path, monkeypatch):
    big = tmp_path / "big.csv"
    with big.open("wb") as fh:  # sparse ~100 MB file: fast to create, never read
        fh.truncate(100 * 1024 * 1024)
    with pytest.raises(ValueError, match=r"104857600 bytes; the limit is 52428800 bytes"):
        read_points(big)
    monkeypatch.setattr("analysis.points_io.UPLOAD", type(UPLOAD)(max_bytes=100))
    with pytest.raises(ValueError, match="the limit is 100 bytes"):
        read_points(b"lon,lat\n" + b"120.4,36.1\n" * 20)


def test_one_million_rows_load():
    rng = np.random.default_rng(8)
    n = 1_000_000
    buf = io.StringIO()
    buf.write("lon,lat\n")
    xs, ys = rng.uniform(120.2, 120.6, n), rng.uniform(36.0, 36.3, n)
    buf.write("\n".join(f"{x:.5f},{y:.5f}" for x, y in zip(xs, ys)))
    data = buf.getvalue().encode()
    assert len(data) < UPLOAD.max_bytes
    gdf, problems = read_points(data, kind="csv")
    assert len(gdf) == n and problems == []
