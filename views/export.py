"""Export page: data downloads (GeoJSON / GeoPackage / CSV) and briefing sheets (PNG / PDF).

Thin: the choices start from the map page's view (``st.session_state["view"]``)
so the files hold what the user sees; analysis results the app keeps in
``st.session_state["analysis_results"]`` ({title: frame}) are offered too.
All encoding and rendering live in atlas.export / atlas.briefing.
"""

from __future__ import annotations

import streamlit as st

from atlas import mapmodel
from atlas.briefing import model as briefmodel
from atlas.briefing.basemap import focus_choices, load_base
from atlas.briefing.render import PRESETS, render_briefing
from atlas.export.formats import FORMATS, export_bytes, human_size, safe_filename
from atlas.export.metadata import build_metadata, metadata_bytes
from atlas.pagekit import boundary
from atlas.viewstate import ViewState
from core.i18n import label, lang_of, t
from core.settings import DATA, EXPORT
from layers.catalog import loaders
from layers.filters import FILTERS


@st.cache_resource(show_spinner=False)
def layer_frames():
    frames = {}
    for name, load in loaders().items():
        try:
            frames[name] = load()
        except (OSError, ValueError, KeyError):
            continue
    return frames


@st.cache_resource(show_spinner=False)
def map_frames():
    return mapmodel.load_frames()[0]


@st.cache_resource(show_spinner=False)
def base_map():
    return load_base()


def view_state() -> ViewState:
    view = st.session_state.get("view")
    return view if isinstance(view, ViewState) else ViewState()


def filter_widgets(state: ViewState, lang: str) -> dict[str, tuple[str, ...]]:
    start = briefmodel.filters_of(state)
    cols = st.columns(len(FILTERS))
    chosen = {}
    for col, (key, (_, allowed)) in zip(cols, FILTERS.items(), strict=True):
        kind = key if key in ("district", "cluster") else None
        picked = col.multiselect(t("rtype" if key == "type" else key, lang), allowed,
                                 default=[v for v in start[key] if v in allowed], key=f"x_{key}",
                                 format_func=lambda v, k=kind: label(v, lang, k), placeholder=t("choose", lang))
        if picked:
            chosen[key] = tuple(picked)
    return chosen


def data_section(state: ViewState, lang: str) -> None:
    st.header(t("e_data", lang))
    frames = dict(layer_frames())
    results = st.session_state.get("analysis_results") or {}
    options = list(frames) + [f"analysis:{k}" for k in results]
    start = options.index("resources") if "resources" in options else 0
    name = st.selectbox(t("e_layer", lang), options, index=start, key="x_layer",
                        format_func=lambda n: n.removeprefix("analysis:") if ":" in n else label(n, lang))
    filters = filter_widgets(state, lang)
    frame = results[name.removeprefix("analysis:")] if name.startswith("analysis:") else frames[name]
    frame = briefmodel.export_frame(name, frame, filters) if not name.startswith("analysis:") else frame
    c1, c2, c3 = st.columns(3)
    fmt = c1.radio(t("e_format", lang), list(FORMATS), key="x_fmt", horizontal=True)
    encoding = c2.radio(t("e_csv_encoding", lang), ["bom", "plain"], key="x_csv_enc", horizontal=True,
                        disabled=fmt != "csv", format_func=lambda v: t(f"csv_{v}", lang),
                        help=t("csv_help", lang))
    bom = encoding == "bom"
    precision = c3.number_input(t("e_decimals", lang), 1, 10, EXPORT.precision, key="x_prec")
    title = safe_filename("_".join([name.removeprefix("analysis:"), *("-".join(v) for v in filters.values())]))
    meta = build_metadata(frame, layers=[] if name.startswith("analysis:") else [name], title=title,
                          filters=filters, precision=int(precision))
    data = export_bytes(frame, fmt, precision=int(precision), bom=bom, metadata=meta, layer_name=title)
    st.caption(t("e_size", lang, n=len(frame), size=human_size(len(data))))
    d1, d2 = st.columns(2)
    d1.download_button(t("e_download", lang, name=title + FORMATS[fmt][0], size=human_size(len(data))), data,
                       file_name=title + FORMATS[fmt][0], mime=FORMATS[fmt][1], key="x_download", on_click="ignore")
    meta_bytes = metadata_bytes(meta)
    d2.download_button(t("meta_json", lang, size=human_size(len(meta_bytes))), meta_bytes,
                       file_name=title + FORMATS[fmt][0] + ".meta.json", mime="application/json", key="x_meta",
                       on_click="ignore")


def briefing_section(state: ViewState, lang: str) -> None:
    st.header(t("e_brief", lang))
    st.caption(t("e_brief_view", lang))
    with st.form("brief"):
        title = st.text_input(t("e_title", lang), "青岛湾区科创走廊" if lang == "zh" else "Qingdao Innovation Corridor",
                              max_chars=80, key="b_title")
        subtitle = st.text_input(t("e_subtitle", lang), "", max_chars=120, key="b_subtitle")
        c1, c2, c3 = st.columns(3)
        preset = c1.selectbox(t("e_preset", lang), list(PRESETS), key="b_preset",
                              format_func=lambda p: t(f"preset_{p}", lang))
        fmt = c2.radio(t("e_format", lang), ["png", "pdf"], horizontal=True, key="b_fmt")
        focus = c3.selectbox(t("b_focus", lang), [*focus_choices(base_map()), "view"], key="b_focus",
                             format_func=lambda f: briefmodel.focus_label(f, lang))
        submitted = st.form_submit_button(t("e_render", lang))
    if submitted:
        with st.spinner(t("rendering", lang)):
            layers = briefmodel.brief_layers(map_frames(), state, st.session_state.get("analysis_overlays", []))
            bbox = briefmodel.view_bbox(state) if focus == "view" else None
            data = render_briefing(layers, title=title, subtitle=subtitle, data_date=DATA.data_date, preset=preset,
                                   fmt=fmt, bbox=bbox, focus="corridor" if focus == "view" else focus, lang=lang,
                                   base=base_map())
        st.session_state["brief_file"] = (safe_filename(title, "." + fmt), data, fmt)
    if "brief_file" in st.session_state:
        name, data, fmt = st.session_state["brief_file"]
        st.download_button(t("e_download", lang, name=name, size=human_size(len(data))), data, file_name=name,
                           mime="image/png" if fmt == "png" else "application/pdf", key="b_download", on_click="ignore")


def screenshot_section(state: ViewState, lang: str) -> None:
    """Optional: the web map as Chromium draws it (only where Chromium is installed)."""
    from atlas import screenshot

    if not screenshot.chromium_path():
        return
    if st.button(t("e_shot", lang), key="s_go"):
        with st.spinner(t("e_capturing", lang)):
            try:
                data = screenshot.screenshot_map(screenshot.view_map(map_frames(), state))
            except screenshot.ScreenshotUnavailable as exc:
                st.warning(str(exc))
                return
        st.session_state["shot_file"] = data
    if "shot_file" in st.session_state:
        data = st.session_state["shot_file"]
        st.download_button(t("e_download", lang, name="map_screenshot.png", size=human_size(len(data))), data,
                           file_name="map_screenshot.png", mime="image/png", key="s_download", on_click="ignore")


def main() -> None:
    state = view_state()
    lang = lang_of(st.session_state, st.query_params)  # the app's one switch (app.py)
    st.title(t("page_export", lang))
    data_section(state, lang)
    briefing_section(state, lang)
    screenshot_section(state, lang)


with boundary(st.error, lang_of(st.session_state, st.query_params), where="export"):
    main()
