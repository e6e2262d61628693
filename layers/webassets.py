"""Serve exactly the JS/CSS/image files the map needs from the app itself (offline maps).

folium and its plugins point at public CDNs. Offline, on a government intranet
or behind networks where those CDNs are unreliable, the page loads but the map
never appears. The npm packages are installed at setup time into ``web/``
(``web/package.json``, ``npm ci --prefix web``) and :func:`assemble` (``make
setup`` runs ``python -m layers.webassets``) copies only the files listed here —
:data:`LOCAL_ASSETS` and the images their CSS refers to (:data:`IMAGES`) — into
``static/vendor/``, which Streamlit serves at ``/app/static/vendor/``
(``server.enableStaticServing``). Nothing else of ``node_modules`` (lock files,
``.bin`` scripts, demo pages that would run on the app's origin) is reachable.

:func:`localize` rewrites a folium map's asset lists to those local URLs and
drops the ones the atlas never uses (Bootstrap, awesome-markers, font icons:
we draw circle markers and our own legend). An asset with no local copy
raises, so a new plugin cannot silently bring a CDN back.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import folium

ROOT = Path(__file__).resolve().parent.parent
STATIC_DIR = ROOT / "static"
#: where npm installs the packages (never served)
NODE_MODULES = ROOT / "web" / "node_modules"
#: the served copy: only the files below, same relative paths
VENDOR_DIR = STATIC_DIR / "vendor"
#: URL prefix under which Streamlit serves ``static/vendor``.
STATIC_URL = "/app/static/vendor"

#: Substring of a CDN URL -> file below ``node_modules`` (and ``static/vendor``).
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
#: Images the CSS files above refer to with ``url(...)`` (relative to the CSS file's folder).
IMAGES: tuple[str, ...] = (
    "leaflet/dist/images/layers.png", "leaflet/dist/images/layers-2x.png", "leaflet/dist/images/marker-icon.png",
    "leaflet/dist/images/marker-icon-2x.png", "leaflet/dist/images/marker-shadow.png",
    "leaflet.fullscreen/icon-fullscreen.svg",
    *(f"leaflet-measure/dist/images/{n}{s}.png" for n in ("cancel", "check", "focus", "rulers", "start", "trash")
      for s in ("", "_@2X")),
    "leaflet-minimap/dist/images/toggle.png", "leaflet-minimap/dist/images/toggle.svg",
)
#: Assets folium adds by default that no atlas element uses.
UNUSED_ASSETS: tuple[str, ...] = (
    "bootstrap",
    "awesome-markers",
    "fontawesome",
    "leaflet.awesome.rotate",
)


def served_files() -> tuple[str, ...]:
    """Every file below ``static/vendor`` (relative paths): the map's JS/CSS and images, nothing else."""
    return (*LOCAL_ASSETS.values(), *IMAGES)


def assemble(node_modules: Path = NODE_MODULES, dest: Path = VENDOR_DIR) -> list[str]:
    """Copy :func:`served_files` from the npm install into ``dest`` (emptied first); returns them.

    Raises FileNotFoundError naming the files npm did not install.
    """
    missing = [rel for rel in served_files() if not (node_modules / rel).is_file()]
    if missing:
        msg = f"not installed in {node_modules}: {', '.join(missing)} (run `npm ci --prefix web`)"
        raise FileNotFoundError(msg)
    if dest.exists():
        shutil.rmtree(dest)
    for rel in served_files():
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(node_modules / rel, dest / rel)
    return list(served_files())


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
        f"No local copy of {cdn_url}. Add the npm package to web/package.json and map it "
        "in layers.webassets.LOCAL_ASSETS, then run `make setup`."
    )
    raise MissingAssetError(msg)


def missing_files(vendor_dir: Path = VENDOR_DIR) -> list[str]:
    """Served asset files that are not in place (run ``make setup``)."""
    return [rel for rel in served_files() if not (vendor_dir / rel).is_file()]


def _walk(element):
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def localize(m: folium.Map, *, prefix: str = STATIC_URL) -> folium.Map:
    """Point every JS/CSS asset of ``m`` (and its children) at the local copies.

    jQuery is loaded only when a ``folium.Popup`` (the one element that uses it) is on the map:
    each script is loaded one after the other before the map can draw.
    """
    jquery = any(isinstance(e, folium.Popup) for e in _walk(m))
    for element in _walk(m):
        for attr in ("default_js", "default_css"):
            assets = getattr(element, attr, None)
            if not assets:
                continue
            localized = []
            for name, url in assets:
                new = local_url(url, prefix=prefix)
                if new is not None and (jquery or "jquery" not in name):
                    localized.append((name, new))
            setattr(element, attr, localized)  # instance attribute: class lists untouched
    return m


if __name__ == "__main__":  # make setup: python -m layers.webassets
    try:
        files = assemble()
    except FileNotFoundError as exc:
        print(f"layers.webassets: error: {exc}", file=sys.stderr)
        sys.exit(1)
    print(f"layers.webassets: {len(files)} files -> {VENDOR_DIR}")
