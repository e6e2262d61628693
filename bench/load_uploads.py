"""Bounded load test: big uploads on the Density page while other sessions keep working.

Run: .venv/bin/python bench/load_uploads.py [--uploaders 10] [--mb 40] [--observers 2] [--max-seconds 1200]

One loopback app server. ``--observers`` sessions sit on the main page switching the
language (a full rerun) for the whole run: first alone (baseline), then while
``--uploaders`` sessions each upload a *distinct* ``--mb`` MB CSV to the Density page
(random points in Qingdao, different seed per file) and wait for the bay comparison.
Reports the observers' rerun p50/p95 before and during the uploads, each upload's
time to result, and the server's resident memory (server process plus its worker
processes) idle, peak and after the run — the ceiling README documents. Every
request beyond loopback is blocked; the server is always stopped; the run ends by
``--max-seconds`` at the latest.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import CHROMIUM_ARGS, app_server, is_loopback  # noqa: E402

TITLES = {"en": "Qingdao Bay-Area Innovation Corridor Atlas", "zh": "青岛湾区科创走廊图集"}


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
    ctx = await _context(browser)
    page = await ctx.new_page()
    try:
        await page.goto(url, timeout=300_000)
        await page.get_by_role("heading", name=TITLES["zh"]).wait_for(timeout=300_000)
        lang, n = "zh", 0
        while not stop.is_set():
            target = "en" if lang == "zh" else "zh"
            started, t0 = phase["name"], time.perf_counter()
            await page.get_by_text("English" if target == "en" else "中文", exact=True).first.click()
            await page.get_by_role("heading", name=TITLES[target]).wait_for(timeout=300_000)
            if n >= 2:  # the first two reruns warm the session up: not counted
                latencies.setdefault(started, []).append(time.perf_counter() - t0)
            lang, n = target, n + 1
            await asyncio.sleep(0.5)
    except Exception as exc:  # noqa: BLE001 — counted and reported
        errors.append(f"observer {type(exc).__name__}: {str(exc).splitlines()[0][:160]}")
    finally:
        await ctx.close()


async def uploader(browser, url: str, path: Path, results: list, errors: list, gate: asyncio.Semaphore) -> None:
    async with gate:  # browser-side: at most a few file reads at once (the clients share the server's 2 cores)
        ctx = await _context(browser)
        page = await ctx.new_page()
        try:
            await page.goto(url + "/density", timeout=300_000)
            await page.get_by_text("上传 Upload", exact=True).first.click(timeout=900_000)
            t0 = time.perf_counter()
            await page.locator("input[type='file']").first.set_input_files(str(path), timeout=900_000)
            done = page.get_by_text("三湾对比 · The three bays compared").or_(page.locator("[data-testid='stAlertContentError']"))
            await done.first.wait_for(timeout=900_000)
            failed = await page.locator("[data-testid='stAlertContentError']").count()
            results.append((time.perf_counter() - t0, "error shown" if failed else "result"))
        except Exception as exc:  # noqa: BLE001
            errors.append(f"uploader {type(exc).__name__}: {str(exc).splitlines()[0][:160]}")
        finally:
            await ctx.close()


async def run(url: str, pid: int, files: list[Path], observers: int, baseline_s: float, max_s: float):
    from playwright.async_api import async_playwright

    latencies: dict[str, list[float]] = {}
    results: list = []
    errors: list[str] = []
    phase = {"name": "baseline"}
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
        phase["name"] = "uploads"
        gate = asyncio.Semaphore(10)
        uploads = [asyncio.create_task(uploader(browser, url, f, results, errors, gate)) for f in files]
        while not all(t.done() for t in uploads) and time.monotonic() < deadline:
            peak = max(peak, rss_mb(pid))
            await asyncio.sleep(0.5)
        for t in uploads:
            t.cancel()
        stop.set()
        await asyncio.gather(*watchers, *uploads, return_exceptions=True)
        await browser.close()
    return latencies, results, errors, peak


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) >= 2 else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploaders", type=int, default=10)
    parser.add_argument("--mb", type=float, default=40)
    parser.add_argument("--observers", type=int, default=2)
    parser.add_argument("--baseline-seconds", type=float, default=30)
    parser.add_argument("--max-seconds", type=float, default=1200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = [make_file(Path(tmp), seed, args.mb) for seed in range(args.uploaders)]
        sizes = [f.stat().st_size / 2**20 for f in files]
        with app_server(timeout=120) as server:
            idle = rss_mb(server.pid)
            latencies, results, errors, peak = asyncio.run(run(server.url, server.pid, files, args.observers,
                                                               args.baseline_seconds, args.max_seconds))
            time.sleep(5)
            after = rss_mb(server.pid)
    print(f"uploaders={args.uploaders} files={min(sizes):.1f}-{max(sizes):.1f} MB (distinct) observers={args.observers}")
    for name in ("baseline", "uploads"):
        lat = latencies.get(name, [])
        if lat:
            print(f"observer reruns {name}: n={len(lat)} p50={statistics.median(lat):.2f} s p95={p95(lat):.2f} s")
    if results:
        times = sorted(t for t, _ in results)
        print(f"uploads finished: {len(results)}/{len(files)} ({sum(k == 'result' for _, k in results)} with a result); "
              f"time to result median={statistics.median(times):.0f} s max={max(times):.0f} s")
    print(f"server RSS (with workers) idle={idle:.0f} MB peak={peak:.0f} MB after={after:.0f} MB")
    for e in errors[:10]:
        print("  error:", e)
    return 1 if errors or len(results) < len(files) else 0


if __name__ == "__main__":
    raise SystemExit(main())
