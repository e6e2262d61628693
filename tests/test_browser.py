"""Real headless Chromium, every non-loopback request blocked: the atlas works offline.

Screenshots of each step go to tests/artifacts/ (look at them).
"""

import re

import pytest

from tests.browser import block_external, map_frame, streamlit_server

pytestmark = pytest.mark.browser


def _open(page, url):
    page.goto(url, wait_until="domcontentloaded")
    frame = map_frame(page)
    frame.locator("path.leaflet-interactive").first.wait_for(timeout=90_000)
    page.wait_for_timeout(800)
    return frame


def _watched_page(browser):
    """A fresh offline context and page whose JS dialogs (alert/confirm) are recorded and dismissed."""
    context = browser.new_context(viewport={"width": 1000, "height": 700})
    block_external(context, [])
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    return context, page, dialogs


def _markers(frame) -> int:
    return frame.locator("path.leaflet-interactive").count()


def test_map_draws_offline_with_all_default_layers(server, page, artifacts_dir):
    frame = _open(page, server)
    assert _markers(frame) > 100  # districts, parks, lines, stations, resources
    legend = frame.locator(".atlas-legend")
    assert legend.is_visible()
    if not legend.evaluate("e => e.open"):  # folded on narrow maps: one click opens it
        legend.locator("summary").click()
    assert "图例" in legend.inner_text() and "国家实验室" in legend.inner_text()
    frame.locator(".leaflet-control-measure").wait_for(timeout=10_000)  # the tools arrive after the map
    frame.locator("[class*='fullscreen']").first.wait_for(timeout=10_000)
    page.screenshot(path=str(artifacts_dir / "02_default_view.png"))
    assert not [u for u in page.blocked if "leaflet" in u.lower()]


def test_layer_toggles_off_and_on(server, page, artifacts_dir):
    frame = _open(page, server)
    before = _markers(frame)
    frame.locator(".leaflet-control-layers").hover()  # collapsed: the sidebar has the same choice
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
    frame = map_frame(page)
    scale = frame.locator(".leaflet-control-scale-line").first
    scale.filter(has_text=re.compile(r"^\s*\d+ m\s*$")).wait_for(timeout=90_000)  # the rerun zooms in
    zoom_in = scale.inner_text()
    page.screenshot(path=str(artifacts_dir / "05_search_located.png"))
    assert zoom_in.strip().endswith("m") and "km" not in zoom_in  # zoomed to street scale


def test_hostile_name_does_not_execute(browser, artifacts_dir, chromium_path):
    with streamlit_server("tests/apps/hostile_map.py") as url:
        context, page, dialogs = _watched_page(browser)
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
    assert page.locator(".atlas-count").count() == 2  # counters for the two layers
    page.get_by_text("中文", exact=True).click()
    page.wait_for_function("() => !location.search.includes('lang=')", timeout=20_000)
    page.wait_for_timeout(1500)
    assert "layers=resources,parks" in page.evaluate("() => decodeURIComponent(location.search)")


def _centre_click(page, frame):
    box = page.locator("iframe[title*='streamlit_folium']").first.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def test_colocated_features_all_reachable_lab_on_top(server, page, artifacts_dir):
    # 崂山实验室 shares its published point with the supercomputing centre and a campus
    page.goto(server + "/?layers=resources&lat=36.33872&lon=120.66184&zoom=16", wait_until="domcontentloaded")
    frame = map_frame(page)
    page.wait_for_timeout(4000)  # markers fan out around the shared point
    _centre_click(page, frame)
    page.wait_for_function("() => location.search.includes('selected=res_laoshan_lab')", timeout=90_000)
    page.get_by_text(re.compile(r"此处共有 [3-9] 个要素")).wait_for(timeout=90_000)  # the others, one choice away
    details = page.locator("[data-testid='stTable']").first.inner_text()
    assert "国家实验室" in details
    fanned = frame.locator("path.leaflet-interactive").count()
    page.screenshot(path=str(artifacts_dir / "10_colocated.png"))
    assert fanned >= 3


