"""What the map page computes, apart from drawing it (no Streamlit): the details of the selection,
the search hits as lines, where a hit or a filter change moves the view, the visible features for
the quick download. ``app.py`` wires these to widgets."""

from __future__ import annotations

import re
from dataclasses import replace

import geopandas as gpd
import pandas as pd

from atlas import mapmodel
from atlas.viewstate import ViewState
from core.i18n import VALUES, crs_text, label, licence_text, t
from core.vocab import PLACED_TIERS
from layers.search import Match
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
              ("f_precision", f"{label(row['geom_precision'], lang)} ({crs_text(row['source_crs'], lang)})"),
              ("f_as_of", row["as_of"]), ("f_licence", licence_text(row.get("licence"), lang)),
              ("f_notes", field_value(row, "notes", lang))]
    return [(t(k, lang), str(v)) for k, v in fields if isinstance(v, str) and v.strip() and v != "nan"]


#: An id of the atlas's data inside free text ("与res_qau_langu同址"): lower-case words joined by "_".
ID_IN_TEXT = re.compile(r"(?<![A-Za-z0-9_])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![A-Za-z0-9_])")
#: Free-text fields written for readers, in which ids are replaced by names.
TEXT_FIELDS = ("notes", "notes_zh", "source", "source_zh")


def names_for_ids(frames: dict[str, gpd.GeoDataFrame]) -> dict[str, gpd.GeoDataFrame]:
    """Copies of ``frames`` whose notes/sources name the features they mention instead of quoting ids.

    The English fields take ``name_en``, the Chinese ones ``name_zh``; a word that is no id stays.
    """
    names = {}
    for frame in frames.values():
        if {"id", "name_zh", "name_en"} <= set(frame.columns):
            pairs = zip(frame["name_zh"], frame["name_en"], strict=True)
            names.update(zip(frame["id"].astype(str), pairs, strict=True))
    out = {}
    for key, frame in frames.items():
        cols = [c for c in TEXT_FIELDS if c in frame.columns]
        if not cols:
            out[key] = frame
            continue
        frame = frame.copy()
        for col in cols:
            zh = col.endswith("_zh")
            swap = lambda m, zh=zh: _word(m.group(0), names, zh)  # noqa: E731
            frame[col] = [ID_IN_TEXT.sub(swap, v) if isinstance(v, str) else v for v in frame[col]]
        out[key] = frame
    return out


def _word(token: str, names: dict, zh: bool) -> str:
    """A feature's name for its id, a label for a coded value or layer key ("city_outline"), else the token."""
    if token in names:
        return str(names[token][0 if zh else 1])
    return label(token, "zh" if zh else "en") if token in VALUES else token


def match_lines(matches: list[Match], lang: str) -> dict[str, str]:
    """Feature id -> the line a search hit shows (name, type, layer)."""
    return {m.id: t("match_line", lang, name=m.name_zh if lang == "zh" else m.name_en, kind=label(m.kind, lang),
                    layer=label(m.layer, lang)) + ("" if m.placed else f" — {t('t21_location_not_published', lang)}")
            for m in matches}


def _placed(row: pd.Series) -> bool:
    """The feature stands at a place of its own (issue 21: tiers site/street and a geometry)."""
    geom = row.get("geometry")
    return geom is not None and not geom.is_empty and row.get("location_tier", "site") in PLACED_TIERS


def select_hit(state: ViewState, frames: dict[str, gpd.GeoDataFrame], fid: str,
               index: mapmodel.FeatureIndex | None = None) -> tuple[ViewState, bool]:
    """The view after choosing search hit ``fid``: selected, zoomed to it, its layer on.

    Returns (state, whether the hit's layer had to be turned on); the state is unchanged when
    ``fid`` is no feature.
    """
    hit = mapmodel.find_feature(frames, fid, index)
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
