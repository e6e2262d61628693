"""The files analysts bring (and disguised or hostile ones), generated — never committed.

:func:`file_cases` returns ``[(case, file_name, data, expect)]`` where ``expect`` is
``("ok", n_points)`` or ``("refused", text in the message)``. Positions are in
three districts (approximate test points, not data).
"""

from __future__ import annotations

import io
import json
import sqlite3
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd

#: (lon, lat): Laoshan, Licang (Jiaozhou Bay) and Huangdao west (Lingshan Bay) — approximate test points
LAOSHAN, JIAOZHOU, LINGSHAN = (120.47, 36.10), (120.38, 36.16), (120.05, 35.88)
PAYLOADS = ("=cmd|' /C calc'!A0", '=HYPERLINK("http://evil.example/x","click")', "+SUM(1,2)", "@A1", "-2+3")


def _frame(n: int = 3, **extra) -> pd.DataFrame:
    pts = [LAOSHAN, JIAOZHOU, LINGSHAN][:n]
    return pd.DataFrame({"name": [f"p{i}" for i in range(n)], "lon": [p[0] for p in pts],
                         "lat": [p[1] for p in pts], **extra})


def _xlsx(frame: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.to_excel(buf, index=False)
    return buf.getvalue()


def _gdf(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(frame.drop(columns=["lon", "lat"]), geometry=gpd.points_from_xy(frame.lon, frame.lat),
                            crs="EPSG:4326")


def _vector(frame: pd.DataFrame, driver: str, suffix: str, crs: str = "EPSG:4326") -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"pts{suffix}"
        _gdf(frame).to_crs(crs).to_file(path, driver=driver)
        if driver != "ESRI Shapefile":
            return path.read_bytes()
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            for part in Path(tmp).iterdir():
                zf.write(part, part.name)
        return buf.getvalue()


def _kmz(kml: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("doc.kml", kml)
    return buf.getvalue()


def _feature_collection(props: list[dict], pts=(LAOSHAN, JIAOZHOU, LINGSHAN)) -> bytes:
    feats = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": list(p)}, "properties": pr}
             for p, pr in zip(pts, props, strict=False)]
    return json.dumps({"type": "FeatureCollection", "features": feats}).encode()


def _sqlite_not_gpkg() -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.db"
        with sqlite3.connect(path) as con:
            con.execute("create table t (a int)")
        return path.read_bytes()


def file_cases() -> list[tuple[str, str, bytes, tuple]]:
    base = _frame()
    kml = _vector(base, "KML", ".kml")
    semicolon = "name;lon;lat;weight\np0;120,47;36,10;2,5\np1;120,38;36,16;1\np2;120,05;35,88;3\n"
    return [
        ("xlsx", "points.xlsx", _xlsx(_frame(weight=[1, 2, 3])), ("ok", 3)),
        ("xlsx_renamed_csv", "points.csv", _xlsx(base), ("ok", 3)),
        ("kml", "points.kml", kml, ("ok", 3)),
        ("kml_renamed_geojson", "points.geojson", kml, ("ok", 3)),
        ("kmz", "points.kmz", _kmz(kml), ("ok", 3)),
        ("shapefile_zip", "points.zip", _vector(base, "ESRI Shapefile", ".shp"), ("ok", 3)),
        ("shapefile_zip_projected", "pts.zip", _vector(base, "ESRI Shapefile", ".shp", "EPSG:4549"), ("ok", 3)),
        ("geopackage_projected", "points.gpkg", _vector(base, "GPKG", ".gpkg", "EPSG:4549"), ("ok", 3)),
        ("json_records", "points.json", json.dumps(base.to_dict("records")).encode(), ("ok", 3)),
        ("json_records_not_records", "points.json", b"[1, 2, 3]", ("refused", "JSON array must hold records")),
        ("json_nested_100k", "deep.json", b"[" * 100_000 + b"]" * 100_000, ("refused", "could not be read")),
        ("geojson_nested_100k", "deep.geojson", b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
         ("refused", "could not be read")),
        ("semicolon_decimal_comma", "eu.csv", semicolon.encode(), ("ok", 3)),
        ("utf16_excel_unicode_text", "unicode.txt", base.to_csv(sep="\t", index=False).encode("utf-16"), ("ok", 3)),
        ("utf16le_no_bom", "u.csv", base.to_csv(index=False).encode("utf-16-le"), ("ok", 3)),
        ("gb18030", "gb.csv", _frame(名称=["崂山", "李沧", "黄岛"]).to_csv(index=False).encode("gb18030"), ("ok", 3)),
        ("pipe_separated", "p.csv", base.to_csv(sep="|", index=False).encode(), ("ok", 3)),
        ("weight_null", "w.geojson", _feature_collection([{"weight": 1}, {"weight": None}, {"weight": 2}]), ("ok", 3)),
        ("weight_negative", "w.geojson", _feature_collection([{"weight": 1}, {"weight": -4}, {"weight": 2}]),
         ("ok", 3)),
        ("weight_text_inf", "w.csv", _frame(weight=["1", "inf", "2"]).to_csv(index=False).encode(), ("ok", 3)),
        ("type_list_valued", "t.geojson", _feature_collection([{"type": ["lab", "uni"]}, {"type": "lab"},
                                                               {"type": {"a": 1}}]), ("ok", 3)),
        ("type_one_bay_only", "one_bay.csv", pd.DataFrame({"lon": [120.38, 120.39, 120.40], "lat": [36.16, 36.17, 36.18],
                                                           "type": ["lab", "uni", "lab"]}).to_csv(index=False).encode(),
         ("ok", 3)),
        ("formula_types", "f.csv", _frame(type=list(PAYLOADS[:3])).to_csv(index=False).encode(), ("ok", 3)),
        ("old_xls", "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, ("refused", ".xls")),
        ("pdf_renamed_csv", "report.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", ("refused", "PDF")),
        ("png_renamed_geojson", "map.geojson", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, ("refused", "PNG")),
        ("html_renamed_csv", "page.csv", b"<!doctype html><html><body>login</body></html>", ("refused", "XML/HTML")),
        ("zip_without_shapefile", "x.zip", _kmz(b"hello").replace(b"doc.kml", b"doc.txt"), ("refused", "no shapefile")),
        ("sqlite_not_geopackage", "x.gpkg", _sqlite_not_gpkg(), ("refused", "has no geometry")),
        ("xlsx_damaged", "d.xlsx", _xlsx(base)[:400], ("refused", "damaged or incomplete")),
    ]
