"""Bring your own points: an analyst's file -> WGS84 points, reporting bad rows (the second step).

:func:`read_upload` (bytes + the file's name, as the app and the command line get them)
and :func:`read_points` (a path or bytes) return ``(GeoDataFrame in EPSG:4326,
problems)``. Each goes bytes → table (:func:`analysis.readers.read_table`) → points
(:func:`points_from_table`), each step once. Each problem is ``{"row": n, "reason":
key, "message": text}`` (``row`` counts data rows from 1, as a spreadsheet shows them
after the header; ``None`` for the file as a whole). Invalid rows are skipped and
reported, never silently dropped. All messages live in :data:`MESSAGES` and
:data:`analysis.readers.MESSAGES` so the app can translate them.

Declared CRS: "WGS84", "GCJ-02", "BD-09" or any EPSG code ("EPSG:4549"). When most
points fall outside Qingdao, :func:`suggest_crs` tries the usual mistakes (swapped
columns, GCJ-02/BD-09, projected metres in EPSG:4549/32650/32651) and names the one
that puts the points in the city.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.density.points import transform_xy
from analysis.readers import GEOMETRY_XY, read_table
from core.crs import WEB_DATUMS, WGS84, _datum_name, convert_xy
from core.refusal import Refusal
from core.settings import UPLOAD
from core.vocab import QINGDAO_BBOX

MESSAGES: dict[str, str] = {
    "missing_coordinate": "row {row}: {column} is empty",
    "not_a_number": "row {row}: {column}={value!r} is not a number",
    "out_of_range": "row {row}: ({x}, {y}) is not a valid longitude/latitude",
    "outside_qingdao": "row {row}: ({x:.5f}, {y:.5f}) lies outside Qingdao",
    "bad_weight": "row {row}: weight {value!r} is not a number between 0 and 1e12",
    "no_columns": "no longitude/latitude columns found among {value}; choose them explicitly",
    "too_large": "the file is {size} bytes; the limit is {limit} bytes (settings.UPLOAD.max_bytes)",
    "weight_missing": "the weight column {column!r} cannot be used: {n:,} rows are empty or not numbers; fix those "
                      "rows or analyse unweighted",
    "weight_infinite": "the weight column {column!r} cannot be used: {n:,} rows are infinite; fix those rows or "
                       "analyse unweighted",
    "weight_negative": "the weight column {column!r} cannot be used: {n:,} rows are negative; fix those rows or "
                       "analyse unweighted",
    "weight_absurd": "the weight column {column!r} cannot be used: {n:,} rows are above {limit:g}; fix those rows or "
                     "analyse unweighted",
    "weight_all_zero": "the weight column {column!r} cannot be used: every weight is zero; analyse unweighted",
    "suggest_crs": "{share:.0%} of the points fall outside Qingdao; as {crs} they would fall inside: try crs={crs!r}",
    "suggest_swap": "{share:.0%} of the points fall outside Qingdao; the columns look swapped lon/lat: type {lat!r} "
                    "as the longitude column and {lon!r} as the latitude column",
    "not_a_number_dms": "row {row}: {column}={value!r} is neither a number nor degrees-minutes-seconds like "
                        "120°23′10″E",
}

#: a weight above this is not a weight (1e308 would make every total infinite): refused, never used
MAX_WEIGHT = 1e12
WEIGHT_WHY = ("missing", "infinite", "negative", "absurd", "all_zero")

LON_NAMES = ("lon", "lng", "longitude", "x", "经度", "long")
LAT_NAMES = ("lat", "latitude", "y", "纬度")
#: Reading candidates for :func:`suggest_crs`: (label, crs, swap columns).
CANDIDATES = (("swapped lon/lat", "WGS84", True), ("GCJ-02", "GCJ-02", False), ("BD-09", "BD-09", False),
              ("EPSG:4549", "EPSG:4549", False), ("EPSG:32650", "EPSG:32650", False),
              ("EPSG:32651", "EPSG:32651", False))


def problem(reason: str, **fields) -> dict:
    """A row's problem; ``fields`` are kept so the page can say it in the reader's language."""
    return {"row": fields.get("row"), "reason": reason, "message": MESSAGES[reason].format(**fields),
            "fields": fields}


def refuse(reason: str, **fields) -> Refusal:
    return Refusal(reason, MESSAGES[reason], **fields)


#: degrees[-minutes[-seconds]] with a hemisphere: 120°23′10″E, 36°04'N, E120°23.5', 北纬36度4分, -120.5°
_DMS = re.compile(r"""^\s*(?P<pre>[NSEWnsew东西南北]|北纬|南纬|东经|西经)?\s*(?P<sign>[+-])?\s*
    (?P<deg>\d+(?:\.\d+)?)\s*(?:°|º|度|d|\s)\s*
    (?:(?P<min>\d+(?:\.\d+)?)\s*(?:′|'|’|分|m)\s*)?
    (?:(?P<sec>\d+(?:\.\d+)?)\s*(?:″|"|”|''|′′|秒|s)\s*)?
    (?P<post>[NSEWnsew东西南北])?\s*$""", re.VERBOSE)
_NEGATIVE = set("SWsw西南") | {"南纬", "西经"}


def parse_dms(text: str) -> float | None:
    """Degrees, minutes and seconds as decimal degrees (None when ``text`` is not that)."""
    m = _DMS.match(text) if isinstance(text, str) else None
    if m is None or (m["pre"] and m["post"]):
        return None
    minutes, seconds = float(m["min"] or 0), float(m["sec"] or 0)
    if minutes >= 60 or seconds >= 60 or (m["sec"] and not m["min"]):
        return None
    value = float(m["deg"]) + minutes / 60 + seconds / 3600
    negative = m["sign"] == "-" or (m["pre"] or m["post"] or "") in _NEGATIVE
    return -value if negative else value


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
    if pd.api.types.is_numeric_dtype(raw):  # already numbers (every well-formed file): nothing to normalise
        text = raw
    elif pd.api.types.infer_dtype(raw, skipna=True) == "string":  # text only: vectorised
        text = raw.str.normalize("NFKC").str.strip()
    else:  # mixed cells (workbooks, JSON): one at a time
        text = raw.map(lambda v: unicodedata.normalize("NFKC", v).strip() if isinstance(v, str) else v)
    values = pd.to_numeric(text, errors="coerce")
    missing = values.isna().to_numpy()
    if missing.any():  # degrees-minutes-seconds ("120°23′E") where a plain number is not
        idx = np.flatnonzero(missing)
        array = values.to_numpy(dtype=float, copy=True)
        array[idx] = [np.nan if (d := parse_dms(v)) is None else d for v in text.iloc[idx]]
        values = pd.Series(array, index=values.index)
    for i in np.flatnonzero(values.isna().to_numpy()):
        row = int(frame.index[i]) + 1
        empty = pd.isna(raw.iloc[i]) or str(raw.iloc[i]).strip() == ""
        reason = "missing_coordinate" if empty else "not_a_number_dms" if _dms_like(raw.iloc[i]) else "not_a_number"
        problems.append(problem(reason, row=row, column=column, value=raw.iloc[i]))
    return values


def weight_issue(values) -> tuple[str, int] | None:
    """Why a weight column cannot be trusted — ``(reason, rows)``, reason in :data:`WEIGHT_WHY` — or None.

    A weight is a finite, non-negative number no larger than :data:`MAX_WEIGHT`, and not all of them zero:
    an infinite, absurd (1e308) or all-zero weight gives a normal-looking but meaningless result.
    """
    raw = pd.Series(values)
    w = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    checks = (("missing", np.isnan(w)), ("infinite", np.isinf(w)), ("negative", w < 0), ("absurd", w > MAX_WEIGHT))
    for reason, bad in checks:
        if bad.any():
            return reason, int(bad.sum())
    if len(w) and not w.any():
        return "all_zero", len(w)
    return None


def check_weight(frame, column: str | None) -> None:
    """Refuse (:class:`core.refusal.Refusal`) a weight column that :func:`weight_issue` finds untrustworthy."""
    if column is None or column not in frame:
        return
    issue = weight_issue(frame[column])
    if issue is not None:
        key = f"weight_{issue[0]}"
        raise Refusal(key, MESSAGES[key], column=str(column)[:80], n=issue[1], limit=MAX_WEIGHT)


def _dms_like(value) -> bool:
    return isinstance(value, str) and any(c in value for c in "°º度′'″\"分秒")


def once_per_row(problems: list[dict]) -> list[dict]:
    """One problem per row (a row whose longitude and latitude are both bad is one bad row, said once)."""
    out: list[dict] = []
    seen: dict[int, dict] = {}
    for p in problems:
        row = p.get("row")
        if row is None or row not in seen:
            out.append(dict(p))
            if row is not None:
                seen[row] = out[-1]
            continue
        first = seen[row]
        first.setdefault("parts", [{k: first[k] for k in ("reason", "message", "fields") if k in first}])
        first["parts"].append({k: p[k] for k in ("reason", "message", "fields") if k in p})
        first["message"] = "; ".join([first["message"], p["message"].removeprefix(f"row {row}: ")])
    return out


def points_from_table(
    frame: pd.DataFrame, *, lon: str | None = None, lat: str | None = None, crs: str = "WGS84",
    weight: str | None = None, clip_to_qingdao: bool = True,
) -> tuple[gpd.GeoDataFrame, list[dict]]:
    """A table with coordinate columns -> WGS84 points plus row problems."""
    if not (pd.api.types.is_integer_dtype(frame.index) and frame.index.is_unique):
        frame = frame.reset_index(drop=True)  # row numbers are the index + 1
    if lon is None or lat is None:
        found = detect_columns(frame.columns)
        lon, lat = lon or found[0], lat or found[1]
    if lon is None or lat is None or lon not in frame or lat not in frame:
        raise refuse("no_columns", value=list(frame.columns))
    problems: list[dict] = []
    xs, ys = _numbers(frame, lon, problems), _numbers(frame, lat, problems)
    ok = xs.notna() & ys.notna()
    if weight is not None:
        w = pd.to_numeric(frame[weight], errors="coerce")
        good_w = (w >= 0) & (w <= MAX_WEIGHT)  # NaN, inf, negative and absurd (1e308) weights are not used
        for i in np.flatnonzero((ok & ~good_w).to_numpy()):
            problems.append(problem("bad_weight", row=int(frame.index[i]) + 1, value=frame[weight].iloc[i]))
        ok &= good_w
    gx, gy = to_wgs84(xs[ok].to_numpy(), ys[ok].to_numpy(), crs)
    out = frame[ok.to_numpy()].copy()
    out["_lon"], out["_lat"] = gx, gy
    problems = once_per_row(sorted(problems, key=lambda p: p["row"]))
    problems += _range_problems(out, xs[ok], ys[ok], clip_to_qingdao)
    hint = suggest_crs(xs[ok], ys[ok], declared=str(crs))
    good = out[~out.index.isin([p["row"] - 1 for p in problems])]
    gdf = gpd.GeoDataFrame(good.drop(columns=["_lon", "_lat"]).reset_index(drop=True),
                           geometry=gpd.points_from_xy(good["_lon"], good["_lat"]), crs=WGS84)
    if hint is not None:
        share = 1 - inside_qingdao(gx, gy).mean()
        key = "suggest_swap" if hint == CANDIDATES[0][0] else "suggest_crs"  # the CRS box has no "swapped" option
        fields = {"share": share, "crs": hint, "lon": lon, "lat": lat}
        problems.append({"row": None, "reason": "suggest_crs", "key": key, "message": MESSAGES[key].format(**fields),
                         "crs": hint, "fields": fields})
    gdf.attrs["params"] = {"lon": lon, "lat": lat, "crs": crs, "weight": weight, "clip_to_qingdao": clip_to_qingdao,
                           "rows": len(frame), "kept": len(gdf)}
    return gdf, sorted(problems, key=lambda p: (p["row"] is None, p["row"] or 0))


def _range_problems(out, xs, ys, clip) -> list[dict]:
    problems = []
    lon, lat = out["_lon"].to_numpy(), out["_lat"].to_numpy()
    valid = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lon) <= 180) & (np.abs(lat) <= 90)
    outside = valid & ~inside_qingdao(lon, lat) if clip else np.zeros(len(lon), bool)
    for i in np.flatnonzero(~valid | outside):  # the rows with a problem only (a file has 10^6 good ones)
        idx = out.index[i]
        if not valid[i]:
            problems.append(problem("out_of_range", row=int(idx) + 1, x=xs.iloc[i], y=ys.iloc[i]))
        else:
            problems.append(problem("outside_qingdao", row=int(idx) + 1, x=lon[i], y=lat[i]))
    return problems


def read_upload(
    data: bytes, name: str = "", *, crs: str = "WGS84", lon: str | None = None, lat: str | None = None,
    weight: str | None = None, clip_to_qingdao: bool = True, kind: str | None = None,
) -> tuple[gpd.GeoDataFrame, list[dict]]:
    """An analyst's file (bytes + its name) -> (points in EPSG:4326, problems): bytes → table → points.

    Raises ValueError (only) with a clear message when the file as a whole cannot be used:
    larger than ``UPLOAD.max_bytes``, not a readable kind (:mod:`analysis.readers`), no
    coordinate columns. ``kind`` ('csv' | 'geojson') forces the reading; by default the
    content decides.
    """
    if len(data) > UPLOAD.max_bytes:
        raise refuse("too_large", size=len(data), limit=UPLOAD.max_bytes)
    table = read_table(data, name, kind=kind, crs=crs, lon=lon, lat=lat)
    if table.frame.empty and table.lon in GEOMETRY_XY:
        gdf, problems = gpd.GeoDataFrame(geometry=[], crs=WGS84), []
    else:
        gdf, problems = points_from_table(table.frame, lon=table.lon, lat=table.lat, crs=table.crs, weight=weight,
                                          clip_to_qingdao=clip_to_qingdao)
    gdf = gdf.drop(columns=[c for c in GEOMETRY_XY if c in gdf.columns])
    rows = sorted(table.problems + problems, key=lambda p: (p["row"] is None, p["row"] or 0))
    return gdf, table.notes + rows


def read_points(
    source: str | Path | bytes, *, kind: str | None = None, lon: str | None = None, lat: str | None = None,
    crs: str = "WGS84", weight: str | None = None, clip_to_qingdao: bool = True,
) -> tuple[gpd.GeoDataFrame, list[dict]]:
    """:func:`read_upload` for a path or bytes; ``kind`` 'csv' | 'geojson' or None (the suffix or content decides).

    GeoJSON is taken as WGS84 unless ``crs`` says otherwise (RFC 7946 files are WGS84).
    """
    size = len(source) if isinstance(source, bytes) else Path(source).stat().st_size
    if size > UPLOAD.max_bytes:
        raise refuse("too_large", size=size, limit=UPLOAD.max_bytes)
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    name = "" if isinstance(source, bytes) else Path(source).name
    return read_upload(data, name, kind=kind, lon=lon, lat=lat, crs=crs, weight=weight,
                       clip_to_qingdao=clip_to_qingdao)
