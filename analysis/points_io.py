"""Bring your own points: read a CSV or GeoJSON into WGS84 points, reporting bad rows.

:func:`read_points` returns ``(GeoDataFrame in EPSG:4326, problems)``; each problem
is ``{"row": n, "reason": key, "message": text}`` (``row`` counts data rows from 1,
as a spreadsheet shows them after the header). Invalid rows are skipped and
reported, never silently dropped. All messages live in :data:`MESSAGES` so the
app can translate them.

Declared CRS: "WGS84", "GCJ-02", "BD-09" or any EPSG code ("EPSG:4549").
Encodings: UTF-8 (with or without BOM) or GBK. When most points fall outside
Qingdao, :func:`suggest_crs` tries the usual mistakes (swapped columns,
GCJ-02/BD-09, projected metres in EPSG:4549/32650/32651) and names the one that
puts the points in the city.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.density.points import transform_xy
from core.crs import WEB_DATUMS, WGS84, _datum_name, convert_xy
from core.settings import UPLOAD
from core.vocab import QINGDAO_BBOX

MESSAGES: dict[str, str] = {
    "missing_coordinate": "row {row}: {column} is empty",
    "not_a_number": "row {row}: {column}={value!r} is not a number",
    "out_of_range": "row {row}: ({x}, {y}) is not a valid longitude/latitude",
    "outside_qingdao": "row {row}: ({x:.5f}, {y:.5f}) lies outside Qingdao",
    "bad_weight": "row {row}: weight {value!r} is not a non-negative number",
    "not_a_point": "row {row}: geometry is {value}, not a Point",
    "no_columns": "no longitude/latitude columns found among {value}; choose them explicitly",
    "encoding": "the file is neither UTF-8 nor GBK text",
    "too_large": "the file is {size} bytes; the limit is {limit} bytes (settings.UPLOAD.max_bytes)",
    "bad_csv": "the CSV could not be read: {value}",
    "bad_json": "the GeoJSON could not be read: {value}",
    "not_geojson": "not a GeoJSON FeatureCollection/Feature: {value}",
    "suggest_crs": "{share:.0%} of the points fall outside Qingdao; as {crs} they would fall inside: try crs={crs!r}",
}
LON_NAMES = ("lon", "lng", "longitude", "x", "经度", "long")
LAT_NAMES = ("lat", "latitude", "y", "纬度")
#: Reading candidates for :func:`suggest_crs`: (label, crs, swap columns).
CANDIDATES = (("swapped lon/lat", "WGS84", True), ("GCJ-02", "GCJ-02", False), ("BD-09", "BD-09", False),
              ("EPSG:4549", "EPSG:4549", False), ("EPSG:32650", "EPSG:32650", False),
              ("EPSG:32651", "EPSG:32651", False))


def problem(reason: str, **fields) -> dict:
    return {"row": fields.get("row"), "reason": reason, "message": MESSAGES[reason].format(**fields)}


def decode(data: bytes) -> str:
    for enc in ("utf-8-sig", "gbk"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ValueError(MESSAGES["encoding"])


def detect_columns(columns) -> tuple[str | None, str | None]:
    lower = {str(c).strip().lower(): c for c in columns}
    lon = next((lower[n] for n in LON_NAMES if n in lower), None)
    lat = next((lower[n] for n in LAT_NAMES if n in lower), None)
    return lon, lat


def to_wgs84(x, y, crs: str) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates in the declared ``crs`` -> WGS84 lon/lat."""
    key = str(crs).strip().upper().replace("_", "-")
    if key in WEB_DATUMS or key in ("GCJ02", "BD09", "EPSG:4326", "WGS-84"):
        return convert_xy(x, y, source=_datum_name(key), target="WGS84")
    return transform_xy(x, y, source=crs, target=WGS84)


def inside_qingdao(lon, lat) -> np.ndarray:
    x0, y0, x1, y1 = QINGDAO_BBOX
    return (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)


