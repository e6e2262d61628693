"""The three bays side by side on every density measure — the table an official quotes.

One row per bay cluster plus a ``city`` row (all land), columns:
count, weighted, area_km2, per_km2, weighted_per_km2, share, weighted_share
(:func:`counts_by_zone`); kde_peak, kde_mean (weight per km² over the cluster's
land cells, :func:`~analysis.density.kde.kde_table`); hexes_occupied, hot_hexes, hot_share_km2
(share of the cluster's hexagon area that is a Gi* hot spot); ce_R, ce_z
(Clark-Evans); top_lq_type, top_lq (the type the bay specialises in most).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.density.hexes import hexagons, hot_spots
from analysis.density.kde import kde_table
from analysis.density.pattern import EDGE_CORRECTION_NAMES, clark_evans, location_quotients
from analysis.density.points import measured, zone_index
from analysis.density.zones import counts_by_zone
from core.settings import DENSITY

COLUMNS = ("count", "weighted", "area_km2", "per_km2", "weighted_per_km2", "share", "weighted_share",
           "kde_peak", "kde_mean", "hexes_occupied", "hot_hexes", "hot_share_km2", "ce_R", "ce_z",
           "top_lq_type", "top_lq")


def _by_zone(values: pd.Series, x, y, zones_m, ids) -> pd.core.groupby.SeriesGroupBy:
    idx = zone_index(np.asarray(x), np.asarray(y), zones_m.geometry)
    labels = np.where(idx >= 0, np.asarray(ids, dtype=object)[idx], None)
    return values.groupby(pd.Series(labels, index=values.index))


def compare_bays(
    points: gpd.GeoDataFrame,
    clusters: gpd.GeoDataFrame,
    *,
    city: gpd.GeoDataFrame,
    zone_id: str = "cluster",
    weight: str | None = "weight",
    type_col: str | None = "type",
    bandwidth_m: float = DENSITY.bandwidth_m,
    cell_m: float = DENSITY.cell_m,
    resolution: int = DENSITY.hotspot_resolution,
    k_ring: int = DENSITY.k_ring,
    confidence: float = DENSITY.confidence,
    hexes: gpd.GeoDataFrame | None = None,
) -> pd.DataFrame:
    """All measures for each bay cluster (rows) and the whole city (last row).

    ``hexes``: the :func:`hot_spots` result of these points with the same ``resolution``, ``k_ring``,
    ``confidence`` and ``weight`` when the caller has it already (the Density page's map): not computed
    twice (the Gi* permutations are most of the comparison's time on a big file)."""
    ids = clusters[zone_id].tolist()
    whole = gpd.GeoDataFrame({zone_id: ["city"], "name_zh": ["全市"], "name_en": ["Whole city"]},
                             geometry=[city.to_crs(clusters.crs).union_all()], crs=clusters.crs)
    parts = [counts_by_zone(points, z, zone_id=zone_id, weight=weight, city=city) for z in (clusters, whole)]
    table = pd.DataFrame(pd.concat(parts, ignore_index=True).drop(columns="geometry")).set_index("zone")
    zones_m = measured(clusters)
    _add_kde(table, points, zones_m, ids, bandwidth_m=bandwidth_m, cell_m=cell_m, weight=weight, city=city)
    if hexes is None:
        hexes = hot_spots(hexagons(points, resolution=resolution, weight=weight, land=city),
                          value="weighted" if weight else "count", k_ring=k_ring, confidence=confidence)
    else:
        _check_same(hexes.attrs.get("params", {}), resolution=resolution, k_ring=k_ring, confidence=confidence,
                    weight=weight, value="weighted" if weight else "count")
    _add_hexes(table, hexes, zones_m, ids)
    ce = pd.concat([clark_evans(points, z, zone_id=zone_id) for z in (clusters, whole)]).set_index("zone")
    table["ce_R"], table["ce_z"] = ce["R"], ce["z"]
    if type_col is not None and type_col in points.columns:
        lq = location_quotients(points, clusters, type_col=type_col, zone_id=zone_id)
        some = lq.notna().any(axis=1)  # a bay without points has no quotient (idxmax would raise)
        table["top_lq_type"] = lq[some].idxmax(axis=1).reindex(table.index)
        table["top_lq"] = lq.max(axis=1).reindex(table.index)
    table = table.reindex(columns=[c for c in ("name_zh", "name_en", *COLUMNS) if c in table.columns])
    table.attrs["params"] = {"zone_id": zone_id, "weight": weight, "type_col": type_col, "bandwidth_m": bandwidth_m,
                             "cell_m": cell_m, "h3_resolution": resolution, "k_ring": k_ring,
                             "confidence": confidence, "n_points": len(points),
                             "clark_evans_edge_correction": EDGE_CORRECTION_NAMES["donnelly"]}
    return table


def _add_kde(table, points, zones_m, ids, *, bandwidth_m, cell_m, weight, city) -> None:
    cells = kde_table(points, bandwidth_m=bandwidth_m, cell_m=cell_m, weight=weight, land=city)  # no squares
    groups = _by_zone(cells["density"], cells["x"], cells["y"], zones_m, ids)
    table["kde_peak"] = groups.max().reindex(table.index)
    table["kde_mean"] = groups.mean().reindex(table.index)
    table.loc["city", ["kde_peak", "kde_mean"]] = cells["density"].max(), cells["density"].mean()


def _check_same(params: dict, **wanted) -> None:
    """Precomputed hexagons must have been made with the comparison's parameters (never mixed)."""
    differ = {k: (params.get(k), v) for k, v in wanted.items() if k in params and params[k] != v}
    if differ:
        raise ValueError(f"the hexagons passed to compare_bays were made with other parameters: {differ}")


def _add_hexes(table, hexes, zones_m, ids) -> None:
    centre = measured(hexes).geometry.centroid
    hot = hexes["gi_class"] == "hot"
    occupied = _by_zone(hexes["count"] > 0, centre.x, centre.y, zones_m, ids).sum()
    n_hot = _by_zone(hot, centre.x, centre.y, zones_m, ids).sum()
    hot_area = _by_zone(hexes["area_km2"].where(hot, 0.0), centre.x, centre.y, zones_m, ids).sum()
    area = _by_zone(hexes["area_km2"], centre.x, centre.y, zones_m, ids).sum()
    table["hexes_occupied"] = occupied.reindex(table.index)
    table["hot_hexes"] = n_hot.reindex(table.index)
    table["hot_share_km2"] = (hot_area / area).reindex(table.index)
    table.loc["city", ["hexes_occupied", "hot_hexes"]] = int((hexes["count"] > 0).sum()), int(hot.sum())
    table.loc["city", "hot_share_km2"] = hexes.loc[hot, "area_km2"].sum() / hexes["area_km2"].sum()
