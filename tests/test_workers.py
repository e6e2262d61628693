"""Heavy work out of the server (issue 24): jobs run in worker processes with a memory and a time limit,
queued with their position reported; a job over its limit ends with a clear message and its memory goes
with its process — the server's own memory does not grow with the work."""

from __future__ import annotations

import multiprocessing
import sys
import threading
import time

import numpy as np
import pytest

from analysis.points_io import read_upload
from atlas import workers
from core.refusal import Refusal


def allocate(mb: int) -> int:
    block = bytearray(mb * 1024 * 1024)  # touched: really resident
    block[::4096] = b"\1" * len(block[::4096])
    return len(block)


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS")) / 1024


def test_a_job_over_its_memory_limit_is_stopped_with_a_clear_message():
    with pytest.raises(Refusal, match="more than 1,024 MB of memory and was stopped") as err:
        workers.run_job(allocate, 2048, memory_mb=1024)
    assert "所需内存超过 1,024 MB" in err.value.localized("zh")
    assert multiprocessing.active_children() == []  # its process, and its memory, are gone
    assert workers.queue_length() == (0, 0)


def test_a_job_over_its_time_limit_is_stopped():
    start = time.monotonic()
    with pytest.raises(Refusal, match="took longer than 3 s"):
        workers.run_job(time.sleep, 60, seconds=3)
    assert time.monotonic() - start < 20 and multiprocessing.active_children() == []


def test_a_job_runs_at_a_lower_cpu_priority_than_the_server():
    import os

    from core.settings import BUDGET

    assert BUDGET.job_nice > 0
    assert workers.run_job(os.nice, 0) == min(19, os.nice(0) + BUDGET.job_nice)


def test_jobs_start_from_the_fork_server_not_from_the_server():
    """A job is forked from the clean fork server that imported the jobs' modules once — never from the server
    (a fork of a threaded server copies its heap and its locks) and never by importing them again."""
    import os

    workers.start_workers()
    parent = workers.run_job(os.getppid)
    assert parent != os.getpid() and parent == workers.run_job(os.getppid)  # one fork server for every job


def test_the_janitor_hands_freed_memory_back_until_stopped(monkeypatch):
    calls = []
    monkeypatch.setattr(workers, "release_memory", lambda: calls.append(time.monotonic()))
    monkeypatch.setattr(workers, "collect_garbage", lambda: 0)  # its own test below; here only the cadence
    stop = workers.start_janitor(0.02)
    time.sleep(0.3)
    stop.set()
    n = len(calls)
    time.sleep(0.1)
    assert n >= 3 and len(calls) <= n + 1  # every 20 ms while it ran; none once stopped


def test_the_janitor_frees_what_only_a_reference_cycle_held():
    """Streamlit's per-rerun collection is off (postScriptGC): a closed session's data, held in reference
    cycles, must still go — the janitor collects. Automatic collection is off here, so only it can."""
    import gc
    import weakref

    class Held:
        pass

    gc.disable()
    try:
        a, b = Held(), Held()
        a.other, b.other, a.points = b, a, np.zeros(1_000_000)
        gone = weakref.ref(a)
        del a, b
        assert gone() is not None  # a cycle: reference counting alone keeps it
        stop = workers.start_janitor(0.02)
        deadline = time.monotonic() + 2
        while gone() is not None and time.monotonic() < deadline:
            time.sleep(0.01)
        stop.set()
        assert gone() is None
    finally:
        gc.enable()


def test_the_work_s_memory_never_enters_the_server():
    before = rss_mb()
    assert workers.run_job(allocate, 600) == 600 * 1024 * 1024
    assert rss_mb() - before < 60  # 600 MB were used, in the worker only


def test_jobs_wait_in_order_and_report_their_place():
    first = threading.Thread(target=workers.run_job, args=(time.sleep, 4), kwargs={"workers": 1})
    first.start()
    while workers.queue_length()[0] == 0:
        time.sleep(0.05)
    seen: list[int] = []
    with workers.queue_reporter(seen.append):
        workers.run_job(time.sleep, 0, workers=1)
    first.join()
    assert seen == [1, 0, None]  # first in line, then running, then done


