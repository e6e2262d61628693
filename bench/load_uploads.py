"""Bounded load test: big uploads on the Density page while other sessions keep working.

Run: .venv/bin/python bench/load_uploads.py [--uploaders 10] [--mb 40] [--observers 10] [--max-seconds 1200]
     [--write-readme]

One loopback app server. ``--observers`` sessions browse the main page for the whole run — switch
the language (a full rerun) and back, then search for a place (胶东机场 / 中国海洋大学, in turn) —
first alone (baseline), then while ``--uploaders`` sessions each upload a *distinct* ``--mb`` MB CSV
to the Density page (random points in Qingdao, different seed per file) and wait for the bay
comparison. Reports the observers' interaction p50/p95 before and during the uploads, each upload's
time to result and whether the page showed its place in the queue or its job running while it waited, and the
server's resident memory (server process plus its worker processes) idle, peak and after the run.
Targets (issue 24): every upload finishes or is visibly queued; the browsing sessions' p95 during the
uploads ≤ 2× the idle figure; peak RSS under the documented ceiling; RSS back within ~20 % of idle
once the jobs end and the closed sessions — which hold their uploads — are let go. Every request beyond loopback is blocked; the server is always stopped; the run
ends by ``--max-seconds`` at the latest. ``--write-readme`` puts the table in README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import psutil
from streamlit import config as st_config

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import machine, report, table  # noqa: E402
from core.settings import BUDGET  # noqa: E402
from tests.browser import CHROMIUM_ARGS, app_server, is_loopback  # noqa: E402

TITLES = {"en": "Qingdao Bay-Area Innovation Corridor Atlas", "zh": "青岛湾区科创走廊图集"}
SEARCHES = ("胶东机场", "中国海洋大学")  # each a different first match: the page's answer visibly changes
SERVER_MB = 2048  # the server process with its bounded caches (core.settings.UPLOAD), documented in README
CEILING_MB = SERVER_MB + BUDGET.job_workers * BUDGET.job_memory_mb  # + each running worker's RLIMIT_AS
TIMEOUT_MS = 600_000
TTL_S = st_config.get_option("server.disconnectedSessionTTL")  # how long a closed session is kept (default 120 s)


def make_file(folder: Path, seed: int, mb: float) -> Path:
    """A distinct CSV of about ``mb`` MB: random points over Qingdao's land-ish box, with a weight and a type."""
    rng = np.random.default_rng(seed)
    n = int(mb * 1024 * 1024 / 26)  # ~26 bytes a row
    frame = pd.DataFrame({"lon": np.round(rng.uniform(119.9, 120.9, n), 6), "lat": np.round(rng.uniform(35.9, 36.6, n), 6),
                          "weight": rng.integers(1, 10, n), "type": rng.choice(["lab", "uni", "inc"], n)})
    path = folder / f"points_{seed}.csv"
    frame.to_csv(path, index=False)
    return path


def rss_mb(pid: int) -> float:
    """Resident memory of the server and its children (upload workers), MB."""
    try:
        proc = psutil.Process(pid)
        return sum(p.memory_info().rss for p in [proc, *proc.children(recursive=True)]) / 2**20
    except psutil.Error:
        return 0.0


async def _context(browser):
    ctx = await browser.new_context(viewport={"width": 1280, "height": 800})

    async def route(r):
        await (r.continue_() if is_loopback(r.request.url) else r.abort())

    await ctx.route("**/*", route)
    return ctx


async def observer(browser, url: str, phase: dict, latencies: dict, errors: list, stop: asyncio.Event) -> None:
    """Switch to English and back, then search (in turn) — each interaction timed until its answer shows."""
    ctx = await _context(browser)
    page = await ctx.new_page()

    async def timed(action, answer, warm: bool) -> None:
        started, t0 = phase["name"], time.perf_counter()
        await action()
        await answer.wait_for(timeout=TIMEOUT_MS)
        if not warm:  # the first round warms the session up: not counted
            latencies.setdefault(started, []).append(time.perf_counter() - t0)

    try:
        await page.goto(url, timeout=TIMEOUT_MS)
        await page.get_by_role("heading", name=TITLES["zh"]).wait_for(timeout=TIMEOUT_MS)
        n = 0
        while not stop.is_set():
            for target, label in (("en", "English"), ("zh", "中文")):
                await timed(lambda label=label: page.get_by_text(label, exact=True).first.click(),
                            page.get_by_role("heading", name=TITLES[target]), n == 0)
                await asyncio.sleep(0.5)
            box = page.get_by_placeholder("例如", exact=False)
            term = SEARCHES[n % 2]
            await box.fill(term)
            hits = page.locator("[data-testid='stRadio']", has_text="匹配结果").filter(has_text=term)
            await timed(lambda: box.press("Enter"), hits.first, n == 0)
            n += 1
            await asyncio.sleep(0.5)
    except Exception as exc:  # noqa: BLE001 — counted and reported
        if not stop.is_set():
            errors.append(f"observer {type(exc).__name__}: {str(exc).splitlines()[0][:160]}")
    finally:
        await ctx.close()


