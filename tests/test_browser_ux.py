"""A planner's afternoon in a real browser (issue 23): popups that stay open across the rerun a click
causes, a layout that fits 1280×720 and fills 1920×1080, tab titles in the reader's language.

Offline (every non-loopback request blocked); screenshots in tests/artifacts/.
"""

from __future__ import annotations

import re

import pytest

from tests.browser import block_external, map_frame

pytestmark = pytest.mark.browser

SIZES = {"small": (1280, 720), "large": (1920, 1080)}


@pytest.fixture
def sized(browser, request):
    """A fresh offline page of the requested size (``request.param`` = key of :data:`SIZES`)."""
    width, height = SIZES[request.param]
    context = browser.new_context(viewport={"width": width, "height": height})
    block_external(context, [])
    page = context.new_page()
    page.size = (width, height)
    yield page
    context.close()


def _centre_click(page):
    box = page.locator("iframe[title*='streamlit_folium']").first.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


@pytest.mark.parametrize(("sized", "lang"), [("small", "zh"), ("large", "en")], indirect=["sized"])
def test_a_click_selects_and_its_popup_stays_open(server, sized, lang, artifacts_dir):
    """崂山实验室 shares its point with others: the click selects it (a rerun), the popup stays and lists
    the others at the point."""
    page = sized
    query = "?layers=resources&lat=36.33872&lon=120.66184&zoom=16" + ("&lang=en" if lang == "en" else "")
    page.goto(server + "/" + query, wait_until="domcontentloaded")
    frame = map_frame(page)
    frame.locator('path.leaflet-interactive[d*="a"]').first.wait_for(timeout=90_000)  # circle markers: arcs
    page.wait_for_timeout(2000)  # markers fan out around the shared point
    _centre_click(page)
    page.wait_for_function("() => location.search.includes('selected=res_laoshan_lab')", timeout=90_000)
    details = page.get_by_text(re.compile(r"此处共有 [3-9] 个要素|[3-9] features at this point"))
    details.wait_for(timeout=90_000)  # the rerun has happened: the side panel shows the selection
    page.wait_for_timeout(2500)  # well past the ~0.7 s at which the popup used to close
    popup = frame.locator(".leaflet-popup-content")
    assert popup.count() == 1 and popup.is_visible()
    also = frame.locator(".leaflet-popup-content .atlas-also")
    head = "此处还有" if lang == "zh" else "more at this point"
    assert head in also.inner_text()
    assert also.bounding_box()["height"] > 10  # laid out, not clipped away
    page.screenshot(path=str(artifacts_dir / f"23_popup_stays_{lang}.png"))
    frame.locator(".leaflet-popup-close-button").click()  # closed by the reader: it stays closed
    page.wait_for_timeout(1500)
    assert frame.locator(".leaflet-popup-content").count() == 0


@pytest.mark.parametrize(("sized", "lang", "title"), [("small", "zh", "地图 · 青岛湾区科创走廊图集"),
                                                      ("small", "en", "Map · Qingdao Innovation Corridor Atlas")],
                         indirect=["sized"])
def test_each_page_has_its_own_tab_title_in_the_readers_language(server, sized, lang, title):
    page = sized
    page.goto(server + "/" + ("?lang=en" if lang == "en" else ""), wait_until="domcontentloaded")
    map_frame(page)
    page.wait_for_function(f"() => document.title === {title!r}", timeout=90_000)
    page.locator("[data-testid='stSidebarNav'] a").nth(3).click()  # the Export page
    export = ("导出与简报 · 青岛湾区科创走廊图集" if lang == "zh"
              else "Export & briefing · Qingdao Innovation Corridor Atlas")
    page.wait_for_function(f"() => document.title === {export!r}", timeout=60_000)


