"""Coordinate reference systems: storage, measurement and China's web-map offsets.

* Store/exchange in EPSG:4326 (WGS84, lon/lat order), measure in EPSG:4549
  (CGCS2000 / 3-degree Gauss-Kruger CM 120E).
* GCJ-02 (AMap/Gaode, Tencent) and BD-09 (Baidu) are obfuscated datums with no
  EPSG code. The forward GCJ-02 transform is the widely published formula; its
  inverse has no closed form and is solved by fixed-point iteration here (a
  one-step inverse is off by metres). BD-09 <-> GCJ-02 is a closed-form pair.

All transforms are vectorised with numpy and work on whole GeoSeries of any
geometry type through :func:`shapely.transform`.
"""

from __future__ import annotations

from typing import Literal

import geopandas as gpd
import numpy as np
import shapely

WGS84 = "EPSG:4326"
MEASURE_CRS = "EPSG:4549"

WebDatum = Literal["WGS84", "GCJ-02", "BD-09"]
WEB_DATUMS: tuple[str, ...] = ("WGS84", "GCJ-02", "BD-09")

# Krasovsky 1940 ellipsoid, as used by the GCJ-02 formula.
_A = 6378245.0
_EE = 0.00669342162296594323
_X_PI = np.pi * 3000.0 / 180.0
_INVERSE_TOLERANCE_DEG = 1e-10  # ~0.01 mm
_INVERSE_MAX_ITER = 30


def to_measure_crs(gdf: gpd.GeoDataFrame | gpd.GeoSeries) -> gpd.GeoDataFrame | gpd.GeoSeries:
    """Project to EPSG:4549 for measuring; refuse data whose CRS is unknown."""
    if gdf.crs is None:
        msg = (
            "The data has no CRS, so distances and areas would be meaningless. "
            "Set it first, e.g. gdf.set_crs('EPSG:4326') for lon/lat in WGS84."
        )
        raise ValueError(msg)
    return gdf.to_crs(MEASURE_CRS)


def require_projected(gdf: gpd.GeoDataFrame | gpd.GeoSeries) -> None:
    """Raise if ``gdf`` is not in a projected (metric) CRS."""
    if gdf.crs is None:
        msg = "The data has no CRS; set it (e.g. EPSG:4326) and project with to_measure_crs()."
        raise ValueError(msg)
    if not gdf.crs.is_projected:
        msg = (
            f"The data is in a geographic CRS ({gdf.crs.to_string()}); measurements in degrees "
            "are meaningless. Project it first with core.crs.to_measure_crs()."
        )
        raise ValueError(msg)


