"""H3 hexagon aggregation and Getis-Ord Gi* hot spots on the hexagons.

Schema of :func:`hexagons` (one row per hexagon, EPSG:4326):
``h3`` (cell id, hex string), ``count``, ``weighted``, ``area_km2`` (measured in
EPSG:4549), ``per_km2``, ``weighted_per_km2``.

:func:`hot_spots` adds ``gi_z`` (Gi* z-score, the standardised statistic),
``gi_p`` (two-sided pseudo p from conditional permutations), ``gi_p_fdr`` (the
Benjamini-Hochberg adjusted p over all tested hexagons), ``n_neighbours`` and
``gi_class`` ('hot' | 'cold' | 'not significant' | 'not tested').
"""

from __future__ import annotations

import warnings

import esda
import geopandas as gpd
import h3
import h3.api.basic_int as h3i
import numpy as np
import pandas as pd
import shapely
from libpysal.weights import W
from scipy.stats import false_discovery_control

from analysis.density.permute import permutation_p
from analysis.density.points import lonlat, measured, weights_of
from core.crs import WGS84
from core.settings import DENSITY

CLASSES = ("hot", "cold", "not significant", "not tested")


def _check_resolution(resolution: int) -> None:
    if not (isinstance(resolution, int | np.integer) and 0 <= resolution <= 15):
        msg = f"H3 resolution must be an integer 0-15 (got {resolution!r}); 7-9 suit a city."
        raise ValueError(msg)


def cells_of(lon: np.ndarray, lat: np.ndarray, resolution: int) -> np.ndarray:
    """H3 cell (uint64) of each lon/lat (h3's C call per point; no Point objects)."""
    return np.fromiter(map(h3i.latlng_to_cell, lat.tolist(), lon.tolist(), [resolution] * len(lat)),
                       dtype=np.uint64, count=len(lat))


def cell_sums(lon, lat, w, resolution: int) -> pd.DataFrame:
    """count and weighted per occupied cell (array core, shared with the Dask path)."""
    cells = cells_of(lon, lat, resolution)
    uniq, inv = np.unique(cells, return_inverse=True)
    return pd.DataFrame({"cell": uniq, "count": np.bincount(inv).astype(float),
                         "weighted": np.bincount(inv, weights=w)})


def land_cells(land: gpd.GeoDataFrame, resolution: int) -> np.ndarray:
    """Cells whose centre lies on land (h3.geo_to_cells)."""
    shape = land.to_crs(WGS84).union_all()
    cells = h3.geo_to_cells(shape, resolution)
    return np.array([h3.str_to_int(c) for c in cells], dtype=np.uint64)


def hex_table(sums: pd.DataFrame, *, land_ids: np.ndarray | None = None) -> gpd.GeoDataFrame:
    """Polygons and densities for cell sums (zero rows for empty land cells)."""
    if land_ids is not None:
        extra = np.setdiff1d(land_ids, sums["cell"].to_numpy())
        zeros = pd.DataFrame({"cell": extra, "count": 0.0, "weighted": 0.0})
        sums = pd.concat([sums, zeros], ignore_index=True).sort_values("cell", ignore_index=True)
    ids = [h3.int_to_str(int(c)) for c in sums["cell"]]
    polys = [shapely.Polygon([(lng, lat) for lat, lng in h3.cell_to_boundary(c)]) for c in ids]
    out = gpd.GeoDataFrame({"h3": ids, "count": sums["count"].astype(int).to_numpy(),
                            "weighted": sums["weighted"].to_numpy()}, geometry=polys, crs=WGS84)
    out["area_km2"] = measured(out).area.to_numpy() / 1e6
    out["per_km2"] = out["count"] / out["area_km2"]
    out["weighted_per_km2"] = out["weighted"] / out["area_km2"]
    return out[["h3", "count", "weighted", "area_km2", "per_km2", "weighted_per_km2", "geometry"]]


