"""Basemaps: which tiles, their attribution, and the datum their tiles are drawn in.

AMap (高德) tiles are drawn in GCJ-02, so while AMap is active every overlay is
shifted WGS84 -> GCJ-02 *for display only* (:func:`display_datum`). Tianditu
(天地图, CGCS2000 ≈ WGS84) needs the user's own key (``TIANDITU_TOKEN``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # folium is imported where a map is built, not by every importer (CLI start)
    import folium


@dataclass(frozen=True)
class Basemap:
    key: str
    label_zh: str
    label_en: str
    tiles: str | None
    attribution: str = ""
    datum: str = "WGS84"  # datum the tiles are drawn in
    subdomains: str = "abc"
    needs_key: bool = False


TIANDITU_ENV = "TIANDITU_TOKEN"
_TDT = (
    "https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}&TILEROW={{y}}"
    "&TILECOL={{x}}&tk={tk}"
)

BASEMAPS: dict[str, Basemap] = {
    b.key: b
    for b in (
        Basemap("none", "无底图(离线)", "No basemap (offline)", None),
        Basemap("positron", "浅色底图", "Light (CartoDB Positron)",
                "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
                "&copy; OpenStreetMap contributors &copy; CARTO", subdomains="abcd"),
        Basemap("osm", "OpenStreetMap", "OpenStreetMap",
                "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "&copy; OpenStreetMap contributors"),
        Basemap("amap", "高德地图 (GCJ-02)", "AMap / Gaode (GCJ-02)",
                "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
                "&copy; 高德地图 AutoNavi", datum="GCJ-02", subdomains="1234"),
        Basemap("tianditu", "天地图", "Tianditu (official)", _TDT, "&copy; 天地图 Tianditu",
                subdomains="01234567", needs_key=True),
    )
}
DEFAULT_BASEMAP = "none"


def tianditu_token(secrets: dict | None = None) -> str | None:
    """The Tianditu key from Streamlit secrets (passed in) or the environment."""
    token = (secrets or {}).get(TIANDITU_ENV) or os.environ.get(TIANDITU_ENV)
    return token.strip() if token and token.strip() else None


def available(token: str | None) -> list[str]:
    """Basemap keys usable now (Tianditu only with a key)."""
    return [k for k, b in BASEMAPS.items() if not b.needs_key or token]


def display_datum(key: str) -> str:
    return BASEMAPS[key].datum if key in BASEMAPS else "WGS84"


def add_basemap(m: folium.Map, key: str, *, token: str | None = None) -> folium.TileLayer | None:
    """Add the chosen basemap's tile layer(s) to ``m``; the (main) tile layer, None for ``none``."""
    import folium

    base = BASEMAPS.get(key, BASEMAPS[DEFAULT_BASEMAP])
    if base.tiles is None:
        return None
    if base.needs_key:
        if not token:
            return None
        first = None
        for layer in ("vec", "cva"):
            tile = folium.TileLayer(
                base.tiles.format(layer=layer, tk=token, s="{s}"), attr=base.attribution,
                name=f"{base.label_en} {layer}", subdomains=base.subdomains, overlay=layer == "cva",
                control=False, max_zoom=18,
            )
            tile.add_to(m)
            first = first or tile
        return first
    tile = folium.TileLayer(
        base.tiles, attr=base.attribution, name=base.label_en, subdomains=base.subdomains,
        control=False, max_zoom=19,
    )
    tile.add_to(m)
    return tile
