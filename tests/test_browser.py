"""Real headless Chromium, every non-loopback request blocked: the map still draws."""

import pytest

from tests.browser import CHROMIUM_ARGS, block_external, map_frame, streamlit_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server():
    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="module")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    blocked: list[str] = []
    block_external(context, blocked)
    pg = context.new_page()
    pg.blocked = blocked
    yield pg
    context.close()


def test_map_draws_offline_with_districts(server, page, artifacts_dir):
    page.goto(server, wait_until="domcontentloaded")
    frame = map_frame(page)
    paths = frame.locator("path.leaflet-interactive")
    paths.first.wait_for(timeout=30_000)
    assert paths.count() >= 10  # the ten districts (multipolygons may add more paths)
    page.screenshot(path=str(artifacts_dir / "01_offline_districts.png"), full_page=True)
    assert not [u for u in page.blocked if "leaflet" in u.lower()], page.blocked