def hexagons(
    points: gpd.GeoDataFrame,
    *,
    resolution: int = DENSITY.h3_resolution,
    weight: str | None = None,
    land: gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Points aggregated to H3 hexagons; with ``land``, empty land hexagons get zeros
    (needed for hot spots: a surface of only occupied cells has no "cold")."""
    _check_resolution(resolution)
    lon, lat = lonlat(points)
    sums = cell_sums(lon, lat, weights_of(points, weight), resolution)
    land_ids = land_cells(land, resolution) if land is not None else None
    out = hex_table(sums, land_ids=land_ids)
    out.attrs["params"] = {"resolution": resolution, "weight": weight, "land": land is not None,
                           "n_points": len(points), "area": "EPSG:4549"}
    return out


def ring_weights(ids: list[str], k_ring: int) -> W:
    """Binary weights: hexagons within ``k_ring`` grid steps (self excluded; Gi* adds it)."""
    present = set(ids)
    neighbours = {c: sorted((set(h3.grid_disk(c, k_ring)) & present) - {c}) for c in ids}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # islands (no neighbours) are legitimate here
        return W(neighbours, id_order=ids, silence_warnings=True)


def bh_adjusted(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (scipy.stats.false_discovery_control); NaN stays NaN."""
    out = np.full(len(p), np.nan)
    tested = np.isfinite(p)
    if tested.any():
        out[tested] = false_discovery_control(p[tested], method="bh")
    return out


def hot_spots(
    hexes: gpd.GeoDataFrame,
    *,
    value: str = "count",
    k_ring: int = DENSITY.k_ring,
    confidence: float = DENSITY.confidence,
    permutations: int = DENSITY.gi_permutations,
    seed: int = DENSITY.gi_seed,
    fdr: bool = DENSITY.gi_fdr,
    min_neighbours: int = DENSITY.gi_min_neighbours,
) -> gpd.GeoDataFrame:
    """Getis-Ord Gi* (esda.G_Local, star=True, binary weights) on H3 hexagons, by the book.

    Neighbourhood: every hexagon within ``k_ring`` grid steps plus the hexagon itself.
    Inference: conditional permutations (the hexagon's own value fixed, its neighbours drawn
    at random from the other hexagons, ``permutations`` times, seeded) — no normal
    approximation on sparse counts. ``gi_p`` = two-sided pseudo p (twice esda's one-sided
    folded p_sim, at most 1). With ``fdr`` the p-values are adjusted for testing every
    hexagon at once (Benjamini-Hochberg, ``gi_p_fdr``) and a hexagon is hot (z > 0) or cold
    (z < 0) when ``gi_p_fdr`` < 1 - ``confidence``: among the hexagons called hot or cold, at
    most that share is expected to be false. A hexagon with fewer than ``min_neighbours``
    neighbours is 'not tested' (p NaN) and left out of the correction.
    """
    if not 0 < confidence < 1:
        msg = f"confidence must be between 0 and 1 (got {confidence}); e.g. 0.95."
        raise ValueError(msg)
    if len(hexes) < 3 or k_ring < 1:
        msg = f"Gi* needs at least 3 hexagons and k_ring >= 1 (got {len(hexes)}, {k_ring}); pass land= to hexagons()."
        raise ValueError(msg)
    if not isinstance(permutations, int | np.integer) or permutations < 99:
        msg = f"permutations must be an integer of at least 99 (got {permutations!r}); 9999 is the default."
        raise ValueError(msg)
    ids = hexes["h3"].tolist()
    w = ring_weights(ids, k_ring)
    y = hexes[value].to_numpy(dtype=float)
    cardinality = np.array([w.cardinalities[c] for c in ids], dtype=int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # disconnected components / zero-variance permutations
        g = esda.G_Local(y, w, transform="B", star=True, permutations=0)
    observed = np.asarray(w.sparse @ y).ravel()  # the neighbours' sum (binary weights, self excluded)
    p = permutation_p(y, observed, cardinality, permutations=int(permutations), seed=seed,
                      refine_permutations=DENSITY.gi_refine_permutations, refine_max=DENSITY.gi_refine_max)
    out = hexes.copy()
    out["n_neighbours"] = cardinality
    tested = cardinality >= min_neighbours
    z = np.asarray(g.Zs, dtype=float)
    p = np.where(tested, p, np.nan)
    out["gi_z"] = z
    out["gi_p"] = p
    out["gi_p_fdr"] = bh_adjusted(p) if fdr else p
    significant = tested & (np.nan_to_num(out["gi_p_fdr"].to_numpy(), nan=1.0) < 1.0 - confidence)
    out["gi_class"] = np.where(~tested, "not tested",
                               np.where(significant & (z > 0), "hot",
                                        np.where(significant & (z < 0), "cold", "not significant")))
    out.attrs["params"] = {**hexes.attrs.get("params", {}), "value": value, "k_ring": k_ring,
                           "neighbourhood": f"H3 grid_disk(k={k_ring}) incl. self (Gi*), binary weights",
                           "confidence": confidence, "alpha": round(1.0 - confidence, 10),
                           "p": f"two-sided pseudo p, conditional permutations ({permutations}, one matrix of draws "
                                "per neighbour count)",
                           "correction": "Benjamini-Hochberg FDR" if fdr else None, "permutations": permutations,
                           "seed": seed, "min_neighbours": min_neighbours, "n_tested": int(tested.sum()),
                           "n_hot": int((out["gi_class"] == "hot").sum()),
                           "n_cold": int((out["gi_class"] == "cold").sum())}
    return out
