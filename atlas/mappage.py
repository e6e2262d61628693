"""What the map page computes, apart from drawing it (no Streamlit): the details of the selection,
the search hits as lines, where a hit or a filter change moves the view, the visible features for
the quick download. ``app.py`` wires these to widgets."""

from __future__ import annotations

from dataclasses import replace

import geopandas as gpd
import pandas as pd

from atlas import mapmodel
from atlas.viewstate import ViewState
from core.i18n import label, t
from core.vocab import PLACED_TIERS
from layers.filters import Match
from layers.render import field_value, uncertainty_text


def detail_rows(layer: str, row: pd.Series, lang: str) -> list[tuple[str, str]]:
    """(field label, value) of one feature in the reader's language; empty fields left out."""
    fields = [("f_layer", label(layer, lang)), ("f_category", label(row.get("category", ""), lang)),
              ("f_type", label(row.get("type", "") or "", lang)),
              ("district", " / ".join(label(d, lang, "district") for d in str(row["district"]).split(";"))),
              ("cluster", " / ".join(label(c, lang, "cluster") for c in str(row["cluster"]).split(";"))),
              ("status", label(row["status"], lang)), ("f_plan_ref", row["plan_ref"]),
              ("f_uncertainty", uncertainty_text(row.get("pos_uncertainty_m"), lang) if _placed(row) else ""),
              ("t21_tier", t(f"t21_tier_{row['location_tier']}", lang) if row.get("location_tier") else ""),
              ("f_source", field_value(row, "source", lang)),
              ("f_precision", f"{label(row['geom_precision'], lang)} ({row['source_crs']})"), ("f_as_of", row["as_of"]),
              ("f_licence", row.get("licence", "")), ("f_notes", field_value(row, "notes", lang))]
    return [(t(k, lang), str(v)) for k, v in fields if isinstance(v, str) and v.strip() and v != "nan"]


def match_lines(matches: list[Match], lang: str) -> dict[str, str]:
    """Feature id -> the line a search hit shows (name, type, layer)."""
    return {m.id: t("match_line", lang, name=m.name_zh if lang == "zh" else m.name_en, kind=label(m.kind, lang),
                    layer=label(m.layer, lang)) + ("" if m.placed else f" — {t('t21_location_not_published', lang)}")
            for m in matches}


def _placed(row: pd.Series) -> bool:
    """The feature stands at a place of its own (issue 21: tiers site/street and a geometry)."""
    geom = row.get("geometry")
    return geom is not None and not geom.is_empty and row.get("location_tier", "site") in PLACED_TIERS


def select_hit(state: ViewState, frames: dict[str, gpd.GeoDataFrame], fid: str) -> tuple[ViewState, bool]:
    """The view after choosing search hit ``fid``: selected, zoomed to it, its layer on.

    Returns (state, whether the hit's layer had to be turned on); the state is unchanged when
    ``fid`` is no feature.
    """
    hit = mapmodel.find_feature(frames, fid)
    if hit is None:
        return state, False
    if not _placed(hit[1].iloc[0]):  # location not published: selected (details say so), the map stays put
        return replace(state, selected=fid), False
    point = hit[1].geometry.iloc[0].representative_point()
    state = replace(state, lat=round(point.y, 5), lon=round(point.x, 5), zoom=max(state.zoom, 14), selected=fid)
    if hit[0] in state.layers:
        return state, False
    return replace(state, layers=(*state.layers, hit[0])), True


def refit(before: ViewState, state: ViewState, frames: dict[str, gpd.GeoDataFrame]) -> ViewState:
    """When the filters changed since ``before``, the view shows what is left (or the default view)."""
    keys = ("clusters", "districts", "types", "statuses")
    if all(getattr(state, k) == getattr(before, k) for k in keys):
        return state
    fit = mapmodel.fit_view(frames, state) if any(getattr(state, k) for k in keys) else None
    lat, lon, zoom = fit or (ViewState().lat, ViewState().lon, ViewState().zoom)
    return replace(state, lat=lat, lon=lon, zoom=zoom)


def visible_features(frames: dict[str, gpd.GeoDataFrame], state: ViewState) -> pd.DataFrame | None:
    """The filtered features of the visible layers, one table with a ``layer`` column (None when empty)."""
    shown = {k: v for k, v in mapmodel.filtered(frames, state).items() if k in state.layers and not v.empty}
    if not shown:
        return None
    return pd.concat([v.assign(layer=k) for k, v in shown.items()], ignore_index=True)
