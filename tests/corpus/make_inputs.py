"""Malformed and hostile upload inputs for the points loader, generated (never committed).

:func:`upload_cases` returns ``[(name, data: bytes, kind)]``; :func:`write_inputs`
writes them into a folder (a pytest tmp dir) and returns the paths. Deterministic.
"""

from __future__ import annotations

import json
from pathlib import Path

from core.crs import convert_xy
from tests.corpus.hostile_text import hostile_strings

#: a point in Laoshan (WGS84) and the same point in other systems
LON, LAT = 120.47, 36.10


def _csv(rows: list[list], header=("name", "lon", "lat"), enc="utf-8") -> bytes:
    lines = [",".join(header)] + [",".join(str(v) for v in r) for r in rows]
    return ("\n".join(lines) + "\n").encode(enc)


def _gj(features, **top) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": features, **top}, ensure_ascii=False).encode()


def _feat(geom, props=None) -> dict:
    return {"type": "Feature", "geometry": geom, "properties": props if props is not None else {"name": "x"}}


def csv_cases() -> list[tuple[str, bytes, str]]:
    good = [["崂山", LON, LAT], ["黄岛", 120.2, 35.96]]
    gx, gy = convert_xy([LON], [LAT], source="WGS84", target="GCJ-02")
    bx, by = convert_xy([LON], [LAT], source="WGS84", target="BD-09")
    cases = [
        ("utf8", _csv(good)), ("utf8_bom", b"\xef\xbb\xbf" + _csv(good)),
        ("gbk", _csv(good, enc="gbk")), ("gb18030", _csv(good, enc="gb18030")),
        ("swapped_columns", _csv([[n, b, a] for n, a, b in good])),
        ("swapped_values", _csv([[n, b, a] for n, a, b in good] * 3)),
        ("missing_lat", _csv([["a", LON]], header=("name", "lon"))),
        ("missing_both", _csv([["a", "b"]], header=("name", "addr"))),
        ("chinese_header", _csv(good, header=("名称", "经度", "纬度"))),
        ("fullwidth_digits", _csv([["a", "１２０．４７", "３６．１０"]])),
        ("chinese_comma", "name,lon,lat\na,\"120，47\",\"36，10\"\n".encode()),
        ("empty_rows", _csv(good) + b"\n\n,,\n\n"),
        ("empty_file", b""), ("only_newlines", b"\n\n\n"), ("header_only", b"name,lon,lat\n"),
        ("gcj02", _csv([["a", gx[0], gy[0]]] * 3)), ("bd09", _csv([["a", bx[0], by[0]]] * 3)),
        ("projected_4549", _csv([["a", 473000.0, 3995000.0]] * 3)),
        ("latin1_bytes", "name,lon,lat\nÿþ,120.4,36.1\n".encode("latin-1")),
        ("binary_garbage", bytes(range(256)) * 4), ("nul_bytes", b"name,lon,lat\n\x00,\x00,\x00\n"),
        ("ragged_rows", b"name,lon,lat\na,120.4\nb,120.4,36.1,extra,extra\n"),
        ("unbalanced_quote", b'name,lon,lat\n"a,120.4,36.1\n'),
        ("duplicate_headers", b"lon,lon,lat,lat\n120.4,120.4,36.1,36.1\n"),
        ("semicolon_sep", b"name;lon;lat\na;120.4;36.1\n"),
        ("tab_sep", b"name\tlon\tlat\na\t120.4\t36.1\n"),
        ("crlf", _csv(good).replace(b"\n", b"\r\n")), ("cr_only", _csv(good).replace(b"\n", b"\r")),
        ("header_spaces", _csv(good, header=(" name ", " LON ", " Lat "))),
        ("weight_column", _csv([["a", LON, LAT, "-1"], ["b", LON, LAT, "x"]], header=("name", "lon", "lat", "w"))),
        ("huge_numbers", _csv([["a", "1e308", "1e308"], ["b", "-1e999", "1e999"]])),
        ("nan_inf", _csv([["a", "NaN", "inf"], ["b", "-inf", "nan"]])),
        ("hex_numbers", _csv([["a", "0x78", "0x24"]])),
        ("degrees_minutes", _csv([["a", "120°28′", "36°6′"]])),
        ("very_wide", (",".join(f"c{i}" for i in range(2000)) + ",lon,lat\n"
                       + ",".join("v" for _ in range(2000)) + f",{LON},{LAT}\n").encode()),
        ("long_cell", _csv([["a" * 100_000, LON, LAT]])),
        ("utf16", _csv(good).decode().encode("utf-16")),
    ]
    for i, s in enumerate(hostile_strings()):
        cases.append((f"hostile_name_{i}", _csv([[json.dumps(s), LON, LAT]])))
        cases.append((f"hostile_value_{i}", _csv([["a", json.dumps(s), LAT]])))
    return [(n, d, "csv") for n, d in cases]


