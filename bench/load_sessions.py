"""Bounded load test: N concurrent browser sessions on one loopback app server.

Run: .venv/bin/python bench/load_sessions.py [--sessions 4 20] [--seconds 60] [--write-readme]
Each session opens the atlas in its own headless-Chromium context (network blocked
beyond loopback), waits for the map, then loops until the time is up: switch the
language (a full rerun), wait for the new title, switch back. Reports errors,
p50/p95 rerun latency, the server's peak resident memory, and how many times the
server process loaded the layers (1 expected: st.cache_resource shares them).
Stops by itself; the server is always terminated. Loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import CHROMIUM_ARGS, app_server, is_loopback  # noqa: E402

TITLES = {"en": "Qingdao Bay-Area Innovation Corridor Atlas", "zh": "青岛湾区科创走廊图集"}


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def session(browser, url: str, seconds: float, loads: list, latencies: list, errors: list) -> None:
    ctx = await browser.new_context(viewport={"width": 1280, "height": 800})

    async def route(r):
        await (r.continue_() if is_loopback(r.request.url) else r.abort())

    await ctx.route("**/*", route)
    page = await ctx.new_page()
    try:
        t0 = time.perf_counter()
        await page.goto(url, timeout=180_000)
        await page.frame_locator("iframe[title*='streamlit_folium']").first.locator(
            "path.leaflet-interactive").first.wait_for(timeout=180_000)
        loads.append(time.perf_counter() - t0)
        until = time.monotonic() + seconds  # each session interacts for the full period
        lang = "zh"
        while time.monotonic() < until:
            target = "en" if lang == "zh" else "zh"
            t0 = time.perf_counter()
            await page.get_by_text("English" if target == "en" else "中文", exact=True).first.click()
            await page.get_by_role("heading", name=TITLES[target]).wait_for(timeout=120_000)
            latencies.append(time.perf_counter() - t0)
            lang = target
    except Exception as exc:  # noqa: BLE001 — every failure is counted and reported
        errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}")
    finally:
        await ctx.close()


async def run(url: str, pid: int, sessions: int, seconds: float):
    from playwright.async_api import async_playwright

    loads: list[float] = []
    latencies: list[float] = []
    errors: list[str] = []
    peak = 0.0
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        tasks = [asyncio.create_task(session(browser, url, seconds, loads, latencies, errors))
                 for _ in range(sessions)]
        while not all(t.done() for t in tasks):
            peak = max(peak, rss_mb(pid))
            await asyncio.sleep(0.5)
        await browser.close()
    return loads, latencies, errors, peak


def one(sessions: int, seconds: float) -> tuple[list[str], int]:
    """Run ``sessions`` sessions on a fresh server; print and return a table row and the error count."""
    with app_server() as server:
        idle = rss_mb(server.pid)
        page_loads, latencies, errors, peak = asyncio.run(run(server.url, server.pid, sessions, seconds))
        loads = server.log().count("atlas: layers loaded")
    print(f"sessions={sessions} seconds={seconds:.0f} reruns={len(latencies)} errors={len(errors)}")
    first = f"{statistics.median(page_loads):.1f} s" if page_loads else "—"
    p50_95 = "—"
    if len(latencies) >= 2:
        q = statistics.quantiles(latencies, n=20)
        p50_95 = f"{statistics.median(latencies):.2f} s / {q[18]:.2f} s"
    print(f"first map drawn (median) {first}; rerun p50 / p95 {p50_95}")
    print(f"server RSS idle={idle:.0f} MB peak={peak:.0f} MB; layer loads in the server process={loads}")
    for e in errors[:10]:
        print("  error:", e)
    return [str(sessions), first, p50_95, str(len(errors)), f"{idle:.0f} → {peak:.0f} MB", str(loads)], len(errors)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="*", default=[20])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--write-readme", action="store_true")
    args = parser.parse_args()
    from bench.report import machine, report, table

    where = machine()
    rows, errors = [], 0
    for n in args.sessions:
        row, errs = one(n, args.seconds)
        rows.append(row)
        errors += errs
    body = (f"`bench/load_sessions.py` — {where}; each session its own Chromium context switching the language "
            f"(a full rerun) for {args.seconds:.0f} s; loopback only. Sessions and the server share the machine's "
            "cores, so large N mostly measures the clients.\n\n"
            + table(["sessions", "first map drawn (median)", "rerun p50 / p95", "errors", "server RSS idle → peak",
                     "layer loads"], rows))
    report("sessions", body, write=args.write_readme)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
