"""Density panel: how "innovation-resource-rich" are the three bays? (thin page over analysis.density)."""

from __future__ import annotations

import functools
import hashlib

import numpy as np
import pandas as pd
import shapely
import streamlit as st

from analysis.density import compare_bays, kernel_density, within_uncertainty
from analysis.points_io import check_weight, weight_issue
from analysis.tiers import n_unlocated, placed_points, with_district_tier
from atlas.costs import check_page, weight_notice
from atlas.export.formats import csv_bytes
from atlas.export.metadata import analysis_geojson, analysis_metadata
from atlas.pagekit import boundary, column_label, md, page_lang
from atlas.tables import comparison_sheet, without_repeats
from atlas.uploads import localized_problems, queue_notice, upload_label, upload_limit
from atlas.workers import (analyse, as_table, hot_spot_hexagons, lonlat, queue_reporter, read_upload_isolated,
                           zone_counts_and_pattern)
from core.i18n import lang_of, t
from core.settings import DENSITY, UPLOAD
from layers import clusters, coast, districts, resources
from layers.atlas_map import MapLayer, MapView
from layers.density_map import (
    HEX_VECTOR_LIMIT,
    POINT_MARKER_LIMIT,
    build_density_map,
    hex_raster,
    kde_raster,
    points_raster_xy,
)
from layers.density_style import SCHEMES, choropleth, describe, fill_style, gi_layer, gi_style
from views.foliummap import show as show_map

ZONES = {"clusters": ("d_zone_clusters", "cluster"), "districts": ("d_zone_districts", "id")}
METRICS = ("weighted_per_km2", "per_km2", "count", "weighted")
MAP_LAYERS = ("zones", "hexes", "kde", "points")  # what can be drawn; only the switched-on ones are built
NO_WEIGHT = "<none>"  # the "unweighted" choice (shown in the reader's language)
UPLOAD_TYPES = ["csv", "txt", "tsv", "xlsx", "geojson", "json", "zip", "kml", "kmz", "gpkg"]
#: every cache of uploads and analysis steps is bounded (entries and time): the server must not grow
BOUNDED = {"show_spinner": False, "max_entries": UPLOAD.cache_entries, "ttl": UPLOAD.cache_ttl_s}
LANG = lang_of(st.session_state, st.query_params)  # the app's one language switch (app.py)


def tr(key: str, **fmt) -> str:
    return t(key, LANG, **fmt)


def per_source(cache, **opts):
    """``cache`` (``st.cache_data`` or ``st.cache_resource``) keyed by its first argument, whose first item
    is the upload's digest: the atlas's own points (digest None) are cached for every reader; an upload's
    results with the reader's session only — Streamlit drops them when the session ends (issue 24: the
    server's memory returns once the uploads are done)."""

    def wrap(fn):
        shared, own = cache(**opts)(fn), cache(scope="session", **opts)(fn)

        @functools.wraps(fn)
        def call(key: tuple, *args, **kwargs):
            return (shared if key[0] is None else own)(key, *args, **kwargs)

        return call

    return wrap


@st.cache_resource(show_spinner=False)
def atlas_points():
    """The atlas's resources layer, located features only (issue 21: the others are counted apart, attrs)."""
    return placed_points(resources.load()), []


def points(digest: str | None, name: str | None, crs: str, lon: str | None, lat: str | None, data: bytes | None):
    """(points, problems): the atlas's layer, or the analyst's file parsed once (in a worker process when big,
    atlas/workers.py) and held by the reader's session — freed with the session or when the next file replaces
    it, never kept by the server for other readers (issue 24: the server's memory returns once uploads end)."""
    if digest is None:
        return atlas_points()
    key = (digest, name, crs, lon, lat)
    held = st.session_state.get("density_points")
    if held is None or held[0] != key:
        st.session_state.pop("density_points", None)  # the previous file's points go before the next is read
        # a big file's points stay arrays (atlas.workers.PackedPoints): no 10^6 shapely objects in the server
        parsed = read_upload_isolated(data, name or "", crs=crs, lon=lon or None, lat=lat or None, packed=True)
        st.session_state["density_points"] = held = (key, parsed)
    return held[1]


@st.cache_data(show_spinner=False, max_entries=4)
def zones(key: str):
    return clusters.bay_clusters() if key == "clusters" else districts.load()


