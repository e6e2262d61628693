"""The app's current view (frames + ViewState) as briefing layers and an export selection.

Both the briefing and the data export use :func:`atlas.mapmodel.filtered`, so the
picture and the files hold exactly the features the user sees on the map.
"""

from __future__ import annotations

import math

import geopandas as gpd

from analysis.tiers import placed_points
from atlas import mapmodel
from atlas.briefing.style import BriefLayer
from atlas.viewstate import ViewState
from core.i18n import label, t
from layers.filters import filter_frame

#: Label importance on the sheet (lower first); the bay clusters are named by the sheet itself.
#: National labs first, then the national (Ministry-run) universities' main campuses, then parks,
#: then the other universities; other features stay unlabelled (2026-12-05: with 市南软件园 and
#: 青岛科技街 placed, parks ranked above every university crowded 中国海洋大学 off the English
#: corridor sheet). A position known only to a town or a city (uncertainty over
#: VAGUE_M) is named after the precise ones: its label would point at a placeholder.
RESOURCE_RANKS = {"national_lab": 0, "university": 30}
NATIONAL_UNIVERSITY_RANK = 5
PARK_RANK = 10
LABELLED = ("parks", "resources")
VAGUE_M, VAGUE_PENALTY = 10_000.0, 25


def _vague(row) -> int:
    try:
        return VAGUE_PENALTY if float(row.get("pos_uncertainty_m") or 0) > VAGUE_M else 0
    except (TypeError, ValueError):
        return 0


def resource_rank(row) -> int | None:
    rank = RESOURCE_RANKS.get(row.get("type"))
    if rank is None:
        return None
    if row.get("type") == "university" and row.get("level") == "national":
        rank = NATIONAL_UNIVERSITY_RANK
    return rank + (0 if row.get("level") == "national" else 3) + _vague(row)


def park_rank(row) -> int:
    return PARK_RANK + _vague(row)


def legend_rows(frames: dict[str, gpd.GeoDataFrame], state: ViewState, key: str) -> tuple:
    """The app's legend rows that belong to one layer."""
    one = ViewState(**{**state.__dict__, "layers": (key,)})
    return tuple(mapmodel.legend_items(frames, one))


def brief_layers(frames: dict[str, gpd.GeoDataFrame], state: ViewState,
                 analysis: list[BriefLayer] = ()) -> list[BriefLayer]:
    """The visible, filtered overlays of ``state`` (+ analysis overlays drawn beneath them)."""
    shown = mapmodel.filtered(frames, state)
    name = "name_zh" if state.lang == "zh" else "name_en"
    out = list(analysis)
    for key, gdf in shown.items():
        if key not in state.layers:
            continue
        gdf = placed_points(gdf)  # issue 21: a feature without a place of its own is not drawn (footnote counts it)
        out.append(BriefLayer(key, label(key, state.lang), gdf, mapmodel.SPECS[key].style,
                              label_column=name if key in LABELLED else None,
                              legend=legend_rows(frames, state, key),
                              rank=resource_rank if key == "resources" else park_rank))
    return out


def view_bbox(state: ViewState, *, width_px: int = 1100, height_px: int = 640) -> tuple[float, float, float, float]:
    """The WGS84 bbox a web map of ``width_px`` × ``height_px`` shows at the state's centre and zoom."""
    deg_per_px = 360.0 / (256 * 2**state.zoom)
    half_w = width_px / 2 * deg_per_px
    lat_rad = math.radians(state.lat)
    half_h = height_px / 2 * deg_per_px * math.cos(lat_rad)
    return (state.lon - half_w, state.lat - half_h, state.lon + half_w, state.lat + half_h)


def filters_of(state: ViewState) -> dict[str, tuple[str, ...]]:
    return {"cluster": state.clusters, "district": state.districts, "type": state.types, "status": state.statuses}


def export_frame(key: str, frame: gpd.GeoDataFrame, filters: dict[str, tuple[str, ...]]) -> gpd.GeoDataFrame:
    """``frame`` with the view's filters applied exactly as the map applies them (see mapmodel.filtered)."""
    spec = mapmodel.SPECS.get(key)
    if spec is not None and not spec.filterable:
        return frame
    return filter_frame(frame, clusters=filters.get("cluster", ()), districts=filters.get("district", ()),
                        types=filters.get("type", ()), statuses=filters.get("status", ()))


def focus_label(focus: str, lang: str) -> str:
    """Human name of a briefing focus (corridor, city, cluster:ID, district:ID, view)."""
    kind, _, key = focus.partition(":")
    if key:
        return label(key, lang, kind)
    return t(f"b_focus_{kind}", lang)
