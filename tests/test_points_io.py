"""Bring-your-own-points loader: columns, CRSs, encodings, bad rows reported."""

import json

import numpy as np
import pandas as pd
import pytest

from analysis.density.points import transform_xy
from analysis.points_io import read_points, suggest_crs
from core.crs import convert_xy

GOOD = [(120.3845, 36.0622), (120.4800, 36.1200), (120.1900, 35.9600)]  # 五四广场, 崂山, 西海岸


def _csv(rows, header="name,lon,lat,weight", encoding="utf-8") -> bytes:
    lines = [header] + [",".join(map(str, r)) for r in rows]
    return ("\n".join(lines) + "\n").encode(encoding)


def test_detects_columns_and_reads_wgs84():
    rows = [(f"p{i}", x, y, 1) for i, (x, y) in enumerate(GOOD)]
    gdf, problems = read_points(_csv(rows))
    assert problems == [] and len(gdf) == 3 and gdf.crs == "EPSG:4326"
    assert gdf.geometry.x.tolist() == pytest.approx([p[0] for p in GOOD])
    assert gdf.attrs["params"]["lon"] == "lon"


def test_gbk_chinese_headers_and_names():
    rows = [("海洋大学", x, y) for x, y in GOOD]
    gdf, problems = read_points(_csv(rows, header="名称,经度,纬度", encoding="gbk"))
    assert problems == [] and gdf["名称"].iloc[0] == "海洋大学"


def test_invalid_rows_reported_and_skipped():
    rows = [("ok", 120.38, 36.06, 1), ("empty", "", 36.1, 1), ("text", "abc", 36.1, 1),
            ("sea", 125.0, 36.1, 1), ("neg", 120.4, 36.1, -3), ("range", 500, 95, 1)]
    gdf, problems = read_points(_csv(rows), weight="weight")
    assert gdf["name"].tolist() == ["ok"]
    assert [(p["row"], p["reason"]) for p in problems] == [
        (2, "missing_coordinate"), (3, "not_a_number"), (4, "outside_qingdao"), (5, "bad_weight"), (6, "out_of_range")]
    assert problems[1]["message"] == "row 3: lon='abc' is not a number"


@pytest.mark.parametrize("datum", ["GCJ-02", "BD-09"])
def test_declared_web_datum_converted_to_wgs84(datum):
    lon, lat = np.array([p[0] for p in GOOD]), np.array([p[1] for p in GOOD])
    sx, sy = convert_xy(lon, lat, source="WGS84", target=datum)
    gdf, problems = read_points(_csv([(f"p{i}", a, b, 1) for i, (a, b) in enumerate(zip(sx, sy))]), crs=datum)
    assert problems == []
    assert gdf.geometry.x.to_numpy() == pytest.approx(lon, abs=1e-7)
    assert gdf.geometry.y.to_numpy() == pytest.approx(lat, abs=1e-7)


def test_epsg_code_declared():
    x, y = transform_xy([p[0] for p in GOOD], [p[1] for p in GOOD], source="EPSG:4326", target="EPSG:4549")
    gdf, problems = read_points(_csv([("a", a, b, 1) for a, b in zip(x, y)], header="name,x,y,w"), crs="EPSG:4549")
    assert problems == [] and gdf.geometry.x.to_numpy() == pytest.approx([p[0] for p in GOOD], abs=1e-7)


@pytest.mark.parametrize(("transform", "expected"), [
    (lambda x, y: (y, x), "swapped lon/lat"),
    (lambda x, y: transform_xy(x, y, source="EPSG:4326", target="EPSG:4549"), "EPSG:4549"),
    (lambda x, y: transform_xy(x, y, source="EPSG:4326", target="EPSG:32651"), "EPSG:32651"),
])
def test_suggests_the_crs_that_puts_points_in_qingdao(transform, expected):
    x, y = np.array([p[0] for p in GOOD]), np.array([p[1] for p in GOOD])
    a, b = transform(x, y)
    assert suggest_crs(a, b) == expected
    gdf, problems = read_points(_csv([("p", u, v, 1) for u, v in zip(a, b)]), clip_to_qingdao=True)
    hint = [p for p in problems if p["reason"] == "suggest_crs"]
    assert hint and hint[0]["crs"] == expected and len(gdf) == 0


def test_no_suggestion_when_points_are_fine():
    assert suggest_crs([p[0] for p in GOOD], [p[1] for p in GOOD]) is None


def test_geojson_with_a_non_point_feature():
    feats = [{"type": "Feature", "properties": {"name": "a"}, "geometry": {"type": "Point", "coordinates": list(GOOD[0])}},
             {"type": "Feature", "properties": {"name": "b"}, "geometry": {"type": "LineString", "coordinates": [GOOD[0], GOOD[1]]}},
             {"type": "Feature", "properties": {"name": "c"}, "geometry": {"type": "Point", "coordinates": [130.0, 30.0]}}]
    data = json.dumps({"type": "FeatureCollection", "features": feats}).encode()
    gdf, problems = read_points(data)
    assert gdf["name"].tolist() == ["a"]
    assert [(p["row"], p["reason"]) for p in problems] == [(2, "not_a_point"), (3, "outside_qingdao")]
    assert problems[1]["message"].startswith("row 3:")


def test_errors_say_what_to_do():
    with pytest.raises(ValueError, match="choose them explicitly"):
        read_points(b"a,b\n1,2\n")
    with pytest.raises(ValueError, match="neither UTF-8 nor GBK"):
        read_points(b"lon,lat\n\xff\xfa\xfb\n")  # neither UTF-8, GB18030 nor UTF-16


def test_numeric_csv_columns_are_typed_as_numbers():
    from analysis.points_io import read_points

    csv = "name,lon,lat,weight,code\na,120.38,36.07,2.5,007\nb,120.40,36.10,4,012\nc,120.41,36.11,,013\n"
    pts, problems = read_points(csv.encode("utf-8"), kind="csv")
    assert not problems
    assert pts["weight"].dtype.kind == "f" and pts["weight"].iloc[:2].tolist() == [2.5, 4.0]
    assert pts["weight"].isna().iloc[2]  # an empty cell is missing, not text
    assert pts["code"].tolist() == ["007", "012", "013"]  # leading zeros: kept as text
    assert not pd.api.types.is_numeric_dtype(pts["name"])
