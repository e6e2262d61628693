"""Time to a drawn map in headless Chromium: the atlas's default view vs naive folium markers.

Run: .venv/bin/python bench/bench_map.py [--runs 3]
Starts each page on a loopback Streamlit server, opens it in Debian's chromium with every
non-loopback request blocked, and measures from navigation start until the expected
number of features is in the DOM. Also sums the websocket bytes the page received
(the map payload). Prints a table and the ratios; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import CHROMIUM_ARGS, block_external, streamlit_server  # noqa: E402


def measure(browser, url: str, selector: str, expected: int, runs: int) -> tuple[float, int]:
    times, payload = [], 0
    for _ in range(runs):
        ctx = browser.new_context(viewport={"width": 1400, "height": 900})
        block_external(ctx, [])
        page = ctx.new_page()
        received = [0]
        page.on("websocket", lambda ws, r=received: ws.on("framereceived", lambda p, r=r: r.__setitem__(0, r[0] + len(p))))
        t0 = time.perf_counter()
        page.goto(url, wait_until="commit")
        frame = page.frame_locator("iframe[title*='streamlit_folium']").first
        deadline = time.perf_counter() + 120
        while frame.locator(selector).count() < expected:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{url}: fewer than {expected} '{selector}' after 120 s")
            page.wait_for_timeout(25)
        times.append(time.perf_counter() - t0)
        payload = received[0]
        ctx.close()
    return statistics.median(times), payload


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--naive", type=int, nargs="*", default=[500, 5000])
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from atlas import mapmodel
    from atlas.viewstate import ViewState

    frames, _ = mapmodel.load_frames()
    n_features = sum(mapmodel.counts(frames, ViewState()).values())
    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        with streamlit_server() as url:
            # every default feature is an SVG path (points are circle markers), plus 10 districts
            results.append(("atlas default view", n_features, *measure(
                browser, url, "path.leaflet-interactive", n_features, args.runs)))
        for n in args.naive:
            os.environ["NAIVE_MARKERS"] = str(n)
            with streamlit_server("bench/apps/naive_markers.py") as url:
                results.append((f"naive folium.Marker × {n}", n, *measure(
                    browser, url, ".leaflet-marker-icon", n, args.runs)))
        browser.close()
    base = results[0][2]
    print(f"{'page':32} {'features':>8} {'median s':>9} {'ws bytes':>10} {'vs atlas':>9}")
    for name, n, secs, size in results:
        print(f"{name:32} {n:8d} {secs:9.2f} {size:10,d} {secs / base:8.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
