"""Counts and densities of points by zone (bay cluster, district or any polygons).

Schema of :func:`counts_by_zone` (one row per zone, zone geometry in EPSG:4326):

============== ==========================================================
zone           the zone's id (``zone_id`` column of the zones)
name_zh/en     copied when the zones have them
count          points inside the zone
weighted       sum of the points' weights (= count when ``weight=None``)
area_km2       area of the zone polygon in EPSG:4549 (the atlas's districts and bay
               clusters are land only, so this is land area; clip custom zones to land first)
per_km2        count / area_km2
weighted_per_km2 weighted / area_km2
share          count / the city total (points inside ``city``, or all points)
weighted_share weighted / the city's weighted total
============== ==========================================================
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.density.points import measured, point_xy, weights_of, zone_index
from core.crs import WGS84


def zone_sums(x, y, w, zones_m: gpd.GeoSeries) -> tuple[np.ndarray, np.ndarray]:
    """Count and weight sum per zone (array core, shared with the Dask path)."""
    idx = zone_index(x, y, zones_m)
    inside = idx >= 0
    n = len(zones_m)
    return (np.bincount(idx[inside], minlength=n).astype(float),
            np.bincount(idx[inside], weights=w[inside], minlength=n))


def city_totals(x, y, w, city: gpd.GeoDataFrame | None) -> tuple[float, float]:
    if city is None:
        return float(len(x)), float(w.sum())
    inside = zone_index(x, y, gpd.GeoSeries([measured(city, "city outline").union_all()])) >= 0
    return float(inside.sum()), float(w[inside].sum())


def _check_zone_ids(zones: gpd.GeoDataFrame, zone_id: str) -> None:
    if zone_id not in zones.columns:
        msg = f"Zone id column {zone_id!r} not found in zones; columns are {list(zones.columns)}."
        raise ValueError(msg)
    if zones[zone_id].duplicated().any():
        msg = f"Zone ids in {zone_id!r} must be unique; dissolve the zones first (zones.dissolve({zone_id!r}))."
        raise ValueError(msg)


def zone_table(zones, zone_id, counts, weighted, totals) -> gpd.GeoDataFrame:
    """Assemble the documented schema from per-zone sums."""
    zones_m = measured(zones)
    area = zones_m.area.to_numpy() / 1e6
    out = pd.DataFrame({"zone": zones[zone_id].to_numpy()})
    for col in ("name_zh", "name_en"):
        if col in zones.columns:
            out[col] = zones[col].to_numpy()
    total_n, total_w = totals
    with np.errstate(divide="ignore", invalid="ignore"):
        out["count"] = counts.astype(int)
        out["weighted"] = weighted
        out["area_km2"] = area
        out["per_km2"] = counts / area
        out["weighted_per_km2"] = weighted / area
        out["share"] = counts / total_n if total_n else np.nan
        out["weighted_share"] = weighted / total_w if total_w else np.nan
    return gpd.GeoDataFrame(out, geometry=zones.to_crs(WGS84).geometry.to_numpy(), crs=WGS84)


def counts_by_zone(
    points: gpd.GeoDataFrame,
    zones: gpd.GeoDataFrame,
    *,
    zone_id: str = "id",
    weight: str | None = None,
    city: gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Raw and weighted counts, per km² and share of the city total, by zone.

    ``zones``: polygons with a unique ``zone_id`` (e.g. districts with ``id``, bay
    clusters with ``cluster``); a point on a shared border goes to neither (it
    is not *inside*), a point in overlapping zones to the first. ``city``: the
    outline whose points make the city total (default: all points).
    """
    _check_zone_ids(zones, zone_id)
    x, y = point_xy(points)
    w = weights_of(points, weight)
    counts, weighted = zone_sums(x, y, w, measured(zones).geometry)
    totals = city_totals(x, y, w, city)
    out = zone_table(zones, zone_id, counts, weighted, totals)
    out.attrs["params"] = {"zone_id": zone_id, "weight": weight, "city": city is not None,
                           "n_points": len(points), "city_total": totals[0], "city_weighted_total": totals[1]}
    return out
