"""Heavy work out of the server: uploads and analyses above a small size run in bounded worker processes.

Streamlit runs every session in a thread of one Python process, so a 40 MB upload parsed — or a big
analysis run — in-process holds the GIL for seconds, and whatever memory it needed stays with the server.
:func:`run_job` runs a function in a fresh process with a memory limit (``RLIMIT_AS``,
``BUDGET.job_memory_mb``) and a time limit (``BUDGET.job_seconds``); at most ``BUDGET.job_workers`` run
at once and the others wait in order, their queue position reported to :func:`queue_reporter`'s
callback (the page shows it). A job over its memory or time limit ends with a clear
:class:`core.refusal.Refusal` and its process — with all its memory — is gone; the server's own
memory is never used for the work. Small inputs (``BUDGET.inline_bytes``, ``BUDGET.inline_points``)
run in-process (no start-up cost). Errors raised by the job (``ValueError`` with the user's message)
arrive unchanged. Each job's process is forked from a fork server (``multiprocessing``'s ``forkserver``:
a clean process that never ran the app, started once) which has imported :data:`PRELOAD` — a job starts
in milliseconds instead of importing geopandas & co. again (~2 s of CPU a job, spawned).

A big frame of points crosses the pipe as arrays (:class:`PackedPoints`: coordinates and columns), not as a
million shapely objects: pickling those holds the server's GIL ~1 s each way for 1.6 M points, the
server's time every other reader waits for (issue 24; ``bench/bench_workers.py``).
"""

from __future__ import annotations

import functools
import multiprocessing
import sys
import threading
import time
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis.density.points import lonlat as frame_lonlat
from analysis.density.points import transform_xy
from analysis.points_io import read_upload
from core.crs import WGS84
from core.refusal import Refusal
from core.settings import BUDGET

MESSAGES = {
    "job_memory": "the job needed more than {limit_mb:,} MB of memory and was stopped (its memory is freed); "
                  "use a smaller file or coarser parameters",
    "job_timeout": "the job took longer than {seconds:g} s and was stopped; use a smaller file or coarser parameters",
    "job_failed": "the job stopped unexpectedly ({detail}); try again or use a smaller file",
}

#: what the fork server imports once, so that every job's process starts with it (the jobs' functions)
PRELOAD = ("analysis.points_io", "analysis.density", "analysis.density.warm", "atlas.workers")

_COND = threading.Condition()
_WAITING: list[object] = []  # tickets in arrival order
_RUNNING = [0]
_LOCAL = threading.local()


@contextmanager
def queue_reporter(callback: Callable[[int], object]) -> Iterator[None]:
    """While inside, a job of this thread calls ``callback(position)`` while it waits (1 = next),
    ``callback(0)`` once it runs and ``callback(None)`` when it has ended."""
    previous = getattr(_LOCAL, "callback", None)
    _LOCAL.callback = callback
    try:
        yield
    finally:
        _LOCAL.callback = previous


def _report(position: int | None) -> None:
    callback = getattr(_LOCAL, "callback", None)
    if callback is not None:
        callback(position)


def queue_length() -> tuple[int, int]:
    """(jobs running, jobs waiting) right now."""
    with _COND:
        return _RUNNING[0], len(_WAITING)


def _take_slot(workers: int) -> None:
    ticket = object()
    with _COND:
        _WAITING.append(ticket)
    shown = None
    try:
        while True:
            with _COND:
                position = _WAITING.index(ticket) + 1
                if position == 1 and _RUNNING[0] < workers:
                    _WAITING.pop(0)
                    _RUNNING[0] += 1
                    _COND.notify_all()
                    break
            if position != shown:
                _report(position)  # outside the lock: the callback may draw on the page
                shown = position
            with _COND:
                _COND.wait(timeout=0.5)
    except BaseException:
        with _COND:
            if ticket in _WAITING:
                _WAITING.remove(ticket)
            _COND.notify_all()
        raise


