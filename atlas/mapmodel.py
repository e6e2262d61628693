"""From loaded frames + a ViewState to the overlays, legend and counts the app shows.

Pure: the app caches the frames and calls :func:`overlays`; tests call it too.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from atlas.viewstate import OVERLAYS, ViewState
from core.i18n import label, t
from core.settings import MAP
from layers import coast, links, metro, park_sites, parks, resources, transport
from layers.base import located
from layers.filters import filter_frame

if TYPE_CHECKING:  # folium (via atlas_map) only where a web map is built: the CLI's briefing skips it
    from layers.atlas_map import MapLayer


@dataclass(frozen=True)
class OverlaySpec:
    key: str
    style: Callable[[dict], dict] | dict
    point_radius: float = 6
    filterable: bool = True  # cluster/district/status filters apply
    filters: tuple[str, ...] = ("clusters", "districts", "types", "statuses")  # which ones, when filterable


SPECS: dict[str, OverlaySpec] = {
    s.key: s
    for s in (
        OverlaySpec("clusters", {"color": "#1b7837", "weight": 2, "fillColor": "#a6dba0",
                                 "fillOpacity": 0.18, "dashArray": "6 4"}, filters=("clusters", "districts")),
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


def _apply_filters(gdf: gpd.GeoDataFrame, spec: OverlaySpec, state: ViewState) -> gpd.GeoDataFrame:
    """``gdf`` with the filters its layer takes (unfiltered layers unchanged)."""
    return filter_frame(gdf, **{f: getattr(state, f) for f in spec.filters}) if spec.filterable else gdf


def filtered(frames: dict[str, gpd.GeoDataFrame], state: ViewState) -> dict[str, gpd.GeoDataFrame]:
    """Every overlay frame with the state's filters applied (unfilterable ones unchanged)."""
    out = {}
    for key, spec in SPECS.items():
        gdf = frames.get(key)
        if gdf is None:
            continue
        out[key] = _apply_filters(gdf, spec, state)
    return out


def overlays(frames: dict[str, gpd.GeoDataFrame], state: ViewState) -> list[MapLayer]:
    """The map layers to draw for ``state`` (visible or toggled off in the layer control)."""
    return [layer for key in SPECS if (layer := overlay(frames, state, key)) is not None]


def overlay(frames: dict[str, gpd.GeoDataFrame], state: ViewState, key: str) -> MapLayer | None:
    """One overlay of :func:`overlays` (for per-layer caching): None if the layer is not loaded."""
    from layers.atlas_map import MapLayer

    gdf, spec = frames.get(key), SPECS[key]
    if gdf is None:
        return None
    gdf = located(_apply_filters(gdf, spec, state))  # no marker, label or ring at a made-up point (issue 21)
    return MapLayer(key, label(key, state.lang), with_labels(key, _heaviest_last(gdf), state.lang),
                    approximate_aware(spec.style), show=key in state.layers, point_radius=spec.point_radius)


def shown_ids(frames: dict[str, gpd.GeoDataFrame], state: ViewState, key: str) -> list[str] | None:
    """Ids of ``key``'s features left by the state's filters; None when no filter applies (all shown).

    A served layer file holds every feature; the map script sends only this list.
    """
    gdf, spec = frames.get(key), SPECS[key]
    if gdf is None or not spec.filterable or not any(getattr(state, f) for f in spec.filters):
        return None
    return _apply_filters(gdf, spec, state)["id"].astype(str).tolist()


def cache_key(state: ViewState, key: str) -> tuple:
    """What ``key``'s overlay depends on: its filters (if it is filterable), language and basemap."""
    spec = SPECS[key]
    filters = tuple(getattr(state, f) for f in spec.filters) if spec.filterable else ()
    return (key, filters, state.lang, state.basemap)


#: From which zoom a feature's name is written on the map: layer -> {type/category: zoom} ("*" = any).
LABEL_ZOOM: dict[str, dict[str, int]] = {
    "clusters": {"bay_cluster": 8},
    "parks": {"*": 11},
    "transport_nodes": {"airport": 10, "rail_station": 11, "port": 11},
    "resources": {"national_lab": 11, "university": 11, "facility": 13, "institute": 13, "*": 14},
    "park_sites": {"*": 13},
    "metro_stations": {"*": 14},
}