LAYOUT_JS = """() => {
    const map = window.map, box = e => e ? e.getBoundingClientRect() : null;
    const corner = map.getContainer().getBoundingClientRect();
    const rect = r => ({left: r.left - corner.left, top: r.top - corner.top, right: r.right - corner.left,
                        bottom: r.bottom - corner.top});
    const bays = [];
    map.eachLayer(l => {
        const p = l.feature && l.feature.properties;
        if (p && p.category === "bay_cluster" && l.getBounds) {
            const b = l.getBounds(), a = map.latLngToContainerPoint(b.getNorthWest()),
                  c = map.latLngToContainerPoint(b.getSouthEast());
            bays.push({id: p.id, left: a.x, top: a.y, right: c.x, bottom: c.y,
                       whole: map.getBounds().contains(b)});
        }
    });
    const labels = [...document.querySelectorAll(".atlas-label")].map(l => ({text: l.textContent, ...rect(box(l))}));
    return {bays, labels, size: [map.getSize().x, map.getSize().y],
            legend: rect(box(document.querySelector(".atlas-legend"))),
            layers: rect(box(document.querySelector(".leaflet-control-layers"))),
            scale: rect(box(document.querySelector(".leaflet-control-scale")))};
}"""


def _overlap(a, b) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


@pytest.mark.parametrize(("sized", "lang"), [("small", "en"), ("small", "zh"), ("large", "zh"), ("large", "en")],
                         indirect=["sized"])
def test_the_map_fits_the_screen_and_the_default_view_shows_the_three_bays(server, sized, lang, artifacts_dir):
    page = sized
    width, height = page.size
    page.goto(server + "/" + ("?lang=en" if lang == "en" else ""), wait_until="domcontentloaded")
    frame = map_frame(page)
    frame.locator(".atlas-label").first.wait_for(timeout=90_000)
    page.wait_for_timeout(2500)  # the default view is fitted once the legend has folded
    iframe = page.locator("iframe[title*='streamlit_folium']").first.bounding_box()
    counts = page.locator(".atlas-count")
    tops = {round(counts.nth(i).bounding_box()["y"]) for i in range(counts.count())}
    assert len(tops) == 1, f"counters wrap onto {len(tops)} rows"
    inner = frame.locator("body").evaluate(LAYOUT_JS)
    page.screenshot(path=str(artifacts_dir / f"23_layout_{width}_{lang}.png"))
    assert iframe["y"] + iframe["height"] <= height, "the map's bottom edge is below the screen"
    assert iframe["y"] + inner["scale"]["bottom"] <= height, "the scale bar is cut off"
    assert inner["size"][1] >= height - 200, f"the map does not take the height there is: {inner['size']}"
    assert len(inner["bays"]) == 3 and all(b["whole"] for b in inner["bays"]), inner["bays"]
    for bay in inner["bays"]:
        assert not _overlap(bay, inner["legend"]), f"the legend covers {bay['id']}"
    aoshan = [lab for lab in inner["labels"] if "鳌山湾" in lab["text"] or "Aoshan Bay" in lab["text"]]
    assert aoshan and not _overlap(aoshan[0], inner["layers"]), "the 鳌山湾 label is under the layer control"


@pytest.mark.parametrize(("sized", "lang"), [("small", "zh"), ("large", "en")], indirect=["sized"])
def test_search_finds_the_place_and_says_when_it_turns_a_layer_on(server, sized, lang, artifacts_dir):
    page = sized
    page.goto(server + "/" + ("?lang=en" if lang == "en" else ""), wait_until="domcontentloaded")
    map_frame(page)
    box = page.get_by_placeholder("例如" if lang == "zh" else "e.g.", exact=False)
    box.fill("Jiaodong airport" if lang == "en" else "胶东机场")
    box.press("Enter")
    radio = page.locator("[data-testid='stRadio']", has_text="匹配结果" if lang == "zh" else "Matches")
    radio.wait_for(timeout=90_000)
    first = radio.locator("label").nth(1).inner_text()
    assert first.startswith("青岛胶东国际机场" if lang == "zh" else "Qingdao Jiaodong International Airport"), first
    box.fill("海洋大学站" if lang == "zh" else "Ocean University station")  # the metro layer is off by default
    box.press("Enter")
    notice = page.get_by_text("已打开图层“地铁站”" if lang == "zh" else "Turned the layer “Metro stations” on")
    notice.wait_for(timeout=90_000)
    assert "metro_stations" in page.evaluate("() => decodeURIComponent(location.search)")
    page.screenshot(path=str(artifacts_dir / f"23_search_layer_on_{lang}.png"))