def test_a_readers_refusal_arrives_unchanged_and_big_uploads_go_to_a_worker(monkeypatch):
    with pytest.raises(Refusal, match="the file is empty") as err:
        workers.run_job(read_upload, b"", "e.csv")
    assert err.value.key == "empty_file" and "文件是空的" in err.value.localized("zh")
    ran = []
    monkeypatch.setattr(workers, "run_job", lambda fn, *a, packed=False, **k: ran.append(fn) or fn(*a, **k))
    small = b"name,lon,lat\na,120.4,36.1\n"
    workers.read_upload_isolated(small, "s.csv")
    big = small + b"a,120.4,36.1\n" * 30_000
    pts, _ = workers.read_upload_isolated(big, "b.csv")
    assert ran == [read_upload] and len(pts) == 30_001


class Slot:
    def __init__(self):
        self.shown: list[str | None] = []

    def info(self, text):
        self.shown.append(text)

    def empty(self):
        self.shown.append(None)


def test_the_page_shows_the_queue_position_in_the_readers_language():
    from atlas.uploads import queue_notice

    slot = Slot()
    first = threading.Thread(target=workers.run_job, args=(time.sleep, 4), kwargs={"workers": 1})
    first.start()
    while workers.queue_length()[0] == 0:
        time.sleep(0.05)
    with workers.queue_reporter(queue_notice(lambda: slot, "zh")):
        workers.run_job(time.sleep, 0, workers=1)
    first.join()
    assert slot.shown == ["排队中：前面还有 1 个任务（服务器同时运行 2 个）…", "计算中：你的任务正在工作进程中运行…", None]


def test_a_big_upload_is_parsed_and_analysed_in_workers_through_the_page():
    from streamlit.testing.v1 import AppTest

    from core.i18n import t
    from tests.conftest import ROOT

    rows = "".join(f"p{i},{120.30 + (i % 300) * 0.001:.4f},{36.05 + (i // 300) * 0.001:.4f}\n" for i in range(24_000))
    data = ("name,lon,lat\n" + rows).encode()
    assert len(data) > workers.BUDGET.inline_bytes and 24_000 > workers.BUDGET.inline_points
    at = AppTest.from_file(str(ROOT / "views" / "density.py"), default_timeout=600)
    at.session_state["density_upload"] = ("big.csv", data)
    at.session_state["w_source"] = "upload"
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    bays = at.dataframe[-2].value
    pts, _ = read_upload(data, "big.csv")  # the same count computed here, in-process
    from layers import coast

    on_land = int(pts.within(coast.load_city().union_all()).sum())
    assert 10_000 < on_land < 24_000 and int(bays.loc[t("c_count", "zh"), "全市"].replace(",", "")) == on_land
    held = at.session_state["density_points"][1][0]  # the session holds arrays, not 24,000 shapely points
    assert isinstance(held, workers.PackedPoints) and len(held) == len(pts)
    at.run()  # a rerun answers from the caches and replays what the jobs drew there (their notices): no error
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert not any("计算中" in i.value or "排队中" in i.value for i in at.info)  # every job's notice cleared
    assert multiprocessing.active_children() == []


def test_a_job_does_not_run_the_parents_main_script_again(tmp_path, monkeypatch):
    """Under Streamlit's AppTest ``__main__`` is the page script; a spawned child once imported it again
    and died ("the job stopped unexpectedly (exit code 1)") — every job after a page test failed."""
    import math
    import types

    script = tmp_path / "page.py"
    script.write_text("raise SystemExit(1)  # a page script that cannot run outside Streamlit\n", encoding="utf-8")
    fake = types.ModuleType("__main__")
    fake.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", fake)
    assert workers.run_job(math.sqrt, 16.0, seconds=60) == 4.0
    assert sys.modules["__main__"] is fake  # put back after the start


