"""Gi* hot spots on resolution-7 hexagons over Qingdao's land: the atlas's permutation inference against
esda's own (the obvious baseline), in one run, on the same hexagons.

* atlas: :func:`analysis.density.hot_spots` — 9,999 conditional permutations, one matrix of draws per
  neighbour count, both tails, 199,999 more for the hexagons at the p floor (at most 300);
* baseline: ``esda.G_Local(y, w, transform="B", star=True, permutations=9999, n_jobs=1)`` — esda's
  conditional randomisation (numba), one draw per hexagon, one folded tail, no refinement.

Inputs: the grids of points bench_interactions uploads (1,000 and 100,000 points) and 100,000 clustered
points with integer weights 1-10 (weighted sums: many distinct values). Medians of ``--runs`` runs (default 3), seconds.

    python bench/bench_hotspots.py [--runs N] [--write-readme]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path

import esda
import geopandas as gpd
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.density import hexagons, hot_spots  # noqa: E402
from analysis.density.hexes import ring_weights  # noqa: E402
from bench.bench_density import synthetic_points  # noqa: E402
from bench.report import machine, report, table  # noqa: E402
from layers import coast  # noqa: E402


def grid(n: int) -> gpd.GeoDataFrame:
    """bench_interactions' upload: ``n`` points on a grid over the three bays."""
    side = int(n**0.5) + 1
    i = np.arange(n)
    return gpd.GeoDataFrame(geometry=gpd.points_from_xy(119.95 + 0.9 * (i % side) / side,
                                                        35.85 + 0.6 * (i // side) / side), crs="EPSG:4326")


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def baseline(hexes: gpd.GeoDataFrame, value: str) -> None:
    w = ring_weights(hexes["h3"].tolist(), 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        esda.G_Local(hexes[value].to_numpy(dtype=float), w, transform="B", star=True, permutations=9999,
                     n_jobs=1, seed=0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--write-readme", action="store_true")
    args = ap.parse_args()
    where = machine()
    city = coast.load_city()
    cases = [("1,000 points on a grid (counts)", grid(1000), None),
             ("100,000 points on a grid (counts)", grid(100_000), None),
             ("100,000 clustered points, weights 1-10", synthetic_points(100_000).to_crs(4326), "weight")]
    baseline(hexagons(grid(1000), resolution=7, land=city), "count")  # numba compiles once, outside the timing
    rows = []
    for label, pts, weight in cases:
        hexes = hexagons(pts, resolution=7, land=city, weight=weight)
        value = "weighted" if weight else "count"
        out = hot_spots(hexes, value=value)
        ours = median_time(lambda h=hexes, v=value: hot_spots(h, value=v), args.runs)
        base = median_time(lambda h=hexes, v=value: baseline(h, v), args.runs)
        distinct = hexes[value].nunique()
        rows.append([label, f"{len(hexes):,}", f"{distinct:,}", f"{out.attrs['params']['n_hot']:,}",
                     f"{ours:.2f} s", f"{base:.2f} s", f"{base / ours:.1f}×"])
    body = (f"`bench/bench_hotspots.py --runs {args.runs}` — {where}; medians; the baseline is esda's own "
            "conditional randomisation (`G_Local(..., star=True, permutations=9999, n_jobs=1)`: one tail, no "
            "refinement, so it does less than the atlas).\n\n"
            + table(["input", "hexagons", "distinct values", "hot", "atlas", "esda baseline",
                     "baseline / atlas"], rows, align="lrrrrrr"))
    report("hotspots", body, write=args.write_readme)
    return 0


if __name__ == "__main__":
    sys.exit(main())
