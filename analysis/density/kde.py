"""Kernel density on a regular grid in metres (EPSG:4549), clipped to land.

Method: points are binned onto the grid (weights summed per cell), then the
binned mass is convolved (FFT) with a Gaussian kernel of standard deviation
``bandwidth_m``, truncated at 4 bandwidths and normalised so it sums to 1 — so
the surface integrates to the total weight before clipping (a single point's
KDE integrates to its weight). Binning moves each point by at most half a
diagonal of a cell: keep ``cell_m`` well below ``bandwidth_m``.

The grid is anchored at multiples of ``cell_m`` in EPSG:4549, so two runs (or
two Dask partitions) share cells exactly.

Schema of :func:`kernel_density` (one row per kept cell):
``row``, ``col`` (grid position), ``x``, ``y`` (cell centre, EPSG:4549 m),
``density`` (weight per km²), ``mass`` (density × cell area = weight in the
cell), geometry = the cell square (EPSG:4326 by default).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.signal import fftconvolve

from analysis.density import landcache
from analysis.density.points import measured, point_xy, weights_of, zone_index
from core.crs import MEASURE_CRS, WGS84
from core.settings import DENSITY

TRUNCATE = 4.0  # kernel radius in bandwidths


@dataclass(frozen=True)
class Grid:
    """A regular grid in EPSG:4549: lower-left corner, cell size, shape."""

    x0: float
    y0: float
    cell: float
    nx: int
    ny: int

    @classmethod
    def covering(cls, bounds, *, cell_m: float, pad_m: float = 0.0) -> Grid:
        x0, y0, x1, y1 = bounds
        gx0 = np.floor((x0 - pad_m) / cell_m) * cell_m
        gy0 = np.floor((y0 - pad_m) / cell_m) * cell_m
        nx = int(np.ceil((x1 + pad_m - gx0) / cell_m))
        ny = int(np.ceil((y1 + pad_m - gy0) / cell_m))
        return cls(float(gx0), float(gy0), float(cell_m), max(nx, 1), max(ny, 1))

    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        xs = self.x0 + (np.arange(self.nx) + 0.5) * self.cell
        ys = self.y0 + (np.arange(self.ny) + 0.5) * self.cell
        return np.meshgrid(xs, ys)  # shape (ny, nx)


def bin_points(x, y, w, grid: Grid) -> np.ndarray:
    """Weight summed per cell, shape (ny, nx); points off the grid are ignored."""
    col = np.floor((x - grid.x0) / grid.cell).astype(np.int64)
    row = np.floor((y - grid.y0) / grid.cell).astype(np.int64)
    ok = (col >= 0) & (col < grid.nx) & (row >= 0) & (row < grid.ny)
    flat = np.bincount(row[ok] * grid.nx + col[ok], weights=w[ok], minlength=grid.nx * grid.ny)
    return flat.reshape(grid.ny, grid.nx)


def gaussian_kernel(bandwidth_m: float, cell_m: float) -> np.ndarray:
    radius = max(int(np.ceil(TRUNCATE * bandwidth_m / cell_m)), 1)
    offsets = np.arange(-radius, radius + 1) * cell_m
    dx, dy = np.meshgrid(offsets, offsets)
    k = np.exp(-(dx**2 + dy**2) / (2.0 * bandwidth_m**2))
    return k / k.sum()


def smooth(mass: np.ndarray, *, bandwidth_m: float, cell_m: float) -> np.ndarray:
    """Binned mass -> density (weight per km²) on the same grid."""
    spread = fftconvolve(mass, gaussian_kernel(bandwidth_m, cell_m), mode="same")
    spread[spread < 0] = 0.0  # FFT round-off
    return spread / (cell_m * cell_m / 1e6)


def kde_grid(points, *, bandwidth_m, cell_m, weight, land) -> tuple[Grid, np.ndarray]:
    """The density surface as an array on its grid (before clipping)."""
    _check(bandwidth_m, cell_m)
    x, y = point_xy(points)
    w = weights_of(points, weight)
    grid = grid_for(x, y, bandwidth_m=bandwidth_m, cell_m=cell_m, land=land)
    return grid, smooth(bin_points(x, y, w, grid), bandwidth_m=bandwidth_m, cell_m=cell_m)


def grid_for(x, y, *, bandwidth_m, cell_m, land) -> Grid:
    """The land's extent when given, else the points' extent padded by the kernel radius."""
    if land is not None:
        return _bounded(Grid.covering(measured(land, "land").total_bounds, cell_m=cell_m))
    if len(x) == 0:
        msg = "No points and no land: cannot place a density grid."
        raise ValueError(msg)
    return _bounded(Grid.covering((x.min(), y.min(), x.max(), y.max()), cell_m=cell_m, pad_m=TRUNCATE * bandwidth_m))


def _bounded(grid: Grid) -> Grid:
    if grid.nx * grid.ny > DENSITY.max_grid_cells:
        msg = (f"a {grid.nx} x {grid.ny} grid is more than {DENSITY.max_grid_cells} cells; "
               f"use a larger cell_m (got {grid.cell}).")
        raise ValueError(msg)
    return grid


def _check(bandwidth_m: float, cell_m: float) -> None:
    if not (np.isfinite(bandwidth_m) and np.isfinite(cell_m)):
        msg = f"bandwidth_m and cell_m must be finite metres (got {bandwidth_m}, {cell_m})."
        raise ValueError(msg)
    if bandwidth_m > DENSITY.max_bandwidth_m:
        msg = f"bandwidth_m must be at most {DENSITY.max_bandwidth_m:.0f} m, wider than the city (got {bandwidth_m})."
        raise ValueError(msg)
    if not (bandwidth_m > 0 and cell_m > 0):
        msg = f"bandwidth_m and cell_m must be positive metres (got {bandwidth_m}, {cell_m})."
        raise ValueError(msg)
    if cell_m < 1:  # sub-metre cells are noise at the atlas's precision, and overflow the grid arithmetic
        msg = f"cell_m must be at least 1 metre (got {cell_m})."
        raise ValueError(msg)
    if cell_m > bandwidth_m:
        msg = f"cell_m ({cell_m}) larger than bandwidth_m ({bandwidth_m}) would blur the kernel away; use cell_m <= bandwidth_m."
        raise ValueError(msg)


def land_mask(grid: Grid, land: gpd.GeoDataFrame) -> np.ndarray:
    """Which cells of ``grid`` have their centre on ``land`` (bool, shape (ny, nx), read-only), once per
    (land, grid) per process: with land, the grid is the land's extent, the same for every upload."""

    def build() -> np.ndarray:
        cx, cy = grid.centres()
        on_land = zone_index(cx.ravel(), cy.ravel(), gpd.GeoSeries([measured(land, "land").union_all()])) >= 0
        mask = on_land.reshape(grid.ny, grid.nx)
        mask.setflags(write=False)
        return mask

    return landcache.remembered("kde_land_mask", land, (grid,), build)