def _free_slot() -> None:
    with _COND:
        _RUNNING[0] -= 1
        _COND.notify_all()


@dataclass
class PackedPoints:
    """A GeoDataFrame of 2-D points as plain arrays (what a job's pipe carries: a few buffers)."""

    xy: np.ndarray  # (n, 2) float64
    frame: pd.DataFrame  # the other columns, with the frame's index
    geometry: str  # the geometry column's name
    position: int  # and its place among the columns
    crs: object
    attrs: dict

    # What the Density page asks of an upload's points, answered from the arrays: a big upload is held in the
    # reader's session as this, never as 10^6 shapely points — building them held the server's GIL (~1 s for
    # 1.6 M) and each is an object the garbage collector walks (a full collection took seconds with ten held).
    def __len__(self) -> int:
        return len(self.xy)

    @property
    def columns(self) -> pd.Index:
        names = list(self.frame.columns)
        names.insert(self.position, self.geometry)
        return pd.Index(names)

    @property
    def index(self) -> pd.Index:
        return self.frame.index

    def __contains__(self, name) -> bool:
        return name in self.columns

    def __getitem__(self, key):
        """A column (by name) or the rows a boolean mask keeps."""
        if isinstance(key, str):
            return self.frame[key]
        keep = np.asarray(key, dtype=bool)
        return replace(self, xy=self.xy[keep], frame=self.frame[keep], attrs=dict(self.attrs))

    def copy(self) -> PackedPoints:
        return replace(self, xy=self.xy.copy(), frame=self.frame.copy(), attrs=dict(self.attrs))


def lonlat(points) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 longitude and latitude arrays of ``points``: :func:`analysis.density.points.lonlat` of a
    GeoDataFrame, or :class:`PackedPoints`' coordinates (projected from its CRS when that is not WGS84)."""
    if isinstance(points, PackedPoints):
        return transform_xy(points.xy[:, 0], points.xy[:, 1], source=points.crs, target=WGS84)
    return frame_lonlat(points)


def as_table(points) -> pd.DataFrame:
    """The attribute columns of ``points`` (what an export's metadata reads), without building geometries."""
    return points.frame if isinstance(points, PackedPoints) else points


def pack(value):
    """``value`` with every big all-point GeoDataFrame in it (itself, or an item of a tuple) packed;
    anything else — polygons, empty or 3-D points, small frames — as it is."""
    if isinstance(value, tuple):
        return tuple(pack(v) for v in value)
    if not isinstance(value, gpd.GeoDataFrame) or len(value) <= BUDGET.inline_points:
        return value
    geom = value.geometry.values
    if not ((shapely.get_type_id(geom) == 0).all() and not shapely.has_z(geom).any()
            and not shapely.is_empty(geom).any()):
        return value
    name = value.geometry.name
    frame = pd.DataFrame(value.drop(columns=name))
    frame.attrs = {}  # carried once, below
    return PackedPoints(shapely.get_coordinates(geom), frame, name, list(value.columns).index(name), value.crs,
                        dict(value.attrs))


def unpack(value):
    """The inverse of :func:`pack`."""
    if isinstance(value, tuple):
        return tuple(unpack(v) for v in value)
    if not isinstance(value, PackedPoints):
        return value
    geom = gpd.GeoSeries(shapely.points(value.xy), index=value.frame.index, crs=value.crs)
    frame = value.frame.copy(deep=False)
    frame.insert(value.position, value.geometry, geom)
    out = gpd.GeoDataFrame(frame, geometry=value.geometry, crs=value.crs)
    out.attrs = value.attrs
    return out