@st.cache_data(show_spinner=False, max_entries=1)
def city():
    return coast.load_city()


@per_source(st.cache_data, **BOUNDED)
def step_counts(src: tuple, zone_key: str, weight: str | None, _pts):
    pts = _pts
    z = zones(zone_key)
    counts, pattern = analyse(zone_counts_and_pattern, pts, z, zone_id=ZONES[zone_key][1], weight=weight,
                              city=city())  # issue 24: big inputs run in a worker process (one job)
    if zone_key == "districts" and src[0] is None:  # issue 21: the atlas's district-level features count too
        counts = with_district_tier(counts, resources.load())
    return counts, pattern


@per_source(st.cache_data, **BOUNDED)
def step_kde(src: tuple, weight: str | None, bandwidth_m: float, cell_m: float, _pts):
    return analyse(kernel_density, _pts, bandwidth_m=bandwidth_m, cell_m=cell_m, weight=weight, land=city())


@per_source(st.cache_data, **BOUNDED)
def step_hexes(src: tuple, weight: str | None, resolution: int, k_ring: int, confidence: float, _pts):
    return analyse(hot_spot_hexagons, _pts, resolution=resolution, weight=weight, land=city(), k_ring=k_ring,
                   confidence=confidence)


@per_source(st.cache_data, **BOUNDED)
def step_compare(src: tuple, weight: str | None, type_col: str | None, bandwidth_m: float, cell_m: float,
                 resolution: int, k_ring: int, confidence: float, _pts):
    hexes = step_hexes(src, weight, resolution, k_ring, confidence, _pts)  # cached: the map's, not computed twice
    return analyse(compare_bays, _pts, zones("clusters"), city=city(), weight=weight, type_col=type_col,
                   bandwidth_m=bandwidth_m, cell_m=cell_m, resolution=resolution, k_ring=k_ring,
                   confidence=confidence, hexes=hexes)


def keep_upload() -> None:
    """Store a new upload for the session before any page runs.

    A callback runs at the start of whichever run first sees the new file, even when the reader has already
    switched page and the Density script is never reached again (the upload was lost then).
    """
    file = st.session_state.get("w_upload")
    if file is not None:
        hold(file)


def hold(file) -> None:
    """Keep the uploader's file for the session — copied once per file, not on every rerun (40 MB each)."""
    kept = st.session_state.get("density_upload")
    if kept is None or kept[2:] != (file.file_id,):
        st.session_state["density_upload"] = (file.name, file.getvalue(), file.file_id)


def source_widgets(lang: str) -> tuple | None:
    """Sidebar: which points: the arguments of :func:`points` (None = awaiting upload)."""
    mode = st.sidebar.radio(tr("d_points"), ["atlas", "upload"], horizontal=True, key="w_source",
                            format_func=lambda m: tr("d_atlas") if m == "atlas" else tr("d_upload"))
    if mode == "atlas":
        return (None, None, "WGS84", None, None, None)
    file = st.sidebar.file_uploader(upload_label(LANG), type=UPLOAD_TYPES, help=upload_limit(LANG),  # issue 24
                                    key="w_upload", on_change=keep_upload)
    crs = st.sidebar.selectbox(tr("d_crs"), ["WGS84", "GCJ-02", "BD-09", "EPSG:4549", "EPSG:32650", "EPSG:32651"])
    lon = st.sidebar.text_input(tr("d_lon"), "")
    lat = st.sidebar.text_input(tr("d_lat"), "")
    if file is not None:  # keep the upload for the whole session (other pages, reruns)
        hold(file)
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
    return len(pts) > 0 and weight_issue(pts[column]) is None  # issue 24: finite, >= 0, <= 1e12, not all zero


