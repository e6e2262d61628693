"""Qingdao Bay-Area Innovation Corridor Atlas — Streamlit entry point (thin).

The router (``st.navigation``): one language switch for every page, kept in the
URL and the session; the map page is :func:`main` below, the analysis pages live
in ``views/`` (not ``pages/``: Streamlit would list that folder itself before the router runs). Widgets, caching and calls into the pure packages. The view lives in the URL
(atlas.viewstate); the map is built by layers.atlas_map; filtering, search and
styling by atlas.mapmodel / layers.filters.
"""

from __future__ import annotations

import copy
from dataclasses import replace

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from atlas import mapmodel
from atlas.briefing import model as briefmodel
from atlas.briefing.render import render_briefing
from atlas.export.formats import export_bytes, human_size
from atlas.pagekit import boundary, counters_html, md
from atlas.viewstate import OVERLAYS, ViewState, from_query, to_query
from core.i18n import LANGS, label, lang_of, t
from core.settings import MAP
from core.vocab import CLUSTERS, DISTRICTS, RESOURCE_TYPES, STATUS
from layers import coast, datastore, districts
from layers.atlas_map import (
    MapLayer,
    MapView,
    build_base_map,
    highlight_group,
    overlay_group,
    publish_layer,
    remote_group,
)
from layers.basemaps import BASEMAPS, TIANDITU_ENV, available, tianditu_token
from layers.filters import search
from layers.remote import remote_urls
from layers.render import field_value, uncertainty_text
from layers.webassets import missing_files

st.set_page_config(page_title="青岛湾区科创走廊图集 · Qingdao Innovation Corridor Atlas", layout="wide")
PAGES = (("views/density.py", "page_density", "density"), ("views/connectivity.py", "page_connectivity", "connectivity"),
         ("views/export.py", "page_export", "export"))


@st.cache_resource(show_spinner=False)
def frames_once():
    """All layers, loaded and validated once per process (shared read-only by sessions)."""
    frames = mapmodel.load_frames()
    print("atlas: layers loaded", flush=True)  # bench/load_sessions.py counts these
    return frames


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
def city_once():
    """Qingdao's land outline (offline shading under the overlays)."""
    return coast.load_city()


MAP_HEIGHT = 540  # px: with the title and counters, the whole map fits a 1280x720 screen
#: Our own layout rules (no user text): less empty space above the title, counters that wrap, not cut.
COMPACT_CSS = """<style>
[data-testid="stMainBlockContainer"]{padding-top:2.2rem;padding-bottom:1rem}
h1{font-size:1.8rem !important;padding:0 0 .4rem 0 !important}
[data-testid="stTable"] tr > *:first-child{white-space:nowrap}
</style>"""


def _secrets() -> dict:
    try:
        return {TIANDITU_ENV: st.secrets[TIANDITU_ENV]} if TIANDITU_ENV in st.secrets else {}
    except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
        return {}


def initial_state() -> ViewState:
    """The URL's state on a session's first run; afterwards the widgets own it.

    Widget keys are (re)seeded from the kept view when missing: Streamlit drops the
    state of widgets not drawn, e.g. while the user is on another page.
    """
    if "view" not in st.session_state:
        st.session_state["view"] = from_query(st.session_state.pop("entry_query", None) or st.query_params.to_dict())
    state = st.session_state["view"]
    if "force_layers" in st.session_state:  # a search hit turned its layer on
        st.session_state["w_layers"] = st.session_state.pop("force_layers")
    for key, value in (("w_basemap", state.basemap), ("w_layers", list(state.layers)),
                       ("w_clusters", list(state.clusters)), ("w_districts", list(state.districts)),
                       ("w_types", list(state.types)), ("w_statuses", list(state.statuses)), ("w_q", state.q)):
        if key not in st.session_state:
            st.session_state[key] = value
    return state


def chosen(state: ViewState, token: str | None) -> ViewState:
    """The view the sidebar's widgets hold (read before they are drawn: the map is sent first)."""
    if st.session_state.get("w_basemap") not in available(token):
        st.session_state["w_basemap"] = "none"
    ss = st.session_state
    return ViewState(state.lat, state.lon, state.zoom, ss["w_basemap"], lang_of(ss, st.query_params),
                     tuple(ss["w_layers"]), tuple(ss["w_clusters"]), tuple(ss["w_districts"]), tuple(ss["w_types"]),
                     tuple(ss["w_statuses"]), str(ss["w_q"] or "")[:60].strip(), state.selected)


