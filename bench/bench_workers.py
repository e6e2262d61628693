"""What a worker job costs before it does any work, and what reading a big upload costs (issue 24).

Run: .venv/bin/python bench/bench_workers.py [--runs 5] [--mb 40] [--write-readme]   (on an idle machine)

* **job start** — ``atlas.workers.run_job`` of a trivial function (``math.sqrt``): each job's process
  forked from the fork server that imported ``atlas.workers.PRELOAD`` once (what the app does), against
  the obvious baseline, a ``spawn``ed process per job that imports the job's module itself (what the app
  did before). Median of ``--runs`` jobs each, after one warm-up job (the fork server's own start).
* **reading an upload** — ``analysis.points_io.read_upload`` of a ``--mb`` MB CSV (the load bench's file:
  random points with a weight and a type) against the obvious baseline, ``pandas.read_csv`` +
  ``geopandas.points_from_xy`` (no checks, no typing, no problem rows). Same file, same process.
* **points to a job and back** — the upload's points (the file just read) pickled for a job and unpickled
  from its answer, the server's side of every job: packed as arrays (``atlas.workers.pack``/``unpack``,
  what the app does) against pickling the GeoDataFrame (its shapely objects; what it did before). Beside
  the time (alone), how much of its usual pace a busy second Python thread keeps meanwhile — the GIL
  another reader's rerun needs (packed, the work lets go of it and itself takes longer then).
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load_uploads import make_file  # noqa: E402
from bench.report import machine, report, table  # noqa: E402


def job_seconds(runs: int, method: str) -> list[float]:
    from atlas import workers

    if method == "spawn":
        original = workers._context
        workers._context = lambda: multiprocessing.get_context("spawn")
    try:
        workers.run_job(math.sqrt, 4.0)  # warm-up (the fork server starts and imports once)
        out = []
        for _ in range(runs):
            t0 = time.perf_counter()
            assert workers.run_job(math.sqrt, 16.0) == 4.0
            out.append(time.perf_counter() - t0)
        return out
    finally:
        if method == "spawn":
            workers._context = original


def read_seconds(data: bytes, runs: int) -> tuple[list[float], list[float], int]:
    import io

    import geopandas as gpd
    import pandas as pd

    from analysis.points_io import read_upload

    ours, naive, n = [], [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        pts, _ = read_upload(data, "points.csv")
        ours.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        frame = pd.read_csv(io.BytesIO(data))
        base = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs=4326)
        naive.append(time.perf_counter() - t0)
        assert len(base) == len(pts)
        n = len(pts)
    return ours, naive, n


def _spin(stop, out: list) -> None:
    n = 0
    while not stop.is_set():
        n += 1
    out.append(n)


def with_other_thread(fn) -> tuple[float, float]:
    """(seconds ``fn`` took, spins per second a second thread managed meanwhile)."""
    import threading

    stop, out = threading.Event(), []
    other = threading.Thread(target=_spin, args=(stop, out))
    other.start()
    t0 = time.perf_counter()
    fn()
    took = time.perf_counter() - t0
    stop.set()
    other.join()
    return took, out[0] / took


def round_trip(pts, runs: int) -> dict[str, list[tuple[float, float]]]:
    import pickle

    from atlas.workers import pack, unpack

    ways = {"packed": lambda: unpack(pickle.loads(pickle.dumps(pack(pts), protocol=5))),
            "pickled": lambda: pickle.loads(pickle.dumps(pts, protocol=5))}
    idle = with_other_thread(lambda: time.sleep(1.0))[1]
    out = {k: [] for k in ways}
    for _ in range(runs):
        for k, fn in ways.items():
            t0 = time.perf_counter()
            fn()
            took = time.perf_counter() - t0  # alone; then beside a busy thread (which it lets run, or not)
            out[k].append((took, with_other_thread(fn)[1] / idle))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--mb", type=float, default=40)
    parser.add_argument("--write-readme", action="store_true")
    args = parser.parse_args()
    where = machine()
    fork = job_seconds(args.runs, "forkserver")
    spawn = job_seconds(args.runs, "spawn")
    with tempfile.TemporaryDirectory() as tmp:
        path = make_file(Path(tmp), 0, args.mb)
        data = path.read_bytes()
    ours, naive, n = read_seconds(data, max(1, args.runs // 2))
    from analysis.points_io import read_upload

    trips = round_trip(read_upload(data, "points.csv")[0], args.runs)
    med = statistics.median
    took = {k: med(t for t, _ in v) for k, v in trips.items()}
    pace = {k: med(p for _, p in v) for k, v in trips.items()}
    rows = [
        ["job start: fork server (the app)", f"{med(fork):.3f} s", "spawn per job (before)", f"{med(spawn):.3f} s",
         f"{med(fork) / med(spawn):.2f}×"],
        [f"read a {len(data) / 2**20:.0f} MB CSV ({n:,} points)", f"{med(ours):.1f} s",
         "pandas.read_csv + points_from_xy (no checks)", f"{med(naive):.1f} s", f"{med(ours) / med(naive):.1f}×"],
        [f"{n:,} points to a job and back (server side)", f"{took['packed']:.2f} s",
         "GeoDataFrame pickled (before)", f"{took['pickled']:.2f} s", f"{took['packed'] / took['pickled']:.2f}×"],
        ["— another thread's pace meanwhile (GIL)", f"{pace['packed']:.0%}", "GeoDataFrame pickled (before)",
         f"{pace['pickled']:.0%}", f"{pace['packed'] / max(pace['pickled'], 1e-9):.0f}×"],
    ]
    body = (f"`bench/bench_workers.py --runs {args.runs} --mb {args.mb:g}` — {where}; medians; job start is a "
            f"trivial job through `atlas.workers.run_job` (queue, process, limits, pipe) after one warm-up job.\n\n"
            + table(["what", "atlas", "baseline", "baseline time", "ratio"], rows, "lrlrr"))
    report("workers", body, write=args.write_readme)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
