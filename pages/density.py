"""Density panel: how "innovation-resource-rich" are the three bays? (thin page over analysis.density)."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from analysis.density import clark_evans, compare_bays, counts_by_zone, hexagons, hot_spots, kernel_density
from atlas.export import csv_bytes
from atlas.i18n import t
from atlas.pagekit import boundary, md, page_lang
from atlas.settings import DENSITY, UPLOAD
from atlas.workers import read_upload_isolated
from layers import clusters, coast, districts, resources
from layers.atlas_map import MapLayer, MapView
from layers.density_style import SCHEMES, choropleth, describe, fill_style, gi_layer
from layers.density_map import (HEX_VECTOR_LIMIT, POINT_MARKER_LIMIT, build_density_map, hex_raster, kde_raster,
                                points_raster)

ZONES = {"clusters": ("湾区集聚区 Bay clusters", "cluster"), "districts": ("区(市) Districts", "id")}
METRICS = {"weighted_per_km2": "加权密度 Weighted per km²", "per_km2": "密度 Count per km²",
           "count": "数量 Count", "weighted": "加权数量 Weighted count"}
MAP_LAYERS = ("zones", "hexes", "kde", "points")  # what can be drawn; only the switched-on ones are built
NO_WEIGHT = "无 none (unweighted)"
UPLOAD_TYPES = ["csv", "txt", "tsv", "xlsx", "geojson", "json", "zip", "kml", "kmz", "gpkg"]
#: every cache of uploads and analysis steps is bounded (entries and time): the server must not grow
BOUNDED = {"show_spinner": False, "max_entries": UPLOAD.cache_entries, "ttl": UPLOAD.cache_ttl_s}


@st.cache_resource(**BOUNDED)
def points(digest: str | None, name: str | None, crs: str, lon: str | None, lat: str | None, _data: bytes | None):
    """(points, problems): the atlas's resources layer, or the analyst's file, keyed by its digest (the
    bytes are not hashed on every rerun). A shared resource, not a per-call copy: a million points are
    held once, never mutated; big files are parsed in a worker process (atlas/workers.py)."""
    if digest is None:
        return resources.load(), []
    return read_upload_isolated(_data, name or "", crs=crs, lon=lon or None, lat=lat or None)


@st.cache_data(show_spinner=False, max_entries=4)
def zones(key: str):
    return clusters.bay_clusters() if key == "clusters" else districts.load()


@st.cache_data(show_spinner=False, max_entries=1)
def city():
    return coast.load_city()


@st.cache_data(**BOUNDED)
def step_counts(src: tuple, zone_key: str, weight: str | None, _pts):
    pts = _pts
    z = zones(zone_key)
    return (counts_by_zone(pts, z, zone_id=ZONES[zone_key][1], weight=weight, city=city()),
            clark_evans(pts, z, zone_id=ZONES[zone_key][1]))


@st.cache_data(**BOUNDED)
def step_kde(src: tuple, weight: str | None, bandwidth_m: float, cell_m: float, _pts):
    return kernel_density(_pts, bandwidth_m=bandwidth_m, cell_m=cell_m, weight=weight, land=city())


@st.cache_data(**BOUNDED)
def step_hexes(src: tuple, weight: str | None, resolution: int, k_ring: int, confidence: float, _pts):
    hexes = hexagons(_pts, resolution=resolution, weight=weight, land=city())
    return hot_spots(hexes, value="weighted" if weight else "count", k_ring=k_ring, confidence=confidence)


@st.cache_data(**BOUNDED)
def step_compare(src: tuple, weight: str | None, type_col: str | None, bandwidth_m: float, cell_m: float,
                 resolution: int, k_ring: int, confidence: float, _pts):
    return compare_bays(_pts, zones("clusters"), city=city(), weight=weight, type_col=type_col,
                        bandwidth_m=bandwidth_m, cell_m=cell_m, resolution=resolution, k_ring=k_ring,
                        confidence=confidence)


def source_widgets(lang: str) -> tuple | None:
    """Sidebar: which points: the arguments of :func:`points` (None = awaiting upload)."""
    mode = st.sidebar.radio("数据 Points", ["atlas", "upload"], horizontal=True, key="w_source",
                            format_func=lambda m: "图集创新资源 Atlas resources" if m == "atlas" else "上传 Upload")
    if mode == "atlas":
        return (None, None, "WGS84", None, None, None)
    file = st.sidebar.file_uploader("CSV · Excel · GeoJSON · JSON · Shapefile (.zip) · KML · GeoPackage",
                                    type=UPLOAD_TYPES)
    crs = st.sidebar.selectbox("坐标系 Declared CRS", ["WGS84", "GCJ-02", "BD-09", "EPSG:4549", "EPSG:32650",
                                                       "EPSG:32651"])
    lon = st.sidebar.text_input("经度列 Longitude/x column (blank = detect)", "")
    lat = st.sidebar.text_input("纬度列 Latitude/y column (blank = detect)", "")
    if file is not None:  # keep the upload for the whole session (other pages, reruns)
        st.session_state["density_upload"] = (file.name, file.getvalue())
    kept = st.session_state.get("density_upload")
    if kept is None:
        return None
    name, data = kept[0], kept[1]
    if st.session_state.get("density_digest", (None,))[0] is not data:  # hash each upload once, not per rerun
        st.session_state["density_digest"] = (data, hashlib.blake2b(data, digest_size=16).hexdigest())
    if file is None:
        st.sidebar.caption(t("upload_kept", lang, name=md(name)))
    return (st.session_state["density_digest"][1], name, crs, lon.strip(), lat.strip(), data)


def usable_weight(pts, column: str) -> bool:
    values = pd.to_numeric(pts[column], errors="coerce").to_numpy(dtype=float)
    return bool(len(values)) and bool(np.all(np.isfinite(values) & (values >= 0)))


def parameter_widgets(pts) -> dict:
    numeric = [c for c in pts.columns if c != "geometry" and pd.api.types.is_numeric_dtype(pts[c])]
    options = [NO_WEIGHT, *numeric]
    default = options.index("weight") if "weight" in options and usable_weight(pts, "weight") else 0
    lo_bw, hi_bw = DENSITY.bandwidth_range_m
    lo_c, hi_c = DENSITY.cell_range_m
    lo_r, hi_r = DENSITY.h3_range
    return {
        "zone_key": st.sidebar.selectbox("分区 Zones", list(ZONES), format_func=lambda k: ZONES[k][0], key="w_zones"),
        "metric": st.sidebar.selectbox("着色 Colour zones by", list(METRICS), format_func=METRICS.get),
        "scheme": st.sidebar.selectbox("分级 Classes (mapclassify)", SCHEMES),
        "weight": st.sidebar.selectbox("权重 Weight column", options, index=default, key="w_weight"),
        "bandwidth_m": st.sidebar.slider("核密度带宽 KDE bandwidth (m)", lo_bw, hi_bw, DENSITY.bandwidth_m, 250.0),
        "cell_m": st.sidebar.slider("格网 Grid cell (m)", lo_c, hi_c, max(DENSITY.cell_m, 500.0), 50.0),
        "resolution": st.sidebar.slider("H3 分辨率 resolution", lo_r, hi_r, DENSITY.hotspot_resolution),
        "k_ring": st.sidebar.slider("Gi* 邻域 k-ring", 1, 3, DENSITY.k_ring),
        "confidence": st.sidebar.select_slider("置信度 Confidence", [0.90, 0.95, 0.99], DENSITY.confidence),
        "hex_colour": st.sidebar.radio("六边形 Hexagons by", ["gi", "count"], horizontal=True,
                                       format_func=lambda v: "Gi* 冷热点" if v == "gi" else "数量 count"),
        "shown": tuple(st.sidebar.multiselect(both("dmap_layers"), MAP_LAYERS, default=["zones", "hexes", "points"],
                                              format_func=lambda k: both(f"dmap_{k}"), key="w_dmap_layers")),
    }


def both(key: str, **fmt) -> str:
    return f"{t(key, 'zh', **fmt)} · {t(key, 'en', **fmt)}"


def run(src: tuple, p: dict, pts):
    """What the map needs (counts, Gi* hexagons); the KDE only when its layer is switched on."""
    if p["weight"] is not None and not usable_weight(pts, p["weight"]):
        msg = (f"权重列 {p['weight']!r} 含空值、负值或非有限值；请修正文件或选择“无” · Weight column {p['weight']!r} "
               "has missing, negative or non-finite values: fix those rows or choose “none” as the weight.")
        raise ValueError(msg)
    key = src[:5]  # the cache key (digest, name, crs, lon, lat): never the bytes
    bar = st.progress(0, text="计数 Counting…")
    counts, ce = step_counts(key, p["zone_key"], p["weight"], pts)
    if p["cell_m"] > p["bandwidth_m"]:
        st.warning("格网大于带宽，已设为带宽 · cell larger than bandwidth: using cell = bandwidth")
        p["cell_m"] = p["bandwidth_m"]
    bar.progress(40, text="H3 / Gi*…")
    hexes = step_hexes(key, p["weight"], p["resolution"], p["k_ring"], p["confidence"], pts)
    bar.progress(70, text="核密度 Kernel density…")
    kde = step_kde(key, p["weight"], p["bandwidth_m"], p["cell_m"], pts) if "kde" in p["shown"] else None
    bar.empty()
    return counts, ce, hexes, kde


@st.cache_resource(show_spinner=False, max_entries=8)  # read-only; holds a style function
def layer_points(key: tuple, _pts):
    pts = _pts
    if len(pts) <= POINT_MARKER_LIMIT:
        return MapLayer("points", "点 Points", pts, {"color": "#222", "fillColor": "#fff", "weight": 1,
                                                      "fillOpacity": 0.9}, point_radius=3), []
    return points_raster(pts, title="点 Points", unit=both("dmap_per_pixel"))


@st.cache_resource(show_spinner=False, max_entries=8)  # read-only; holds a style function
def layer_kde(key: tuple, weight: str | None, bandwidth_m: float, cell_m: float, _pts):
    kde = step_kde(key, weight, bandwidth_m, cell_m, _pts)
    shown = kde[kde["density"] >= 0.02 * kde["density"].max()]
    kframe, _ = choropleth(shown, "density", scheme="Quantiles", label="/km²")
    return kde_raster(kframe, grid=kde.attrs["params"]["grid"], cell_m=cell_m, title="核密度 KDE")


@st.cache_resource(show_spinner=False, max_entries=8)  # read-only; holds a style function
def layer_hexes(key: tuple, weight: str | None, resolution: int, k_ring: int, confidence: float, colour: str,
                _pts):
    hexes = step_hexes(key, weight, resolution, k_ring, confidence, _pts)
    if colour == "gi":
        hframe, hlegend = gi_layer(hexes[(hexes["gi_class"] != "not significant") | (hexes["count"] > 0)])
    else:
        hframe, hlegend = choropleth(hexes[hexes["count"] > 0], "count", scheme="Quantiles", label="per hex")
    if len(hframe) > HEX_VECTOR_LIMIT:
        return hex_raster(hframe, title="六边形 Hexagons"), hlegend
    hframe = describe(hframe, {"h3": "H3", "count": "count", "weighted": "weighted", "gi_z": "Gi* z",
                               "gi_class": "class"}, title_zh="六边形", title_en="Hexagon")
    return MapLayer("hexes", "六边形 Hexagons", hframe, fill_style(0.6)), hlegend


def map_layers(key: tuple, counts, p, pts) -> tuple[list, list]:
    """Only the switched-on layers, each built once per parameter set (cached)."""
    layers, legend = [], []
    if "zones" in p["shown"]:
        zframe, legend = choropleth(counts, p["metric"], scheme=p["scheme"], colours="Greens",
                                    label=METRICS[p["metric"]].split(" ", 1)[1])
        zframe = describe(zframe, {"count": "count", "weighted": "weighted", "per_km2": "per km²",
                                   "weighted_per_km2": "weighted per km²", "share": "share"},
                          title_zh="分区", title_en="zone")
        layers.append(MapLayer("zones", "分区密度 Zone density", zframe, fill_style(0.55)))
    if "kde" in p["shown"]:
        layers.append(layer_kde(key, p["weight"], p["bandwidth_m"], p["cell_m"], pts))
    if "hexes" in p["shown"]:
        hlayer, hlegend = layer_hexes(key, p["weight"], p["resolution"], p["k_ring"], p["confidence"], p["hex_colour"],
                                      pts)
        layers.append(hlayer)
        legend = legend + hlegend
    if "points" in p["shown"]:
        player, plegend = layer_points(key, pts)
        layers.append(player)
        legend = legend + plegend
    return layers, legend


def how_drawn(layers: list, n_points: int) -> str:
    """One sentence per layer on how it is drawn (image layers say their pixel size)."""
    parts = []
    for layer in layers:
        d = getattr(layer, "described", None)
        if layer.key == "points":
            parts.append(both("dmap_points_image", n=n_points, **d) if d else both("dmap_points_markers", n=n_points))
        elif d and layer.key == "hexes":
            parts.append(both("dmap_hexes_image", **d))
        elif d and layer.key == "kde":
            parts.append(both("dmap_kde_image", **d))
    return " ".join(parts)


def downloads(key: tuple, p: dict, counts, hexes, table, problems, pts) -> None:
    """Each file is made when its button is clicked (callable data), not on every rerun."""
    geo = "application/geo+json"
    cols = st.columns(5)
    cols[0].download_button("分区 GeoJSON", lambda: counts.to_json(drop_id=True), "density_zones.geojson", geo)
    cols[1].download_button("六边形 GeoJSON", lambda: hexes.to_json(drop_id=True), "density_hexes.geojson", geo)
    cols[2].download_button("核密度 GeoJSON", lambda: step_kde(key, p["weight"], p["bandwidth_m"], p["cell_m"], pts).to_json(
        drop_id=True), "density_kde.geojson", geo)
    cols[3].download_button("三湾对比 CSV", csv_bytes(table), "bay_comparison.csv", "text/csv")  # small, on the page
    cols[4].download_button("问题行 CSV", lambda: problem_csv(problems), "row_problems.csv", "text/csv",
                            disabled=not problems)


def problem_csv(problems: list[dict]) -> bytes:
    return csv_bytes(pd.DataFrame(problems, columns=["row", "reason", "message"]))


def show_problems(problems: list[dict], lang: str) -> None:
    """The first rows with problems on the page (bounded), all of them in a download."""
    shown = problems[: UPLOAD.problems_listed]
    with st.expander(f"{len(problems)} 行有问题，已跳过 · rows with problems, skipped", expanded=True):
        st.dataframe(pd.DataFrame(shown, columns=["row", "reason", "message"]), hide_index=True)
        if len(problems) > len(shown):
            st.caption(t("problems_more", lang, shown=len(shown), total=len(problems)))
            st.download_button("问题行 CSV · Problem rows CSV", problem_csv(problems), "row_problems.csv",
                               "text/csv", key="problems_all")


def compare(key: tuple, p: dict, type_col, pts):
    return step_compare(key, p["weight"], type_col, p["bandwidth_m"], p["cell_m"], p["resolution"], p["k_ring"],
                        p["confidence"], pts)


def main() -> None:
    lang = page_lang(st.session_state, st.query_params)
    with boundary(st.error, lang, where="density"):
        page(lang)


def page(lang: str) -> None:
    st.title("创新资源密度 · Innovation-resource density")
    st.caption("“创新资源富集”的度量：三湾的数量、加权密度、核密度、H3 热点与点格局。所有量在 EPSG:4549 中计算。 "
               "Counts, weighted densities, KDE, H3 hot spots and point pattern, measured in EPSG:4549.")
    src = source_widgets(lang)
    if src is None:
        st.info("上传 CSV 或 GeoJSON 以分析您自己的点 · Upload a CSV or GeoJSON to analyse your own points.")
        return
    pts, problems = points(*src)
    if problems:
        show_problems(problems, lang)
    if len(pts) < 2:
        st.info("需要至少两个有效点 · At least two valid points are needed.")
        return
    p = parameter_widgets(pts)
    p["weight"] = None if p["weight"] == NO_WEIGHT else p["weight"]
    type_col = "type" if "type" in pts.columns else None
    counts, ce, hexes, _ = run(src, p, pts)
    key = src[:5]  # the cache key (digest, name, crs, lon, lat): never the bytes
    layers, legend = map_layers(key, counts, p, pts)
    st_folium(build_density_map(layers, MapView(legend=legend)), key="density_map", height=600,
              use_container_width=True, returned_objects=[])
    st.caption(how_drawn(layers, len(pts)))
    with st.spinner("三湾对比 Comparing the bays…"):  # after the map: the map is drawn meanwhile
        table = compare(key, p, type_col, pts)
    st.subheader("三湾对比 · The three bays compared")
    st.dataframe(table, width="stretch")
    st.bar_chart(table.loc[table.index != "city", ["per_km2", "weighted_per_km2", "kde_mean"]])
    st.caption(md(f"参数 Parameters: {table.attrs.get('params', {})}", limit=600))
    st.subheader(f"{ZONES[p['zone_key']][0]}")
    st.dataframe(pd.DataFrame(counts.drop(columns="geometry")).merge(ce, on="zone", suffixes=("", "_ce")),
                 hide_index=True, width="stretch")
    downloads(key, p, counts, hexes, table, problems, pts)


main()