def sidebar(box, state: ViewState, token: str | None) -> None:
    """The sidebar's widgets, drawn into ``box`` after the map (their values were read by :func:`chosen`)."""
    lang = state.lang
    fmt = lambda v: label(v, lang)  # noqa: E731
    keys = available(token)
    basemap = box.selectbox(t("basemap", lang), keys, key="w_basemap",
                            format_func=lambda k: getattr(BASEMAPS[k], f"label_{lang}"))
    if basemap == "amap":
        box.caption(t("amap_note", lang))
    if not token:
        box.caption(t("tianditu_hint", lang))
    choose = {"placeholder": t("choose", lang)}
    box.multiselect(t("layers", lang), OVERLAYS, key="w_layers", format_func=fmt, **choose)
    box.subheader(t("filters", lang))
    box.multiselect(t("cluster", lang), list(CLUSTERS), key="w_clusters",
                    format_func=lambda v: label(v, lang, "cluster"), **choose)
    box.multiselect(t("district", lang), list(DISTRICTS), key="w_districts",
                    format_func=lambda v: label(v, lang, "district"), **choose)
    box.multiselect(t("rtype", lang), RESOURCE_TYPES, key="w_types", format_func=fmt, **choose)
    box.multiselect(t("status", lang), sorted(STATUS), key="w_statuses", format_func=fmt, **choose)
    box.text_input(t("search", lang), key="w_q", placeholder=t("search_hint", lang), max_chars=60)


def search_box(box, state: ViewState, frames) -> ViewState:
    """Matches with their type and layer; choosing one selects it, turns its layer on and zooms to it."""
    if not state.q:
        return state
    matches = search(frames, state.q)
    if not matches:
        box.info(t("no_match", state.lang, q=md(state.q)))
        return state
    lang = state.lang
    names = {m.id: t("match_line", lang, name=m.name_zh if lang == "zh" else m.name_en, kind=label(m.kind, lang),
                     layer=label(m.layer, lang)) for m in matches}
    ids = list(names)
    key = f"w_match_{state.q}"
    if st.session_state.pop("sync_match", False) and state.selected in ids:
        st.session_state[key] = state.selected  # a click on the map moved the selection: the radio follows
    picked = box.radio(t("matches", lang), ids, format_func=names.get, key=key,
                              index=ids.index(state.selected) if state.selected in ids else 0)
    if picked == state.selected:
        return state
    hit = mapmodel.find_feature(frames, picked)
    if hit is None:
        return state
    point = hit[1].geometry.iloc[0].representative_point()
    state = replace(state, lat=round(point.y, 5), lon=round(point.x, 5), zoom=max(state.zoom, 14), selected=picked)
    if hit[0] not in state.layers:  # the hit's layer was off: turn it on (the widget follows on the rerun)
        state = replace(state, layers=(*state.layers, hit[0]))
        remember(state)
        st.session_state["force_layers"] = list(state.layers)
        st.rerun()
    return state


def remember(state: ViewState) -> None:
    """Keep ``state`` for the next run (and other pages) and put it in the URL."""
    st.session_state["view"] = replace(state, notices=())
    st.query_params.from_dict(to_query(state))


def fit_to_filters(state: ViewState, frames) -> ViewState:
    """When the filters change, the map shows what is left of the visible layers (or the default view)."""
    before = st.session_state["view"]
    if (state.clusters, state.districts, state.types, state.statuses) == (
            before.clusters, before.districts, before.types, before.statuses):
        return state
    fit = mapmodel.fit_view(frames, state) if (state.clusters or state.districts or state.types or state.statuses) else None
    lat, lon, zoom = fit or (ViewState().lat, ViewState().lon, ViewState().zoom)
    return replace(state, lat=lat, lon=lon, zoom=zoom)


def clicked(state: ViewState, frames, tooltip: str | None) -> ViewState:
    """A click on a feature selects it (into the URL); the search radio follows on the rerun."""
    if not tooltip or tooltip == st.session_state.get("last_click"):
        return state
    st.session_state["last_click"] = tooltip
    ref = mapmodel.tooltip_index(frames).get(tooltip.strip())
    if not ref or ref[1] == state.selected:
        return state
    state = replace(state, selected=ref[1])
    remember(state)
    st.session_state["sync_match"] = True
    st.rerun()
    return state


