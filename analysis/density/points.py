"""Shared input handling: point coordinates in metres (EPSG:4549) and weights, vectorised.

No shapely Point is built on the hot path: coordinates come straight from the
geometry array (``shapely.get_coordinates``) and are projected with pyproj.
"""

from __future__ import annotations

from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer

from core.crs import MEASURE_CRS, WGS84

_POINT = 0  # shapely type id


@lru_cache(maxsize=16)
def _transformer(source: str, target: str) -> Transformer:
    return Transformer.from_crs(CRS.from_user_input(source), CRS.from_user_input(target), always_xy=True)


def require_crs(frame: gpd.GeoDataFrame | gpd.GeoSeries, what: str = "points") -> None:
    if frame.crs is None:
        msg = (f"The {what} have no CRS, so densities would be meaningless. Set it first, e.g. "
               "gdf.set_crs('EPSG:4326') for WGS84 lon/lat (analysis.points_io reads GCJ-02/BD-09 files).")
        raise ValueError(msg)


def transform_xy(x, y, *, source, target: str) -> tuple[np.ndarray, np.ndarray]:
    """Project coordinate arrays between CRSs (no-op when equal)."""
    src, dst = CRS.from_user_input(source), CRS.from_user_input(target)
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if src == dst:
        return x, y
    return _transformer(src.to_wkt(), dst.to_wkt()).transform(x, y)


def point_xy(points: gpd.GeoDataFrame | gpd.GeoSeries, *, crs: str = MEASURE_CRS) -> tuple[np.ndarray, np.ndarray]:
    """x, y of every point in ``crs`` (default EPSG:4549 metres)."""
    require_crs(points)
    geoms = points.geometry.values if isinstance(points, gpd.GeoDataFrame) else points.values
    bad = (shapely.get_type_id(geoms) != _POINT) | shapely.is_empty(geoms)
    if bad.any():
        rows = np.flatnonzero(bad)[:5].tolist()
        msg = (f"{int(bad.sum())} geometries are not non-empty Points (first rows {rows}); "
               "drop or fix them first (analysis.points_io.read_points reports such rows).")
        raise ValueError(msg)
    xy = shapely.get_coordinates(geoms)
    return transform_xy(xy[:, 0], xy[:, 1], source=points.crs, target=crs)


def lonlat(points: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    return point_xy(points, crs=WGS84)


def weights_of(points: pd.DataFrame, weight: str | None) -> np.ndarray:
    """The weight column as floats (ones when ``weight`` is None); rejects bad values."""
    if weight is None:
        return np.ones(len(points))
    if weight not in points.columns:
        msg = f"Weight column {weight!r} not found; columns are {list(points.columns)} (or pass weight=None)."
        raise ValueError(msg)
    w = pd.to_numeric(points[weight], errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(w) | (w < 0)
    if bad.any():
        msg = f"Weight column {weight!r} has {int(bad.sum())} missing, non-numeric or negative values."
        raise ValueError(msg)
    return w


def zone_index(x: np.ndarray, y: np.ndarray, zones_m: gpd.GeoSeries) -> np.ndarray:
    """For each point, the position of the first zone containing it (-1 = none).

    ``shapely.contains_xy`` on a prepared private copy of each polygon after a
    bounding-box prefilter (safe to call from several threads on shared zones).
    """
    out = np.full(len(x), -1, dtype=np.int64)
    for i, geom in enumerate(zones_m.values):
        if geom is None or geom.is_empty:
            continue
        x0, y0, x1, y1 = geom.bounds
        cand = np.flatnonzero((x >= x0) & (x <= x1) & (y >= y0) & (y <= y1) & (out < 0))
        if len(cand) == 0:
            continue
        own = shapely.from_wkb(shapely.to_wkb(geom))  # a private copy: preparing a shared
        shapely.prepare(own)  # geometry in place is not thread-safe (Dask threads, app sessions)
        inside = shapely.contains_xy(own, x[cand], y[cand])
        out[cand[inside]] = i
    return out


def measured(zones: gpd.GeoDataFrame, what: str = "zones") -> gpd.GeoDataFrame:
    require_crs(zones, what)
    return zones.to_crs(MEASURE_CRS)