def points_frame(n: int, *, gap: bool = True):
    import geopandas as gpd
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(1)
    frame = gpd.GeoDataFrame({"name": pd.array([f"p{i}" for i in range(n)], dtype="string"),
                              "weight": rng.integers(0, 9, n).astype(float)},
                             geometry=gpd.points_from_xy(rng.uniform(120, 121, n), rng.uniform(36, 37, n)),
                             crs=4326, index=np.arange(n) * (3 if gap else 1))  # rows as read: gaps where dropped
    frame = frame[["name", "geometry", "weight"]]  # geometry not last: its place is kept
    frame.attrs["unlocated"] = {"district": ["x"]}
    return frame


def test_big_point_frames_cross_the_pipe_as_arrays_and_come_back_equal():
    """1.6 M shapely objects pickled hold the server's GIL ~1 s each way (every other reader waits);
    coordinates as one array do not. The frame that arrives is the frame that was sent."""
    from geopandas.testing import assert_geodataframe_equal

    from core.settings import BUDGET

    big = points_frame(BUDGET.inline_points + 1)
    packed = workers.pack((big, [{"row": 1}]))
    assert isinstance(packed[0], workers.PackedPoints) and packed[0].xy.shape == (len(big), 2)
    assert packed[1] == [{"row": 1}]
    back = workers.unpack(packed)[0]
    assert_geodataframe_equal(back, big)
    assert back.attrs == big.attrs and list(back.columns) == ["name", "geometry", "weight"]
    through = workers.run_job(len_and_frame, big)  # both ways through a real worker
    assert through[0] == len(big)
    assert_geodataframe_equal(through[1], big)


def test_packed_points_answer_what_the_density_page_asks_as_the_frame_does():
    """A big upload is held as PackedPoints (issue 24): its columns, rows, coordinates, weight check and
    precision filter must read as those of the GeoDataFrame it stands for."""
    import numpy as np
    import pandas as pd
    from geopandas.testing import assert_geodataframe_equal

    from analysis.density import within_uncertainty
    from analysis.points_io import check_weight
    from core.settings import BUDGET

    big = points_frame(BUDGET.inline_points + 5)
    big["pos_uncertainty_m"] = np.where(np.arange(len(big)) % 4 == 0, 5000.0, 50.0)
    packed = workers.pack(big)
    assert isinstance(packed, workers.PackedPoints) and len(packed) == len(big)
    assert list(packed.columns) == list(big.columns) and "weight" in packed and "nope" not in packed
    pd.testing.assert_series_equal(packed["weight"], big["weight"])
    for got, want in zip(workers.lonlat(packed), workers.lonlat(big), strict=True):
        np.testing.assert_array_equal(got, want)
    assert workers.lonlat(big)[0][1] == big.geometry.iloc[1].x
    pd.testing.assert_index_equal(packed.index, big.index)
    kept, want = within_uncertainty(packed, max_uncertainty_m=1000), within_uncertainty(big, max_uncertainty_m=1000)
    assert isinstance(kept, workers.PackedPoints) and kept.attrs == want.attrs
    assert_geodataframe_equal(workers.unpack(kept), want)
    assert packed.attrs == big.attrs  # the filter's notes went on the copy only
    check_weight(packed, "weight")  # a usable weight passes, a broken one is refused as for the frame
    packed.frame.loc[packed.index[0], "weight"] = np.inf
    with pytest.raises(ValueError, match="infinite"):
        check_weight(packed, "weight")
    few = packed[np.arange(len(packed)) < 10]  # below the in-process size: analysed in the server, as a frame
    assert workers.analyse(len_and_type, few) == (10, "GeoDataFrame")


def len_and_type(frame):
    return len(frame), type(frame).__name__


def len_and_frame(frame):
    return len(frame), frame


