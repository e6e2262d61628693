"""Qingdao Bay-Area Innovation Corridor Atlas — Streamlit entry point: the router and the map page's wiring.

The router (``st.navigation``): one language switch for every page, kept in the URL and
the session; the analysis pages live in ``views/`` (not ``pages/``: Streamlit would list
that folder itself before the router runs). The map page is :func:`main`: widgets in,
calls out — its cached data in :mod:`views.map_data`, what it computes in
:mod:`atlas.mappage` / :mod:`atlas.mapmodel`, the view in the URL (:mod:`atlas.viewstate`),
the map built by :mod:`layers.atlas_map`.
"""

from __future__ import annotations

from dataclasses import replace

import folium
import pandas as pd
import streamlit as st

from atlas import mapmodel, mappage
from atlas.briefing import model as briefmodel
from atlas.briefing.render import render_briefing
from atlas.export.formats import human_size
from atlas.pagekit import COMPACT_CSS, MAP_FRAME_CSS, boundary, counters_html, md
from atlas.viewstate import OVERLAYS, ViewState, from_query, to_query
from atlas.workers import freeze_startup, start_janitor, start_workers
from core.i18n import LANGS, label, lang_of, t
from core.settings import DATA, MAP
from core.vocab import CLUSTERS, DISTRICTS, RESOURCE_TYPES, STATUS
from layers.atlas_map import MapView, build_base_map, highlight_group
from layers.basemaps import BASEMAPS, TIANDITU_ENV, available, tianditu_token
from layers.remote import remote_urls
from layers.webassets import missing_files
from views.foliummap import show as show_map
from views.map_data import (
    base_groups,
    bays_once,
    city_once,
    counts as shown_counts,
    frames_once,
    index_once,
    legend_once,
    neighbours_once,
    overlay_groups,
    publisher,
    search_once,
    view_geojson,
)
from views.unplaced import badges as unplaced_badges
from views.unplaced import panel as unplaced_panel

st.set_page_config(page_title="青岛湾区科创走廊图集 · Qingdao Innovation Corridor Atlas", layout="wide")
PAGES = (("views/density.py", "page_density", "density"),
         ("views/connectivity.py", "page_connectivity", "connectivity"),
         ("views/export.py", "page_export", "export"))


MAP_HEIGHT = 540  # px: with the title and counters, the whole map fits a 1280x720 screen


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
    matches = search_once(state.q)
    if not matches:
        box.info(t("no_match", state.lang, q=md(state.q)))
        return state
    names = mappage.match_lines(matches, state.lang)
    ids = list(names)
    key = f"w_match_{state.q}"
    if st.session_state.pop("sync_match", False) and state.selected in ids:
        st.session_state[key] = state.selected  # a click on the map moved the selection: the radio follows
    # a query typed in this session starts at its best hit; a restored link (first run) keeps its selection
    typed = st.session_state.get("match_q", state.q) != state.q
    st.session_state["match_q"] = state.q
    keep = state.selected in ids and not (typed and key not in st.session_state)
    picked = box.radio(t("matches", state.lang), ids, format_func=names.get, key=key,
                       index=ids.index(state.selected) if keep else 0)
    if picked == state.selected:
        return state
    state, layer_on = mappage.select_hit(state, frames, picked, index_once())
    if layer_on:  # the hit's layer was off: turn it on (the widget follows on the rerun) and say so
        layer, rows = mapmodel.find_feature(frames, picked, index_once())
        name = rows.iloc[0]["name_zh" if state.lang == "zh" else "name_en"]
        st.session_state["layer_on_notice"] = t("layer_on", state.lang, layer=label(layer, state.lang), name=name)
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
    return mappage.refit(st.session_state["view"], state, frames)


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
    here = mapmodel.colocated(frames, state.selected, index=index_once()) if state.selected else []
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
    shown = mappage.detail_rows(layer, row, lang)
    table = pd.DataFrame({t("f_name", lang): [k for k, _ in shown], t("f_value", lang): [v for _, v in shown]})
    st.table(table.style.hide(axis="index"))


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
                                   mime="image/png", key="w_brief_dl", on_click="ignore")
    data = view_geojson(state.layers, state.clusters, state.districts, state.types, state.statuses)
    if data:
        st.sidebar.download_button(f"⬇ GeoJSON ({human_size(len(data))})", data, file_name="qingdao_corridor_view.geojson",
                                   mime="application/geo+json", key="w_geojson_dl", on_click="ignore")
    st.sidebar.caption(t("more_outputs", state.lang))


