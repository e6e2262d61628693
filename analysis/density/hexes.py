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
from esda.crand import crand
from esda.getisord import _g_local_star_crand
from libpysal.weights import W
from scipy.stats import false_discovery_control

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


def permutation_p(g: esda.G_Local, y: np.ndarray, *, permutations: int, seed: int) -> np.ndarray:
    """Two-sided pseudo p of each Gi* from esda's conditional randomisation: the hexagon's own
    value fixed, its neighbours drawn from the other hexagons (the same seeded draws for both tails).

    p = min(1, 2 · min(P(G ≥ observed), P(G ≤ observed))), each (count + 1) / (permutations + 1).
    Ties count as "as extreme" in both tails, so a hexagon whose whole neighbourhood is empty
    (G = 0, and most random draws are 0 too) gets p = 1, not a spurious "cold" (esda's default
    'directed' p folds ties into one tail and would call it significant).
    """
    if y.sum() == 0:
        return np.ones(len(y))
    tails = [crand(y, g.w, np.asarray(g.Gs, dtype=float), permutations, False, 1, _g_local_star_crand,
                   scaling=y.sum(), seed=seed, alternative=alt)[0] for alt in ("greater", "lesser")]
    p = np.minimum(1.0, 2.0 * np.minimum(*tails).astype(float))
    return refine_smallest(p, y, g.w, permutations=permutations, seed=seed)


def refine_smallest(p: np.ndarray, y: np.ndarray, w: W, *, permutations: int, seed: int) -> np.ndarray:
    """More draws where the permutation p is too coarse to be corrected for multiple testing.

    With P permutations no p is below 2/(P+1) (2e-4 for 9999), while Benjamini-Hochberg's
    first threshold is alpha/m (1.6e-5 for 3000 hexagons at 5 %): a compact cluster of a few
    hexagons could never pass. The hexagons whose p is within 10 draws of that floor (at most
    ``DENSITY.gi_refine_max``, smallest first) are re-drawn with ``DENSITY.gi_refine_permutations``
    conditional permutations each (own value fixed, neighbours drawn without replacement from
    the other hexagons, seeded) — the same test, finer resolution.
    """
    coarse = np.flatnonzero(p <= 20.0 / (permutations + 1))
    coarse = coarse[np.argsort(p[coarse], kind="stable")][: DENSITY.gi_refine_max]
    if len(coarse) == 0:
        return p
    rng = np.random.default_rng(seed)
    out = p.copy()
    order = {c: i for i, c in enumerate(w.id_order)}
    for i in coarse:
        nbrs = [order[c] for c in w.neighbors[w.id_order[i]] if order[c] != i]
        others = np.delete(y, i)
        observed = y[nbrs].sum()
        tol = 1e-9 * max(1.0, abs(observed))
        greater = lesser = 0
        remaining = DENSITY.gi_refine_permutations
        while remaining:
            batch = min(remaining, 100_000)
            sums = others[_draws_without_replacement(rng, len(others), len(nbrs), batch)].sum(axis=1)
            greater += int((sums >= observed - tol).sum())
            lesser += int((sums <= observed + tol).sum())
            remaining -= batch
        total = DENSITY.gi_refine_permutations + 1
        out[i] = min(1.0, 2.0 * min(greater + 1, lesser + 1) / total)
    return out


def _draws_without_replacement(rng: np.random.Generator, n: int, k: int, size: int) -> np.ndarray:
    """``size`` rows of ``k`` distinct indices in 0..n-1 (rows with a repeat are drawn again)."""
    idx = rng.integers(0, n, (size, k))
    while True:
        ordered = np.sort(idx, axis=1)
        repeat = np.flatnonzero((np.diff(ordered, axis=1) == 0).any(axis=1))
        if len(repeat) == 0:
            return idx
        idx[repeat] = rng.integers(0, n, (len(repeat), k))


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
        p = permutation_p(g, y, permutations=int(permutations), seed=seed)
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
                           "p": f"two-sided pseudo p, conditional permutations ({permutations}, esda)",
                           "correction": "Benjamini-Hochberg FDR" if fdr else None, "permutations": permutations,
                           "seed": seed, "min_neighbours": min_neighbours, "n_tested": int(tested.sum()),
                           "n_hot": int((out["gi_class"] == "hot").sum()),
                           "n_cold": int((out["gi_class"] == "cold").sum())}
    return out
