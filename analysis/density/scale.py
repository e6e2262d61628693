"""The same counts / hexagons / KDE beyond one machine, on dask-geopandas.

Input: a GeoParquet dataset (a path, many part files) or a dask-geopandas frame.
Each partition reduces to small partial sums with the very array cores the
in-memory functions use (``zone_sums``, ``cell_sums``, ``bin_points``); the
partials are added up and the result tables are assembled exactly as in memory,
so the distributed result equals the in-memory one (up to float summation order).
KDE partitions bin onto the one shared grid; the convolution runs once, on the
summed grid (it is small: ~600 x 700 cells for the city at 250 m).

Scheduler: :func:`dask_client` starts a LocalCluster unless given the address of
an existing scheduler ("tcp://host:8786"). When it pays off is measured, not
assumed: ``bench/bench_dask.py`` times both paths on the same GeoParquet by size
and names the first size at which Dask is faster (README, "Scale beyond one
machine"). What it is for regardless: points that do not fit in one machine's
memory, and clusters with more cores — only the small partial sums travel.
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import reduce

import dask
import dask_geopandas
import geopandas as gpd
import numpy as np
import pandas as pd

from analysis.density.hexes import _check_resolution, cell_sums, hex_table, land_grid
from analysis.density.kde import Grid, _check, bin_points, cells_frame, smooth
from analysis.density.points import measured, point_xy, weights_of
from analysis.density.zones import _check_zone_ids, city_totals, zone_sums, zone_table
from core.settings import DENSITY


@contextmanager
def dask_client(address: str | None = None, *, n_workers: int = 2, processes: bool = True):
    """A distributed Client on ``address``, or on a fresh LocalCluster (closed on exit)."""
    from distributed import Client, LocalCluster

    if address:
        with Client(address) as client:
            yield client
        return
    with LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=processes,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        yield client


def write_partitioned(points: gpd.GeoDataFrame, path, *, npartitions: int) -> None:
    """Write points as a partitioned GeoParquet dataset (one file per partition)."""
    dask_geopandas.from_geopandas(points, npartitions=npartitions).to_parquet(path)


def _frame(source) -> dask_geopandas.GeoDataFrame:
    ddf = dask_geopandas.read_parquet(source) if not hasattr(source, "map_partitions") else source
    if ddf.crs is None:
        msg = "The partitioned points have no CRS; write them with one (GeoParquet stores it)."
        raise ValueError(msg)
    return ddf


def _partials(ddf, fn) -> list:
    """fn(partition) for every partition, computed on the active scheduler."""
    return list(dask.compute(*[dask.delayed(fn)(part) for part in ddf.to_delayed()]))


def counts_by_zone_dask(source, zones: gpd.GeoDataFrame, *, zone_id: str = "id", weight: str | None = None,
                        city: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """:func:`analysis.density.counts_by_zone` on partitioned points."""
    _check_zone_ids(zones, zone_id)
    ddf = _frame(source)
    zones_m = measured(zones).geometry

    def part(df):
        df = gpd.GeoDataFrame(df, crs=ddf.crs)
        x, y = point_xy(df)
        w = weights_of(df, weight)
        return (*zone_sums(x, y, w, zones_m), *city_totals(x, y, w, city))

    partials = _partials(ddf, part)
    counts, weighted = sum(p[0] for p in partials), sum(p[1] for p in partials)
    totals = (sum(p[2] for p in partials), sum(p[3] for p in partials))
    out = zone_table(zones, zone_id, counts, weighted, totals)
    out.attrs["params"] = {"zone_id": zone_id, "weight": weight, "city": city is not None, "engine": "dask",
                           "npartitions": ddf.npartitions, "city_total": totals[0], "city_weighted_total": totals[1]}
    return out


def hexagons_dask(source, *, resolution: int = DENSITY.h3_resolution, weight: str | None = None,
                  land: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """:func:`analysis.density.hexagons` on partitioned points."""
    _check_resolution(resolution)
    ddf = _frame(source)

    def part(df):
        df = gpd.GeoDataFrame(df, crs=ddf.crs)
        lon, lat = point_xy(df, crs="EPSG:4326")
        return cell_sums(lon, lat, weights_of(df, weight), resolution)

    sums = pd.concat(_partials(ddf, part)).groupby("cell", as_index=False)[["count", "weighted"]].sum()
    out = hex_table(sums, land=land_grid(land, resolution) if land is not None else None)
    out.attrs["params"] = {"resolution": resolution, "weight": weight, "land": land is not None, "engine": "dask",
                           "npartitions": ddf.npartitions}
    return out


def kernel_density_dask(source, *, land: gpd.GeoDataFrame, bandwidth_m: float = DENSITY.bandwidth_m,
                        cell_m: float = DENSITY.cell_m, weight: str | None = None, min_density: float = 0.0,
                        crs: str = "EPSG:4326") -> gpd.GeoDataFrame:
    """:func:`analysis.density.kernel_density` on partitioned points (grid = ``land``'s extent)."""
    _check(bandwidth_m, cell_m)
    ddf = _frame(source)
    grid = Grid.covering(measured(land, "land").total_bounds, cell_m=cell_m)

    def part(df):
        df = gpd.GeoDataFrame(df, crs=ddf.crs)
        x, y = point_xy(df)
        return bin_points(x, y, weights_of(df, weight), grid)

    mass = reduce(np.add, _partials(ddf, part))
    out = cells_frame(grid, smooth(mass, bandwidth_m=bandwidth_m, cell_m=cell_m), land=land,
                      min_density=min_density, crs=crs)
    out.attrs["params"] = {"bandwidth_m": bandwidth_m, "cell_m": cell_m, "weight": weight, "land": True,
                           "min_density": min_density, "kernel": "gaussian", "engine": "dask", "crs": crs}
    return out