def parameter_widgets(pts) -> dict:
    numeric = [c for c in pts.columns if c != "geometry" and pd.api.types.is_numeric_dtype(pts[c])]
    options = [NO_WEIGHT, *numeric]
    default = options.index("weight") if "weight" in options and usable_weight(pts, "weight") else 0
    if "weight" in options and not default:  # issue 24: never silently passed over (nor silently used)
        st.sidebar.warning(weight_notice(pts, "weight", LANG))
    lo_bw, hi_bw = DENSITY.bandwidth_range_m
    lo_c, hi_c = DENSITY.cell_range_m
    lo_r, hi_r = DENSITY.h3_range
    return {
        "zone_key": st.sidebar.selectbox(tr("d_zones"), list(ZONES), format_func=lambda k: tr(ZONES[k][0]),
                                         key="w_zones"),
        "metric": st.sidebar.selectbox(tr("d_colour_by"), METRICS, format_func=lambda m: tr(f"m_{m}")),
        "scheme": st.sidebar.selectbox(tr("d_classes"), SCHEMES, format_func=lambda c: tr(f"cls_{c}")),
        "weight": st.sidebar.selectbox(tr("d_weight"), options, index=default, key="w_weight",
                                       format_func=lambda c: tr("d_no_weight") if c == NO_WEIGHT
                                       else column_label(c, LANG)),
        "bandwidth_m": st.sidebar.slider(tr("d_bandwidth"), lo_bw, hi_bw, DENSITY.bandwidth_m, 250.0,
                                         format=tr("fmt_m")),  # issue 23: "2000 m", not "2000.00"
        "cell_m": st.sidebar.slider(tr("d_cell"), lo_c, hi_c, DENSITY.page_cell_m, 50.0, format=tr("fmt_m")),
        "resolution": st.sidebar.slider(tr("d_res"), lo_r, hi_r, DENSITY.hotspot_resolution),
        "k_ring": st.sidebar.slider(tr("d_kring"), 1, 3, DENSITY.k_ring),
        "confidence": st.sidebar.select_slider(tr("d_conf"), [0.90, 0.95, 0.99], DENSITY.confidence,
                                               format_func=lambda c: f"{c:.0%}"),
        "hex_colour": st.sidebar.radio(tr("d_hex_by"), ["gi", "count"], horizontal=True,
                                       format_func=lambda v: tr("d_hex_gi") if v == "gi" else tr("d_hex_count")),
        "max_unc": (st.sidebar.selectbox(tr("d_precision"), [None, *DENSITY.uncertainty_choices_m],
                                         index=1 + DENSITY.uncertainty_choices_m.index(DENSITY.max_uncertainty_m),
                                         format_func=lambda m: tr("d_prec_all") if m is None else f"{m / 1000:g} km",
                                         key="w_max_unc")
                    if "pos_uncertainty_m" in pts.columns else None),
        "shown": tuple(st.sidebar.multiselect(tr("dmap_layers"), MAP_LAYERS, default=["zones", "hexes", "points"],
                                              format_func=lambda k: tr(f"dmap_{k}"), key="w_dmap_layers",
                                              placeholder=tr("choose"))),
    }


def run(src: tuple, p: dict, pts):
    """The zone counts (what the first map needs); the costs of the rest checked before anything is paid."""
    check_weight(pts, p["weight"])  # issue 24: inf, 1e308, negative, all-zero weights refused in the reader's language
    key = (*src[:5], p["max_unc"])  # the cache key (digest, name, crs, lon, lat, precision): never the bytes
    check_page(city=city(), cell_m=min(p["cell_m"], p["bandwidth_m"]), bandwidth_m=p["bandwidth_m"],  # issue 24
               resolution=p["resolution"], kde="kde" in p["shown"])  # costs checked before they are paid
    if p["cell_m"] > p["bandwidth_m"]:
        st.warning(tr("d_cell_gt_bw"))
        p["cell_m"] = p["bandwidth_m"]
    with st.spinner(tr("d_counting")):
        return step_counts(key, p["zone_key"], p["weight"], pts)


def slow_steps(key: tuple, p: dict) -> dict:
    """The map's slow layers (Gi* hexagons, KDE) switched on, each by the key of its result."""
    return {k: step for k, step in (("hexes", ("hexes", key, p["weight"], p["resolution"], p["k_ring"],
                                                 p["confidence"])),
                                     ("kde", ("kde", key, p["weight"], p["bandwidth_m"], p["cell_m"])))
            if k in p["shown"]}


@st.cache_resource(show_spinner=False)
def atlas_done() -> set:
    """Keys of the atlas's own slow results already computed (cached for every reader)."""
    return set()


def done_steps(src: tuple) -> set:
    """Which slow results this reader can have at once: the atlas's (every reader's), or the session's upload's.
    Only a hint for drawing the map in two steps — a result evicted from its cache is simply computed again."""
    return atlas_done() if src[0] is None else st.session_state.setdefault("density_done", set())