def suggest_crs(x, y, *, declared: str = "WGS84") -> str | None:
    """When the declared reading leaves most points outside Qingdao, the first
    candidate reading (:data:`CANDIDATES`) that puts most of them inside; else None.

    (GCJ-02 vs WGS84 is a ~500 m shift, inside the city either way: only the
    source of the file can tell those apart.)
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if len(x) == 0 or _share_inside(x, y, declared) > 0.5:
        return None
    for label, crs, swap in CANDIDATES:
        if crs.upper() == declared.upper() and not swap:
            continue
        a, b = (y, x) if swap else (x, y)
        if _share_inside(a, b, crs) > 0.5:
            return label
    return None


def _share_inside(x, y, crs) -> float:
    try:
        with np.errstate(all="ignore"):
            lon, lat = to_wgs84(x, y, crs)
    except Exception:  # noqa: BLE001 — a reading that cannot even be computed is simply not it
        return 0.0
    return float(inside_qingdao(np.asarray(lon), np.asarray(lat)).mean())


def _numbers(frame, column, problems) -> pd.Series:
    raw = frame[column]
    # full-width digits and points (１２０．３) are what Chinese input methods type: NFKC makes them ASCII
    text = raw.map(lambda v: unicodedata.normalize("NFKC", v).strip() if isinstance(v, str) else v)
    values = pd.to_numeric(text, errors="coerce")
    for i in np.flatnonzero(values.isna().to_numpy()):
        row = int(frame.index[i]) + 1
        empty = pd.isna(raw.iloc[i]) or str(raw.iloc[i]).strip() == ""
        problems.append(problem("missing_coordinate" if empty else "not_a_number", row=row, column=column,
                                value=raw.iloc[i]))
    return values


def points_from_table(
    frame: pd.DataFrame, *, lon: str | None = None, lat: str | None = None, crs: str = "WGS84",
    weight: str | None = None, clip_to_qingdao: bool = True,
) -> tuple[gpd.GeoDataFrame, list[dict]]:
    """A table with coordinate columns -> WGS84 points plus row problems."""
    frame = frame.reset_index(drop=True)
    if lon is None or lat is None:
        found = detect_columns(frame.columns)
        lon, lat = lon or found[0], lat or found[1]
    if lon is None or lat is None or lon not in frame or lat not in frame:
        raise ValueError(MESSAGES["no_columns"].format(value=list(frame.columns)))
    problems: list[dict] = []
    xs, ys = _numbers(frame, lon, problems), _numbers(frame, lat, problems)
    ok = xs.notna() & ys.notna()
    if weight is not None:
        w = pd.to_numeric(frame[weight], errors="coerce")
        for i in np.flatnonzero((ok & ~(w >= 0)).to_numpy()):
            problems.append(problem("bad_weight", row=i + 1, value=frame[weight].iloc[i]))
        ok &= w >= 0
    gx, gy = to_wgs84(xs[ok].to_numpy(), ys[ok].to_numpy(), crs)
    out = frame[ok.to_numpy()].copy()
    out["_lon"], out["_lat"] = gx, gy
    problems += _range_problems(out, xs[ok], ys[ok], clip_to_qingdao)
    hint = suggest_crs(xs[ok], ys[ok], declared=str(crs))
    good = out[~out.index.isin([p["row"] - 1 for p in problems])]
    gdf = gpd.GeoDataFrame(typed_columns(good.drop(columns=["_lon", "_lat"])),
                           geometry=gpd.points_from_xy(good["_lon"], good["_lat"]), crs=WGS84)
    if hint is not None:
        share = 1 - inside_qingdao(gx, gy).mean()
        problems.append({"row": None, "reason": "suggest_crs", "message": MESSAGES["suggest_crs"].format(
            share=share, crs=hint), "crs": hint})
    gdf.attrs["params"] = {"lon": lon, "lat": lat, "crs": crs, "weight": weight, "clip_to_qingdao": clip_to_qingdao,
                           "rows": len(frame), "kept": len(gdf)}
    return gdf, sorted(problems, key=lambda p: (p["row"] is None, p["row"] or 0))


def typed_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns whose every non-empty value is a number become numeric (a CSV ``weight`` can weight).

    Codes with leading zeros ("007") stay text: typing them would lose the zeros.
    """
    out = frame.copy()
    for col in [c for c in out.columns if not pd.api.types.is_numeric_dtype(out[c])]:
        text = out[col].map(lambda v: unicodedata.normalize("NFKC", v).strip() if isinstance(v, str) else v)
        filled = text[text.notna() & (text != "")]
        if filled.empty or filled.astype(str).str.match(r"^[+-]?0\d").any():
            continue
        values = pd.to_numeric(filled, errors="coerce")
        if values.notna().all():
            out[col] = pd.to_numeric(text.replace("", np.nan), errors="coerce")
    return out


def _range_problems(out, xs, ys, clip) -> list[dict]:
    problems = []
    lon, lat = out["_lon"].to_numpy(), out["_lat"].to_numpy()
    valid = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lon) <= 180) & (np.abs(lat) <= 90)
    for i, idx in enumerate(out.index):
        if not valid[i]:
            problems.append(problem("out_of_range", row=int(idx) + 1, x=xs.iloc[i], y=ys.iloc[i]))
        elif clip and not inside_qingdao(lon[i], lat[i]):
            problems.append(problem("outside_qingdao", row=int(idx) + 1, x=lon[i], y=lat[i]))
    return problems