def with_labels(key: str, gdf: gpd.GeoDataFrame, lang: str) -> gpd.GeoDataFrame:
    """``gdf`` plus ``_label`` (short name), ``_minzoom`` and, for areas, a label point ``_lx``/``_ly``."""
    rules = LABEL_ZOOM.get(key)
    if not rules or gdf.empty:
        return gdf
    kinds = gdf["type"] if "type" in gdf else gdf["category"]
    zooms = kinds.map(lambda k: rules.get(k, rules.get("*")))
    names = gdf["name_zh" if lang == "zh" else "name_en"].astype(str).str.split(r"[(（]", n=1, regex=True).str[0]
    points = gdf.geometry.representative_point()
    return gdf.assign(_label=names.where(zooms.notna()), _minzoom=zooms, _lx=points.x.round(5), _ly=points.y.round(5))


def _heaviest_last(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Drawn last = on top: a national lab over the platforms sharing its point."""
    return gdf.sort_values("weight", kind="stable") if "weight" in gdf else gdf


#: Positions less certain than this (metres) are drawn as approximate (dashed, pale fill).
APPROX_M = 100.0


def uncertainty_m(value) -> float:
    """A feature's ``pos_uncertainty_m`` as a number (missing or unreadable = 0)."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return 0.0
    return v if v == v else 0.0


def approximate_aware(style):
    """``style`` with approximate points (``pos_uncertainty_m`` > APPROX_M) dashed and pale (outline kept)."""
    if not callable(style):
        return style

    def styled(feature: dict) -> dict:
        out = dict(style(feature))
        if uncertainty_m(feature["properties"].get("pos_uncertainty_m")) > APPROX_M and "radius" in out:
            out.update({"dashArray": "3 3", "weight": max(float(out.get("weight", 1)), 1.5), "fillOpacity": 0.4})
        return out

    return styled


def filter_key(state: ViewState) -> tuple[tuple[str, ...], ...]:
    """What :func:`filtered` depends on besides the frames: (clusters, districts, types, statuses)."""
    return (state.clusters, state.districts, state.types, state.statuses)


def counts(frames: dict[str, gpd.GeoDataFrame], state: ViewState, *,
           shown: dict[str, gpd.GeoDataFrame] | None = None) -> dict[str, int]:
    """Features shown per visible layer after filtering (``shown``: :func:`filtered` already worked out)."""
    shown = filtered(frames, state) if shown is None else shown
    return {k: len(v) for k, v in shown.items() if k in state.layers}


def legend_items(frames: dict[str, gpd.GeoDataFrame], state: ViewState, *,
                 shading: bool = False, coastline: bool = False) -> list[tuple[str, str, str]]:
    lab = lambda v: label(v, state.lang)  # noqa: E731
    items: list[tuple[str, str, str]] = []
    if shading:  # offline land/water shading (layers.atlas_map)
        from layers.atlas_map import LAND_STYLE, NEIGHBOUR_STYLE, OUTSIDE_COLOUR, SEA_COLOUR, WATER_STYLE

        items += [("area", LAND_STYLE["fillColor"], t("legend_land", state.lang)),
                  ("area", WATER_STYLE["fillColor"], t("legend_bay", state.lang))]
        if coastline:  # the published coastline tells the neighbouring land from the sea
            items += [("area", NEIGHBOUR_STYLE["fillColor"], t("legend_neighbours", state.lang)),
                      ("area", SEA_COLOUR, t("legend_sea", state.lang))]
        else:
            items.append(("area", OUTSIDE_COLOUR, t("legend_outside", state.lang)))
    if any(k in state.layers for k in ("resources", "park_sites", "transport_nodes", "metro_stations", "parks")):
        items.append(("approx", "#777777", t("legend_approx", state.lang, m=int(APPROX_M))))
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


#: Long lines (rail, expressways, metro) leave the city; the view fits the places when there are any.
FIT_IGNORES = ("links", "metro_lines")


def fit_view(frames: dict[str, gpd.GeoDataFrame], state: ViewState, *, width_px: int = 900,
             height_px: int = 600, max_zoom: int = 15) -> tuple[float, float, int] | None:
    """(lat, lon, zoom) showing every filtered feature of the visible layers; None if nothing is left."""
    shown = {k: g for k, g in filtered(frames, state).items() if k in state.layers and not located(g).empty}
    shown = {k: located(g) for k, g in shown.items()}  # only what is drawn (issue 21)
    places = {k: g for k, g in shown.items() if k not in FIT_IGNORES} or shown  # lines run far out of town
    if not places:
        return None
    x0, y0, x1, y1 = (float(v) for v in pd.concat([g.geometry for g in places.values()]).total_bounds)
    y_of = lambda lat: math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))  # noqa: E731  Mercator
    zooms = [max_zoom]
    if x1 > x0:
        zooms.append(math.log2(width_px * 360 / (256 * (x1 - x0))))
    if y1 > y0:
        zooms.append(math.log2(height_px * 2 * math.pi / (256 * (y_of(y1) - y_of(y0)))))
    zoom = int(max(MAP.min_zoom, min(math.floor(min(zooms)), max_zoom)))
    return round((y0 + y1) / 2, 5), round((x0 + x1) / 2, 5), zoom


