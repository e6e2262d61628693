"""The density page in a real headless Chromium, offline: the map, legend and table draw."""

import pytest

from tests.browser import CHROMIUM_ARGS, block_external, map_frame, streamlit_server

pytestmark = pytest.mark.browser


def test_density_page_draws_offline(chromium_path, artifacts_dir):
    from playwright.sync_api import sync_playwright

    with streamlit_server() as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1500, "height": 1100}, locale="zh-CN")
        blocked: list[str] = []
        block_external(context, blocked)
        page = context.new_page()
        page.goto(url + "/密度_Density", wait_until="domcontentloaded")
        frame = map_frame(page, timeout_ms=90_000)
        frame.locator("path.leaflet-interactive").first.wait_for(timeout=90_000)
        page.wait_for_timeout(1500)
        assert frame.locator("path.leaflet-interactive").count() > 20  # zones + hexagons
        legend = frame.locator(".atlas-legend").inner_text()
        assert "hot" in legend and "km²" in legend
        page.get_by_text("三湾对比 · The three bays compared").wait_for(timeout=30_000)
        page.screenshot(path=str(artifacts_dir / "density_page.png"), full_page=True)
        assert not [u for u in blocked if "leaflet" in u.lower()]
        browser.close()