def _child(conn, fn, args, kwargs, memory_mb: int, nice: int = 0) -> None:
    import os
    import resource

    if nice:
        os.nice(nice)  # the server's interactive work (other readers' reruns) goes first
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        result = ("ok", pack(fn(*unpack(args), **{k: unpack(v) for k, v in kwargs.items()})))
    except MemoryError:
        result = ("memory", None)
    except ValueError as exc:
        result = ("refused", exc if isinstance(exc, Refusal) else ValueError(str(exc)))
    except Exception as exc:  # noqa: BLE001 — reported to the parent as a failed job
        result = ("failed", f"{type(exc).__name__}: {str(exc)[:200]}")
    try:
        conn.send(result)
    except MemoryError:
        conn.send(("memory", None))
    finally:
        conn.close()


def run_job(fn: Callable, *args, memory_mb: int | None = None, seconds: float | None = None,
            workers: int | None = None, packed: bool = False, **kwargs):
    """``fn(*args, **kwargs)`` in a worker process with memory and time limits, queued behind at most
    ``workers`` running jobs. ``fn`` must be importable (a module-level function). ``packed``: big point
    frames in the result stay :class:`PackedPoints` (no shapely points built in the server)."""
    memory_mb = BUDGET.job_memory_mb if memory_mb is None else memory_mb
    seconds = BUDGET.job_seconds if seconds is None else seconds
    _take_slot(BUDGET.job_workers if workers is None else workers)
    try:
        _report(0)  # running: the page says so (a big upload's parse takes seconds)
        return _in_process(fn, args, kwargs, memory_mb, seconds, keep_packed=packed)
    finally:
        _free_slot()
        _report(None)
        release_memory()


