"""Filtering layer frames (and the name normalisation used to compare names) — pure functions, no Streamlit.

Name search is :mod:`layers.search`."""

from __future__ import annotations

import unicodedata

import geopandas as gpd
import pandas as pd

from core.vocab import CLUSTERS, DISTRICTS, RESOURCE_TYPES, STATUS, split_multi

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


def normalise(text: str) -> str:
    """Case-, width- and punctuation-insensitive form for matching (（） → (), etc.)."""
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    return "".join(ch for ch in text if ch.isalnum())