async def uploader(browser, url: str, path: Path, results: list, errors: list) -> None:
    """Upload on the Density page (zh) and wait for the bay comparison; note whether the queue showed."""
    ctx = await _context(browser)
    page = await ctx.new_page()
    queued = working = False
    try:
        await page.goto(url + "/density", timeout=TIMEOUT_MS)
        await page.locator("[data-testid='stDownloadButton']").first.wait_for(timeout=TIMEOUT_MS)
        await page.locator("[data-testid='stSidebar'] label", has_text="上传").click(timeout=TIMEOUT_MS)
        chooser = page.locator("[data-testid='stFileUploader'] input[type='file']")
        await chooser.wait_for(state="attached", timeout=TIMEOUT_MS)
        t0 = time.perf_counter()
        await chooser.set_input_files(str(path), timeout=TIMEOUT_MS)
        result = page.get_by_role("heading", name="三湾对比", exact=True)
        failed = page.locator("[data-testid='stMain'] [data-testid='stAlertContentError']")
        queue = page.get_by_text("排队中", exact=False)
        running = page.get_by_text("计算中", exact=False)  # its job runs in a worker (atlas.uploads.queue_notice)
        while True:
            if await result.count() or await failed.count():
                break
            queued = queued or bool(await queue.count())
            working = working or bool(await running.count())
            await asyncio.sleep(0.5)
        kind = "error shown" if await failed.count() else "result"
        detail = " ".join((await failed.first.inner_text()).split())[:160] if kind != "result" else ""
        results.append({"seconds": time.perf_counter() - t0, "kind": kind, "queued": queued, "working": working,
                        "detail": detail})
    except asyncio.CancelledError:
        results.append({"seconds": None, "kind": "unfinished", "queued": queued, "working": working, "detail": ""})
        raise
    except Exception as exc:  # noqa: BLE001
        errors.append(f"uploader {type(exc).__name__}: {str(exc).splitlines()[0][:160]}")
    finally:
        await ctx.close()


async def run(url: str, pid: int, files: list[Path], observers: int, baseline_s: float, max_s: float):
    from playwright.async_api import async_playwright

    latencies: dict[str, list[float]] = {}
    results: list = []
    errors: list[str] = []
    phase = {"name": "baseline", "warm": 0.0}
    peak = 0.0
    stop = asyncio.Event()
    deadline = time.monotonic() + max_s
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        watchers = [asyncio.create_task(observer(browser, url, phase, latencies, errors, stop)) for _ in range(observers)]
        t_base = time.monotonic() + baseline_s
        while time.monotonic() < t_base:
            peak = max(peak, rss_mb(pid))
            await asyncio.sleep(0.5)
        phase["warm"] = rss_mb(pid)  # the baseline: pages served, layers loaded, no upload yet
        phase["name"] = "uploads"
        uploads = [asyncio.create_task(uploader(browser, url, f, results, errors)) for f in files]
        while not all(t.done() for t in uploads) and time.monotonic() < deadline:
            peak = max(peak, rss_mb(pid))
            await asyncio.sleep(0.5)
        for t in uploads:
            t.cancel()
        phase["name"] = "after"
        stop.set()
        await asyncio.gather(*watchers, *uploads, return_exceptions=True)
        await browser.close()
    return latencies, results, errors, peak, phase["warm"]


def settle(pid: int, idle: float, seconds: float = 60) -> float:
    """RSS once the jobs have ended: polled until within 20 % of idle or ``seconds`` pass."""
    end, rss = time.monotonic() + seconds, rss_mb(pid)
    while time.monotonic() < end and rss > 1.2 * idle:
        time.sleep(2)
        rss = rss_mb(pid)
    return rss


async def visit(url: str) -> None:
    """One short visit (open the map, close): Streamlit lets closed sessions go when a later one closes."""
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        ctx = await _context(browser)
        page = await ctx.new_page()
        await page.goto(url, timeout=TIMEOUT_MS)
        await page.get_by_role("heading", name=TITLES["zh"]).wait_for(timeout=TIMEOUT_MS)
        await ctx.close()
        await browser.close()


