"""From loaded frames + a ViewState to the overlays, legend and counts the app shows.

Pure: the app caches the frames and calls :func:`overlays`; tests call it too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import geopandas as gpd

from atlas.filters import filter_frame
from atlas.i18n import label
from atlas.viewstate import OVERLAYS, ViewState
from layers import coast, links, metro, park_sites, parks, resources, transport

if TYPE_CHECKING:  # folium (via atlas_map) only where a web map is built: the CLI's briefing skips it
    from layers.atlas_map import MapLayer


@dataclass(frozen=True)
class OverlaySpec:
    key: str
    style: Callable[[dict], dict] | dict
    point_radius: float = 6
    filterable: bool = True  # cluster/district/status filters apply


SPECS: dict[str, OverlaySpec] = {
    s.key: s
    for s in (
        OverlaySpec("clusters", {"color": "#1b7837", "weight": 2, "fillColor": "#a6dba0",
                                 "fillOpacity": 0.18, "dashArray": "6 4"}, filterable=False),
        OverlaySpec("jiaozhou_bay", coast.STYLE, filterable=False),
        OverlaySpec("parks", parks.style, point_radius=10),
        OverlaySpec("links", links.style),
        OverlaySpec("metro_lines", metro.line_style),
        OverlaySpec("metro_stations", metro.station_style, point_radius=4),
        OverlaySpec("transport_nodes", transport.style, point_radius=8),
        OverlaySpec("park_sites", park_sites.style, point_radius=6),
        OverlaySpec("resources", resources.style, point_radius=6),
    )
}
assert tuple(SPECS) == OVERLAYS, "SPECS and viewstate.OVERLAYS must list the same layers in order"


def filtered(frames: dict[str, gpd.GeoDataFrame], state: ViewState) -> dict[str, gpd.GeoDataFrame]:
    """Every overlay frame with the state's filters applied (unfilterable ones unchanged)."""
    out = {}
    for key, spec in SPECS.items():
        gdf = frames.get(key)
        if gdf is None:
            continue
        if spec.filterable:
            gdf = filter_frame(gdf, clusters=state.clusters, districts=state.districts,
                               types=state.types, statuses=state.statuses)
        out[key] = gdf
    return out


def overlays(frames: dict[str, gpd.GeoDataFrame], state: ViewState) -> list[MapLayer]:
    """The map layers to draw for ``state`` (visible or toggled off in the layer control)."""
    from layers.atlas_map import MapLayer

    shown = filtered(frames, state)
    return [
        MapLayer(key, label(key, state.lang), gdf, SPECS[key].style, show=key in state.layers,
                 point_radius=SPECS[key].point_radius)
        for key, gdf in shown.items()
    ]


def overlay(frames: dict[str, gpd.GeoDataFrame], state: ViewState, key: str) -> MapLayer | None:
    """One overlay of :func:`overlays` (for per-layer caching): None if the layer is not loaded."""
    gdf, spec = frames.get(key), SPECS[key]
    if gdf is None:
        return None
    if spec.filterable:
        gdf = filter_frame(gdf, clusters=state.clusters, districts=state.districts, types=state.types,
                           statuses=state.statuses)
    return MapLayer(key, label(key, state.lang), gdf, spec.style, show=key in state.layers,
                    point_radius=spec.point_radius)


def cache_key(state: ViewState, key: str) -> tuple:
    """What ``key``'s overlay depends on: its filters (if it is filterable), language and basemap."""
    filters = (state.clusters, state.districts, state.types, state.statuses) if SPECS[key].filterable else ()
    return (key, filters, state.lang, state.basemap)


def counts(frames: dict[str, gpd.GeoDataFrame], state: ViewState) -> dict[str, int]:
    """Features shown per visible layer after filtering."""
    shown = filtered(frames, state)
    return {k: len(v) for k, v in shown.items() if k in state.layers}


def legend_items(frames: dict[str, gpd.GeoDataFrame], state: ViewState) -> list[tuple[str, str, str]]:
    lab = lambda v: label(v, state.lang)  # noqa: E731
    items: list[tuple[str, str, str]] = []
    if "clusters" in state.layers and "clusters" in frames:
        items.append(("area", "#a6dba0", lab("clusters")))
    if "parks" in state.layers:
        items.append(("area", "#ef8a62", lab("parks")))
    if "park_sites" in state.layers:
        items.append(("point", "#fddbc7", lab("park_sites")))
    if "resources" in state.layers:
        items += resources.legend(lab)
    if "transport_nodes" in state.layers:
        items += transport.legend(lab)
    if "links" in state.layers:
        items += links.legend(lab)
    if "metro_lines" in state.layers and "metro_lines" in frames:
        items += metro.legend(lab, frames["metro_lines"])
    return items


def load_frames(keys: tuple[str, ...] | None = None) -> tuple[dict[str, gpd.GeoDataFrame], dict[str, str]]:
    """Load every overlay that exists (or only ``keys``); a broken layer is reported, the rest still load."""
    from layers import catalog

    loaders: dict[str, Callable[[], gpd.GeoDataFrame]] = {
        "jiaozhou_bay": coast.load_bay, "parks": parks.load, "links": links.load,
        "metro_lines": metro.load_lines, "metro_stations": metro.load_stations,
        "transport_nodes": transport.load, "park_sites": park_sites.load, "resources": resources.load,
    }
    if "clusters" in catalog.LAYERS:
        from layers import clusters

        loaders = {"clusters": clusters.load, **loaders}
    frames, errors = {}, {}
    for key, load in loaders.items():
        if keys is not None and key not in keys:
            continue
        try:
            frames[key] = load()
        except (OSError, ValueError, KeyError) as exc:
            errors[key] = str(exc).splitlines()[0]
    return frames, errors


def tooltip_index(frames: dict[str, gpd.GeoDataFrame]) -> dict[str, tuple[str, str]]:
    """Tooltip text (as the browser returns it) -> (layer, id), for click lookups."""
    index = {}
    for key, gdf in frames.items():
        for fid, zh, en in zip(gdf["id"], gdf["name_zh"], gdf["name_en"], strict=True):
            index.setdefault(f"{zh} · {en}", (key, fid))
            index.setdefault(f"{en} · {zh}", (key, fid))
    return index


def feature(frames: dict[str, gpd.GeoDataFrame], layer: str, fid: str) -> gpd.GeoDataFrame:
    gdf = frames.get(layer)
    return gdf[gdf["id"] == fid] if gdf is not None else gpd.GeoDataFrame()


def find_feature(frames: dict[str, gpd.GeoDataFrame], fid: str) -> tuple[str, gpd.GeoDataFrame] | None:
    for key, gdf in frames.items():
        hit = gdf[gdf["id"] == fid]
        if not hit.empty:
            return key, hit
    return None