def about(lang: str, token: str | None) -> None:
    """Facts about the data, and the administrator's hints, folded away from the planner's view."""
    with st.sidebar.expander(t("about", lang)):
        st.caption(t("about_data", lang, date=DATA.data_date))
        if not token:
            st.caption(t("tianditu_admin", lang))


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
    if notice := st.session_state.pop("layer_on_notice", None):
        side_matches.info(notice)
    st.title(t("title", state.lang))
    for key in st.session_state["view"].notices:
        st.warning(t("bad_query", state.lang, param=key))
    for key, err in errors.items():
        st.error(t("layer_error", state.lang, name=label(key, state.lang), err=err))

    counts = shown_counts(state)
    st.html(counters_html(counts, {k: label(k, state.lang) for k in counts}) + MAP_FRAME_CSS)

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
                   tianditu_token=token, legend=list(legend_once(state.layers, state.lang, offline,
                                                       neighbours_once() is not None)),
                   land=city_once() if offline else None, water=frames.get("jiaozhou_bay") if offline else None,
                   neighbours=neighbours_once() if offline else None,
                   tile_notice=t("tiles_failed", state.lang), publish=publish, fit=bays_once(), fill_height=True)
    groups = overlay_groups(state, view)
    base = build_base_map(view, base_groups(view), prefetch=[u for g in groups for u in remote_urls(g)])
    if state.selected and (hit := mapmodel.find_feature(frames, state.selected, index_once())):
        groups.append(highlight_group(hit[1], view))
    groups.append(unplaced_badges(state))  # issue 21: a count per district, no made-up points
    sync = bool(st.session_state.get("w_sync", False))
    returned = ["last_object_clicked_tooltip"] + (["center", "zoom"] if sync else [])
    map_col, side_col = st.columns([3, 1])
    with map_col:
        out = show_map(base, key=f"atlas_{state.basemap}_{state.lang}_{sync}", height=MAP_HEIGHT,
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
        unplaced_panel(state)  # issue 21: district-level lists and "not yet located (N)"
        st.caption(t("share_hint", state.lang))
    st.caption(t("subtitle", state.lang))
    quick_outputs(state, frames)
    about(state.lang, token)
    remember(state)


#: Widget keys whose value cannot be set through st.session_state (buttons, downloads, the uploader).
ACTION_KEYS = frozenset({"w_brief", "w_brief_dl", "w_geojson_dl", "s_go", "s_download", "x_download", "x_meta",
                         "b_download", "dl_matrix", "dl_iso", "dl_crit", "dl_scen", "w_upload"})


#: Widget state kept while the reader is on another page (Streamlit drops the state of widgets not drawn):
#: the Density page's choice of points, so an upload is still in use on coming back.
KEEP_ACROSS_PAGES = ("w_source",)


def keep_choices_across_pages() -> None:
    for key in KEEP_ACROSS_PAGES:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


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


@st.cache_resource(show_spinner=False)
def server_housekeeping():
    """Once per server process (issue 24): the worker processes' fork server is started (and its memory
    counted) before the first reader's job; freed heap goes back to the system between jobs too."""
    freeze_startup()  # the modules' objects (pypinyin's dictionary: ~190,000) out of every full collection
    start_workers()
    return start_janitor()


def navigation() -> None:
    server_housekeeping()
    if "w_lang" not in st.session_state:
        st.session_state["entry_query"] = st.query_params.to_dict()  # before the switch rewrites `lang`
        st.session_state["w_lang"] = lang_of({}, st.session_state["entry_query"])
    lang = lang_of(st.session_state, {})
    pages = [st.Page(main, title=t("page_map", lang), default=True)]
    pages += [st.Page(path, title=t(key, lang), url_path=url) for path, key, url in PAGES]
    page = st.navigation(pages)
    st.set_page_config(page_title=t("page_tab", lang, page=page.title))  # the browser tab: this page, this language
    st.html(COMPACT_CSS)
    lang = language_switch()
    keep_choices_across_pages()
    with boundary(st.error, lang, where=str(page.url_path or "map")):  # one error boundary for every page
        page.run()


navigation()