def after_sessions(url: str, pid: int, idle: float) -> float:
    """RSS once the closed sessions are gone: Streamlit keeps a closed session (its uploads, its points) for
    ``server.disconnectedSessionTTL`` s so that a reader whose connection dropped comes back to it, and lets
    it go at the next disconnect after that — here one short visit."""
    time.sleep(TTL_S + 5)
    asyncio.run(visit(url))
    return settle(pid, idle)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) >= 2 else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploaders", type=int, default=10)
    parser.add_argument("--mb", type=float, default=40)
    parser.add_argument("--observers", type=int, default=10)
    parser.add_argument("--baseline-seconds", type=float, default=180)  # 10 cold sessions take ~60 s to warm up
    parser.add_argument("--max-seconds", type=float, default=1200)
    parser.add_argument("--write-readme", action="store_true")
    args = parser.parse_args()
    where = machine()
    with tempfile.TemporaryDirectory() as tmp:
        files = [make_file(Path(tmp), seed, args.mb) for seed in range(args.uploaders)]
        sizes = [f.stat().st_size / 2**20 for f in files]
        with app_server(timeout=120) as server:
            time.sleep(5)
            idle = rss_mb(server.pid)
            latencies, results, errors, peak, warm = asyncio.run(run(server.url, server.pid, files, args.observers,
                                                               args.baseline_seconds, args.max_seconds))
            after = settle(server.pid, warm)
            gone = after_sessions(server.url, server.pid, warm)
    base, during = latencies.get("baseline", []), latencies.get("uploads", [])
    done = [r for r in results if r["kind"] != "unfinished"]
    waiting = [r for r in results if r["kind"] == "unfinished"]
    seconds = sorted(r["seconds"] for r in done)
    p95_ok = bool(base and during) and p95(during) <= 2 * p95(base)
    every = len(done) + sum(r["queued"] or r["working"] for r in waiting) == len(files)  # done, or its state shown
    rows = [
        ["browsing sessions' interaction p50 / p95, idle", f"{_s(base, statistics.median)} / {_s(base, p95)} "
         f"(n = {len(base)})", "", ""],
        ["the same during the uploads", f"{_s(during, statistics.median)} / {_s(during, p95)} (n = {len(during)})",
         "p95 ≤ 2× idle", _yes(p95_ok)],
        ["uploads with their result (or a message) on the page", f"{len(done)} of {len(files)}"
         + (f" (median {statistics.median(seconds):.0f} s, max {max(seconds):.0f} s)" if seconds else ""),
         "every upload finishes or is visibly queued", _yes(every)],
        ["… of them errors shown", str(sum(r["kind"] == "error shown" for r in done)), "", ""],
        ["uploads that showed their place in the queue while waiting", str(sum(r["queued"] for r in results)), "", ""],
        ["uploads that showed their job running", str(sum(r["working"] for r in results)), "", ""],
        ["server RSS incl. workers: started → browsed, before the uploads → peak",
         f"{idle:,.0f} → {warm:,.0f} → {peak:,.0f} MB", f"peak ≤ {CEILING_MB:,} MB", _yes(peak <= CEILING_MB)],
        ["server RSS once the jobs ended (polled up to 60 s; closed sessions still held for reconnection)",
         f"{after:,.0f} MB ({after / warm:.2f}× before the uploads)", "", ""],
        [f"… once the closed sessions were let go ({TTL_S} s reconnection window, then one short visit)",
         f"{gone:,.0f} MB ({gone / warm:.2f}× before the uploads)", "≤ 1.2× before", _yes(gone <= 1.2 * warm)],
    ]
    body = (f"`bench/load_uploads.py --uploaders {args.uploaders} --mb {args.mb:g} --observers {args.observers}` — "
            f"{where}; one loopback server, its worker pool ({BUDGET.job_workers} at once, {BUDGET.job_memory_mb:,} MB "
            f"and {BUDGET.job_seconds:.0f} s a job) and every browser on the same machine; {args.uploaders} distinct "
            f"CSVs of {min(sizes):.1f}–{max(sizes):.1f} MB; {args.observers} other sessions switch the language and "
            f"search throughout ({args.baseline_seconds:.0f} s alone first); run cut at {args.max_seconds:.0f} s; "
            f"{len(errors)} errors.\n\n" + table(["measure", "value", "target", "met"], rows, "lrll"))
    report("uploads", body, write=args.write_readme)
    for e in errors[:10]:
        print("  error:", e)
    for r in results:
        if r["detail"]:
            print("  shown:", r["detail"])
    return 1 if errors else 0


def _s(values: list[float], fn) -> str:
    return f"{fn(values):.2f} s" if len(values) >= 2 else "–"


def _yes(ok: bool) -> str:
    return "yes" if ok else "**no**"


if __name__ == "__main__":
    raise SystemExit(main())
