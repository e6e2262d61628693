"""The atlas's vocabularies: provenance field names, districts, clusters, statuses, types.

The bottom of the code: imports nothing of the project. The feature schema
(:mod:`layers.schema`), filters, the string catalogue and the pages all name
these, so a district or a status is spelled in one place.
"""

from __future__ import annotations

import re

PROVENANCE_FIELDS: tuple[str, ...] = (
    "id",
    "name_zh",
    "name_en",
    "category",
    "district",
    "cluster",
    "plan_ref",
    "source",
    "source_crs",
    "geom_precision",
    "status",
    "as_of",
    "notes",
)
#: Fields that may be present but empty.
MAY_BE_EMPTY: frozenset[str] = frozenset({"notes"})
#: What every curated (hand-sourced) layer adds: how far the true place may be from the
#: geometry (metres), the source in Chinese, the licence and a machine-readable citation.
CURATED_FIELDS: tuple[str, ...] = ("pos_uncertainty_m", "source_zh", "notes_zh", "licence", "source_ref")
CURATED_MAY_BE_EMPTY: frozenset[str] = frozenset({"notes_zh", "source_ref"})
#: Drawn as approximate (hollow marker / halo) above this uncertainty.
APPROXIMATE_ABOVE_M = 100.0

DISTRICTS: dict[str, tuple[str, str]] = {
    # id: (name_zh, name_en)
    "shinan": ("市南区", "Shinan"),
    "shibei": ("市北区", "Shibei"),
    "huangdao": ("黄岛区", "Huangdao (West Coast New Area)"),
    "laoshan": ("崂山区", "Laoshan"),
    "licang": ("李沧区", "Licang"),
    "chengyang": ("城阳区", "Chengyang"),
    "jimo": ("即墨区", "Jimo"),
    "jiaozhou": ("胶州市", "Jiaozhou"),
    "pingdu": ("平度市", "Pingdu"),
    "laixi": ("莱西市", "Laixi"),
}
CLUSTERS: dict[str, tuple[str, str]] = {
    "aoshan": ("鳌山湾", "Aoshan Bay"),
    "jiaozhou": ("胶州湾", "Jiaozhou Bay"),
    "lingshan": ("灵山湾", "Lingshan Bay"),
    "none": ("湾区之外", "Outside the bay clusters"),
}
SOURCE_CRS = frozenset({"EPSG:4326", "GCJ-02", "BD-09", "EPSG:4490"})
GEOM_PRECISION = frozenset({"surveyed", "footprint_approx", "representative_point", "schematic"})
STATUS = frozenset({"operating", "under_construction", "planned"})

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

#: Qingdao's extent (lon_min, lat_min, lon_max, lat_max), a little generous.
QINGDAO_BBOX: tuple[float, float, float, float] = (119.45, 35.30, 121.20, 37.15)

#: What a feature's location is known to (DESIGN.md, "Location tiers"), most specific first:
#: a site (surveyed or a published POI), a street or town, a district, or only the city.
LOCATION_TIERS: tuple[str, ...] = ("site", "street", "district", "city")
#: Tiers drawn, counted, routed and labelled as places; the others have no position of their own.
PLACED_TIERS: frozenset[str] = frozenset({"site", "street"})

#: Resource types (``type`` of the resources layer) the filters offer, in display order.
RESOURCE_TYPES: tuple[str, ...] = (
    "university", "campus", "college", "vocational_college", "national_lab", "institute", "platform", "facility",
    "incubator", "zone",
)


def split_multi(value: str) -> list[str]:
    """Split a ``;``-separated multi-value field ("laoshan;jimo")."""
    return [v.strip() for v in str(value).split(";") if v.strip()]