def read_points(
    source: str | Path | bytes, *, kind: str | None = None, lon: str | None = None, lat: str | None = None,
    crs: str = "WGS84", weight: str | None = None, clip_to_qingdao: bool = True,
) -> tuple[gpd.GeoDataFrame, list[dict]]:
    """Read a CSV or GeoJSON (path or bytes) -> (points in EPSG:4326, row problems).

    ``kind`` 'csv' | 'geojson' (guessed from the suffix or content when None).
    GeoJSON is taken as WGS84 unless ``crs`` says otherwise (RFC 7946 files are WGS84).

    Raises ValueError (only) with a clear message when the file as a whole cannot
    be used: larger than ``UPLOAD.max_bytes``, not UTF-8/GBK, unreadable CSV or
    JSON, not a GeoJSON FeatureCollection, no coordinate columns.
    """
    size = len(source) if isinstance(source, bytes) else Path(source).stat().st_size
    if size > UPLOAD.max_bytes:
        raise ValueError(MESSAGES["too_large"].format(size=size, limit=UPLOAD.max_bytes))
    data = Path(source).read_bytes() if not isinstance(source, bytes) else source
    text = decode(data)
    if kind is None:
        suffix = Path(source).suffix.lower() if not isinstance(source, bytes) else ""
        kind = "geojson" if suffix in (".geojson", ".json") or text.lstrip().startswith("{") else "csv"
    if kind == "csv":
        frame = _read_csv(text)
        return points_from_table(frame, lon=lon, lat=lat, crs=crs, weight=weight, clip_to_qingdao=clip_to_qingdao)
    return _from_geojson(_read_json(text), crs=crs, weight=weight, clip=clip_to_qingdao)


def _read_csv(text: str) -> pd.DataFrame:
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as exc:
        raise ValueError(MESSAGES["bad_csv"].format(value=str(exc).strip() or type(exc).__name__)) from exc


def _read_json(text: str) -> dict:
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise ValueError(MESSAGES["bad_json"].format(value=str(exc)[:200])) from exc
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = {"type": "FeatureCollection", "features": [data]}
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list) or not all(isinstance(f, dict) for f in features):
        raise ValueError(MESSAGES["not_geojson"].format(value=f"top level is {type(data).__name__}"
                                                        + ("" if not isinstance(data, dict) else
                                                           f" with type {str(data.get('type'))[:40]!r}")))
    return data


def _from_geojson(collection: dict, *, crs, weight, clip) -> tuple[gpd.GeoDataFrame, list[dict]]:
    rows, problems = [], []
    for i, feat in enumerate(collection.get("features", []), start=1):
        geom = feat.get("geometry") if isinstance(feat.get("geometry"), dict) else {}
        props = feat.get("properties") if isinstance(feat.get("properties"), dict) else {}
        props = {k: v for k, v in props.items() if k not in ("_x", "_y")}  # never overrides the coordinates
        coords = geom.get("coordinates")
        if geom.get("type") != "Point" or not isinstance(coords, list) or len(coords) < 2:
            problems.append(problem("not_a_point", row=i, value=str(geom.get("type", "empty"))[:40]))
            rows.append({**props, "_x": None, "_y": None})
            continue
        rows.append({**props, "_x": coords[0], "_y": coords[1]})
    frame = pd.DataFrame(rows)
    bad_rows = {p["row"] for p in problems}
    keep = frame[[r + 1 not in bad_rows for r in range(len(frame))]] if len(frame) else frame
    if keep.empty:
        return gpd.GeoDataFrame(geometry=[], crs=WGS84), problems
    gdf, more = points_from_table(keep, lon="_x", lat="_y", crs=crs, weight=weight, clip_to_qingdao=clip)
    # rows of ``keep`` were renumbered; map them back to feature numbers
    original = [int(i) + 1 for i in keep.index]
    for p in more:
        if p["row"] is not None:
            p["row"] = original[p["row"] - 1]
            p["message"] = p["message"].split(": ", 1)[-1] if p["message"].startswith("row ") else p["message"]
            p["message"] = f"row {p['row']}: {p['message']}"
    return gdf.drop(columns=["_x", "_y"]), sorted(problems + more, key=lambda p: (p["row"] is None, p["row"] or 0))