def _out_of_china(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    return (lon < 72.004) | (lon > 137.8347) | (lat < 0.8293) | (lat > 55.8271)


def _gcj_delta(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The GCJ-02 offset (dlon, dlat) in degrees at WGS84 position (lon, lat)."""
    x = lon - 105.0
    y = lat - 35.0
    sqrt_abs_x = np.sqrt(np.abs(x))
    common = (
        20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)
    ) * 2.0 / 3.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt_abs_x
    dlat += common
    dlat += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    dlat += (160.0 * np.sin(y / 12.0 * np.pi) + 320 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt_abs_x
    dlon += common
    dlon += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    dlon += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    rad_lat = lat / 180.0 * np.pi
    magic = 1 - _EE * np.sin(rad_lat) ** 2
    sqrt_magic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrt_magic * np.cos(rad_lat) * np.pi)
    outside = _out_of_china(lon, lat)
    return np.where(outside, 0.0, dlon), np.where(outside, 0.0, dlat)


def wgs84_to_gcj02_xy(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 -> GCJ-02 for arrays of lon/lat (degrees)."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    dlon, dlat = _gcj_delta(lon, lat)
    return lon + dlon, lat + dlat


def _invert(forward, x, y, guess_x, guess_y) -> tuple[np.ndarray, np.ndarray]:
    """Solve forward(u, v) == (x, y) by fixed-point iteration from a first guess."""
    u, v = guess_x, guess_y
    for _ in range(_INVERSE_MAX_ITER):
        fx, fy = forward(u, v)
        ex, ey = fx - x, fy - y
        u, v = u - ex, v - ey
        if np.nanmax(np.abs(np.concatenate([np.ravel(ex), np.ravel(ey)])), initial=0.0) < _INVERSE_TOLERANCE_DEG:
            break
    return u, v


def gcj02_to_wgs84_xy(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """GCJ-02 -> WGS84, solved iteratively to well under a millimetre."""
    g_lon = np.asarray(lon, dtype=float)
    g_lat = np.asarray(lat, dtype=float)
    return _invert(wgs84_to_gcj02_xy, g_lon, g_lat, g_lon.copy(), g_lat.copy())


def gcj02_to_bd09_xy(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """GCJ-02 -> BD-09 (Baidu)."""
    x = np.asarray(lon, dtype=float)
    y = np.asarray(lat, dtype=float)
    z = np.sqrt(x * x + y * y) + 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) + 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def _bd09_to_gcj02_approx(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """The published closed-form BD-09 -> GCJ-02 (accurate to ~2 cm)."""
    x = np.asarray(lon, dtype=float) - 0.0065
    y = np.asarray(lat, dtype=float) - 0.006
    z = np.sqrt(x * x + y * y) - 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta), z * np.sin(theta)


def bd09_to_gcj02_xy(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """BD-09 (Baidu) -> GCJ-02: the closed form, refined by iteration to < 1 mm."""
    b_lon = np.asarray(lon, dtype=float)
    b_lat = np.asarray(lat, dtype=float)
    return _invert(gcj02_to_bd09_xy, b_lon, b_lat, *_bd09_to_gcj02_approx(b_lon, b_lat))


def convert_xy(lon, lat, *, source: str, target: str) -> tuple[np.ndarray, np.ndarray]:
    """Convert lon/lat arrays between WGS84, GCJ-02 and BD-09."""
    src, dst = _datum_name(source), _datum_name(target)
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    if src == dst:
        return lon.copy(), lat.copy()
    if src == "BD-09":
        lon, lat = bd09_to_gcj02_xy(lon, lat)
        src = "GCJ-02"
    if src == "WGS84" and dst in ("GCJ-02", "BD-09"):
        lon, lat = wgs84_to_gcj02_xy(lon, lat)
        src = "GCJ-02"
    if src == dst:
        return lon, lat
    if dst == "BD-09":
        return gcj02_to_bd09_xy(lon, lat)
    return gcj02_to_wgs84_xy(lon, lat)  # src GCJ-02, dst WGS84


def _datum_name(name: str) -> str:
    key = str(name).strip().upper().replace("_", "-")
    aliases = {"EPSG:4326": "WGS84", "WGS-84": "WGS84", "EPSG:4490": "WGS84", "CGCS2000": "WGS84",
               "GCJ02": "GCJ-02", "BD09": "BD-09"}
    key = aliases.get(key, key)
    if key not in WEB_DATUMS:
        msg = f"Unknown datum {name!r}: use one of WGS84 (EPSG:4326), GCJ-02 or BD-09."
        raise ValueError(msg)
    return key


def convert_geoseries(geoms: gpd.GeoSeries, *, source: str, target: str) -> gpd.GeoSeries:
    """Convert every vertex of a lon/lat GeoSeries between WGS84, GCJ-02 and BD-09.

    The result is labelled EPSG:4326 (GCJ-02/BD-09 have no EPSG code; they are
    offsets applied to lon/lat) and keeps the input's index.
    """
    if geoms.crs is not None and not geoms.crs.is_geographic:
        msg = f"Expected lon/lat degrees, got projected CRS {geoms.crs.to_string()}; use to_crs('EPSG:4326') first."
        raise ValueError(msg)

    def _transform(coords: np.ndarray) -> np.ndarray:
        x, y = convert_xy(coords[:, 0], coords[:, 1], source=source, target=target)
        return np.column_stack([x, y])

    out = shapely.transform(np.asarray(geoms.values), _transform)
    return gpd.GeoSeries(out, index=geoms.index, crs=WGS84)
