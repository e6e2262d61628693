"""Optional: a PNG screenshot of the live interactive map, via headless Chromium.

The static matplotlib sheet (:mod:`atlas.briefing`) is the default and always
works; this is for when someone wants exactly the web map's look. It needs
Debian's ``chromium`` (``make browser``) and the ``playwright`` package; without
them :class:`ScreenshotUnavailable` says so. The page is a standalone HTML file
whose Leaflet assets point at ``static/vendor`` on disk, every request
leaving the machine is refused, and the basemap is "none": fully offline.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from layers.webassets import STATIC_URL, VENDOR_DIR, localize

CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync")


class ScreenshotUnavailable(RuntimeError):
    """Chromium or playwright is missing; the static briefing renderer still works."""


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        msg = "playwright is not installed (pip install playwright); use the static briefing instead"
        raise ScreenshotUnavailable(msg) from None
    return sync_playwright


def standalone_html(folium_map) -> str:
    """The map as one HTML page whose assets are local files (no server needed)."""
    html = localize(folium_map).get_root().render()
    return html.replace(f'"{STATIC_URL}/', f'"{VENDOR_DIR.resolve().as_uri()}/')


def screenshot_map(folium_map, *, width: int = 1600, height: int = 1000, timeout_ms: int = 30_000) -> bytes:
    """A PNG of ``folium_map`` as Chromium draws it (``width`` × ``height`` CSS pixels)."""
    browser_path = chromium_path()
    if not browser_path:
        msg = "Chromium is not installed (`make browser`); use the static briefing instead"
        raise ScreenshotUnavailable(msg)
    sync_playwright = _playwright()
    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "map.html"
        page_path.write_text(standalone_html(folium_map), encoding="utf-8")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=browser_path, headless=True, args=list(CHROMIUM_ARGS))
            try:
                context = browser.new_context(viewport={"width": width, "height": height})
                context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
                    ("file:", "data:", "blob:", "about:")) else route.abort())
                page = context.new_page()
                page.goto(page_path.as_uri())
                page.locator(".leaflet-container").wait_for(timeout=timeout_ms)
                page.wait_for_timeout(500)  # let Leaflet finish drawing vectors
                return page.screenshot(full_page=False, type="png")
            finally:
                browser.close()


def view_map(frames: dict, state):
    """The app's map for ``state`` (districts base + visible filtered overlays + legend), offline basemap."""
    from atlas import mapmodel
    from core.i18n import label
    from layers import districts
    from layers.atlas_map import MapLayer, MapView, build_map

    view = MapView(center=(state.lat, state.lon), zoom=state.zoom, basemap="none", lang=state.lang,
                   legend=mapmodel.legend_items(frames, state))
    base = MapLayer("districts", label("districts", state.lang), districts.display_frame(), districts.STYLE)
    return build_map([base, *(layer for layer in mapmodel.overlays(frames, state) if layer.show)], view)
