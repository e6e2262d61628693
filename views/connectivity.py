"""Connectivity panel: travel-time matrix, isochrones, critical links, scenarios (thin page)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import streamlit as st
from shapely.geometry import Point

from analysis import corridor as cd
from analysis import osm_roads
from analysis.access import attach_points
from analysis.cluster_access import unreachable_reason
from analysis.connectivity import (
    Scenario,
    compile_network,
    isochrones,
)
from analysis.network import STATUS_SETS
from analysis.scenarios import critical_links, isochrone_change, link_geometries
from analysis.tiers import n_unlocated
from atlas.connectivity import downloads, measures, report
from atlas.export.formats import csv_bytes
from atlas.export.metadata import analysis_geojson, analysis_metadata
from atlas.pagekit import boundary, md
from core.crs import MEASURE_CRS, WGS84
from core.i18n import STRINGS, lang_of, t
from core.settings import CONNECTIVITY
from layers import connectivity_style as style
from layers.atlas_map import MapView, build_map
from views.foliummap import show as show_map

#: key prefixes of this page's words in the one catalogue, core.i18n.STRINGS: texts, values, index rows
TEXT, LABELS, INDEX_LABELS = "cx_", "cxv_", "cxi_"


CRITICAL_ON_MAP = 8


def tr(key: str, lang: str, table: str = TEXT) -> str:
    """This page's word for ``key`` (the key itself when the catalogue has none)."""
    return t(table + key, lang) if table + key in STRINGS else key


@st.cache_resource(show_spinner=False)
def frames_once():
    return cd.load_transport_frames()


@st.cache_resource(show_spinner="构建网络 Building the network…")
def network_once(use_osm: bool):
    frames, _ = frames_once()
    roads = osm_roads.load_cached_roads() if use_osm else None
    return compile_network(cd.corridor_network(frames, roads))


def origin_nodes(net, origin_set: str) -> list[str]:
    frames, _ = frames_once()
    return measures.origin_nodes(net, frames, origin_set)


@st.cache_data(show_spinner=False, max_entries=64)
def matrix_cached(use_osm: bool, origin_set: str, modes: str, statuses: str):
    frames, _ = frames_once()
    return measures.matrix_summary(network_once(use_osm), frames, origin_set, modes, statuses)


@st.cache_data(show_spinner=False, max_entries=64)
def isochrones_cached(use_osm: bool, origin: str, modes: str, statuses: str, alt: tuple):
    net = network_once(use_osm)
    iso = isochrones(net, origin, cutoffs=CONNECTIVITY.cutoffs_min, modes=modes, scenario=Scenario(statuses, statuses))
    change = isochrone_change(net, origin, cutoffs=CONNECTIVITY.cutoffs_min, modes=modes,
                              base=Scenario(statuses, statuses), alt=alt_scenario(alt))
    return iso, change


@st.cache_resource(show_spinner=False)
def critical_store() -> dict:
    """Process-wide results per parameter set (st.cache_data cannot replay the progress bar)."""
    return {}


def critical_cached(use_osm: bool, origin_set: str, modes: str, statuses: str, progress=None):
    store = critical_store()
    key = (use_osm, origin_set, modes, statuses)
    if key not in store:
        net = network_once(use_osm)
        ranking = critical_links(net, origin_nodes(net, origin_set), modes=modes,
                                 scenario=Scenario(statuses, statuses), progress=progress)
        impact = ranking[(ranking["delta_min"] > 0.05) | (ranking["disconnected_pairs"] > 0)]
        if len(store) > 32:
            store.pop(next(iter(store)))
        store[key] = (ranking, link_geometries(net, impact["link"].head(CRITICAL_ON_MAP)))
    return store[key]


@st.cache_data(show_spinner=False, max_entries=32)
def scenario_cached(use_osm: bool, origin_set: str, modes: str, statuses: str, alt: tuple):
    frames, _ = frames_once()
    return measures.scenario_summary(network_once(use_osm), frames, origin_set, modes, statuses, alt_scenario(alt))


