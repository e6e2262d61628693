"""The map page's data, loaded and built once per process and shared by sessions (Streamlit caches).

``app.py`` wires the page; this module holds what it caches: the layers, the overlay groups
(served as static files through :mod:`layers.datastore`, or inline when the folder is
read-only), the city outline and the quick GeoJSON of the visible features.
"""

from __future__ import annotations

import copy

import streamlit as st

from atlas import mapmodel, mappage
from atlas.export.formats import export_bytes
from atlas.export.metadata import build_metadata
from atlas.viewstate import ViewState
from core.i18n import label
from layers import coast, datastore, districts
from layers.atlas_map import MapLayer, MapView, overlay_group, publish_layer, remote_group
from layers.search import Match, search


@st.cache_resource(show_spinner=False)
def frames_once():
    """All layers, loaded and validated once per process (shared read-only by sessions); notes and sources
    name the features they mention (:func:`atlas.mappage.names_for_ids`)."""
    frames, errors = mapmodel.load_frames()
    frames = (mappage.names_for_ids(frames), errors)
    print("atlas: layers loaded", flush=True)  # bench/load_sessions.py counts these
    return frames


@st.cache_resource(show_spinner=False)
def index_once() -> mapmodel.FeatureIndex:
    """The layers' features by id and by place, worked out once per process: the page looks them up on every
    rerun (selection, search hit, co-located list) — a scan of every frame each time held the server."""
    return mapmodel.FeatureIndex.of(frames_once()[0])


@st.cache_resource(show_spinner=False, max_entries=512)
def search_once(query: str) -> tuple[Match, ...]:
    """:func:`layers.search.search` over the layers, once per query per process (the answer depends on the
    query alone: every rerun of a session with a query in the box asked again)."""
    return tuple(search(frames_once()[0], query))


@st.cache_resource(show_spinner=False, max_entries=256)
def filtered_once(filters: tuple) -> dict:
    """:func:`atlas.mapmodel.filtered` once per filter set (``mapmodel.filter_key``), shared read-only: the
    counters and the district lists asked for it on every rerun, a pandas pass over every frame each time."""
    clusters, districts_, types, statuses = filters
    state = ViewState(clusters=clusters, districts=districts_, types=types, statuses=statuses)
    return mapmodel.filtered(frames_once()[0], state)


@st.cache_resource(show_spinner=False, max_entries=256)
def unplaced_once(layers: tuple, filters: tuple, lang: str) -> mapmodel.Unplaced:
    """:func:`atlas.mapmodel.unplaced` once per (visible layers, filters, language)."""
    state = ViewState(layers=layers, lang=lang, **dict(zip(("clusters", "districts", "types", "statuses"), filters,
                                                           strict=True)))
    return mapmodel.unplaced(frames_once()[0], state, shown=filtered_once(filters))


def counts(state: ViewState) -> dict[str, int]:
    """Features shown per visible layer (:func:`atlas.mapmodel.counts` on the cached filtered frames)."""
    return mapmodel.counts(frames_once()[0], state, shown=filtered_once(mapmodel.filter_key(state)))


def unplaced(state: ViewState) -> mapmodel.Unplaced:
    return unplaced_once(state.layers, mapmodel.filter_key(state), state.lang)


@st.cache_resource(show_spinner=False, max_entries=64)
def legend_once(layers: tuple, lang: str, shading: bool, coastline: bool) -> tuple:
    """:func:`atlas.mapmodel.legend_items` once per (visible layers, language, shading)."""
    state = ViewState(layers=layers, lang=lang)
    return tuple(mapmodel.legend_items(frames_once()[0], state, shading=shading, coastline=coastline))


@st.cache_resource(show_spinner=False)
def districts_once():
    return districts.display_frame()