def cell_table(grid: Grid, density: np.ndarray, *, land, min_density: float) -> pd.DataFrame:
    """The kept cells' ``row``, ``col``, centre ``x``/``y`` (EPSG:4549 m), ``density`` and ``mass`` (no squares)."""
    keep = density >= min_density
    if land is not None:
        keep &= land_mask(grid, land)
    rows, cols = np.nonzero(keep)
    cx, cy = grid.centres()
    values = density[rows, cols]
    return pd.DataFrame({"row": rows, "col": cols, "x": cx[rows, cols], "y": cy[rows, cols], "density": values,
                         "mass": values * grid.cell**2 / 1e6})


def cells_frame(grid: Grid, density: np.ndarray, *, land, min_density: float, crs: str) -> gpd.GeoDataFrame:
    """Cells (optionally only those whose centre is on land) as squares with values."""
    table = cell_table(grid, density, land=land, min_density=min_density)
    x, y, half = table["x"].to_numpy(), table["y"].to_numpy(), grid.cell / 2
    out = gpd.GeoDataFrame(table, geometry=shapely.box(x - half, y - half, x + half, y + half), crs=MEASURE_CRS)
    return out if crs == MEASURE_CRS else out.to_crs(crs)


def kde_table(points, *, bandwidth_m: float = DENSITY.bandwidth_m, cell_m: float = DENSITY.cell_m,
              weight: str | None = None, land: gpd.GeoDataFrame | None = None) -> pd.DataFrame:
    """:func:`kernel_density`'s values without the squares (what a summary by zone needs; no reprojection)."""
    grid, density = kde_grid(points, bandwidth_m=bandwidth_m, cell_m=cell_m, weight=weight, land=land)
    return cell_table(grid, density, land=land, min_density=0.0)


def kernel_density(
    points: gpd.GeoDataFrame,
    *,
    bandwidth_m: float = DENSITY.bandwidth_m,
    cell_m: float = DENSITY.cell_m,
    weight: str | None = None,
    land: gpd.GeoDataFrame | None = None,
    min_density: float = 0.0,
    crs: str = WGS84,
) -> gpd.GeoDataFrame:
    """Gaussian kernel density (weight per km²) on a ``cell_m`` grid, clipped to ``land``.

    Defaults (core.settings.DensityDefaults): bandwidth 2 km, cell 250 m — see
    there for why. ``min_density`` drops cells below it (lighter maps);
    ``crs`` of the returned squares (EPSG:4326 for maps/exports, EPSG:4549 for
    measuring). Mass falling on the sea is dropped by the land clip.
    """
    grid, density = kde_grid(points, bandwidth_m=bandwidth_m, cell_m=cell_m, weight=weight, land=land)
    out = cells_frame(grid, density, land=land, min_density=min_density, crs=crs)
    out.attrs["params"] = {"bandwidth_m": bandwidth_m, "cell_m": cell_m, "weight": weight,
                           "land": land is not None, "min_density": min_density, "kernel": "gaussian",
                           "truncate_bandwidths": TRUNCATE, "unit": "weight per km²", "crs": crs,
                           "grid": {"x0": grid.x0, "y0": grid.y0, "nx": grid.nx, "ny": grid.ny,
                                    "crs": MEASURE_CRS}}
    return out
