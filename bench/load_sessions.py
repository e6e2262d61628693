"""Bounded load test: N concurrent browser sessions on one loopback app server.

Run: .venv/bin/python bench/load_sessions.py [--sessions 20] [--seconds 60]
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    with app_server() as server:
        idle = rss_mb(server.pid)
        page_loads, latencies, errors, peak = asyncio.run(run(server.url, server.pid, args.sessions, args.seconds))
        loads = server.log().count("atlas: layers loaded")
    print(f"sessions={args.sessions} seconds={args.seconds:.0f} reruns={len(latencies)} errors={len(errors)}")
    if page_loads:
        print(f"first map drawn: median={statistics.median(page_loads):.1f} s  max={max(page_loads):.1f} s")
    if len(latencies) >= 2:
        q = statistics.quantiles(latencies, n=20)
        print(f"rerun latency p50={statistics.median(latencies):.2f} s  p95={q[18]:.2f} s")
    print(f"server RSS idle={idle:.0f} MB peak={peak:.0f} MB; layer loads in the server process={loads}")
    for e in errors[:10]:
        print("  error:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