def test_search_ranks_the_university_first_and_turns_its_layer_on(server, page, artifacts_dir):
    _open(page, server + "/?lang=en")
    box = page.get_by_placeholder("e.g.", exact=False)
    box.fill("ocean university")
    box.press("Enter")
    radio = page.locator("[data-testid='stRadio']", has_text="Matches")
    radio.wait_for(timeout=90_000)
    first = radio.locator("label").nth(1).inner_text()  # nth(0) is the widget's own label
    assert first.startswith("Ocean University of China") and "University (main campus)" in first, first
    assert radio.locator("input").first.is_checked()  # the radio shows the hit the map selected
    box.fill("海洋大学站")
    box.press("Enter")
    page.wait_for_function("() => decodeURIComponent(location.search).includes('metro_stations')", timeout=90_000)
    page.screenshot(path=str(artifacts_dir / "11_search_station_layer_on.png"))
    assert "selected=" in page.url


def test_sync_while_panning_updates_the_url(server, page, artifacts_dir):
    frame = _open(page, server)
    page.get_by_text("平移缩放时同步链接", exact=False).click()
    page.wait_for_function("() => location.search.includes('lon=')", timeout=90_000)  # the map reports its view
    map_frame(page)
    page.wait_for_timeout(3000)
    box = page.locator("iframe[title*='streamlit_folium']").first.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 200, y - 120, steps=8)
    page.mouse.up()
    # dragged left and up: the centre in the link moves east and south of the default (120.30, 36.22)
    page.wait_for_function("() => +new URLSearchParams(location.search).get('lon') > 120.4", timeout=90_000)
    assert float(page.evaluate("() => new URLSearchParams(location.search).get('lat')")) < 36.2


def test_cluster_filter_applies_to_the_cluster_layer(server, page, artifacts_dir):
    _open(page, server + "/?clusters=jiaozhou")
    counter = page.locator(".atlas-count[data-layer='clusters']")
    assert "三湾科创集聚区" in counter.inner_text()
    assert counter.locator("b").inner_text().strip() == "2"  # the bay + the corridor
    page.screenshot(path=str(artifacts_dir / "12_cluster_filter.png"))


def test_served_layer_data_escapes_filters_and_lists_colocated(browser, artifacts_dir):
    """The main page's remote layers (layers.remote): hostile names stay text in the popup and in
    the browser-built 'more at this point' list; the ids filter leaves the third feature out."""
    with streamlit_server("tests/apps/hostile_remote_map.py") as url:
        context, page, dialogs = _watched_page(browser)
        fetched = []
        page.on("response", lambda r: fetched.append((r.url, r.status)) if "/app/static/data/" in r.url else None)
        frame = _open(page, url)
        page.wait_for_timeout(1000)
        assert _markers(frame) == 2  # 'hidden' is in the file but not in the ids
        assert [s for _, s in fetched] == [200] and "/app/static/data/evil_en_wgs84-" in fetched[0][0]
        frame.locator("path.leaflet-interactive").last.click(force=True)  # the heavier one, drawn on top
        popup = frame.locator(".leaflet-popup-content")
        popup.wait_for(timeout=10_000)
        page.wait_for_timeout(400)  # the popup fades in
        text = popup.inner_text()
        assert "<img src=x" in text and "1 more at this point:" in text and 'Second <b onmouseover' in text
        page.screenshot(path=str(artifacts_dir / "06b_hostile_remote_popup.png"))
        assert frame.locator("body").evaluate("() => window.__xss === undefined")
        assert not dialogs
        context.close()


def test_a_layer_file_that_cannot_load_is_reported_on_the_map(browser, artifacts_dir):
    with streamlit_server("tests/apps/hostile_remote_map.py") as url:
        context, page, _ = _watched_page(browser)
        page.goto(url + "/?broken=1", wait_until="domcontentloaded")
        notice = map_frame(page).locator(".atlas-data-notice")
        notice.wait_for(timeout=90_000)
        assert "Layer data could not be loaded: reload the page" in notice.inner_text() and "404" in notice.inner_text()
        page.screenshot(path=str(artifacts_dir / "06c_data_notice.png"))
        context.close()