@dataclass(frozen=True, eq=False)
class FeatureIndex:
    """Where each feature is, worked out once per set of frames (the map page looks features up on every
    rerun: a selection, a search hit, the co-located list): by id, and point features by place."""

    frames: dict[str, gpd.GeoDataFrame]
    by_id: dict[str, tuple[str, list[int]]]  # id -> (the first layer that has it, its row positions there)
    by_place: dict[tuple[float, float], list[tuple[str, int]]]  # rounded (lon, lat) -> point features there
    decimals: int = 5

    @classmethod
    def of(cls, frames: dict[str, gpd.GeoDataFrame], *, decimals: int = 5) -> FeatureIndex:
        by_id: dict[str, tuple[str, list[int]]] = {}
        by_place: dict[tuple[float, float], list[tuple[str, int]]] = {}
        for key, gdf in frames.items():
            for pos, fid in enumerate(gdf["id"]):
                layer, rows = by_id.setdefault(fid, (key, []))
                if layer == key:
                    rows.append(pos)
            geom = np.asarray(gdf.geometry.values)
            points = np.flatnonzero((shapely.get_type_id(geom) == 0) & ~shapely.is_empty(geom))
            xs = np.round(shapely.get_x(geom[points]), decimals)
            ys = np.round(shapely.get_y(geom[points]), decimals)
            for pos, x, y in zip(points.tolist(), xs.tolist(), ys.tolist(), strict=True):
                by_place.setdefault((x, y), []).append((key, pos))
        return cls(frames, by_id, by_place, decimals)

    def find(self, fid: str) -> tuple[str, gpd.GeoDataFrame] | None:
        """(layer, the feature's rows) or None, as :func:`find_feature`."""
        where = self.by_id.get(fid)
        if where is None:
            return None
        return where[0], self.frames[where[0]].iloc[where[1]]

    def colocated(self, fid: str) -> list[tuple[str, pd.Series]]:
        """As :func:`colocated`."""
        hit = self.find(fid)
        if hit is None:
            return []
        geom = hit[1].geometry.iloc[0]
        if geom is None or geom.geom_type != "Point":
            return [(hit[0], hit[1].iloc[0])]
        here = (float(np.round(geom.x, self.decimals)), float(np.round(geom.y, self.decimals)))
        out = [(key, self.frames[key].iloc[pos]) for key, pos in self.by_place.get(here, [])]
        weight = lambda r: float(r.get("weight", 0) or 0)  # noqa: E731
        return sorted(out, key=lambda kr: (-weight(kr[1]), kr[1]["id"] != fid, kr[1]["id"]))