@st.cache_resource(show_spinner=False, max_entries=512)
def overlay_group_once(cache_key: tuple):
    """One overlay's FeatureGroup, built once per (layer, its filters, language, basemap), shared."""
    key, filters, lang, basemap = cache_key
    spec = mapmodel.SPECS[key]
    picked = dict(zip(spec.filters, filters, strict=True)) if spec.filterable else {}
    state = ViewState(basemap=basemap, lang=lang, layers=(key,), **picked)
    layer = mapmodel.overlay(frames_once()[0], state, key)
    return None if layer is None else overlay_group(layer, MapView(basemap=basemap, lang=lang))


@st.cache_resource(show_spinner=False, max_entries=16)
def districts_group_once(lang: str, basemap: str):
    return overlay_group(MapLayer("districts", label("districts", lang), districts_once(), districts.STYLE),
                         MapView(basemap=basemap, lang=lang))


@st.cache_resource(show_spinner=False)
def publisher() -> datastore.Publisher | None:
    """Layer data served as static files (layers.datastore); None (data inline) if the folder is read-only."""
    try:
        return datastore.Publisher().check()
    except datastore.DataStoreError as exc:
        print(f"atlas: {exc}; the map carries its data inline instead", flush=True)
        return None


@st.cache_resource(show_spinner=False, max_entries=64)
def full_layer_once(key: str, lang: str, basemap: str) -> MapLayer | None:
    """One overlay with every feature (a served file holds them all; filters pick ids in the browser)."""
    return mapmodel.overlay(frames_once()[0], ViewState(basemap=basemap, lang=lang, layers=(key,)), key)


def overlay_groups(state: ViewState, view: MapView) -> list:
    """The visible overlays: served files + the ids the filters leave, or (no data folder) inline groups."""
    if view.publish is None:
        return [_fresh(g) for key in mapmodel.SPECS if key in state.layers
                and (g := overlay_group_once(mapmodel.cache_key(state, key))) is not None]
    frames = frames_once()[0]
    return [remote_group(layer, publish_layer(layer, view), mapmodel.shown_ids(frames, state, key))
            for key in mapmodel.SPECS if key in state.layers
            and (layer := full_layer_once(key, state.lang, state.basemap)) is not None]


def base_groups(view: MapView) -> list:
    if view.publish is None:
        return [_fresh(districts_group_once(view.lang, view.basemap))]
    layer = MapLayer("districts", label("districts", view.lang), districts_once(), districts.STYLE)
    return [remote_group(layer, publish_layer(layer, view))]


def _fresh(group):
    """A private copy of a cached group: streamlit-folium renames and re-parents what it renders."""
    return copy.deepcopy(group)


@st.cache_resource(show_spinner=False)
def bays_once() -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of the three bay clusters: what the default view shows whole."""
    bays = frames_once()[0].get("clusters")
    if bays is None or bays.empty:
        return None
    bays = bays[bays["category"] == "bay_cluster"]
    return tuple(round(float(v), 5) for v in bays.total_bounds) if not bays.empty else None


@st.cache_resource(show_spinner=False)
def city_once():
    """Qingdao's land outline (offline shading under the overlays)."""
    return coast.load_city()


@st.cache_resource(show_spinner=False)
def neighbours_once():
    """Land beyond Qingdao from the published coastline (offline shading: neighbouring land vs sea)."""
    return coast.neighbour_land()


@st.cache_data(show_spinner=False, max_entries=64)
def view_geojson(layers, clusters, districts_, types, statuses) -> bytes | None:
    """GeoJSON of the filtered, visible layers (cached per filter set, not rebuilt on every rerun)."""
    state = ViewState(layers=layers, clusters=clusters, districts=districts_, types=types, statuses=statuses)
    merged = mappage.visible_features(frames_once()[0], state)
    if merged is None:
        return None
    filters = {"cluster": clusters, "district": districts_, "type": types, "status": statuses}  # as the map applies
    meta = build_metadata(merged, title="atlas_view", filters={k: tuple(v or ()) for k, v in filters.items()})
    return export_bytes(merged, "geojson", layer_name="atlas_view", metadata=meta)  # sources, licences, credits
