"""Filtering and name search over layer frames — pure functions, no Streamlit."""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from layers.schema import split_multi


def _matches_any(column: pd.Series, wanted: tuple[str, ...]) -> pd.Series:
    """Rows whose multi-value field (``a;b``) shares a value with ``wanted``."""
    wanted_set = set(wanted)
    return column.fillna("").map(lambda v: bool(wanted_set.intersection(split_multi(v))))


def filter_frame(
    gdf: gpd.GeoDataFrame,
    *,
    clusters: tuple[str, ...] = (),
    districts: tuple[str, ...] = (),
    types: tuple[str, ...] = (),
    statuses: tuple[str, ...] = (),
) -> gpd.GeoDataFrame:
    """Rows matching every non-empty filter. ``types`` applies only where a ``type`` column exists."""
    keep = pd.Series(True, index=gdf.index)
    if clusters and "cluster" in gdf:
        keep &= _matches_any(gdf["cluster"], clusters)
    if districts and "district" in gdf:
        keep &= _matches_any(gdf["district"], districts)
    if types and "type" in gdf:
        keep &= gdf["type"].isin(types)
    if statuses and "status" in gdf:
        keep &= gdf["status"].isin(statuses)
    return gdf[keep]


@dataclass(frozen=True)
class Match:
    layer: str
    id: str
    name_zh: str
    name_en: str
    score: float


def normalise(text: str) -> str:
    """Case-, width- and punctuation-insensitive form for matching (（） → (), etc.)."""
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    return "".join(ch for ch in text if ch.isalnum())


def _score(query: str, name: str) -> float:
    if not name:
        return 0.0
    if query == name:
        return 1.0
    if query in name:
        return 0.9 - 0.2 * (1 - len(query) / len(name))
    return 0.7 * difflib.SequenceMatcher(None, query, name).ratio()


def search(frames: dict[str, gpd.GeoDataFrame], query: str, *, limit: int = 10, cutoff: float = 0.45) -> list[Match]:
    """Best name matches (zh or en, partial or fuzzy) across layers, best first."""
    q = normalise(query)
    if not q:
        return []
    found: list[Match] = []
    for layer, gdf in frames.items():
        if gdf.empty or "name_zh" not in gdf:
            continue
        for fid, zh, en in zip(gdf["id"], gdf["name_zh"], gdf["name_en"], strict=True):
            score = max(_score(q, normalise(zh)), _score(q, normalise(en)))
            if score >= cutoff:
                found.append(Match(layer, str(fid), str(zh), str(en), round(score, 3)))
    found.sort(key=lambda m: (-m.score, m.layer, m.id))
    return found[:limit]