def _labels(net, nodes: list, lang: str) -> list[str]:
    names = report.NAMES
    return [names[n][0 if lang == "zh" else 1] if n in names else cd.node_labels(net.graph, [n], lang)[0]
            for n in nodes]


def labelled(frame: pd.DataFrame, net, lang: str) -> pd.DataFrame:
    out = frame.copy()
    out.index = _labels(net, list(frame.index), lang)
    out.columns = _labels(net, list(frame.columns), lang)
    return out


def heat_table(matrix: pd.DataFrame, net, lang: str, *, diverging: bool = False):
    shown = labelled(matrix.replace([np.inf, -np.inf], np.nan), net, lang)
    if diverging:  # differences: green = faster, red = slower, white = unchanged
        span = max(float(np.nanmax(np.abs(shown.to_numpy()))) if shown.notna().any().any() else 0.0, 1.0)
        styled = shown.style.background_gradient(cmap="RdYlGn_r", axis=None, vmin=-span, vmax=span)
        return styled.format("{:+.0f}", na_rep="—")
    return shown.style.background_gradient(cmap="RdYlGn_r", axis=None).format("{:.0f}", na_rep=t("c_unreachable", lang))


#: How each index is written in the tables (numbers stay exact in the downloads).
INDEX_FORMAT = {"pairs": "{:,.0f}", "unreachable_pairs": "{:,.0f}", "mean_min": "{:.1f}", "worst_min": "{:.1f}",
                "mean_penalised_min": "{:.1f}", "share_within": "{:.1%}", "efficiency": "{:.4f}",
                "efficiency_norm": "{:.2f}", "gravity": "{:.2f}"}


def indices_table(indices: pd.DataFrame | pd.Series, lang: str) -> pd.DataFrame:
    frame = indices.to_frame() if isinstance(indices, pd.Series) else indices
    out = frame.astype(object).copy()
    for key in frame.index:
        fmt = INDEX_FORMAT.get(key, "{:.2f}")
        out.loc[key] = [("—" if pd.isna(v) else fmt.format(v)) if isinstance(v, (int, float)) else v
                        for v in frame.loc[key]]
    out.index = [tr(k, lang, INDEX_LABELS) for k in frame.index]
    return out.rename(columns={"value": t("c22_value", lang)})


def alt_scenario(spec: tuple) -> Scenario:
    """(status set, links switched in, links switched out) -> the compared Scenario."""
    status, add, remove = spec
    extra = "".join([f" +{len(add)}" if add else "", f" -{len(remove)}" if remove else ""])
    return Scenario(f"{status}{extra}", status, tuple(add), tuple(remove))


def _link_options(net, lang: str, running: bool) -> dict[str, str]:
    e = net.edges[net.edges["mode"].isin(["road", "rail", "metro", "ferry"]) & (net.edges["link_id"] != "")]
    e = e[~e["link_id"].str.startswith("osm")]
    ids = sorted(set(e.loc[(e["status"] == "operating") == running, "link_id"]))
    names = net.graph.graph.get("link_names", {})
    return {i: names.get(i, (i, i))[0 if lang == "zh" else 1] for i in ids}


def scenario_controls(net, lang: str, statuses: str) -> tuple:
    st.sidebar.subheader(tr("scenario", lang))
    default = "today+construction" if statuses == "today" else statuses
    alt = st.sidebar.selectbox(tr("alt", lang), list(STATUS_SETS), index=list(STATUS_SETS).index(default),
                               key="c_alt", format_func=lambda k: tr(k, lang, LABELS))
    unbuilt, running = _link_options(net, lang, False), _link_options(net, lang, True)
    choose = {"placeholder": t("choose", lang)}  # issue 23: not Streamlit's English "Choose options"
    add = st.sidebar.multiselect(tr("add", lang), list(unbuilt), key="c_add", format_func=unbuilt.get, **choose)
    remove = st.sidebar.multiselect(tr("remove", lang), list(running), key="c_remove", format_func=running.get,
                                    **choose)
    return (alt, tuple(add), tuple(remove))


