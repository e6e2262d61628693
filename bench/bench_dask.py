"""When does the Dask path pay? In-memory vs dask-geopandas on the same GeoParquet, same run, by size.

Run: .venv/bin/python bench/bench_dask.py [--sizes 100000 1000000 3000000] [--workers 2] [--write-readme]

Both start from the same partitioned GeoParquet dataset of synthetic points (bench_density):
*in memory* = ``geopandas.read_parquet`` + counts_by_zone + hexagons (res 8) + kernel_density
(250 m); *dask* = the ``*_dask`` functions on a LocalCluster (``--workers`` processes, one
thread each) reading the same files. Cluster start-up is timed separately (a long-lived
cluster pays it once). Results are checked equal (counts exactly, hexagon sums and KDE to
1e-9 relative). The output names the first size at which Dask is faster, or says none was.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.density import counts_by_zone, hexagons, kernel_density  # noqa: E402
from analysis.density.scale import (counts_by_zone_dask, dask_client, hexagons_dask,  # noqa: E402
                                    kernel_density_dask, write_partitioned)
from bench.bench_density import synthetic_points  # noqa: E402
from bench.report import machine, report, table  # noqa: E402
from layers import coast, districts  # noqa: E402

CELL_M, RES, POINTS_PER_PART = 250.0, 8, 250_000


def in_memory(path, dist, land):
    pts = gpd.read_parquet(path)
    return (counts_by_zone(pts, dist, weight="weight"), hexagons(pts, resolution=RES, weight="weight"),
            kernel_density(pts, cell_m=CELL_M, weight="weight", land=land))


def with_dask(path, dist, land):
    return (counts_by_zone_dask(path, dist, weight="weight"), hexagons_dask(path, resolution=RES, weight="weight"),
            kernel_density_dask(path, cell_m=CELL_M, weight="weight", land=land))


def check_equal(a, b) -> None:
    assert a[0]["count"].tolist() == b[0]["count"].tolist(), "zone counts differ"
    ha, hb = a[1].set_index("h3").sort_index(), b[1].set_index("h3").sort_index()
    assert ha.index.equals(hb.index) and np.allclose(ha["weighted"], hb["weighted"], rtol=1e-9), "hexagons differ"
    assert np.allclose(a[2]["density"].to_numpy(), b[2]["density"].to_numpy(), rtol=1e-9), "KDE differs"


def timed(fn, *args):
    t = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - t


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000, 3_000_000])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--write-readme", action="store_true")
    args = parser.parse_args()
    where = machine()
    dist, land = districts.load(), coast.load_city()
    rows, pays_at = [], None
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        with dask_client(n_workers=args.workers) as _client:
            startup = time.perf_counter() - t0
            warm = Path(tmp) / "warm"  # imports, land cells, worker start: paid once, before timing
            write_partitioned(synthetic_points(20_000).to_crs("EPSG:4326"), warm, npartitions=args.workers)
            check_equal(in_memory(warm, dist, land), with_dask(warm, dist, land))
            for n in args.sizes:
                path = Path(tmp) / f"pts_{n}"
                write_partitioned(synthetic_points(n).to_crs("EPSG:4326"), path,
                                  npartitions=max(args.workers, n // POINTS_PER_PART))
                mem, t_mem = timed(in_memory, path, dist, land)
                dsk, t_dsk = timed(with_dask, path, dist, land)
                check_equal(mem, dsk)
                if pays_at is None and t_dsk < t_mem:
                    pays_at = n
                rows.append([f"{n:,}", f"{t_mem:.2f} s", f"{t_dsk:.2f} s", f"{t_mem / t_dsk:.2f}×", "yes"])
                print(rows[-1], flush=True)
    md = table(["points", "in memory", f"dask, {args.workers} workers", "speed-up", "equal"], rows)
    verdict = (f"Dask starts to pay at **{pays_at:,} points** on this machine." if pays_at else
               f"Dask did **not** pay at any measured size (up to {max(args.sizes):,} points) on this machine: "
               "it is for data that does not fit in one machine's memory, or for a cluster with more cores.")
    body = (f"`bench/bench_dask.py` — {where}; LocalCluster start-up {startup:.1f} s (not included); "
            f"counts by district + H3 res {RES} + KDE {CELL_M:.0f} m, from the same GeoParquet.\n\n{md}\n\n{verdict}")
    report("dask", body, write=args.write_readme)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
