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

import itertools
import warnings
from dataclasses import dataclass

import esda
import geopandas as gpd
import h3
import h3.api.basic_int as h3i
import numpy as np
import pandas as pd
import shapely
from libpysal.graph import Graph
from scipy.stats import false_discovery_control

from analysis.density import landcache
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


@dataclass(frozen=True, eq=False)
class LandGrid:
    """The hexagons whose centre lies on a land frame at one resolution, sorted by cell: what the empty part of
    every hexagon table over that land is made of (worked out once per land and resolution, see :func:`land_grid`)."""

    cells: np.ndarray  # uint64, sorted
    ids: np.ndarray  # h3 strings (object)
    polygons: np.ndarray  # shapely polygons (object), WGS84
    area_km2: np.ndarray  # measured in EPSG:4549


def _polygons(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(h3 strings, polygons, area km²) of ``cells``."""
    ids = np.array([h3.int_to_str(int(c)) for c in cells], dtype=object)
    polys = np.array([shapely.Polygon([(lng, lat) for lat, lng in h3.cell_to_boundary(c)]) for c in ids] or [],
                     dtype=object)
    area = measured(gpd.GeoDataFrame(geometry=polys, crs=WGS84)).area.to_numpy() / 1e6 if len(polys) else np.empty(0)
    return ids, polys, area


def land_grid(land: gpd.GeoDataFrame, resolution: int) -> LandGrid:
    """The cells whose centre lies on ``land`` (h3.geo_to_cells) with their polygons and areas, once per
    (land, resolution) per process (:mod:`analysis.density.landcache`)."""
    _check_resolution(resolution)

    def build() -> LandGrid:
        shape = land.to_crs(WGS84).union_all()
        cells = np.sort(np.array([h3.str_to_int(c) for c in h3.geo_to_cells(shape, resolution)], dtype=np.uint64))
        grid = LandGrid(cells, *_polygons(cells))
        for array in (grid.cells, grid.ids, grid.polygons, grid.area_km2):
            array.setflags(write=False)  # shared by every caller
        return grid

    return landcache.remembered("h3_land_grid", land, (int(resolution),), build)


def land_cells(land: gpd.GeoDataFrame, resolution: int) -> np.ndarray:
    """Cells whose centre lies on land (h3.geo_to_cells), sorted."""
    return land_grid(land, resolution).cells


def hex_table(sums: pd.DataFrame, *, land: LandGrid | None = None) -> gpd.GeoDataFrame:
    """Polygons and densities for cell sums, sorted by cell; with ``land``, every land cell (zeros where empty)."""
    cells = sums["cell"].to_numpy(dtype=np.uint64)
    if land is not None:
        cells = np.union1d(cells, land.cells)
    n = len(cells)
    count, weighted = np.zeros(n), np.zeros(n)
    at = np.searchsorted(cells, sums["cell"].to_numpy(dtype=np.uint64))
    count[at], weighted[at] = sums["count"].to_numpy(dtype=float), sums["weighted"].to_numpy(dtype=float)
    ids, polys, area = np.empty(n, dtype=object), np.empty(n, dtype=object), np.empty(n)
    on_land = np.zeros(n, dtype=bool)
    if land is not None and len(land.cells):
        where = np.searchsorted(land.cells, cells).clip(0, len(land.cells) - 1)
        on_land = land.cells[where] == cells
        ids[on_land], polys[on_land], area[on_land] = (land.ids[where[on_land]], land.polygons[where[on_land]],
                                                       land.area_km2[where[on_land]])
    if (~on_land).any():
        ids[~on_land], polys[~on_land], area[~on_land] = _polygons(cells[~on_land])
    out = gpd.GeoDataFrame({"h3": ids.astype(str) if n else np.array([], dtype=str), "count": count.astype(int),
                            "weighted": weighted, "area_km2": area}, geometry=list(polys), crs=WGS84)
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
    out = hex_table(sums, land=land_grid(land, resolution) if land is not None else None)
    out.attrs["params"] = {"resolution": resolution, "weight": weight, "land": land is not None,
                           "n_points": len(points), "area": "EPSG:4549"}
    return out


def ring_weights(ids: list[str], k_ring: int) -> Graph:
    """Binary weights over ``ids`` (a libpysal Graph): hexagons within ``k_ring`` grid steps, self excluded
    (Gi* adds it); a hexagon with none is an isolate (libpysal's zero self-weight)."""
    focal, neighbour, weight = _rings(np.array([h3.str_to_int(c) for c in ids], dtype=np.uint64), k_ring)
    names = np.asarray(ids, dtype=object)
    return Graph.from_arrays(names[focal], names[neighbour], weight)


def _rings(cells: np.ndarray, k_ring: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(focal, neighbour, weight) positions of :func:`ring_weights`, sorted by focal, from h3's integer cells in
    arrays (a dict per hexagon and string ids took longer than the whole Gi* inference)."""
    disks = [h3i.grid_disk(c, k_ring) for c in cells.tolist()]
    sizes = np.fromiter(map(len, disks), dtype=np.int64, count=len(disks))
    around = np.fromiter(itertools.chain.from_iterable(disks), dtype=np.uint64, count=int(sizes.sum()))
    focal = np.repeat(np.arange(len(cells)), sizes)
    order = np.argsort(cells, kind="stable")
    at = np.searchsorted(cells[order], around).clip(0, max(len(cells) - 1, 0))
    found = cells[order][at] == around if len(cells) else np.zeros(0, dtype=bool)
    neighbour = order[at]
    keep = found & (neighbour != focal)
    focal, neighbour = focal[keep], neighbour[keep]
    alone = np.setdiff1d(np.arange(len(cells)), focal)
    focal, neighbour = np.concatenate([focal, alone]), np.concatenate([neighbour, alone])
    weight = np.concatenate([np.ones(len(focal) - len(alone)), np.zeros(len(alone))])
    sort = np.argsort(focal, kind="stable")
    return focal[sort], neighbour[sort], weight[sort]


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
    cells = np.array([h3.str_to_int(c) for c in hexes["h3"].tolist()], dtype=np.uint64)
    w = Graph.from_arrays(*_rings(cells, k_ring))  # ring_weights over row positions (integer ids: faster)
    y = hexes[value].to_numpy(dtype=float)
    cardinality = w.cardinalities.reindex(np.arange(len(cells))).to_numpy(dtype=int)
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