def controls(lang: str, has_osm: bool):
    cols = st.columns(4)
    modes = cols[0].selectbox(tr("modes", lang), ["combined", "transit", "car"], key="c_modes",
                              format_func=lambda k: tr(k, lang, LABELS))
    statuses = cols[1].selectbox(tr("status", lang), list(STATUS_SETS), key="c_status",
                                 format_func=lambda k: tr(k, lang, LABELS))
    origin_set = cols[2].selectbox(tr("origins", lang), list(cd.ORIGIN_SETS), key="c_origins",
                                   format_func=lambda k: tr(k, lang, LABELS))
    use_osm = cols[3].toggle(tr("osm", lang), key="c_osm", value=has_osm, disabled=not has_osm)  # cached: used
    return modes, statuses, origin_set, bool(use_osm and has_osm)


def about_model(net, lang: str, has_osm: bool) -> None:
    """One plain sentence on the road network in use; configuration and admin hints in an expander."""
    osm = net.graph.graph.get("road_source") == "osm"
    st.caption(t("c22_roads_osm" if osm else "c22_roads_strategic", lang))
    with st.expander(t("c22_about", lang)):
        st.caption(t("c22_about_config", lang, cid=net.config_id, nodes=len(net.nodes), edges=len(net.edges)))
        if not has_osm:
            st.caption(t("c22_osm_hint", lang))


def main() -> None:
    lang = lang_of(st.session_state, st.query_params)  # the app's one switch (app.py)
    st.title(tr("title", lang))
    frames, error = frames_once()
    if frames is None:
        st.warning(md(error, limit=600))
        return
    has_osm = osm_roads.cache_path().exists()
    modes, statuses, origin_set, use_osm = controls(lang, has_osm)
    net = network_once(use_osm)
    about_model(net, lang, has_osm)
    if left := n_unlocated(frames.resources) + n_unlocated(frames.parks):  # issue 21: routed only where placed
        st.caption(t("t21_conn_left_out", lang, n=left))
    tabs = st.tabs([tr(k, lang) for k in ("matrix", "iso", "critical", "scenario")]
                   + [t(k, lang) for k in ("c_tab_route", "c_tab_commute", "c_tab_validation")])
    with tabs[0]:
        matrix_tab(net, lang, use_osm, origin_set, modes, statuses)
    alt = scenario_controls(net, lang, statuses)
    with tabs[1]:
        iso_tab(net, lang, use_osm, origin_set, modes, statuses, alt)
    with tabs[2]:
        critical_tab(net, lang, use_osm, origin_set, modes, statuses)
    with tabs[3]:
        scenario_tab(net, lang, use_osm, origin_set, modes, statuses, alt)
    with tabs[4]:
        route_fragment(lang, use_osm, modes, statuses)
    with tabs[5]:
        commute_tab(lang)
    with tabs[6]:
        validation_tab(lang)


def matrix_tab(net, lang, use_osm, origin_set, modes, statuses) -> None:
    matrix, indices, gravity, lost = matrix_cached(use_osm, origin_set, modes, statuses)
    if origin_set == "clusters":
        st.caption(t("c_cluster_method", lang))
    st.dataframe(heat_table(matrix, net, lang), use_container_width=True)
    unreachable_text(net, matrix, lost, lang, modes, statuses)
    cols = st.columns(2)
    cols[0].table(indices_table(indices, lang))
    cols[1].caption(tr("gravity_note", lang))
    shown = pd.Series(gravity.to_numpy(), index=cd.node_labels(net.graph, list(gravity.index), lang),
                      name=t("c22_gravity", lang))
    cols[1].dataframe(shown.sort_values(ascending=False).to_frame().style.background_gradient(cmap="Blues")
                      .format(precision=2), use_container_width=True)
    result_downloads(matrix, title="connectivity_matrix", key="dl_matrix", lang=lang,
                     stem=f"matrix_{origin_set}_{modes}_{statuses}_{net.config_id}")