def details(state: ViewState, frames) -> None:
    """The selected feature in the reader's language, and every other feature at the same point."""
    lang = state.lang
    st.subheader(t("details", lang))
    here = mapmodel.colocated(frames, state.selected) if state.selected else []
    if not here:
        st.caption(t("click_hint", lang))
        return
    if len(here) > 1:
        name = lambda i: here[i][1]["name_zh" if lang == "zh" else "name_en"]  # noqa: E731
        pick = st.selectbox(t("here_n", lang, n=len(here)), range(len(here)), format_func=name,
                            key=f"w_here_{state.selected}",
                            index=next(i for i, (_, r) in enumerate(here) if r["id"] == state.selected))
    else:
        pick = 0
    layer, row = here[pick]
    first, second = ("name_zh", "name_en") if lang == "zh" else ("name_en", "name_zh")
    st.text(f"{row[first]}\n{row[second]}")  # plain text: a hostile name stays text
    fields = [("f_layer", label(layer, lang)), ("f_category", label(row.get("category", ""), lang)),
              ("f_type", label(row.get("type", "") or "", lang)),
              ("district", " / ".join(label(d, lang, "district") for d in str(row["district"]).split(";"))),
              ("cluster", " / ".join(label(c, lang, "cluster") for c in str(row["cluster"]).split(";"))),
              ("status", label(row["status"], lang)), ("f_plan_ref", row["plan_ref"]),
              ("f_uncertainty", uncertainty_text(row.get("pos_uncertainty_m"), lang)),
              ("f_source", field_value(row, "source", lang)),
              ("f_precision", f"{label(row['geom_precision'], lang)} ({row['source_crs']})"), ("f_as_of", row["as_of"]),
              ("f_licence", row.get("licence", "")), ("f_notes", field_value(row, "notes", lang))]
    shown = [(t(k, lang), str(v)) for k, v in fields if isinstance(v, str) and v.strip() and v != "nan"]
    table = pd.DataFrame({t("f_name", lang): [k for k, _ in shown], t("f_value", lang): [v for _, v in shown]})
    st.table(table.style.hide(axis="index"))


@st.cache_data(show_spinner=False, max_entries=64)
def view_geojson(layers, clusters, districts_, types, statuses) -> bytes | None:
    """GeoJSON of the filtered, visible layers (cached per filter set, not rebuilt on every rerun)."""
    frames, _ = frames_once()
    state = ViewState(layers=layers, clusters=clusters, districts=districts_, types=types, statuses=statuses)
    shown = {k: v for k, v in mapmodel.filtered(frames, state).items() if k in layers and not v.empty}
    if not shown:
        return None
    merged = pd.concat([v.assign(layer=k) for k, v in shown.items()], ignore_index=True)
    return export_bytes(merged, "geojson", layer_name="atlas_view")


def quick_outputs(state: ViewState, frames) -> None:
    """One click for officials (briefing PNG) and analysts (GeoJSON of the filtered view).

    The Export page (views/export.py) has every format, preset and option.
    """
    st.sidebar.subheader(t("outputs", state.lang))
    if st.sidebar.button(t("brief_png", state.lang), key="w_brief"):
        with st.spinner(t("rendering", state.lang)):
            layers = briefmodel.brief_layers(frames, state)
            title = t("title", state.lang)
            st.session_state["quick_brief"] = render_briefing(layers, title=title, subtitle=t("subtitle", state.lang),
                                                              fmt="png", lang=state.lang)
    if "quick_brief" in st.session_state:
        data = st.session_state["quick_brief"]
        st.sidebar.download_button(f"⬇ PNG ({human_size(len(data))})", data, file_name="qingdao_corridor_briefing.png",
                                   mime="image/png", key="w_brief_dl")
    data = view_geojson(state.layers, state.clusters, state.districts, state.types, state.statuses)
    if data:
        st.sidebar.download_button(f"⬇ GeoJSON ({human_size(len(data))})", data, file_name="qingdao_corridor_view.geojson",
                                   mime="application/geo+json", key="w_geojson_dl")
    st.sidebar.caption(t("more_outputs", state.lang))


