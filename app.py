"""Qingdao Bay-Area Innovation Corridor Atlas — Streamlit entry point (thin).

The router (``st.navigation``): one language switch for every page, kept in the
URL and the session; the map page is :func:`main` below, the analysis pages live
in ``pages/``. Widgets, caching and calls into the pure packages. The view lives in the URL
(atlas.viewstate); the map is built by layers.atlas_map; filtering, search and
styling by atlas.mapmodel / atlas.filters.
"""

from __future__ import annotations

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from atlas import briefmodel, mapmodel
from atlas.briefing import render_briefing
from atlas.export import export_bytes, human_size
from atlas.filters import search
from atlas.i18n import LANGS, label, lang_of, t
from atlas.viewstate import OVERLAYS, RESOURCE_TYPES, ViewState, from_query, to_query
from atlas.webassets import missing_files
from layers import districts
from layers.atlas_map import MapLayer, MapView, build_base_map, highlight_group, overlay_group
from layers.basemaps import BASEMAPS, TIANDITU_ENV, available, tianditu_token
from layers.schema import CLUSTERS, DISTRICTS, STATUS

st.set_page_config(page_title="青岛湾区科创走廊图集 · Qingdao Innovation Corridor Atlas", layout="wide")
PAGES = (("pages/density.py", "page_density", "density"), ("pages/connectivity.py", "page_connectivity", "connectivity"),
         ("pages/export.py", "page_export", "export"))


@st.cache_resource(show_spinner=False)
def frames_once():
    """All layers, loaded and validated once per process (shared read-only by sessions)."""
    frames = mapmodel.load_frames()
    print("atlas: layers loaded", flush=True)  # bench/load_sessions.py counts these
    return frames


@st.cache_resource(show_spinner=False)
def districts_once():
    return districts.display_frame()


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
    for key, value in (("w_basemap", state.basemap), ("w_layers", list(state.layers)),
                       ("w_clusters", list(state.clusters)), ("w_districts", list(state.districts)),
                       ("w_types", list(state.types)), ("w_statuses", list(state.statuses)), ("w_q", state.q)):
        if key not in st.session_state:
            st.session_state[key] = value
    return state


def sidebar(state: ViewState, token: str | None) -> ViewState:
    lang = lang_of(st.session_state, st.query_params)
    fmt = lambda v: label(v, lang)  # noqa: E731
    keys = available(token)
    if st.session_state.get("w_basemap") not in keys:
        st.session_state["w_basemap"] = "none"
    basemap = st.sidebar.selectbox(t("basemap", lang), keys, key="w_basemap",
                                   format_func=lambda k: getattr(BASEMAPS[k], f"label_{lang}"))
    if basemap == "amap":
        st.sidebar.caption(t("amap_note", lang))
    if not token:
        st.sidebar.caption(t("tianditu_hint", lang))
    layers = st.sidebar.multiselect(t("layers", lang), OVERLAYS, key="w_layers", format_func=fmt)
    st.sidebar.subheader(t("filters", lang))
    clusters = st.sidebar.multiselect(t("cluster", lang), list(CLUSTERS), key="w_clusters",
                                      format_func=lambda v: label(v, lang, "cluster"))
    dists = st.sidebar.multiselect(t("district", lang), list(DISTRICTS), key="w_districts",
                                   format_func=lambda v: label(v, lang, "district"))
    types = st.sidebar.multiselect(t("rtype", lang), RESOURCE_TYPES, key="w_types", format_func=fmt)
    statuses = st.sidebar.multiselect(t("status", lang), sorted(STATUS), key="w_statuses", format_func=fmt)
    q = st.sidebar.text_input(t("search", lang), key="w_q", placeholder=t("search_hint", lang), max_chars=60)
    return ViewState(state.lat, state.lon, state.zoom, basemap, lang, tuple(layers), tuple(clusters),
                     tuple(dists), tuple(types), tuple(statuses), q.strip(), state.selected)


def search_box(state: ViewState, frames) -> ViewState:
    if not state.q:
        return state
    matches = search(frames, state.q)
    if not matches:
        st.sidebar.info(t("no_match", state.lang, q=state.q))
        return state
    names = {m.id: (m.name_zh if state.lang == "zh" else m.name_en) for m in matches}
    ids = list(names)
    chosen = st.sidebar.radio(t("matches", state.lang), ids, format_func=names.get, key=f"w_match_{state.q}")
    if chosen != state.selected:
        hit = mapmodel.find_feature(frames, chosen)
        if hit is not None:
            point = hit[1].geometry.iloc[0].representative_point()
            state = ViewState(**{**state.__dict__, "lat": round(point.y, 5), "lon": round(point.x, 5),
                                 "zoom": max(state.zoom, 14), "selected": chosen})
    return state