def test_what_is_not_a_big_frame_of_2d_points_is_pickled_as_it_is():
    import geopandas as gpd
    import shapely

    from core.settings import BUDGET

    small = points_frame(10)
    assert workers.pack(small) is small
    big = points_frame(BUDGET.inline_points + 1)
    for odd in (shapely.box(0, 0, 1, 1), shapely.Point(), shapely.Point(1, 2, 3)):  # polygon, empty, 3-D
        mixed = big.copy()
        mixed.loc[mixed.index[0], "geometry"] = odd
        assert isinstance(mixed, gpd.GeoDataFrame) and workers.pack(mixed) is mixed
    assert workers.pack("text") == "text"


def test_zone_counts_and_pattern_in_one_job_equal_the_two_analyses_in_process():
    import pandas as pd

    from analysis.density import clark_evans, counts_by_zone
    from layers import coast, districts

    rows = "".join(f"p{i},{120.30 + (i % 300) * 0.001:.4f},{36.05 + (i // 300) * 0.001:.4f}\n" for i in range(24_000))
    pts, _ = read_upload(("name,lon,lat\n" + rows).encode(), "big.csv")
    zones, city = districts.load(), coast.load_city()
    counts, pattern = workers.analyse(workers.zone_counts_and_pattern, pts, zones, zone_id="id", weight=None,
                                      city=city)
    assert len(pts) > workers.BUDGET.inline_points  # ran in a worker
    pd.testing.assert_frame_equal(pd.DataFrame(counts.drop(columns="geometry")),
                                  pd.DataFrame(counts_by_zone(pts, zones, zone_id="id", weight=None, city=city)
                                               .drop(columns="geometry")))
    pd.testing.assert_frame_equal(pattern, clark_evans(pts, zones, zone_id="id"))
    assert counts["count"].sum() > 10_000


def test_jobs_start_with_the_citys_land_grid_and_masks_worked_out_in_the_fork_server():
    """analysis.density.warm runs in the fork server: a job finds the city's land grid at the page's hot-spot
    resolution and the page's and the command line's KDE land masks already kept (inherited, not rebuilt),
    and a hot-spot job over the city uses them (the result equals the in-process one)."""
    import geopandas as gpd

    from analysis.density import landcache
    from analysis.density.kde import grid_for
    from core.settings import DENSITY
    from layers import coast

    kept = workers.run_job(landcache.kinds)
    assert ("h3_land_grid", (DENSITY.hotspot_resolution,)) in kept
    city = coast.load_city()
    for cell_m in (DENSITY.cell_m, DENSITY.page_cell_m):
        grid = grid_for(None, None, bandwidth_m=DENSITY.bandwidth_m, cell_m=cell_m, land=city)
        assert ("kde_land_mask", (grid,)) in kept
    rng = np.random.default_rng(1)
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(rng.uniform(120.2, 120.6, 400), rng.uniform(36.0, 36.3, 400)),
                           crs="EPSG:4326")
    params = {"resolution": DENSITY.hotspot_resolution, "weight": None, "land": city, "k_ring": 1,
              "confidence": 0.95}
    job = workers.run_job(workers.hot_spot_hexagons, pts, **params)
    here = workers.hot_spot_hexagons(pts, **params)
    assert job.drop(columns="geometry").equals(here.drop(columns="geometry"))


def test_freezing_at_start_takes_the_modules_objects_out_of_full_collections_and_cycles_still_go():
    """freeze_startup (once, when the server starts): what is alive then — the modules, pypinyin's dictionary
    (imported by layers.search) — is no longer walked by a full collection; a cycle made later still goes."""
    import gc
    import weakref

    import layers.search  # noqa: F401  — the server has imported it (pypinyin's ~190,000 lists)

    try:
        before = len(gc.get_objects())
        frozen = workers.freeze_startup()
        assert frozen >= 190_000 and frozen >= 0.9 * before
        assert len(gc.get_objects()) < 0.1 * before  # what a full collection still walks

        class Node:
            pass

        node = Node()
        node.me = node  # a reference cycle: only the collector frees it
        gone = weakref.ref(node)
        del node
        gc.collect()
        assert gone() is None
    finally:
        gc.unfreeze()
