"""Innovation resources: universities and campuses, labs, institutes, platforms, zones.

``weight`` is the resource weight the density analysis uses (a national lab is
not a vocational college); the scale is :data:`WEIGHTS`, by type and level.
"""

from __future__ import annotations

import geopandas as gpd

from layers.base import Layer, load_layer
from layers.schema import LayerSchema

TYPES = ("university", "campus", "national_lab", "institute", "platform", "facility", "incubator", "zone")
LEVELS = ("national", "provincial", "municipal")
#: Documented weight scale: (type, level) -> weight; ``None`` level = any level.
WEIGHTS: dict[tuple[str, str | None], float] = {
    ("national_lab", None): 10,
    ("facility", None): 6,
    ("institute", "national"): 5,
    ("institute", "provincial"): 3,
    ("institute", "municipal"): 3,
    ("university", None): 4,
    ("campus", None): 2,
    ("platform", None): 3,
    ("zone", None): 2,
    ("incubator", None): 1,
}
SCHEMA = LayerSchema(
    name="resources",
    categories=frozenset({"resource"}),
    geometry_types=frozenset({"Point"}),
    extra_fields=("type", "level", "weight", "parent_id"),
    extra_may_be_empty=frozenset({"parent_id"}),
)
LAYER = Layer("resources", "resources.geojson", SCHEMA, "创新资源", "Innovation resources")
TYPE_COLORS = {
    "university": "#1b9e77", "campus": "#66c2a5", "national_lab": "#d95f02", "institute": "#7570b3",
    "platform": "#e7298a", "facility": "#a6761d", "incubator": "#e6ab02", "zone": "#666666",
}


def expected_weight(type_: str, level: str) -> float:
    """The documented weight for a resource type and level."""
    if (type_, level) in WEIGHTS:
        return WEIGHTS[(type_, level)]
    if (type_, None) in WEIGHTS:
        return WEIGHTS[(type_, None)]
    msg = f"No weight defined for type={type_!r}, level={level!r}; add it to layers.resources.WEIGHTS."
    raise KeyError(msg)


def load() -> gpd.GeoDataFrame:
    gdf = load_layer(LAYER)
    gdf["weight"] = gdf["weight"].astype(float)
    return gdf
