"""Real headless Chromium, every non-loopback request blocked: the atlas works offline.

Screenshots of each step go to tests/artifacts/ (look at them).
"""

import pytest

from tests.browser import block_external, map_frame, streamlit_server

pytestmark = pytest.mark.browser


def _open(page, url):
    page.goto(url, wait_until="domcontentloaded")
    frame = map_frame(page)
    frame.locator("path.leaflet-interactive").first.wait_for(timeout=30_000)
    page.wait_for_timeout(800)
    return frame


def _markers(frame) -> int:
    return frame.locator("path.leaflet-interactive").count()


def test_map_draws_offline_with_all_default_layers(server, page, artifacts_dir):
    frame = _open(page, server)
    assert _markers(frame) > 100  # districts, parks, lines, stations, resources
    legend = frame.locator(".atlas-legend")
    assert legend.is_visible()
    assert "图例" in legend.inner_text() and "国家实验室" in legend.inner_text()
    page.screenshot(path=str(artifacts_dir / "02_default_view.png"))
    assert not [u for u in page.blocked if "leaflet" in u.lower()]


def test_layer_toggles_off_and_on(server, page, artifacts_dir):
    frame = _open(page, server)
    before = _markers(frame)
    box = frame.locator(".leaflet-control-layers-overlays label", has_text="创新资源").locator("input")
    box.uncheck()
    page.wait_for_timeout(300)
    off = _markers(frame)
    page.screenshot(path=str(artifacts_dir / "03_resources_off.png"))
    box.check()
    page.wait_for_timeout(300)
    assert off < before == _markers(frame)


def test_filter_reduces_features_drawn(server, page, artifacts_dir):
    frame = _open(page, server)
    everything = _markers(frame)
    frame = _open(page, server + "/?districts=laoshan&layers=resources")
    page.screenshot(path=str(artifacts_dir / "04_filter_laoshan.png"))
    assert 10 < _markers(frame) < everything  # ten district outlines + Laoshan's resources


def test_search_zooms_to_feature(server, page, artifacts_dir):
    _open(page, server)
    box = page.get_by_placeholder("例如", exact=False)
    box.fill("中国海洋大学鱼山")
    box.press("Enter")
    page.get_by_text("中国海洋大学鱼山校区").first.wait_for(timeout=20_000)
    page.wait_for_timeout(1500)
    frame = map_frame(page)
    zoom_in = frame.locator(".leaflet-control-scale-line").first.inner_text()
    page.screenshot(path=str(artifacts_dir / "05_search_located.png"))
    assert zoom_in.strip().endswith("m") and "km" not in zoom_in  # zoomed to street scale


def test_hostile_name_does_not_execute(browser, artifacts_dir, chromium_path):
    with streamlit_server("tests/apps/hostile_map.py") as url:
        context = browser.new_context(viewport={"width": 1000, "height": 700})
        block_external(context, [])
        page = context.new_page()
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        frame = _open(page, url)
        frame.locator("path.leaflet-interactive").first.click()
        popup = frame.locator(".leaflet-popup-content")
        popup.wait_for(timeout=10_000)
        assert "<img src=x" in popup.inner_text()  # shown as text
        page.wait_for_timeout(500)
        page.screenshot(path=str(artifacts_dir / "06_hostile_popup.png"))
        assert frame.locator("body").evaluate("() => window.__xss === undefined")
        assert not dialogs
        context.close()


def test_click_shows_details_beside_the_map(server, page, artifacts_dir):
    frame = _open(page, server + "/?layers=resources&districts=shinan")
    marker = frame.locator('path.leaflet-interactive[d*="a"]').first  # circle markers are arcs
    marker.click(force=True)
    page.wait_for_timeout(1500)
    details = page.locator("[data-testid='stTable']")
    details.first.wait_for(timeout=20_000)
    page.screenshot(path=str(artifacts_dir / "07_click_details.png"))
    assert "规划原文" in details.first.inner_text()


def test_one_language_switch_titled_pages_and_lang_in_url(server, page, artifacts_dir):
    _open(page, server)
    nav = page.locator("[data-testid='stSidebarNav']")
    assert "地图" in nav.inner_text() and "app" not in nav.inner_text().lower().split()
    page.get_by_text("English", exact=True).click()
    page.wait_for_function("() => location.search.includes('lang=en')", timeout=20_000)
    page.locator("[data-testid='stSidebarNav'] a", has_text="Connectivity").click()
    page.get_by_role("heading", name="Corridor connectivity").wait_for(timeout=60_000)
    assert "lang=en" in page.url and "/connectivity" in page.url
    page.screenshot(path=str(artifacts_dir / "08_connectivity_english.png"))
    page.locator("[data-testid='stSidebarNav'] a", has_text="Map").click()
    page.get_by_role("heading", name="Qingdao Bay-Area Innovation Corridor Atlas").wait_for(timeout=60_000)
    assert "lang=en" in page.url


def test_language_switch_keeps_layers_and_filters(server, page, artifacts_dir):
    _open(page, server + "/?layers=resources,parks&districts=laoshan")
    page.get_by_text("English", exact=True).click()
    page.wait_for_function("() => location.search.includes('lang=en')", timeout=20_000)
    page.get_by_text("Laoshan", exact=True).first.wait_for(timeout=20_000)  # the chip, relabelled
    page.wait_for_timeout(1500)
    query = page.evaluate("() => decodeURIComponent(location.search)")
    page.screenshot(path=str(artifacts_dir / "09_english_keeps_selection.png"))
    assert "layers=resources,parks" in query and "districts=laoshan" in query, query
    assert page.locator("[data-testid='stMetric']").count() == 2  # counters for the two layers
    page.get_by_text("中文", exact=True).click()
    page.wait_for_function("() => !location.search.includes('lang=')", timeout=20_000)
    page.wait_for_timeout(1500)
    assert "layers=resources,parks" in page.evaluate("() => decodeURIComponent(location.search)")