def details(state: ViewState, frames, clicked_tooltip: str | None) -> None:
    st.subheader(t("details", state.lang))
    hit = None
    if clicked_tooltip:
        ref = mapmodel.tooltip_index(frames).get(clicked_tooltip.strip())
        hit = mapmodel.feature(frames, *ref) if ref else None
    if (hit is None or hit.empty) and state.selected:
        found = mapmodel.find_feature(frames, state.selected)
        hit = found[1] if found else None
    if hit is None or hit.empty:
        st.caption(t("click_hint", state.lang))
        return
    row = hit.iloc[0]
    st.text(f"{row['name_zh']}\n{row['name_en']}")  # plain text: a hostile name stays text
    fields = [("f_category", label(row.get("category", ""), state.lang)), ("f_type", label(row.get("type", "") or "", state.lang)),
              ("district", " / ".join(label(d, state.lang, "district") for d in str(row["district"]).split(";"))),
              ("cluster", " / ".join(label(c, state.lang, "cluster") for c in str(row["cluster"]).split(";"))), ("status", label(row["status"], state.lang)),
              ("f_plan_ref", row["plan_ref"]), ("f_source", row["source"]),
              ("f_precision", f"{row['geom_precision']} ({row['source_crs']})"), ("f_as_of", row["as_of"]),
              ("f_notes", row.get("notes", ""))]
    shown = [(t(k, state.lang), str(v)) for k, v in fields if v]
    st.table(pd.DataFrame({t("f_value", state.lang): [v for _, v in shown]}, index=[k for k, _ in shown]))


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

    The Export page (pages/3) has every format, preset and option.
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
    state = sidebar(state, token)
    frames, errors = frames_once()
    state = search_box(state, frames)
    st.title(t("title", state.lang))
    st.caption(t("subtitle", state.lang))
    for key in st.session_state["view"].notices:
        st.warning(t("bad_query", state.lang, param=key))
    for key, err in errors.items():
        st.error(t("layer_error", state.lang, name=label(key, state.lang), err=err))

    counts = mapmodel.counts(frames, state)
    cols = st.columns(max(1, len(counts)))
    for col, (key, n) in zip(cols, counts.items(), strict=False):
        col.metric(label(key, state.lang), n)

    view = MapView(center=(state.lat, state.lon), zoom=state.zoom, basemap=state.basemap, lang=state.lang,
                   tianditu_token=token, legend=mapmodel.legend_items(frames, state))
    base = build_base_map(view, [MapLayer("districts", label("districts", state.lang), districts_once(),
                                          districts.STYLE)])
    groups = [overlay_group(layer, view) for layer in mapmodel.overlays(frames, state) if layer.show]
    if state.selected and (hit := mapmodel.find_feature(frames, state.selected)):
        groups.append(highlight_group(hit[1], view))
    sync = st.sidebar.toggle(t("sync_view", state.lang), key="w_sync")
    returned = ["last_object_clicked_tooltip"] + (["center", "zoom"] if sync else [])
    map_col, side_col = st.columns([3, 1])
    with map_col:
        out = st_folium(base, key=f"atlas_{state.basemap}_{state.lang}", height=640, use_container_width=True,
                        center=[state.lat, state.lon], zoom=state.zoom, feature_group_to_add=groups,
                        layer_control=folium.LayerControl(collapsed=False), returned_objects=returned) or {}
    if sync and out.get("center"):
        state = ViewState(**{**state.__dict__, "lat": round(out["center"]["lat"], 5),
                             "lon": round(out["center"]["lng"], 5), "zoom": int(out.get("zoom") or state.zoom)})
    with side_col:
        details(state, frames, out.get("last_object_clicked_tooltip"))
        st.caption(t("share_hint", state.lang))
    quick_outputs(state, frames)
    st.session_state["view"] = ViewState(**{**state.__dict__, "notices": ()})
    st.query_params.from_dict(to_query(state))


#: Widget keys whose value cannot be set through st.session_state (buttons, downloads).
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
    language_switch()
    page.run()


navigation()
