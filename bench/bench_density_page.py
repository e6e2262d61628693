"""The Density page after an upload, in headless Chromium, against the naive page in the same run.

Run: .venv/bin/python bench/bench_density_page.py [--sizes 1000 10000 100000] [--runs 3] [--write-readme]

For each size a CSV of synthetic points on Qingdao's land (bench_density.synthetic_points) is
uploaded to (a) the atlas's Density page and (b) bench/apps/naive_density.py, which draws every
row as a folium.CircleMarker. Measured per page, median of ``--runs`` fresh browser contexts:

* upload -> map drawn: from ``set_input_files`` until every point is represented in the map
  (atlas: the points image is decoded, or the markers are there; naive: one SVG path per row);
* bytes received over the websocket in that phase (CDP Network events), until the run ends;
* a widget change after the upload (atlas: hexagons by Gi* -> by count; naive: marker colour):
  time until the new map is drawn, and the bytes of that rerun;
* the longest browser task in either phase (PerformanceObserver 'longtask', all frames).

Correctness: the atlas must report all N points drawn (its caption), the naive page N markers.
The naive page is given ``--naive-timeout`` seconds per phase; slower runs are reported as "> T s"
(a size whose first upload timed out is not repeated).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.probe import Probe  # noqa: E402
from bench.report import machine, report, table  # noqa: E402
from tests.browser import CHROMIUM_ARGS, streamlit_server  # noqa: E402

FRAME = "iframe[title*='streamlit_folium']"


def write_csv(n: int, folder: Path) -> Path:
    from bench.bench_density import synthetic_points

    pts = synthetic_points(n).to_crs("EPSG:4326")
    path = folder / f"points_{n}.csv"
    path.write_text("lon,lat,weight\n" + "".join(
        f"{x:.6f},{y:.6f},{w:g}\n" for x, y, w in zip(pts.geometry.x, pts.geometry.y, pts["weight"], strict=True)))
    return path


def _wait(cond, timeout_s: float, what: str) -> float:
    t0 = time.perf_counter()
    while not cond():
        if time.perf_counter() - t0 > timeout_s:
            raise TimeoutError(what)
        time.sleep(0.02)
    return time.perf_counter()


def atlas_drawn(page, n: int) -> bool:
    frame = page.frame_locator(FRAME).first
    if n > 500:  # layers.density_map.POINT_MARKER_LIMIT: the points are one image
        img = frame.locator("img.density-points")
        return img.count() > 0 and img.first.evaluate("e => e.complete && e.naturalWidth > 0")
    return frame.locator("path.leaflet-interactive").count() >= n


def run_atlas(browser, url: str, csv: Path, n: int) -> dict:
    probe = Probe(browser)
    page = probe.page
    page.goto(url + "/density?lang=en", wait_until="domcontentloaded")
    page.frame_locator(FRAME).first.locator("path.leaflet-interactive").first.wait_for(timeout=120_000)
    probe.wait_idle()
    page.get_by_text("Upload", exact=True).click()
    page.get_by_text("Upload a CSV or GeoJSON").wait_for(timeout=60_000)
    probe.wait_idle()
    probe.reset()
    t0 = time.perf_counter()
    page.locator("input[type=file]").set_input_files(str(csv))
    t1 = _wait(lambda: atlas_drawn(page, n) and page.get_by_text(f"{n:,}").count() > 0, 120, "atlas upload")
    probe.wait_idle()
    caption = page.get_by_text("points are drawn").first.inner_text()
    assert f"All {n:,} points" in caption, caption
    upload = (t1 - t0, probe.ws_bytes, probe.longest_task_ms())
    frame = page.frame_locator(FRAME).first
    frame.locator(".leaflet-container").first.evaluate("e => e.__old = true")
    probe.reset()
    t0 = time.perf_counter()
    page.get_by_text("Point count", exact=True).click()
    t1 = _wait(lambda: frame.locator(".leaflet-container").count() > 0
               and not frame.locator(".leaflet-container").first.evaluate("e => !!e.__old")
               and atlas_drawn(page, n), 60, "atlas widget change")
    probe.wait_idle()
    change = (t1 - t0, probe.ws_bytes, probe.longest_task_ms())
    probe.close()
    return {"upload": upload, "change": change}


def run_naive(browser, url: str, csv: Path, n: int, timeout_s: float) -> dict:
    probe = Probe(browser)
    page = probe.page
    page.goto(url, wait_until="domcontentloaded")
    page.locator("input[type=file]").wait_for(state="attached", timeout=60_000)
    probe.wait_idle()
    probe.reset()
    frame = page.frame_locator(FRAME).first
    paths = frame.locator("path.leaflet-interactive")
    t0 = time.perf_counter()
    page.locator("input[type=file]").set_input_files(str(csv))
    try:
        t1 = _wait(lambda: paths.count() >= n, timeout_s, "naive upload")
    except TimeoutError:
        probe.close()
        return {"upload": (None, None, None), "change": (None, None, None)}
    probe.wait_idle(int(timeout_s * 1000))
    assert paths.count() == n
    upload = (t1 - t0, probe.ws_bytes, probe.longest_task_ms())
    probe.reset()
    t0 = time.perf_counter()
    page.get_by_text("#c0392b").click()
    try:
        t1 = _wait(lambda: frame.locator("path[stroke='#c0392b']").count() >= n, timeout_s, "naive change")
        probe.wait_idle(int(timeout_s * 1000))
        change = (t1 - t0, probe.ws_bytes, probe.longest_task_ms())
    except TimeoutError:
        change = (None, None, None)
    probe.close()
    return {"upload": upload, "change": change}


def median(runs: list[dict], phase: str, i: int):
    values = [r[phase][i] for r in runs]
    return None if any(v is None for v in values) else statistics.median(values)




def fmt_s(v, timeout):
    return f"> {timeout:.0f} s" if v is None else f"{v:.2f} s"


def fmt_b(v):
    return "—" if v is None else (f"{v / 1e6:.2f} MB" if v >= 1e6 else f"{v / 1e3:.0f} kB")


def fmt_ms(v):
    return "—" if v is None else f"{v:.0f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--naive-timeout", type=float, default=90.0)
    parser.add_argument("--write-readme", action="store_true")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    where = machine()
    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        csvs = {n: write_csv(n, Path(tmp)) for n in args.sizes}
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        results = {}
        with streamlit_server() as url:
            for n in args.sizes:
                results[("atlas", n)] = [run_atlas(browser, url, csvs[n], n) for _ in range(args.runs)]
        with streamlit_server("bench/apps/naive_density.py") as url:
            for n in args.sizes:
                runs = [run_naive(browser, url, csvs[n], n, args.naive_timeout)]
                if runs[0]["upload"][0] is not None:  # a timed-out size is not repeated
                    runs += [run_naive(browser, url, csvs[n], n, args.naive_timeout) for _ in range(args.runs - 1)]
                results[("naive", n)] = runs
        browser.close()
    for n in args.sizes:
        for who, label in (("atlas", "atlas Density page"), ("naive", "naive CircleMarker page")):
            runs = results[(who, n)]
            rows.append([f"{label}", f"{n:,}", fmt_s(median(runs, "upload", 0), args.naive_timeout),
                         fmt_b(median(runs, "upload", 1)), fmt_ms(median(runs, "upload", 2)),
                         fmt_s(median(runs, "change", 0), args.naive_timeout), fmt_b(median(runs, "change", 1)),
                         fmt_ms(median(runs, "change", 2))])
    md = table(["page", "points", "upload → drawn", "sent", "longest task", "widget change", "sent",
                "longest task"], rows)
    body = (f"`bench/bench_density_page.py` — {where}; median of {args.runs} fresh browser contexts, network "
            f"blocked, websocket bytes from CDP. Every point is represented on both pages (checked).\n\n{md}")
    report("density_page", body, write=args.write_readme)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