def draw(slot, key: tuple, counts, p: dict, pts, pending: tuple = ()) -> list:
    """The map and how it is drawn, in ``slot``; ``pending`` layers are left out and said to be on their way."""
    with slot.container():
        shown = {**p, "shown": tuple(k for k in p["shown"] if k not in pending)}
        layers, legend = map_layers(key, counts, shown, pts)
        show_map(build_density_map(layers, MapView(legend=legend, lang=LANG)),
                  key="density_map_first" if pending else "density_map", height=600, use_container_width=True,
                  returned_objects=[])
        st.caption(" ".join([how_drawn(layers, len(pts)), *(tr(f"d_pending_{k}") for k in pending)]))
    return layers


def map_in_steps(src: tuple, p: dict, counts, pts):
    """Issue 23: the reader's points and zone counts on the map at once; the Gi* hexagons and the KDE,
    which take seconds for a big file, added when they are ready (the same map, redrawn in place)."""
    key = (*src[:5], p["max_unc"])
    slot, done = st.empty(), done_steps(src)
    slow = slow_steps(key, p)
    pending = tuple(k for k, step in slow.items() if step not in done)
    draw(slot, key, counts, p, pts, pending)  # nothing pending: the whole map, once
    with st.spinner(tr("d_hexes")):  # the Gi* sentence and the comparison need them, shown or not
        hexes = step_hexes(key, p["weight"], p["resolution"], p["k_ring"], p["confidence"], pts)
    if "kde" in p["shown"]:
        with st.spinner(tr("d_kde")):
            step_kde(key, p["weight"], p["bandwidth_m"], p["cell_m"], pts)
    if pending:
        done.update(slow.values())
        draw(slot, key, counts, p, pts)
    return hexes


@per_source(st.cache_resource, show_spinner=False, max_entries=8)  # read-only; holds a style function
def layer_points(key: tuple, lang: str, _pts):
    pts, title = _pts, t("d_layer_points", lang)
    if len(pts) <= POINT_MARKER_LIMIT:
        return MapLayer("points", title, pts, {"color": "#222", "fillColor": "#fff", "weight": 1,
                                               "fillOpacity": 0.9}, point_radius=3), []
    return points_raster_xy(*lonlat(pts), title=title, unit=t("dmap_per_pixel", lang))


@per_source(st.cache_resource, show_spinner=False, max_entries=8)  # read-only; holds a style function
def layer_kde(key: tuple, weight: str | None, bandwidth_m: float, cell_m: float, lang: str, _pts):
    kde = step_kde(key, weight, bandwidth_m, cell_m, _pts)
    shown = kde[kde["density"] >= 0.02 * kde["density"].max()]
    kframe, klegend = choropleth(shown, "density", scheme="Quantiles", label=t("d_per_km2", lang), colours="Purples")
    layer = kde_raster(kframe, grid=kde.attrs["params"]["grid"], cell_m=cell_m, title=t("d_layer_kde", lang))
    return layer, [("head", "", t("d_layer_kde", lang)), *klegend]


@per_source(st.cache_resource, show_spinner=False, max_entries=8)  # read-only; holds a style function
def layer_hexes(key: tuple, weight: str | None, resolution: int, k_ring: int, confidence: float, colour: str,
                lang: str, _pts):
    hexes = step_hexes(key, weight, resolution, k_ring, confidence, _pts)
    title = t("d_layer_hexes", lang)
    if colour == "gi":  # opaque hot/cold over the zones: the colour drawn is the legend's (no olive blend)
        hframe, hlegend = gi_layer(hexes[hexes["gi_class"].isin(["hot", "cold"]) | (hexes["count"] > 0)],
                                   labels={"hot": t("d_gi_hot", lang), "cold": t("d_gi_cold", lang),
                                           "not significant": t("d_gi_ns", lang)})
        style, opacity = gi_style, 1.0
    else:
        hframe, hlegend = choropleth(hexes[hexes["count"] > 0], "count", scheme="Quantiles",
                                     label=t("d_per_hex", lang))
        style, opacity = fill_style(1.0), 1.0
    hlegend = [("head", "", title), *hlegend]
    if len(hframe) > HEX_VECTOR_LIMIT:
        shown = hframe[hframe["gi_class"].isin(["hot", "cold"])] if colour == "gi" else hframe
        if shown.empty:  # no hot or cold spot (e.g. evenly spread points): nothing to draw, the legend stays
            return None, hlegend
        return hex_raster(shown, title=title, opacity=opacity), hlegend
    hframe = describe(hframe, {"h3": "H3", "count": t("c_count", lang), "weighted": t("c_weighted", lang),
                               "gi_z": "Gi* z", "gi_p": "p", "gi_p_fdr": "p (FDR)", "gi_class": "Gi*"},
                      title_zh="六边形", title_en="Hexagon")
    return MapLayer("hexes", title, hframe, style), hlegend


