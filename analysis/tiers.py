"""What an analysis rests on when some features have no place of their own (DESIGN.md, "Location tiers").

A feature known only to its district or to the city has no geometry: it is never a point in a kernel,
a hexagon, a Gi* neighbourhood, a nearest-neighbour statistic or a route. :func:`placed_points` keeps
the located features and records the others; :func:`with_district_tier` adds the district-level ones
to counts by district (they are known to be in it), without changing any density (they have no area
of their own to be dense in).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from layers.base import located, unlocated

#: ``attrs`` key of the features left out because they have no place of their own, by tier.
UNLOCATED = "unlocated"


def placed_points(features: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The located features (a copy); ``attrs["unlocated"]`` = ``{tier: [ids]}`` of those left out."""
    kept = located(features).copy()
    kept.attrs = dict(features.attrs)
    out = unlocated(features)
    tiers = out["location_tier"] if "location_tier" in out.columns else pd.Series("none", index=out.index)
    ids = out["id"] if "id" in out.columns else pd.Series(out.index.astype(str), index=out.index)
    left: dict[str, list[str]] = {}
    for tier, fid in zip(tiers, ids, strict=True):
        left.setdefault(str(tier), []).append(str(fid))
    kept.attrs[UNLOCATED] = left
    return kept


def n_unlocated(frame: pd.DataFrame) -> int:
    """How many features an analysis left out for having no place of their own."""
    return sum(len(v) for v in frame.attrs.get(UNLOCATED, {}).values())


def with_district_tier(table: pd.DataFrame, features: gpd.GeoDataFrame, *, zone_column: str = "zone") -> pd.DataFrame:
    """Counts by district plus the district-tier features of each district.

    Adds ``district_tier`` (features known only to be in that district) and ``count_in_district``
    (``count`` + ``district_tier``); ``per_km2`` and the shares stay those of the located features.
    """
    out = table.copy()
    if "location_tier" in features.columns:
        part = features[features["location_tier"] == "district"]
        per = part["district"].value_counts()
    else:
        per = pd.Series(dtype=int)
    out["district_tier"] = out[zone_column].map(per).fillna(0).astype(int).to_numpy()
    out["count_in_district"] = (out["count"].to_numpy() + out["district_tier"].to_numpy()).astype(np.int64)
    out.attrs = {**table.attrs, "params": {**table.attrs.get("params", {}), "district_tier": int(per.sum())}}
    return out


def no_site_reason(text: str, features: dict[str, gpd.GeoDataFrame]) -> tuple[str, str, str] | None:
    """(name_zh, name_en, why) when ``text`` names (id or name, zh/en) a feature without a place of its own, so it
    cannot be a route's end; None otherwise. ``why`` is bilingual: what it is known to, and what to give."""
    from core.vocab import DISTRICTS
    from layers.filters import normalise

    query = normalise(text)
    if not query:
        return None
    for frame in features.values():
        out = unlocated(frame)
        if out.empty:
            continue
        hit = (out["id"].astype(str) == str(text).strip()) | out["name_zh"].map(normalise).eq(query) \
            | out["name_en"].map(normalise).eq(query)
        if hit.any():
            row = out[hit].iloc[0]
            city = ("青岛市（所在区未公布）", "Qingdao (district not published)")
            zh, en = DISTRICTS.get(str(row.get("district") or ""), city)
            why = (f"“{row['name_zh']}”没有公布的地点（只知在{zh}），无法作为路线起讫点；请输入“经度,纬度”。"
                   f" · “{row['name_en']}” has no published site (known only to {en}), so no route can start or "
                   "end there; enter lon,lat instead.")
            return str(row["name_zh"]), str(row["name_en"]), why
    return None