def main() -> None:
    missing = missing_files()
    state = initial_state()
    if missing:
        st.error(t("assets_missing", state.lang) + " " + ", ".join(missing))
        return
    token = tianditu_token(_secrets())
    # The sidebar's places, in order; the widgets are drawn after the map so the map reaches the browser first.
    side_widgets, side_matches, side_sync = st.sidebar.container(), st.sidebar.container(), st.sidebar.container()
    state = chosen(state, token)
    frames, errors = frames_once()
    state = fit_to_filters(state, frames)
    state = search_box(side_matches, state, frames)
    st.title(t("title", state.lang))
    for key in st.session_state["view"].notices:
        st.warning(t("bad_query", state.lang, param=key))
    for key, err in errors.items():
        st.error(t("layer_error", state.lang, name=label(key, state.lang), err=err))

    counts = mapmodel.counts(frames, state)
    st.html(counters_html(counts, {k: label(k, state.lang) for k in counts}))

    here = (state.lat, state.lon, state.zoom)
    if here != st.session_state.get("synced_view"):  # moved by a link, search, filter: the map follows
        st.session_state["map_anchor"] = here
    # A view the map reported itself is not sent back: the map's script (and with it streamlit-folium's
    # component key) stays the same while panning, so the next pan still reaches the app.
    lat, lon, zoom = st.session_state["map_anchor"]
    offline = BASEMAPS[state.basemap].tiles is None
    publish = publisher()
    # Served data: the script does not depend on the view (the center/zoom arguments move the map), so
    # a filter change or a search re-sends only the small overlay groups, not the map.
    view = MapView(center=MAP.center if publish else (lat, lon), zoom=MAP.zoom if publish else zoom,
                   basemap=state.basemap, lang=state.lang,
                   tianditu_token=token, legend=mapmodel.legend_items(frames, state, shading=offline),
                   land=city_once() if offline else None, water=frames.get("jiaozhou_bay") if offline else None,
                   tile_notice=t("tiles_failed", state.lang), publish=publish)
    groups = overlay_groups(state, view)
    base = build_base_map(view, base_groups(view), prefetch=[u for g in groups for u in remote_urls(g)])
    if state.selected and (hit := mapmodel.find_feature(frames, state.selected)):
        groups.append(highlight_group(hit[1], view))
    sync = bool(st.session_state.get("w_sync", False))
    returned = ["last_object_clicked_tooltip"] + (["center", "zoom"] if sync else [])
    map_col, side_col = st.columns([3, 1])
    with map_col:
        out = st_folium(base, key=f"atlas_{state.basemap}_{state.lang}_{sync}", height=MAP_HEIGHT,
                        use_container_width=True, center=[lat, lon], zoom=zoom,
                        feature_group_to_add=groups, layer_control=folium.LayerControl(collapsed=True),
                        returned_objects=returned) or {}
    sidebar(side_widgets, state, token)
    side_sync.toggle(t("sync_view", state.lang), key="w_sync")
    if sync and out.get("center"):
        state = replace(state, lat=round(out["center"]["lat"], 5), lon=round(out["center"]["lng"], 5),
                        zoom=int(out.get("zoom") or state.zoom))
        st.session_state["synced_view"] = (state.lat, state.lon, state.zoom)
    state = clicked(state, frames, out.get("last_object_clicked_tooltip"))
    with side_col:
        details(state, frames)
        st.caption(t("share_hint", state.lang))
    st.caption(t("subtitle", state.lang))
    quick_outputs(state, frames)
    remember(state)


#: Widget keys#: Widget keys whose value cannot be set through st.session_state (buttons, downloads).
ACTION_KEYS = frozenset({"w_brief", "w_brief_dl", "w_geojson_dl", "s_go", "s_download", "x_download", "x_meta",
                         "b_download", "dl_matrix", "dl_iso", "dl_crit", "dl_scen"})


def keep_choices_across_languages(lang: str) -> None:
    """A language switch relabels every widget; re-assert their values so the browser keeps them.

    Without this the browser resets relabelled multiselects (layers, filters) to empty.
    """
    if st.session_state.get("lang_prev", lang) != lang:
        for key in [k for k in st.session_state if k[:2] in ("w_", "c_", "x_", "b_") and k not in ACTION_KEYS and k != "w_lang"]:
            st.session_state[key] = st.session_state[key]
    st.session_state["lang_prev"] = lang


def language_switch() -> str:
    """The one language switch (every page): seeded from the URL, kept in the session and the URL.

    Drawn after ``st.navigation``: drawn before it, the switch ignored the first click.
    """
    lang = st.sidebar.radio("语言 · Language", LANGS, key="w_lang", horizontal=True,  # one label: it must not move
                            format_func=lambda x: "中文" if x == "zh" else "English")
    keep_choices_across_languages(lang)
    if lang == LANGS[0]:
        st.query_params.pop("lang", None)
    else:
        st.query_params["lang"] = lang
    return lang


def navigation() -> None:
    if "w_lang" not in st.session_state:
        st.session_state["entry_query"] = st.query_params.to_dict()  # before the switch rewrites `lang`
        st.session_state["w_lang"] = lang_of({}, st.session_state["entry_query"])
    lang = lang_of(st.session_state, {})
    pages = [st.Page(main, title=t("page_map", lang), default=True)]
    pages += [st.Page(path, title=t(key, lang), url_path=url) for path, key, url in PAGES]
    page = st.navigation(pages)
    st.html(COMPACT_CSS)
    lang = language_switch()
    with boundary(st.error, lang, where=str(page.url_path or "map")):  # one error boundary for every page
        page.run()


navigation()