def geojson_cases() -> list[tuple[str, bytes, str]]:
    pt = {"type": "Point", "coordinates": [LON, LAT]}
    bowtie = {"type": "Polygon", "coordinates": [[[120.4, 36.0], [120.5, 36.1], [120.5, 36.0], [120.4, 36.1],
                                                   [120.4, 36.0]]]}
    cases = [
        ("gj_ok", _gj([_feat(pt)])), ("gj_single_feature", json.dumps(_feat(pt)).encode()),
        ("gj_invalid_json", b'{"type": "FeatureCollection", "features": [}'),
        ("gj_truncated", _gj([_feat(pt)])[:-5]), ("gj_empty_object", b"{}"), ("gj_array", b"[1, 2, 3]"),
        ("gj_string", b'"FeatureCollection"'), ("gj_null", b"null"), ("gj_number", b"42"),
        ("gj_features_string", b'{"type": "FeatureCollection", "features": "x"}'),
        ("gj_features_numbers", b'{"type": "FeatureCollection", "features": [1, 2]}'),
        ("gj_features_null", b'{"type": "FeatureCollection", "features": [null]}'),
        ("gj_empty_collection", _gj([])),
        ("gj_geometry_null", _gj([_feat(None)])), ("gj_geometry_string", _gj([_feat("POINT (1 2)")])),
        ("gj_coords_string", _gj([_feat({"type": "Point", "coordinates": "120,36"})])),
        ("gj_coords_short", _gj([_feat({"type": "Point", "coordinates": [120.4]})])),
        ("gj_coords_nested", _gj([_feat({"type": "Point", "coordinates": [[120.4, 36.1]]})])),
        ("gj_coords_text", _gj([_feat({"type": "Point", "coordinates": ["a", "b"]})])),
        ("gj_coords_null", _gj([_feat({"type": "Point", "coordinates": [None, None]})])),
        ("gj_coords_bool", _gj([_feat({"type": "Point", "coordinates": [True, False]})])),
        ("gj_3d", _gj([_feat({"type": "Point", "coordinates": [LON, LAT, 12.0, 5.0]})])),
        ("gj_huge_coords", _gj([_feat({"type": "Point", "coordinates": [1e300, -1e300]})])),
        ("gj_nan", b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},'
                   b'"geometry":{"type":"Point","coordinates":[NaN, Infinity]}}]}'),
        ("gj_neg_inf", b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},'
                       b'"geometry":{"type":"Point","coordinates":[-Infinity, 36.1]}}]}'),
        ("gj_self_intersecting", _gj([_feat(bowtie)])),
        ("gj_mixed", _gj([_feat(pt), _feat(bowtie), _feat({"type": "LineString",
                                                            "coordinates": [[120.4, 36.0], [120.5, 36.1]]})])),
        ("gj_collection_geom", _gj([_feat({"type": "GeometryCollection", "geometries": [pt]})])),
        ("gj_nested_props", _gj([_feat(pt, {"a": {"b": {"c": [1, 2, {"d": None}]}}, "name": "x"})])),
        ("gj_props_list", _gj([_feat(pt, [1, 2, 3])])), ("gj_props_string", _gj([_feat(pt, "x")])),
        ("gj_props_clash", _gj([_feat(pt, {"_x": "bad", "_y": "bad", "geometry": "x"})])),
        ("gj_deep_nesting", b"[" * 100_000 + b"]" * 100_000),
        ("gj_bom", b"\xef\xbb\xbf" + _gj([_feat(pt)])),
        ("gj_gbk_props", json.dumps({"type": "FeatureCollection", "features": [_feat(pt, {"名": "青岛"})]},
                                    ensure_ascii=False).encode("gbk")),
        ("gj_crs_member", _gj([_feat(pt)], crs={"type": "name", "properties": {"name": "EPSG:4549"}})),
        ("gj_bbox_wrong", _gj([_feat(pt)], bbox="everywhere")),
        ("gj_feature_no_geometry_key", b'{"type":"FeatureCollection","features":[{"type":"Feature"}]}'),
    ]
    for i, s in enumerate(hostile_strings()):
        cases.append((f"gj_hostile_prop_{i}", _gj([_feat(pt, {"name": s, s[:50]: s})])))
    return [(n, d, "geojson") for n, d in cases]


def upload_cases() -> list[tuple[str, bytes, str]]:
    return csv_cases() + geojson_cases()


def write_inputs(folder: str | Path) -> list[Path]:
    folder = Path(folder)
    paths = []
    for name, data, kind in upload_cases():
        path = folder / f"{name}.{'csv' if kind == 'csv' else 'geojson'}"
        path.write_bytes(data)
        paths.append(path)
    return paths