def unreachable_text(net, matrix: pd.DataFrame, lost, lang: str, modes: str, statuses: str) -> None:
    """Every unreachable cell as text with the reason (which leg is missing)."""
    bad = ~np.isfinite(matrix.to_numpy(dtype=float))
    if lost is not None:
        bad |= lost.to_numpy(dtype=float) > 0
    rows, cols = np.where(bad)
    if not len(rows):
        return
    lines = []
    for i, j in list(zip(rows, cols, strict=True))[:30]:
        a, b = matrix.index[i], matrix.columns[j]
        if lost is not None:
            why = t("c_reason_lost", lang, share=float(lost.iat[i, j]))
        else:
            why = t(f"c_reason_{unreachable_reason(net, a, b, modes=modes, scenario=Scenario(statuses, statuses))}", lang)
        lines.append(f"- {_labels(net, [a], lang)[0]} → {_labels(net, [b], lang)[0]}: {why}")
    st.warning(t("c_unreachable_list", lang) + "\n" + "\n".join(lines))


@st.cache_resource(show_spinner=False)
def districts_once():
    from layers import districts

    return districts.load()


def _map(layers, lang: str, key: str, *, legend: list, frame=None) -> None:
    """A result map with its own legend, framed to ``frame`` (GeoDataFrames in WGS84 whose bounds it fits)."""
    frames, _ = frames_once()
    context = style.context_layers(districts_once(), frames.links, frames.metro_lines, lang=lang)
    m = build_map(context + layers, MapView(lang=lang, legend=legend))
    shown = [f for f in (frame or []) if f is not None and len(f) and not f.geometry.is_empty.all()]
    if shown:
        x0, y0, x1, y1 = np.array([f.to_crs(WGS84).total_bounds for f in shown]).T
        pad = 0.01
        m.fit_bounds([[float(y0.min()) - pad, float(x0.min()) - pad], [float(y1.max()) + pad, float(x1.max()) + pad]])
    show_map(m, key=key, height=560, use_container_width=True, returned_objects=[])


@st.cache_data(show_spinner=False, max_entries=32)
def point_isochrones_cached(use_osm: bool, lon: float, lat: float, modes: str, statuses: str, alt: tuple):
    net = network_once(use_osm)
    point = gpd.GeoDataFrame({"id": ["custom"], "name_zh": ["自定义点"], "name_en": ["Custom point"]},
                             geometry=[Point(lon, lat)], crs=WGS84)
    local = compile_network(attach_points(net.graph, point, prefix="point"))
    iso = isochrones(local, "point:custom", cutoffs=CONNECTIVITY.cutoffs_min, modes=modes,
                     scenario=Scenario(statuses, statuses))
    change = isochrone_change(local, "point:custom", cutoffs=CONNECTIVITY.cutoffs_min, modes=modes,
                              base=Scenario(statuses, statuses), alt=alt_scenario(alt))
    return iso, change, local.graph.nodes["point:custom"]


def iso_tab(net, lang, use_osm, origin_set, modes, statuses, alt) -> None:
    custom = st.toggle(tr("custom", lang), key="c_custom")
    if custom:
        cols = st.columns(2)
        lon = cols[0].number_input("lon (WGS84)", 119.5, 121.1, 120.38, step=0.01, format="%.4f", key="c_lon")
        lat = cols[1].number_input("lat (WGS84)", 35.4, 37.1, 36.07, step=0.01, format="%.4f", key="c_lat")
        iso, change, node = point_isochrones_cached(use_osm, round(lon, 5), round(lat, 5), modes, statuses, alt)
        origin = "point:custom"
    else:
        nodes = origin_nodes(net, origin_set)
        origin = st.selectbox(tr("origin", lang), nodes, key=f"c_iso_origin_{origin_set}",
                              format_func=lambda n: cd.node_labels(net.graph, [n], lang)[0])
        iso, change = isochrones_cached(use_osm, origin, modes, statuses, alt)
        node = net.graph.nodes[origin]
    layers = style.isochrone_layers(iso, lang=lang)
    if not change.geometry.is_empty.all():
        layers.append(style.gain_layer(change[~change.geometry.is_empty], lang=lang))
    point = gpd.GeoDataFrame({"id": [origin], "name_zh": [node.get("name_zh", "")], "name_en": [node.get("name_en", "")]},
                             geometry=[Point(node["x"], node["y"])], crs=MEASURE_CRS).to_crs(WGS84)
    layers.append(style.origin_layer(point, lang=lang))
    _map(layers, lang, f"iso_map_{lang}", legend=style.iso_legend(CONNECTIVITY.cutoffs_min, lang=lang),
         frame=[iso, change[~change.geometry.is_empty], point])
    table = pd.DataFrame({t("c22_iso_name", lang): iso["name_zh" if lang == "zh" else "name_en"],
                          t("c22_cutoff", lang): iso["cutoff_min"], t("c22_area", lang): iso["area_km2"].round(1)})
    st.dataframe(table, use_container_width=True, hide_index=True)
    result_downloads(cd.with_params(iso), title="connectivity_isochrones", geo=True, key="dl_iso", lang=lang,
                     stem=f"isochrones_{origin.replace(':', '_')}_{modes}_{net.config_id}")