def release_memory() -> None:
    """Hand the heap's free pages back to the system (glibc ``malloc_trim``): a big job result, once
    unpickled and dropped, otherwise keeps the server's resident memory high. No-op off glibc."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim():
    try:
        import ctypes

        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def collect_garbage() -> int:
    """One full collection of reference cycles (``gc.collect()``); the number of objects found unreachable.

    Streamlit's collection after every script run is off (``runner.postScriptGC``, .streamlit/config.toml): it
    walked every object of every session on every rerun of every reader. What a closed session held (its
    upload's points) hangs in reference cycles, so without some full collection it stays: the janitor runs
    one every ``BUDGET.janitor_s`` seconds instead of one per rerun."""
    import gc

    return gc.collect()


def freeze_startup() -> int:
    """Move every object alive now out of the cycle collector's reach (``gc.freeze``); the number frozen.

    Called once when the server starts, before any reader's work: what is alive then is the modules, their
    tables and the first session's empty state — pypinyin's phrase dictionary alone is ~190,000 tracked lists
    (of 450,000 in a server after three map sessions), and every full collection (the janitor's, Python's own
    oldest generation) walked all of them again (the janitor's collection was ~7 % of the server's time under
    the load bench). They never become garbage; anything made later is collected as before."""
    import gc

    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def start_janitor(every_s: float | None = None) -> threading.Event:
    """A daemon thread calling :func:`collect_garbage` then :func:`release_memory` every ``every_s`` seconds
    (``BUDGET.janitor_s``).

    Memory is also freed between jobs — a session that ends, a cache entry that expires, a replaced
    upload — and glibc keeps those pages until asked. Start it once per server process; set the returned
    event to stop it."""
    every = BUDGET.janitor_s if every_s is None else every_s
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(every):
            collect_garbage()
            release_memory()

    threading.Thread(target=loop, name="atlas-memory-janitor", daemon=True).start()
    return stop


_MAIN_LOCK = threading.Lock()


@contextmanager
def _without_main() -> Iterator[None]:
    """While inside, ``__main__`` is an empty module: a new process (a job's, the fork server) started here
    does not import the parent's main script again — it would re-run it (under ``streamlit run`` the CLI;
    under Streamlit's AppTest the page script itself, which then fails in the child). Jobs need only
    importable functions."""
    with _MAIN_LOCK:
        main = sys.modules.get("__main__")
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            if main is not None:
                sys.modules["__main__"] = main


@functools.cache
def _context():
    """The job processes' context, its fork server told once what to import."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(list(PRELOAD))
    return ctx


def start_workers() -> None:
    """Start the fork server now (it imports :data:`PRELOAD`, ~2 s), not at the first reader's job."""
    from multiprocessing import forkserver

    _context()
    with _without_main():
        forkserver.ensure_running()


def _in_process(fn, args, kwargs, memory_mb: int, seconds: float, *, keep_packed: bool = False):
    ctx = _context()
    receive, send = ctx.Pipe(duplex=False)
    packed = pack(args), {k: pack(v) for k, v in kwargs.items()}
    proc = ctx.Process(target=_child, args=(send, fn, *packed, memory_mb, BUDGET.job_nice), daemon=True)
    with _without_main():
        proc.start()
    send.close()
    deadline = time.monotonic() + seconds
    try:
        while not receive.poll(0.2):
            if not proc.is_alive() and not receive.poll(0):
                raise _died(proc, memory_mb)
            if time.monotonic() > deadline:
                raise Refusal("job_timeout", MESSAGES["job_timeout"], seconds=seconds)
        try:
            status, value = receive.recv()
        except (EOFError, OSError):
            proc.join(timeout=5)
            raise _died(proc, memory_mb) from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(timeout=5)
        receive.close()
    if status == "ok":
        return value if keep_packed else unpack(value)
    if status == "memory":
        raise Refusal("job_memory", MESSAGES["job_memory"], limit_mb=memory_mb)
    if status == "refused":
        raise value
    raise Refusal("job_failed", MESSAGES["job_failed"], detail=value)


def _died(proc, memory_mb: int) -> Refusal:
    """A worker that ended without an answer: killed (the kernel's OOM killer: out of memory) or crashed."""
    proc.join(timeout=5)
    if proc.exitcode is not None and proc.exitcode < 0:
        return Refusal("job_memory", MESSAGES["job_memory"], limit_mb=memory_mb)
    return Refusal("job_failed", MESSAGES["job_failed"], detail=f"exit code {proc.exitcode}")


def read_upload_isolated(data: bytes, name: str, *, packed: bool = False, **kwargs):
    """:func:`analysis.points_io.read_upload`, in a worker process when the file is not small; ``packed``:
    more than ``BUDGET.inline_points`` points come back as :class:`PackedPoints` (what the page holds)."""
    if len(data) <= BUDGET.inline_bytes:
        return read_upload(data, name, **kwargs)
    return run_job(read_upload, data, name, packed=packed, **kwargs)


def analyse(fn: Callable, points, *args, **kwargs):
    """An analysis of ``points`` (a GeoDataFrame or :class:`PackedPoints`): in-process for a few points, in a
    worker process above ``BUDGET.inline_points`` (its result comes back; its working memory never enters
    the server)."""
    if len(points) <= BUDGET.inline_points:
        return fn(unpack(points), *args, **kwargs)
    return run_job(fn, points, *args, **kwargs)


def hot_spot_hexagons(points, *, resolution, weight, land, k_ring, confidence):
    """:func:`analysis.density.hexagons` then :func:`~analysis.density.hot_spots` (one job)."""
    from analysis.density import hexagons, hot_spots

    hexes = hexagons(points, resolution=resolution, weight=weight, land=land)
    return hot_spots(hexes, value="weighted" if weight else "count", k_ring=k_ring, confidence=confidence)


def zone_counts_and_pattern(points, zones, *, zone_id, weight, city):
    """:func:`analysis.density.counts_by_zone` and :func:`~analysis.density.clark_evans` on the same zones
    (one job: the points cross the pipe and become shapely points once, not twice)."""
    from analysis.density import clark_evans, counts_by_zone

    return (counts_by_zone(points, zones, zone_id=zone_id, weight=weight, city=city),
            clark_evans(points, zones, zone_id=zone_id))
