"""The density page in a real headless Chromium, offline: the map, legend and table draw,
and an analyst's CSV (GBK, one bad row) runs through the same analysis."""

import pytest

from core.i18n import t
from tests.browser import map_frame

pytestmark = pytest.mark.browser
PENDING = [t("d_pending_hexes", lang)[:20] for lang in ("zh", "en")]  # the first step's line, either language
NOT_PENDING = "() => !%s.some(s => document.body.innerText.includes(s))" % PENDING


def _drawn(page):
    """The whole map: its first step (points, zones) replaced by the one with the hexagons."""
    map_frame(page, timeout_ms=90_000).locator("path.leaflet-interactive").first.wait_for(timeout=90_000)
    page.wait_for_function(NOT_PENDING, timeout=120_000)
    frame = map_frame(page, timeout_ms=90_000)
    frame.locator("path.leaflet-interactive").first.wait_for(timeout=90_000)
    page.wait_for_timeout(1500)
    return frame


def test_density_page_draws_offline(server, page, artifacts_dir):
    page.goto(server + "/density?lang=en", wait_until="domcontentloaded")
    frame = _drawn(page)
    assert frame.locator("path.leaflet-interactive").count() > 20  # zones + hexagons
    box = frame.locator(".atlas-legend")
    if not box.evaluate("e => e.open"):  # folded on narrow maps: one click opens it
        box.locator("summary").click()
    legend = box.inner_text()
    assert "Hot spot" in legend and "km²" in legend
    assert "Kernel density" not in legend  # hidden by default: neither computed nor sent until switched on
    page.get_by_text("The three bays compared").wait_for(timeout=90_000)
    page.screenshot(path=str(artifacts_dir / "density_page.png"), full_page=True)
    assert not [u for u in page.blocked if "leaflet" in u.lower()]


def test_uploaded_csv_runs_and_reports_bad_rows(server, page, artifacts_dir, tmp_path):
    rows = ["名称,经度,纬度"] + [f"点{i},{120.30 + i * 0.01:.4f},{36.08 + i * 0.005:.4f}" for i in range(30)]
    rows.append("坏行,abc,36.1")
    csv = tmp_path / "my_points.csv"
    csv.write_bytes(("\n".join(rows) + "\n").encode("gbk"))
    page.goto(server + "/density?lang=en", wait_until="domcontentloaded")
    _drawn(page)
    page.get_by_text("Upload", exact=True).click()
    page.get_by_text("Upload a CSV or GeoJSON").wait_for(timeout=90_000)
    page.locator("input[type=file]").set_input_files(str(csv))
    page.get_by_text("rows with problems").wait_for(timeout=60_000)
    _drawn(page)
    page.get_by_text("The three bays compared").wait_for(timeout=60_000)
    assert page.get_by_text("1 rows with problems").count() == 1  # the one bad row, reported (the table lists it)
    page.screenshot(path=str(artifacts_dir / "density_upload.png"), full_page=True)


def test_a_big_upload_shows_its_points_first_then_the_hot_spots(server, page, tmp_path):
    """Issue 23: 30,000 points (hexagons + Gi* take seconds) — the map with every point and the zone counts
    is on the page, saying the hot spots are on their way, before those arrive in the same place."""
    import numpy as np

    rng = np.random.default_rng(23)
    lon, lat = rng.uniform(120.2, 120.6, 30_000), rng.uniform(36.05, 36.35, 30_000)
    csv = tmp_path / "many.csv"
    csv.write_text("lon,lat\n" + "".join(f"{x:.5f},{y:.5f}\n" for x, y in zip(lon, lat, strict=True)))
    page.add_init_script("""setInterval(() => {
        const text = document.body ? document.body.innerText : "";
        if (text.includes("%s") && text.includes("All 30,000 points")) window.__firstStep = true;
    }, 50);""" % PENDING[1])
    page.goto(server + "/density?lang=en", wait_until="domcontentloaded")
    _drawn(page)
    page.get_by_text("Upload", exact=True).click()
    page.get_by_text("Upload a CSV or GeoJSON").wait_for(timeout=90_000)
    page.locator("input[type=file]").set_input_files(str(csv))
    page.wait_for_function("() => window.__firstStep === true", timeout=120_000)
    frame = _drawn(page)
    assert page.get_by_text("All 30,000 points").count() == 1  # the map's caption, once
    box = frame.locator(".atlas-legend")
    if not box.evaluate("e => e.open"):
        box.locator("summary").click()
    assert "Hot spot" in box.inner_text()