CSV = "name,lon,lat\n" + "".join(f"p{i},{120.30 + i * 0.01:.2f},{36.10 + (i % 5) * 0.01:.2f}\n" for i in range(12))


def _density(page, server):
    page.goto(server + "/density", wait_until="domcontentloaded")
    page.locator("[data-testid='stDownloadButton']").first.wait_for(timeout=180_000)


@pytest.mark.parametrize("sized", ["large"], indirect=True)
def test_downloads_clicked_fast_all_arrive_and_an_upload_stays_across_pages(server, sized, tmp_path):
    page = sized
    _density(page, server)
    buttons = page.locator("[data-testid='stDownloadButton'] button")
    files = []
    page.on("download", lambda d: files.append(d))
    buttons.nth(0).click()
    buttons.nth(3).click()  # right after the first: no rerun in between drops its file
    for _ in range(60):  # a loaded machine: up to 30 s for both
        if len(files) == 2:
            break
        page.wait_for_timeout(500)
    assert len(files) == 2, [d.suggested_filename for d in files]
    for download in files:
        assert download.failure() is None and (tmp_path / download.suggested_filename).parent.exists()
        download.save_as(tmp_path / download.suggested_filename)
        assert (tmp_path / download.suggested_filename).stat().st_size > 100
    # an upload, then another page and back: still in use
    page.locator("[data-testid='stSidebar'] label", has_text="上传").click()
    path = tmp_path / "points.csv"
    path.write_text(CSV, encoding="utf-8")
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(path))
    page.get_by_text("points.csv").first.wait_for(timeout=120_000)
    # the file shows in the uploader while it is still on its way: wait until the page has used it (its 12
    # points on the map), as a reader would, before leaving — else the test leaves before the upload arrived
    page.get_by_text(re.compile("全部 12 个点")).first.wait_for(timeout=120_000)
    page.locator("[data-testid='stSidebarNav'] a").nth(0).click()  # the map
    map_frame(page)
    page.locator("[data-testid='stSidebarNav'] a").nth(1).click()  # back to density
    page.get_by_text("使用本会话已上传的文件：points.csv").wait_for(timeout=120_000)
    assert page.locator("[data-testid='stSidebar'] input[type='radio']").nth(3).is_checked()  # 上传, not 图集


SHEETS_JS = """() => {
    const main = document.querySelector("[data-testid='stMainBlockContainer']") ||
                 document.querySelector("[data-testid='stMain']");
    const limit = main.getBoundingClientRect().right;
    return [...document.querySelectorAll("[data-testid='stDataFrame']")].map(sheet => {
        const r = sheet.getBoundingClientRect(), s = sheet.querySelector(".dvn-scroller");
        return {right: r.right, limit, width: r.width,
                scroll: s ? s.scrollWidth : 0, client: s ? s.clientWidth : 0};
    });
}"""


@pytest.mark.parametrize(("sized", "lang"), [("small", "zh"), ("small", "en")], indirect=["sized"])
def test_the_density_sheets_fit_1280_px_without_a_sideways_scroll(server, sized, lang, artifacts_dir):
    """Issue 23, bullet 5: the bay comparison and the zone table are read whole at 1280×720 — each sheet
    inside the page's column and no column hidden behind a horizontal scroll bar."""
    page = sized
    page.goto(server + "/density" + ("?lang=en" if lang == "en" else ""), wait_until="domcontentloaded")
    heading = page.get_by_role("heading", name="三湾对比" if lang == "zh" else "The three bays compared", exact=True)
    heading.wait_for(timeout=180_000)
    sheets = page.locator("[data-testid='stDataFrame']")
    sheets.nth(1).wait_for(timeout=90_000)  # the bays and the zones
    page.wait_for_timeout(1500)
    found = page.evaluate(SHEETS_JS)
    heading.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts_dir / f"23_density_sheets_{lang}.png"))
    assert len(found) >= 2, found
    for sheet in found:
        assert sheet["right"] <= sheet["limit"] + 1, f"a sheet ends past the page's column: {sheet}"
        assert sheet["scroll"] <= sheet["client"] + 1, f"a sheet scrolls sideways: {sheet}"
        assert sheet["width"] > 300, sheet  # drawn, not collapsed