def colocated(frames: dict[str, gpd.GeoDataFrame], fid: str, *, decimals: int = 5,
              index: FeatureIndex | None = None) -> list[tuple[str, pd.Series]]:
    """Every point feature at the same place as ``fid`` (itself included), weightiest first. ``index``:
    the frames' :class:`FeatureIndex`, when the caller keeps one (else it is worked out now)."""
    return (index or FeatureIndex.of(frames, decimals=decimals)).colocated(fid)


def find_feature(frames: dict[str, gpd.GeoDataFrame], fid: str,
                 index: FeatureIndex | None = None) -> tuple[str, gpd.GeoDataFrame] | None:
    """(layer, rows with id ``fid``) in the first layer that has it, or None."""
    if index is not None:
        return index.find(fid)
    for key, gdf in frames.items():
        hit = gdf[gdf["id"] == fid]
        if not hit.empty:
            return key, hit
    return None


# --- issue 21: features without a place of their own -------------------------------------------------
#: Layers whose features carry ``location_tier``; those known only to a district or the city are listed.
TIERED = ("parks", "park_sites", "resources")


@dataclass(frozen=True)
class Unplaced:
    """What the map lists instead of drawing: (layer, id, name) by district, and those not yet located."""

    by_district: dict[str, list[tuple[str, str, str]]]
    not_located: list[tuple[str, str, str]]

    @property
    def n_district(self) -> int:
        return sum(len(v) for v in self.by_district.values())


def unplaced(frames: dict[str, gpd.GeoDataFrame], state: ViewState, *,
             shown: dict[str, gpd.GeoDataFrame] | None = None) -> Unplaced:
    """The visible layers' filtered features known only to a district (listed under it) or only to the city
    ("not yet located"); never drawn (DESIGN.md, "Location tiers"). ``shown``: :func:`filtered`, if known."""
    from layers.base import unlocated

    name = "name_zh" if state.lang == "zh" else "name_en"
    by_district: dict[str, list[tuple[str, str, str]]] = {}
    city: list[tuple[str, str, str]] = []
    for key, gdf in (filtered(frames, state) if shown is None else shown).items():
        if key not in TIERED or key not in state.layers or "location_tier" not in gdf:
            continue
        for _, row in unlocated(gdf).iterrows():
            item = (key, str(row["id"]), str(row[name]))
            if row["location_tier"] == "district":
                by_district.setdefault(str(row["district"]), []).append(item)
            else:
                city.append(item)
    return Unplaced(dict(sorted(by_district.items())), city)


#: The count badge of a district's listed features (the district's badge, at its label point: not a position).
BADGE_STYLE = ("background:#ffffffdd;border:1px dashed #555;border-radius:9px;padding:1px 6px;"
               "font:12px sans-serif;color:#333;white-space:nowrap;")


def unplaced_group(frames: dict[str, gpd.GeoDataFrame], state: ViewState, view):
    """A count per district of its district-level features (folium FeatureGroup); their lists are beside the map."""
    import html

    import folium

    from layers import districts
    from layers.atlas_map import shift_for_display

    group = folium.FeatureGroup(name=html.escape(t("t21_tier_district", state.lang)), control=False)
    lists = unplaced(frames, state).by_district
    if not lists:
        return group
    zones = districts.load().set_index("id")
    points = gpd.GeoDataFrame({"id": list(lists)}, geometry=[zones.geometry[d].representative_point() for d in lists],
                              crs=zones.crs)
    points = shift_for_display(points, view.basemap)
    for d, point in zip(points["id"], points.geometry, strict=True):
        name = label(d, state.lang, "district")
        items = lists[d]
        head = html.escape(t("t21_district_count", state.lang, district=name, n=len(items)))
        icon = folium.DivIcon(html=f'<div class="qd-tier-badge" style="{BADGE_STYLE}">{html.escape(name)} '
                                   f"· {len(items)}</div>", icon_size=(90, 20), icon_anchor=(45, 10))
        # a count, never in the way: it catches no click (the features' markers under it stay clickable);
        # its list opens beside the map (views/unplaced.py), not in a popup at a point
        folium.Marker([point.y, point.x], icon=icon, interactive=False, title=head).add_to(group)
    return group
