"""Serve every JS/CSS file the map needs from the app itself (offline maps).

folium and its plugins point at public CDNs. Offline, on a government intranet
or behind networks where those CDNs are unreliable, the page loads but the map
never appears. The files come from the npm registry at install time
(``static/package.json``, ``npm ci --prefix static``) and Streamlit serves them
from ``static/`` at ``/app/static/`` (``server.enableStaticServing``).

:func:`localize` rewrites a folium map's asset lists to those local URLs and
drops the ones the atlas never uses (Bootstrap, awesome-markers, font icons:
we draw circle markers and our own legend). An asset with no local copy
raises, so a new plugin cannot silently bring a CDN back.
"""

from __future__ import annotations

from pathlib import Path

import folium

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
#: URL prefix under which Streamlit serves ``static/``.
STATIC_URL = "/app/static/node_modules"

#: Substring of a CDN URL -> file below ``static/node_modules``.
LOCAL_ASSETS: dict[str, str] = {
    "leaflet@1.9.3/dist/leaflet.js": "leaflet/dist/leaflet.js",
    "leaflet@1.9.3/dist/leaflet.css": "leaflet/dist/leaflet.css",
    "leaflet.fullscreen@3.0.0/Control.FullScreen.min.js": "leaflet.fullscreen/Control.FullScreen.js",
    "leaflet.fullscreen@3.0.0/Control.FullScreen.css": "leaflet.fullscreen/Control.FullScreen.css",
    "leaflet-measure@2.1.7/dist/leaflet-measure.min.js": "leaflet-measure/dist/leaflet-measure.js",
    "leaflet-measure@2.1.7/dist/leaflet-measure.min.css": "leaflet-measure/dist/leaflet-measure.css",
    "leaflet-minimap/3.6.1/Control.MiniMap.js": "leaflet-minimap/dist/Control.MiniMap.min.js",
    "leaflet-minimap/3.6.1/Control.MiniMap.css": "leaflet-minimap/dist/Control.MiniMap.min.css",
    "leaflet_heat.min.js": "leaflet.heat/dist/leaflet-heat.js",
    "jquery-3.7.1.min.js": "jquery/dist/jquery.min.js",  # folium.Popup builds its HTML with $()
}
#: Assets folium adds by default that no atlas element uses.
UNUSED_ASSETS: tuple[str, ...] = (
    "bootstrap",
    "awesome-markers",
    "fontawesome",
    "leaflet.awesome.rotate",
)


class MissingAssetError(RuntimeError):
    """A map element needs a file that is not installed locally."""


def local_url(cdn_url: str, *, prefix: str = STATIC_URL) -> str | None:
    """The local URL for ``cdn_url``; ``None`` if the atlas does not need it."""
    if cdn_url.startswith(prefix + "/"):
        return cdn_url  # already local (localize() is idempotent)
    if any(token in cdn_url for token in UNUSED_ASSETS):
        return None
    for needle, rel in LOCAL_ASSETS.items():
        if needle in cdn_url:
            return f"{prefix}/{rel}"
    msg = (
        f"No local copy of {cdn_url}. Add the npm package to static/package.json and map it "
        "in atlas.webassets.LOCAL_ASSETS, then run `make setup`."
    )
    raise MissingAssetError(msg)


def missing_files(static_dir: Path = STATIC_DIR) -> list[str]:
    """Local asset files that are not installed (run ``make setup``)."""
    root = static_dir / "node_modules"
    return [rel for rel in LOCAL_ASSETS.values() if not (root / rel).is_file()]


def _walk(element):
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def localize(m: folium.Map, *, prefix: str = STATIC_URL) -> folium.Map:
    """Point every JS/CSS asset of ``m`` (and its children) at the local copies."""
    for element in _walk(m):
        for attr in ("default_js", "default_css"):
            assets = getattr(element, attr, None)
            if not assets:
                continue
            localized = []
            for name, url in assets:
                new = local_url(url, prefix=prefix)
                if new is not None:
                    localized.append((name, new))
            setattr(element, attr, localized)  # instance attribute: class lists untouched
    return m