def map_layers(key: tuple, counts, p, pts) -> tuple[list, list]:
    """Only the switched-on layers, each built once per parameter set (cached)."""
    layers, legend = [], []
    if "zones" in p["shown"]:
        per = tr("d_per_km2")
        zframe, zlegend = choropleth(counts, p["metric"], scheme=p["scheme"], colours="Greens",
                                     label=tr(f"m_{p['metric']}") if p["metric"] in ("count", "weighted") else per)
        legend = [("head", "", tr("d_layer_zones") + " · " + tr(f"m_{p['metric']}")), *zlegend]
        zframe = describe(zframe, {c: tr(f"c_{c}") for c in ("count", "weighted", "per_km2", "weighted_per_km2",
                                                             "share")}, title_zh="分区", title_en="Zone")
        layers.append(MapLayer("zones", tr("d_layer_zones"), zframe, fill_style(0.55)))
    if "kde" in p["shown"]:
        klayer, klegend = layer_kde(key, p["weight"], p["bandwidth_m"], p["cell_m"], LANG, pts)
        layers.append(klayer)
        legend = legend + klegend
    if "hexes" in p["shown"]:
        hlayer, hlegend = layer_hexes(key, p["weight"], p["resolution"], p["k_ring"], p["confidence"],
                                      p["hex_colour"], LANG, pts)
        layers += [hlayer] if hlayer is not None else []
        legend = legend + hlegend
    if "points" in p["shown"]:
        player, plegend = layer_points(key, LANG, pts)
        layers.append(player)
        legend = legend + plegend
    return layers, legend


def how_drawn(layers: list, n_points: int) -> str:
    """One sentence per layer on how it is drawn (image layers say their pixel size)."""
    parts = []
    for layer in layers:
        d = getattr(layer, "described", None)
        if layer.key == "points":
            parts.append(tr("dmap_points_image", n=n_points, **d) if d else tr("dmap_points_markers", n=n_points))
        elif d and layer.key == "hexes":
            parts.append(tr("dmap_hexes_image", **d))
        elif d and layer.key == "kde":
            parts.append(tr("dmap_kde_image", **d))
    return " ".join(parts)


def compare(key: tuple, p: dict, type_col, pts):
    return step_compare(key, p["weight"], type_col, p["bandwidth_m"], p["cell_m"], p["resolution"], p["k_ring"],
                        p["confidence"], pts)


def analysis_inputs(src: tuple, p: dict, pts) -> dict:
    """What every analysis download's metadata says it was computed from (and with which parameters)."""
    params = {k: p[k] for k in ("bandwidth_m", "cell_m", "resolution", "k_ring", "confidence", "weight", "zone_key")}
    params.update(max_uncertainty_m=p["max_unc"], n_points=len(pts))
    if src[0] is None:
        return {"layers": ["resources"], "inputs": pts, "params": {"points": "atlas layer: resources", **params}}
    upload = {"points": f"uploaded file: {src[1]}", "points_crs": src[2]}
    return {"layers": [], "inputs": as_table(pts), "params": {**upload, **params}}


