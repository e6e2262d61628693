"""Filtering and name search over layer frames — pure functions, no Streamlit."""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from core.vocab import CLUSTERS, DISTRICTS, RESOURCE_TYPES, STATUS, split_multi
from layers.base import located

#: filter key (command line, exports) -> (filter_frame keyword, allowed values)
FILTERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "district": ("districts", tuple(DISTRICTS)),
    "cluster": ("clusters", tuple(CLUSTERS)),
    "type": ("types", RESOURCE_TYPES),
    "status": ("statuses", tuple(sorted(STATUS))),
}


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
    score: float  # how well the name matches (1 = exact)
    kind: str = ""  # the feature's type (resources) or category: what the hit *is*
    rank: float = 0.0  # score adjusted for what the user most likely means (sort key)
    placed: bool = True  # False: known only to a district or the city, "location not published" (issue 21)


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


#: Which layer wins a tie: places the plan names before the infrastructure named after them.
LAYER_RANK = ("resources", "park_sites", "parks", "clusters", "transport_nodes", "links", "metro_lines",
              "metro_stations", "jiaozhou_bay")
#: Stations are named after institutions ("海洋大学" station): they rank below the institution
#: unless the query asks for a station.
STATION_LAYERS = frozenset({"metro_stations"})
STATION_WORDS = ("站", "station", "metro", "地铁", "subway")
STATION_PENALTY = 0.25


def _rank(layer: str, score: float, weight, station_query: bool) -> float:
    rank = score - (STATION_PENALTY if layer in STATION_LAYERS and not station_query else 0.0)
    try:  # among equal names, the weightier resource first (main campus over a branch campus)
        rank += 0.01 * float(weight or 0)
    except (TypeError, ValueError):
        pass
    return rank


def search(frames: dict[str, gpd.GeoDataFrame], query: str, *, limit: int = 10, cutoff: float = 0.45) -> list[Match]:
    """Best name matches (zh or en, partial or fuzzy) across layers, most likely meant first.

    Exact names before partial ones before fuzzy ones; institutions before the metro
    stations named after them (unless the query says "站"/"station"); rail stations before
    metro stations of the same name.
    """
    q = normalise(query)
    if not q:
        return []
    station_query = any(w in normalise(query) or w in str(query).casefold() for w in STATION_WORDS)
    found: list[Match] = []
    for layer, gdf in frames.items():
        if gdf.empty or "name_zh" not in gdf:
            continue
        kinds = gdf["type"] if "type" in gdf else gdf.get("category", pd.Series("", index=gdf.index))
        weights = gdf["weight"] if "weight" in gdf else pd.Series(0, index=gdf.index)
        placed = gdf.index.isin(located(gdf).index) if isinstance(gdf, gpd.GeoDataFrame) else [True] * len(gdf)
        for fid, zh, en, kind, weight, here in zip(gdf["id"], gdf["name_zh"], gdf["name_en"], kinds, weights, placed,
                                                   strict=True):
            score = max(_score(q, normalise(zh)), _score(q, normalise(en)))
            if score >= cutoff:
                found.append(Match(layer, str(fid), str(zh), str(en), round(score, 3), str(kind or ""),
                                   round(_rank(layer, score, weight, station_query), 4), bool(here)))
    order = {k: i for i, k in enumerate(LAYER_RANK)}
    found.sort(key=lambda m: (-m.rank, order.get(m.layer, len(order)), m.id))
    return found[:limit]
