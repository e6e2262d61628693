"""Density at scale: 1 M points -> district counts + H3 res 8 + KDE on a 250 m grid.

Compares, in one run, the atlas path (analysis.density: contains_xy with a bbox
prefilter, vectorised H3 indexing, binned FFT KDE) with the obvious baseline
(geopandas ``sjoin`` per district polygon + ``scipy.stats.gaussian_kde``
evaluated on the grid's land cells). gaussian_kde on 1 M points x ~180 k cells
would take hours, so the baseline KDE runs on a subsample and is extrapolated
linearly in the number of points (its cost is O(points x cells)); the output says so.

    python bench/bench_density.py [n_points] [--write-readme]
"""

from __future__ import annotations

import builtins
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
from scipy.stats import gaussian_kde

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.density import counts_by_zone, hexagons, kernel_density  # noqa: E402
from analysis.density.kde import Grid  # noqa: E402
from analysis.density.points import zone_index  # noqa: E402
from layers import coast, districts  # noqa: E402

BANDWIDTH_M, CELL_M, KDE_SUBSAMPLE = 2000.0, 250.0, 2000


def synthetic_points(n: int, seed: int = 0) -> gpd.GeoDataFrame:
    """n points on Qingdao's land: 70 % around 12 centres (sigma 3 km), 30 % uniform."""
    rng = np.random.default_rng(seed)
    land = coast.load_city().to_crs("EPSG:4549")
    x0, y0, x1, y1 = land.total_bounds
    m = int(n * 3)
    centres = rng.uniform((x0, y0), (x1, y1), (12, 2))
    k = rng.integers(0, 12, m)
    clustered = rng.random(m) < 0.7
    x = np.where(clustered, centres[k, 0] + rng.normal(0, 3000, m), rng.uniform(x0, x1, m))
    y = np.where(clustered, centres[k, 1] + rng.normal(0, 3000, m), rng.uniform(y0, y1, m))
    keep = zone_index(x, y, land.geometry) >= 0
    x, y = x[keep][:n], y[keep][:n]
    return gpd.GeoDataFrame({"weight": rng.integers(1, 11, len(x)).astype(float)},
                            geometry=gpd.points_from_xy(x, y), crs="EPSG:4549")


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def atlas_run(points, dist, land):
    counts, t1 = timed(lambda: counts_by_zone(points, dist, weight="weight"))
    hexes, t2 = timed(lambda: hexagons(points, resolution=8, weight="weight"))
    kde, t3 = timed(lambda: kernel_density(points, bandwidth_m=BANDWIDTH_M, cell_m=CELL_M, weight="weight",
                                           land=land, crs="EPSG:4549"))
    return (counts, hexes, kde), (t1, t2, t3)


def baseline_counts(points, dist):
    out = {}
    for zid, geom in zip(dist["id"], dist.geometry, strict=True):
        one = gpd.GeoDataFrame({"id": [zid]}, geometry=[geom], crs=dist.crs)
        out[zid] = len(gpd.sjoin(points, one, predicate="within"))
    return out


def baseline_kde_seconds(points, land, n_total):
    grid = Grid.covering(land.total_bounds, cell_m=CELL_M)
    cx, cy = grid.centres()
    on_land = zone_index(cx.ravel(), cy.ravel(), gpd.GeoSeries([land.union_all()])) >= 0
    cells = np.vstack([cx.ravel()[on_land], cy.ravel()[on_land]])
    sub = points.sample(KDE_SUBSAMPLE, random_state=0)
    xy = np.vstack([sub.geometry.x, sub.geometry.y])
    kde = gaussian_kde(xy, weights=sub["weight"].to_numpy())
    kde.set_bandwidth(BANDWIDTH_M / np.sqrt(np.diag(kde.covariance / kde.factor**2)).mean())
    _, secs = timed(lambda: kde(cells))
    return secs * n_total / KDE_SUBSAMPLE, secs, cells.shape[1]


def main(n: int = 1_000_000, write_readme: bool = False) -> None:
    from bench.report import machine, write_block

    where = machine()
    lines: list[str] = []
    _print = builtins.print

    def print(line: str) -> None:  # noqa: A001 - every line is also kept for the README block
        lines.append(line)
        _print(line)

    dist = districts.load().to_crs("EPSG:4549")
    land = coast.load_city().to_crs("EPSG:4549")
    points, t_make = timed(lambda: synthetic_points(n))
    print(f"{len(points):,} synthetic points on land (made in {t_make:.1f} s, not timed below); 2-core machine")
    (counts, hexes, kde), (t1, t2, t3) = atlas_run(points, dist, land)
    ours = t1 + t2 + t3
    print(f"atlas   district counts {t1:6.2f} s | H3 res 8 ({len(hexes):,} hexes) {t2:6.2f} s | "
          f"KDE {CELL_M:.0f} m grid ({len(kde):,} land cells) {t3:6.2f} s | total {ours:6.2f} s")
    base_counts, b1 = timed(lambda: baseline_counts(points, dist))
    assert base_counts == dict(zip(counts["zone"], counts["count"], strict=True)), "counts disagree"
    b3, measured_s, n_cells = baseline_kde_seconds(points, land, len(points))
    print(f"naive   sjoin per district {b1:6.2f} s (same counts: yes) | gaussian_kde on {n_cells:,} cells: "
          f"{measured_s:.1f} s for a {KDE_SUBSAMPLE:,}-point subsample, extrapolated linearly to "
          f"{len(points):,} points = {b3:,.0f} s")
    print(f"ratio   counts {b1 / t1:5.1f}x | KDE {b3 / t3:,.0f}x (extrapolated) | "
          f"counts+KDE {(b1 + b3) / (t1 + t3):,.0f}x")
    if write_readme:
        write_block("density", f"`bench/bench_density.py` — {where}; the baseline KDE is extrapolated "
                    f"(its cost is points × cells), the counts are measured and checked equal.\n\n```\n"
                    + "\n".join(lines) + "\n```")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--write-readme"]
    main(int(args[0]) if args else 1_000_000, write_readme="--write-readme" in sys.argv)