def downloads(key: tuple, src: tuple, p: dict, counts, hexes, table, problems, pts, offshore=None) -> None:
    """Each big file is made when its button is clicked (callable data), not on every rerun; every analysis
    download carries its metadata (sources, licences, attribution of the points, parameters)."""
    geo = "application/geo+json"
    how = analysis_inputs(src, p, pts)
    # issue 23: a click does not rerun the page, so a second click right after the first still finds its
    # file (a rerun dropped it: "Deferred file … not found")
    quiet = {"on_click": "ignore"}
    cols = st.columns(6)
    cols[0].download_button(tr("d_dl_zones"), lambda: analysis_geojson(counts, title="density_zones", **how),
                            "density_zones.geojson", geo, **quiet)
    cols[1].download_button(tr("d_dl_hexes"), lambda: analysis_geojson(hexes, title="density_hexes", **how),
                            "density_hexes.geojson", geo, **quiet)
    cols[2].download_button(tr("d_dl_kde"), lambda: analysis_geojson(
        step_kde(key, p["weight"], p["bandwidth_m"], p["cell_m"], pts), title="density_kde", **how),
        "density_kde.geojson", geo, **quiet)
    cols[3].download_button(tr("d_dl_table"), csv_bytes(table), "bay_comparison.csv", "text/csv",
                            **quiet)  # small, shown
    cols[4].download_button(tr("d_dl_table_meta"), lambda: analysis_metadata(table, title="bay_comparison", **how),
                            "bay_comparison.csv.meta.json", "application/json", **quiet)
    off_pts, off_at = offshore if offshore is not None else (None, np.empty(0, np.int32))
    cols[5].download_button(tr("d_dl_problems"),  # the offshore rows are made only when the file is asked for
                            lambda: problem_csv([*problems, *offshore_rows(off_pts, off_at)] if len(off_at) else problems),
                            "row_problems.csv", "text/csv", disabled=not (problems or len(off_at)), **quiet)


def problem_csv(problems: list[dict]) -> bytes:
    return csv_bytes(pd.DataFrame(problems, columns=["row", "reason", "message"]))


def problem_table(rows: list[dict], lang: str) -> pd.DataFrame:
    """Problem rows as the page shows them: the row, what is wrong, where (offshore rows) — headers in the
    reader's words; the ``reason`` id stays in the downloaded CSV only (issue 23: no ids on the page)."""
    frame = pd.DataFrame(rows)
    frame = frame[[c for c in ("row", "message", "lon", "lat") if c in frame.columns]] if len(frame) else frame
    return frame.rename(columns={c: t(f"pcol_{c}", lang) for c in frame.columns})


def show_problems(problems: list[dict], lang: str) -> None:
    """The first rows with problems on the page (bounded), all of them in a download."""
    shown = problems[: UPLOAD.problems_listed]
    with st.expander(tr("d_problems", n=len(problems)), expanded=True):
        st.dataframe(problem_table(shown, lang), hide_index=True)
        if len(problems) > len(shown):
            st.caption(t("problems_more", lang, shown=len(shown), total=len(problems)))
            st.download_button(tr("d_dl_problems"), problem_csv(problems), "row_problems.csv",
                               "text/csv", key="problems_all")


@st.cache_resource(show_spinner=False)
def district_land():
    """The districts' union, made and prepared once per process (each upload's offshore check asks it)."""
    land = districts.load().union_all()
    shapely.prepare(land)
    centre = land.representative_point()
    shapely.contains_xy(land, centre.x, centre.y)  # the prepared index is built here, once, not by two readers at once
    return land


@st.cache_data(scope="session", **BOUNDED)  # uploads only: dropped with the session
def outside_land(key: tuple, _pts) -> np.ndarray:
    """Positions of the points outside every district (e.g. just offshore): kept, but in no zone count.
    An index array (4 bytes a point), not a row dict per point: a random 40 MB file has ~10^6 of them."""
    inside = shapely.contains_xy(district_land(), *lonlat(_pts))
    return np.flatnonzero(~inside).astype(np.int32)


def offshore_rows(pts, where: np.ndarray, limit: int | None = None) -> list[dict]:
    """The problem rows of the points at ``where`` (the first ``limit``): for the page and the download."""
    where = where[:limit] if limit is not None else where
    lon, lat = lonlat(pts)
    return [{"row": int(pts.index[i]) + 1, "reason": "outside_districts", "message": tr("d_offshore_row"),
             "lon": round(float(lon[i]), 6), "lat": round(float(lat[i]), 6)} for i in where]


def params_sentence(p: dict) -> str:
    """The analysis's parameters as one sentence a reader can quote."""
    import h3

    hex_km2 = f"{h3.average_hexagon_area(p['resolution'], unit='km^2'):.2g}"
    return tr("d_params", bw=p["bandwidth_m"], cell=p["cell_m"], res=p["resolution"], hex_km2=hex_km2,
              k=p["k_ring"], conf=p["confidence"],
              weight=column_label(p["weight"], LANG) if p["weight"] else tr("d_no_weight"))


