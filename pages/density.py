"""Density panel: how "innovation-resource-rich" are the three bays? (thin page over analysis.density)."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from analysis.density import clark_evans, compare_bays, counts_by_zone, hexagons, hot_spots, kernel_density
from analysis.points_io import read_points
from atlas.settings import DENSITY
from layers import clusters, coast, districts, resources
from layers.atlas_map import MapLayer, MapView, build_map
from layers.density_style import SCHEMES, choropleth, describe, fill_style, gi_layer

ZONES = {"clusters": ("湾区集聚区 Bay clusters", "cluster"), "districts": ("区(市) Districts", "id")}
METRICS = {"weighted_per_km2": "加权密度 Weighted per km²", "per_km2": "密度 Count per km²",
           "count": "数量 Count", "weighted": "加权数量 Weighted count"}
MAX_MAP_CELLS = 12_000
NO_WEIGHT = "无 none (unweighted)"


@st.cache_data(show_spinner=False)
def points(data: bytes | None, kind: str | None, crs: str, lon: str | None, lat: str | None):
    """(points, problems): the atlas's resources layer, or the analyst's file."""
    if data is None:
        return resources.load(), []
    return read_points(data, kind=kind, crs=crs, lon=lon or None, lat=lat or None)


@st.cache_data(show_spinner=False)
def zones(key: str):
    return clusters.bay_clusters() if key == "clusters" else districts.load()


@st.cache_data(show_spinner=False)
def city():
    return coast.load_city()


@st.cache_data(show_spinner=False)
def step_counts(src: tuple, zone_key: str, weight: str | None):
    pts, _ = points(*src)
    z = zones(zone_key)
    return (counts_by_zone(pts, z, zone_id=ZONES[zone_key][1], weight=weight, city=city()),
            clark_evans(pts, z, zone_id=ZONES[zone_key][1]))


@st.cache_data(show_spinner=False)
def step_kde(src: tuple, weight: str | None, bandwidth_m: float, cell_m: float):
    return kernel_density(points(*src)[0], bandwidth_m=bandwidth_m, cell_m=cell_m, weight=weight, land=city())


@st.cache_data(show_spinner=False)
def step_hexes(src: tuple, weight: str | None, resolution: int, k_ring: int, confidence: float):
    hexes = hexagons(points(*src)[0], resolution=resolution, weight=weight, land=city())
    return hot_spots(hexes, value="weighted" if weight else "count", k_ring=k_ring, confidence=confidence)


@st.cache_data(show_spinner=False)
def step_compare(src: tuple, weight: str | None, type_col: str | None, bandwidth_m: float, cell_m: float,
                 resolution: int, k_ring: int, confidence: float):
    return compare_bays(points(*src)[0], zones("clusters"), city=city(), weight=weight, type_col=type_col,
                        bandwidth_m=bandwidth_m, cell_m=cell_m, resolution=resolution, k_ring=k_ring,
                        confidence=confidence)


def source_widgets() -> tuple | None:
    """Sidebar: which points: the cache key tuple for :func:`points` (None = awaiting upload)."""
    mode = st.sidebar.radio("数据 Points", ["atlas", "upload"], horizontal=True,
                            format_func=lambda m: "图集创新资源 Atlas resources" if m == "atlas" else "上传 Upload")
    if mode == "atlas":
        return (None, None, "WGS84", None, None)
    file = st.sidebar.file_uploader("CSV / GeoJSON (UTF-8 / GBK)", type=["csv", "geojson", "json"])
    crs = st.sidebar.selectbox("坐标系 Declared CRS", ["WGS84", "GCJ-02", "BD-09", "EPSG:4549", "EPSG:32650",
                                                       "EPSG:32651"])
    lon = st.sidebar.text_input("经度列 Longitude/x column (blank = detect)", "")
    lat = st.sidebar.text_input("纬度列 Latitude/y column (blank = detect)", "")
    if file is not None:  # keep the upload for the whole session (other pages, reruns)
        st.session_state["density_upload"] = (file.name, file.getvalue())
    kept = st.session_state.get("density_upload")
    if kept is None:
        return None
    name, data = kept
    if file is None:
        st.sidebar.caption(f"使用本会话已上传的文件 · Using this session's upload: {name}")
    kind = "csv" if name.lower().endswith(".csv") else "geojson"
    return (data, kind, crs, lon.strip(), lat.strip())


def parameter_widgets(pts) -> dict:
    numeric = [c for c in pts.columns if c != "geometry" and pd.api.types.is_numeric_dtype(pts[c])]
    options = [NO_WEIGHT, *numeric]
    default = options.index("weight") if "weight" in options else 0
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
    }


def run(src: tuple, p: dict, type_col: str | None):
    bar = st.progress(0, text="计数 Counting…")
    counts, ce = step_counts(src, p["zone_key"], p["weight"])
    bar.progress(25, text="核密度 Kernel density…")
    if p["cell_m"] > p["bandwidth_m"]:
        st.warning("格网大于带宽，已设为带宽 · cell larger than bandwidth: using cell = bandwidth")
        p["cell_m"] = p["bandwidth_m"]
    kde = step_kde(src, p["weight"], p["bandwidth_m"], p["cell_m"])
    bar.progress(55, text="H3 / Gi*…")
    hexes = step_hexes(src, p["weight"], p["resolution"], p["k_ring"], p["confidence"])
    bar.progress(80, text="三湾对比 Comparing the bays…")
    table = step_compare(src, p["weight"], type_col, p["bandwidth_m"], p["cell_m"], p["resolution"], p["k_ring"],
                         p["confidence"])
    bar.progress(100, text="完成 Done")
    return counts, ce, kde, hexes, table


def map_layers(counts, kde, hexes, pts, p) -> tuple[list[MapLayer], list]:
    zframe, legend = choropleth(counts, p["metric"], scheme=p["scheme"], colours="Greens",
                                label=METRICS[p["metric"]].split(" ", 1)[1])
    zframe = describe(zframe, {"count": "count", "weighted": "weighted", "per_km2": "per km²",
                               "weighted_per_km2": "weighted per km²", "share": "share"},
                      title_zh="分区", title_en="zone")
    shown = kde[kde["density"] >= 0.02 * kde["density"].max()].nlargest(MAX_MAP_CELLS, "density")
    kframe, _ = choropleth(shown, "density", scheme="Quantiles", label="/km²")
    kframe = describe(kframe, {"density": "density /km²"}, title_zh="核密度", title_en="Kernel density")
    if p["hex_colour"] == "gi":
        hframe, hlegend = gi_layer(hexes[(hexes["gi_class"] != "not significant") | (hexes["count"] > 0)])
    else:
        hframe, hlegend = choropleth(hexes[hexes["count"] > 0], "count", scheme="Quantiles", label="per hex")
    hframe = describe(hframe, {"h3": "H3", "count": "count", "weighted": "weighted", "gi_z": "Gi* z",
                               "gi_class": "class"}, title_zh="六边形", title_en="Hexagon")
    layers = [MapLayer("zones", "分区密度 Zone density", zframe, fill_style(0.55)),
              MapLayer("kde", "核密度 KDE", kframe, fill_style(0.6, stroke=False), show=False),
              MapLayer("hexes", "六边形 Hexagons", hframe, fill_style(0.6)),
              MapLayer("points", "点 Points", pts.head(5000), {"color": "#222", "fillColor": "#fff", "weight": 1,
                                                               "fillOpacity": 0.9}, point_radius=3)]
    return layers, legend + hlegend


def downloads(counts, kde, hexes, table, problems) -> None:
    cols = st.columns(5)
    cols[0].download_button("分区 GeoJSON", counts.to_json(drop_id=True), "density_zones.geojson", "application/geo+json")
    cols[1].download_button("六边形 GeoJSON", hexes.to_json(drop_id=True), "density_hexes.geojson", "application/geo+json")
    cols[2].download_button("核密度 GeoJSON", kde.to_json(drop_id=True), "density_kde.geojson", "application/geo+json")
    cols[3].download_button("三湾对比 CSV", table.to_csv().encode("utf-8-sig"), "bay_comparison.csv", "text/csv")
    cols[4].download_button("问题行 CSV", pd.DataFrame(problems).to_csv(index=False).encode("utf-8-sig"),
                            "row_problems.csv", "text/csv", disabled=not problems)


def main() -> None:
    st.title("创新资源密度 · Innovation-resource density")
    st.caption("“创新资源富集”的度量：三湾的数量、加权密度、核密度、H3 热点与点格局。所有量在 EPSG:4549 中计算。 "
               "Counts, weighted densities, KDE, H3 hot spots and point pattern, measured in EPSG:4549.")
    src = source_widgets()
    if src is None:
        st.info("上传 CSV 或 GeoJSON 以分析您自己的点 · Upload a CSV or GeoJSON to analyse your own points.")
        return
    pts, problems = points(*src)
    if problems:
        with st.expander(f"{len(problems)} 行有问题，已跳过 · rows with problems, skipped", expanded=True):
            st.dataframe(pd.DataFrame(problems)[["row", "reason", "message"]], hide_index=True)
    if len(pts) < 2:
        st.info("需要至少两个有效点 · At least two valid points are needed.")
        return
    p = parameter_widgets(pts)
    p["weight"] = None if p["weight"] == NO_WEIGHT else p["weight"]
    type_col = "type" if "type" in pts.columns else None
    counts, ce, kde, hexes, table = run(src, p, type_col)
    layers, legend = map_layers(counts, kde, hexes, pts, p)
    st_folium(build_map(layers, MapView(legend=legend)), key="density_map", height=600, use_container_width=True,
              returned_objects=[])
    st.subheader("三湾对比 · The three bays compared")
    st.dataframe(table, width="stretch")
    st.bar_chart(table.loc[table.index != "city", ["per_km2", "weighted_per_km2", "kde_mean"]])
    st.caption(f"参数 Parameters: {table.attrs.get('params', {})}")
    st.subheader(f"{ZONES[p['zone_key']][0]}")
    st.dataframe(pd.DataFrame(counts.drop(columns="geometry")).merge(ce, on="zone", suffixes=("", "_ce")),
                 hide_index=True, width="stretch")
    downloads(counts, kde, hexes, table, problems)


main()