def result_downloads(frame: pd.DataFrame, *, title: str, stem: str, key: str, lang: str, geo: bool = False,
                     params: bool = True) -> None:
    """A result as GeoJSON with its metadata inside, or as CSV with its metadata beside it (sources,
    licences and attribution of the network's layers, the analysis parameters). Files are made when
    clicked, and a click does not rerun the page (a second click still finds its file)."""
    how = downloads.download_kwargs(frames_once()[0], title)
    quiet = {"on_click": "ignore"}
    if geo:
        st.download_button("GeoJSON", lambda: analysis_geojson(frame, **how), file_name=f"{stem}.geojson",
                           mime="application/geo+json", key=key, **quiet)
        return
    cols = st.columns(2)
    cols[0].download_button("CSV", lambda: csv_bytes(cd.with_params(frame) if params else frame),
                            file_name=f"{stem}.csv", mime="text/csv", key=key, **quiet)
    cols[1].download_button(t("c_dl_meta", lang), lambda: analysis_metadata(frame, **how),
                            file_name=f"{stem}.csv.meta.json", mime="application/json", key=f"{key}_meta", **quiet)


def critical_tab(net, lang, use_osm, origin_set, modes, statuses) -> None:
    bar = st.progress(0.0, text=tr("run", lang))
    ranking, geoms = critical_cached(use_osm, origin_set, modes, statuses,
                                     progress=lambda k, n: bar.progress(k / n, text=f"{k}/{n}"))
    bar.empty()
    penalty = net.graph.graph["config"]["unreachable_penalty_min"]
    st.caption(t("c22_critical_note", lang, origins=tr(origin_set, lang, LABELS), penalty=penalty))
    shown = critical_table(ranking, lang)
    st.dataframe(shown.head(25).style.background_gradient(subset=[t("c22_delta", lang)], cmap="Reds")
                 .format(precision=1), use_container_width=True, hide_index=True)
    shown_geoms = geoms.dropna(subset=["geometry"])
    _map([style.critical_layer(shown_geoms, ranking, lang=lang)] if len(shown_geoms) else [], lang, f"crit_map_{lang}",
         legend=style.critical_legend(lang=lang), frame=[shown_geoms])
    if not len(shown_geoms):
        st.caption("没有移除后会变慢的连接。" if lang == "zh" else "No link makes these trips slower when removed.")
    result_downloads(ranking, title="connectivity_critical_links", key="dl_crit", lang=lang,
                     stem=f"critical_links_{origin_set}_{modes}_{net.config_id}")


CRITICAL_COLUMNS = {"mean_before": "c22_mean_before", "mean_after": "c22_mean_after", "delta_min": "c22_delta",
                    "worst_after": "c22_worst_after", "disconnected_pairs": "c22_disconnected"}