def hot_sentence(gi: dict) -> str:
    """What "hot" means, at what level, and how many (from the result's own parameters)."""
    return tr("d_gi_meaning", k=gi["k_ring"], perms=gi["permutations"], tested=gi["n_tested"], alpha=gi["alpha"],
              hot=gi["n_hot"], cold=gi["n_cold"], minn=gi["min_neighbours"])


def main() -> None:
    lang = page_lang(st.session_state, st.query_params)
    with boundary(st.error, lang, where="density"), queue_reporter(queue_notice(st.empty, lang)):  # issue 24
        page(lang)


def page(lang: str) -> None:
    st.title(tr("d_title"))
    st.caption(tr("d_caption"))
    src = source_widgets(lang)
    if src is None:
        st.info(tr("d_upload_first"))
        return
    pts, problems = points(*src)
    problems = localized_problems(problems, LANG)  # issue 24: every row problem in the reader's language
    if problems:
        show_problems(problems, lang)
    if len(pts) < 2:
        st.info(tr("d_need_two"))
        return
    offshore = outside_land(src[:5], pts) if src[0] is not None else np.empty(0, np.int32)
    if len(offshore):  # never silently lost: kept in KDE and hexagons, listed, and in the problem-rows download
        st.warning(tr("d_offshore", n=len(offshore), total=len(pts)))
        st.dataframe(problem_table(offshore_rows(pts, offshore, UPLOAD.problems_listed), lang), hide_index=True)
    all_pts = pts  # the offshore positions index the points as read (before the precision filter below)
    p = parameter_widgets(pts)
    p["weight"] = None if p["weight"] == NO_WEIGHT else p["weight"]
    if n_unlocated(pts):  # issue 21
        st.caption(tr("t21_unlocated_left_out", n=n_unlocated(pts), d=len(pts.attrs["unlocated"].get("district", []))))
    if p["max_unc"] is not None:  # only frames that carry pos_uncertainty_m (the atlas's; some uploads)
        pts = within_uncertainty(pts, max_uncertainty_m=p["max_unc"])
    if pts.attrs.get("left_out"):
        st.caption(tr("d_left_out", n=len(pts.attrs["left_out"]), m=f"{p['max_unc'] / 1000:g} km"))
    type_col = "type" if "type" in pts.columns else None
    counts, ce = run(src, p, pts)
    key = (*src[:5], p["max_unc"])  # as in run(): never the bytes
    hexes = map_in_steps(src, p, counts, pts)
    st.caption(md(params_sentence(p), limit=600))  # a column name is the user's text
    st.caption(hot_sentence(hexes.attrs["params"]))
    with st.spinner(tr("d_comparing")):  # after the map: the map is drawn meanwhile
        table = compare(key, p, type_col, pts)
    st.subheader(tr("d_compare"))
    st.dataframe(comparison_sheet(table, LANG), width="content")  # issue 23: one measure per row, fits 1280 px
    metric = p["metric"] if p["metric"] in table.columns else "weighted_per_km2"
    st.caption(tr("d_chart", metric=tr(f"m_{metric}")))  # one measure per chart: no stacked, mixed units
    chart = table.set_index(table["name_zh" if LANG == "zh" else "name_en"])[[metric]]
    st.bar_chart(chart.rename(columns={metric: tr(f"m_{metric}")}), horizontal=True)
    st.subheader(tr("d_zone_table", zones=tr(ZONES[p["zone_key"]][0])))
    st.caption(tr("d_why_counts"))
    zone_table = pd.DataFrame(counts.drop(columns="geometry")).merge(ce, on="zone", suffixes=("", "_ce"))
    if p["zone_key"] == "clusters":  # issue 23: the bays' measures are in the table above; not twice
        zone_table = without_repeats(zone_table, table)
    kind = "cluster" if p["zone_key"] == "clusters" else "district"
    st.dataframe(comparison_sheet(zone_table.set_index("zone"), LANG, kind), width="content")
    st.caption(tr("d_ce_note"))
    downloads(key, src, p, counts, hexes, table, problems, pts, offshore=(all_pts, offshore))


main()
