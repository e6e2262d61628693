"""The plan's yardstick: the one-hour rail commute circle (轨道交通一小时通勤圈).

For each bay cluster an *anchor* is chosen where its resources are: the member
resource with the smallest resource-weighted mean transit time to the cluster's
other resources (a weighted medoid). From the anchor, by transit (walk, feeder,
metro, rail), the circle within 30 / 45 / 60 minutes is the isochrone
(:func:`analysis.connectivity.isochrones`) clipped to land; the table gives

* ``resource_share``: share of the city's resource weight reachable within the cutoff;
* ``land_share``: share of the city's land inside the circle, and its ``area_km2``.

The corridor row takes the three anchors together (reachable from any of them).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis.connectivity import Scenario, _compiled, clean_polygons, isochrones, to_wgs84_valid, travel_time_matrix
from core.crs import MEASURE_CRS

CUTOFFS = (30, 45, 60)


def anchors(matrix: pd.DataFrame, groups: dict[str, pd.Series]) -> dict[str, str]:
    """cluster -> member id with the smallest weighted mean time to the other members."""
    out = {}
    for name, weights in groups.items():
        ids = list(weights.index)
        sub = matrix.reindex(index=ids, columns=ids).to_numpy(dtype=float)
        sub = np.where(np.isfinite(sub), sub, 1e6)
        score = sub @ weights.to_numpy() / max(weights.sum(), 1e-9)
        out[name] = ids[int(np.argmin(score))]
    return out


def commute_circle(network, anchor_nodes: dict[str, str], resource_nodes: pd.Series, land, *,
                   cutoffs=CUTOFFS, modes="transit", scenario: Scenario = Scenario()):
    """(table, circles): the shares per cluster and cutoff, and the circles as WGS84 polygons.

    ``resource_nodes`` maps network node -> resource weight; ``land`` is the city's land
    (a polygon in EPSG:4549).
    """
    net = _compiled(network)
    to_res = travel_time_matrix(net, list(anchor_nodes.values()), list(resource_nodes.index), modes=modes,
                                scenario=scenario)
    total_w, land_area = float(resource_nodes.sum()), land.area
    rows, shapes = [], []
    polys = {}
    for name, node in anchor_nodes.items():
        iso = isochrones(net, node, cutoffs=cutoffs, modes=modes, scenario=scenario).to_crs(MEASURE_CRS)
        polys[name] = dict(zip(iso["cutoff_min"], iso.geometry, strict=True))
    for cutoff in cutoffs:
        reach_any = np.zeros(len(resource_nodes), dtype=bool)
        for name, node in anchor_nodes.items():
            reach = to_res.loc[node].to_numpy() <= cutoff
            reach_any |= reach
            rows.append(_row(name, cutoff, reach, resource_nodes, total_w, polys[name][float(cutoff)], land, land_area))
            shapes.append(rows[-1].pop("geometry"))
        union = shapely.union_all([polys[n][float(cutoff)] for n in anchor_nodes])
        rows.append(_row("corridor", cutoff, reach_any, resource_nodes, total_w, union, land, land_area))
        shapes.append(rows[-1].pop("geometry"))
    table = pd.DataFrame(rows)
    circles = to_wgs84_valid(gpd.GeoDataFrame(table.copy(), geometry=shapes, crs=MEASURE_CRS))
    table.attrs["params"] = {"anchors": anchor_nodes, "cutoffs": list(cutoffs), "modes": modes,
                             "method": "weighted-medoid anchor; transit isochrone clipped to land"}
    return table, circles


def _row(name, cutoff, reach, resource_nodes, total_w, circle, land, land_area) -> dict:
    clipped = clean_polygons(circle.intersection(land))
    return {"cluster": name, "cutoff_min": int(cutoff),
            "resource_share": float(resource_nodes.to_numpy()[reach].sum() / total_w),
            "land_share": float(clipped.area / land_area), "area_km2": float(clipped.area / 1e6),
            "geometry": clipped}