def critical_table(ranking: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The ranking for reading: the link's name, then the figures under headers with units."""
    out = pd.DataFrame({t("c22_link", lang): ranking["name_zh" if lang == "zh" else "name_en"]})
    for col, key in CRITICAL_COLUMNS.items():
        out[t(key, lang)] = ranking[col]
    return out


def scenario_sentence(net, lang: str, origin_set: str, modes: str, statuses: str, alt: tuple, pairs: int) -> str:
    status, add, remove = alt
    names = net.graph.graph.get("link_names", {})
    def listed(ids):
        return "、".join(names.get(i, (i, i))[0 if lang == "zh" else 1] for i in ids)
    extra = (t("c22_with", lang, links=listed(add)) if add else "") + (
        t("c22_without", lang, links=listed(remove)) if remove else "")
    return t("c22_scenario_sentence", lang, base=tr(statuses, lang, LABELS), alt=tr(status, lang, LABELS), extra=extra,
             modes=tr(modes, lang, LABELS), origins=tr(origin_set, lang, LABELS), pairs=f"{pairs:,}")


def scenario_tab(net, lang, use_osm, origin_set, modes, statuses, alt) -> None:
    res = scenario_cached(use_osm, origin_set, modes, statuses, alt)
    ind = res["indices"]
    cols = st.columns(3)
    for col, key in zip(cols, ("mean_min", "worst_min", "share_within"), strict=True):
        fmt = "{:.0%}" if key == "share_within" else "{:.1f}"
        col.metric(tr(key, lang, INDEX_LABELS), fmt.format(ind.at[key, "after"]),
                   delta=fmt.format(ind.at[key, "change"]), delta_color="inverse" if key != "share_within" else "normal")
    st.table(indices_table(ind.rename(columns={"before": tr("before", lang), "after": tr("after", lang),
                                               "change": t("c22_change", lang)}), lang))
    st.subheader(tr("diff", lang))
    st.dataframe(heat_table(res["diff"], net, lang, diverging=True), use_container_width=True)
    result_downloads(res["diff"], title="connectivity_scenario_diff", key="dl_scen", lang=lang, params=False,
                     stem=f"scenario_diff_{origin_set}_{statuses}_vs_{alt[0]}_{net.config_id}")
    st.caption(scenario_sentence(net, lang, origin_set, modes, statuses, alt, int(ind.at["pairs", "before"])))



@st.cache_data(show_spinner=False, max_entries=32)
def route_cached(use_osm: bool, origin: str, destination: str, modes: str, statuses: str):
    frames, _ = frames_once()
    places = [cd.resolve_place(frames, text) for text in (origin, destination)]
    minutes, legs, reason = cd.route_between(network_once(use_osm).graph, *places, modes=modes, scenario=statuses)
    return minutes, legs, reason, places


@st.fragment
def route_fragment(lang, use_osm, modes, statuses) -> None:
    """The route query reruns only itself (issue 23: a new destination answers in under a second, not
    after the page's six other tabs are rebuilt); its own error boundary, as a fragment rerun runs
    outside the page's."""
    with boundary(st.error, lang, where="connectivity/route"):
        route_tab(lang, use_osm, modes, statuses)


def route_tab(lang, use_osm, modes, statuses) -> None:
    from analysis.routes import describe_leg

    cols = st.columns(2)
    origin = cols[0].text_input(t("c_route_from", lang), "崂山实验室", key="c_route_from")
    destination = cols[1].text_input(t("c_route_to", lang), "胶东机场", key="c_route_to")
    try:
        minutes, legs, reason, places = route_cached(use_osm, origin, destination, modes, statuses)
    except cd.UnplacedError as exc:
        st.warning(t("c22_no_place", lang, name=exc.name_zh if lang == "zh" else exc.name_en))
        return
    except ValueError as exc:
        st.warning(t("c_place_error", lang, err=str(exc)))
        return
    if not np.isfinite(minutes):
        st.warning(f"{t('c_unreachable', lang)}: {t(f'c_reason_{reason}', lang)}")
        return
    st.metric(t("c_route_minutes", lang), f"{minutes:.0f}")
    parking = [t("c22b_parking", lang, minutes=leg["fixed_min"]) if leg["kind"] == "drive" and leg["fixed_min"] > 0
               else "" for _, leg in legs.iterrows()]  # issue 22b: a car leg's minutes include parking
    st.dataframe(pd.DataFrame({t("c22_leg", lang): [describe_leg(leg, lang).rsplit("  ", 1)[0] + extra
                                                      for (_, leg), extra in zip(legs.iterrows(), parking,
                                                                                 strict=True)],
                               t("c22_minutes", lang): legs["minutes"].round(1).to_numpy(),
                               t("c22_km", lang): legs["km"].round(1).to_numpy()}),
                 use_container_width=True, hide_index=True)
    shown = legs.dropna(subset=["geometry"]).copy()
    shown["name_zh"] = [f"{r.line_zh} {r.minutes:.0f} 分钟，{r.km:.1f} 公里" for r in shown.itertuples()]
    shown["name_en"] = [f"{r.line_en} {r.minutes:.0f} min, {r.km:.1f} km" for r in shown.itertuples()]
    layers = [style.route_layer(shown, title=t("c_route_layer", lang))] if len(shown) else []
    ends = gpd.GeoDataFrame(pd.concat(places, ignore_index=True), geometry="geometry", crs=WGS84)
    layers.append(style.origin_layer(ends, lang=lang))
    _map(layers, lang, f"route_map_{lang}", legend=style.route_legend(lang=lang), frame=[shown, ends])


@st.cache_data(show_spinner="通勤圈 Commute circle…")
def commute_cached():
    table, circles = report.commute()
    return table, circles


def commute_tab(lang) -> None:
    table, circles = commute_cached()
    st.caption(t("c_commute_note", lang))
    wide = table.pivot(index="cluster", columns="cutoff_min", values=["resource_share", "land_share"])
    wide = wide.reindex(list(report.NAMES))
    wide.index = [report.NAMES[c][0 if lang == "zh" else 1] for c in wide.index]
    wide.columns = [f"{t('c_' + k, lang)} ≤{c} min" for k, c in wide.columns]
    st.dataframe(wide.style.format("{:.1%}"), use_container_width=True)
    layers = []
    bands = circles[circles["cluster"] != "corridor"].sort_values("cutoff_min", ascending=False)
    for rank, (cutoff, group) in enumerate(bands.groupby("cutoff_min", sort=False)):
        frame = group.assign(name_zh=[f"{report.NAMES[c][0]} ≤{cutoff} 分钟" for c in group["cluster"]],
                             name_en=[f"{report.NAMES[c][1]} ≤{cutoff} min" for c in group["cluster"]])
        layers.append(style.commute_layer(frame, cutoff, rank, lang=lang))
    _map(layers, lang, f"commute_map_{lang}", legend=style.commute_legend(sorted(set(bands["cutoff_min"])), lang=lang),
         frame=[bands])


@st.cache_data(show_spinner=False)
def validation_cached():
    from analysis.validate import validate

    return validate()


def validation_tab(lang) -> None:
    from analysis.validate import validation_shares

    st.caption(t("c_validation_note", lang))
    result = validation_cached()
    frames, _ = frames_once()
    shares = validation_shares(result)
    st.caption(t("c22_shares", lang, text="; ".join(
        f"{t('c22_' + r.mode_class, lang)} {r.within}/{r.trips}" for r in shares.itertuples(index=False))))
    yes_no = {"yes": t("c22_yes", lang), "no": t("c22_no", lang)}
    table = pd.DataFrame({
        t("c22_trip", lang): measures.trip_labels(result, frames, lang),
        t("c22_mode_class", lang): [t(f"c22_{m}", lang) for m in result["mode_class"]],
        t("c22_use", lang): [t(f"c22_{u}", lang) for u in result["use"]],
        t("c22_reliable", lang): result["reliable"].map(yes_no),
        t("c22_published", lang): result["published_min"],
        t("c22_model", lang): result["model_min"].round(1),
        t("c22_ratio", lang): result["ratio"].round(2),
        t("c22_ok", lang): [yes_no["yes" if ok else "no"] for ok in result["ok"]],
        t("c22_source", lang): result["source"], t("c22_date", lang): result["source_date"],
        t("c22_quote", lang): result["quote"],
    })
    st.dataframe(table, use_container_width=True, hide_index=True)


with boundary(st.error, lang_of(st.session_state, st.query_params), where="connectivity"):
    main()
