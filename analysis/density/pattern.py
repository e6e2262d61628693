"""Point pattern: Clark-Evans nearest-neighbour ratio and location quotients.

Clark & Evans (1954): R = mean observed nearest-neighbour distance / expected
distance under complete spatial randomness (CSR). R < 1 clustered, ~1 random,
> 1 dispersed. Points near the window's edge have their true nearest neighbour
cut off (outside the window), so without a correction R is biased upwards, the
more so for a long coastline. The default corrects for it with Donnelly (1978),
the expectation and standard error under CSR in a window of area A and perimeter P:

    E(r) = 0.5 sqrt(A / n) + (0.0514 + 0.041 / sqrt(n)) P / n
    SE   = sqrt(0.0703 A / n² + 0.037 P sqrt(A / n⁵))

(derived for n >= 7; the window is the zone itself, measured in EPSG:4549; a
coastline's every bend counts in P). ``edge_correction=None`` gives the original
Clark-Evans values, E = 0.5 / sqrt(n / A), SE = 0.26136 / sqrt(n² / A). Co-located
points (several institutes at one address) have distance 0 and pull R down, as they should.

Location quotient of type j in zone i: LQ = (n_ij / n_i) / (N_j / N), where N
counts the points in all zones together (LQ > 1: the zone specialises in j).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree
from scipy.stats import norm

from analysis.density.points import measured, point_xy, zone_index
from analysis.density.zones import _check_zone_ids

CE_SE_CONSTANT = 0.26136
EDGE_CORRECTIONS = ("donnelly", None)
EDGE_CORRECTION_NAMES = {"donnelly": "Donnelly (1978): expected distance and SE from the window's area and perimeter",
                         None: "none (Clark & Evans 1954)"}


def expected_nn(n: int, area_m2: float, perimeter_m: float, edge_correction: str | None) -> tuple[float, float]:
    """(expected mean nearest-neighbour distance, its standard error) under CSR in the window."""
    if edge_correction == "donnelly":
        expected = 0.5 * np.sqrt(area_m2 / n) + (0.0514 + 0.041 / np.sqrt(n)) * perimeter_m / n
        se = np.sqrt(0.0703 * area_m2 / n**2 + 0.037 * perimeter_m * np.sqrt(area_m2 / n**5))
        return float(expected), float(se)
    return float(0.5 / np.sqrt(n / area_m2)), float(CE_SE_CONSTANT / np.sqrt(n * n / area_m2))


def clark_evans_xy(x: np.ndarray, y: np.ndarray, area_m2: float, perimeter_m: float = 0.0, *,
                   edge_correction: str | None = "donnelly") -> dict:
    """R, z and two-sided p for points in a window of ``area_m2`` and ``perimeter_m``."""
    if edge_correction not in EDGE_CORRECTIONS:
        msg = f"edge_correction must be one of {EDGE_CORRECTIONS} (got {edge_correction!r})."
        raise ValueError(msg)
    n = len(x)
    if n < 2:
        expected = 0.5 / np.sqrt(n / area_m2) if n else np.nan
        return {"n": n, "mean_nn_m": np.nan, "expected_nn_m": expected, "R": np.nan, "z": np.nan, "p": np.nan}
    dist, _ = cKDTree(np.column_stack([x, y])).query(np.column_stack([x, y]), k=2)
    observed = float(dist[:, 1].mean())
    expected, se = expected_nn(n, area_m2, perimeter_m, edge_correction)
    z = (observed - expected) / se
    return {"n": n, "mean_nn_m": observed, "expected_nn_m": expected, "R": observed / expected,
            "z": z, "p": 2.0 * norm.sf(abs(z))}


def clark_evans(points: gpd.GeoDataFrame, zones: gpd.GeoDataFrame, *, zone_id: str = "id",
                edge_correction: str | None = "donnelly") -> pd.DataFrame:
    """Clark-Evans R per zone, edge-corrected (Donnelly) by default: the window of each zone is
    the zone itself (area and perimeter in EPSG:4549).

    Columns: zone, n, area_km2, perimeter_km, mean_nn_m, expected_nn_m, R, z, p.
    """
    _check_zone_ids(zones, zone_id)
    x, y = point_xy(points)
    zones_m = measured(zones)
    idx = zone_index(x, y, zones_m.geometry)
    rows = []
    for i, (zid, geom) in enumerate(zip(zones[zone_id], zones_m.geometry, strict=True)):
        inside = idx == i
        rows.append({"zone": zid, "area_km2": geom.area / 1e6, "perimeter_km": geom.length / 1e3,
                     **clark_evans_xy(x[inside], y[inside], geom.area, geom.length, edge_correction=edge_correction)})
    out = pd.DataFrame(rows)[["zone", "n", "area_km2", "perimeter_km", "mean_nn_m", "expected_nn_m", "R", "z", "p"]]
    out.attrs["params"] = {"zone_id": zone_id, "edge_correction": EDGE_CORRECTION_NAMES[edge_correction],
                           "window": "the zone's polygon", "distance_crs": "EPSG:4549"}
    return out


def location_quotients(
    points: gpd.GeoDataFrame, zones: gpd.GeoDataFrame, *, type_col: str = "type", zone_id: str = "id"
) -> pd.DataFrame:
    """LQ of each ``type_col`` value (columns) in each zone (rows); NaN for an empty zone.

    ``attrs['counts']`` holds the zone x type count table the quotients come from.
    """
    _check_zone_ids(zones, zone_id)
    if type_col not in points.columns:
        msg = f"Type column {type_col!r} not found; columns are {list(points.columns)}."
        raise ValueError(msg)
    x, y = point_xy(points)
    idx = zone_index(x, y, measured(zones).geometry)
    inside = idx >= 0
    labels = pd.Categorical(zones[zone_id].to_numpy()[idx[inside]], categories=zones[zone_id].tolist())
    counts = pd.crosstab(labels, points[type_col].to_numpy()[inside], dropna=False)
    counts.index.name, counts.columns.name = "zone", type_col
    zone_share = counts.div(counts.sum(axis=1).replace(0, np.nan), axis=0)
    city_share = counts.sum(axis=0) / counts.to_numpy().sum()
    out = zone_share.div(city_share, axis=1)
    out.attrs["params"] = {"type_col": type_col, "zone_id": zone_id, "reference": "points in all zones"}
    out.attrs["counts"] = counts
    return out
