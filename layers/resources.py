"""Innovation resources: universities and campuses, labs, institutes, platforms, zones.

``weight`` is the resource weight the density analysis uses (a national lab is
not a vocational college); the scale is :data:`WEIGHTS`, by type and level.
"""

from __future__ import annotations

import geopandas as gpd

from layers.base import Layer, load_layer
from layers.render import categorical_point_style, point_legend
from layers.schema import LayerSchema

TYPES = (
    "university", "campus", "college", "vocational_college", "national_lab", "institute", "platform", "facility",
    "incubator", "zone",
)
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
    ("college", None): 2,  # other undergraduate institution in Qingdao (not named in the plan)
    ("vocational_college", None): 1,  # higher vocational college (高职/专科)
    ("platform", None): 3,
    ("zone", None): 2,
    ("incubator", None): 1,
}
SCHEMA = LayerSchema(
    tiered=True,
    name="resources",
    categories=frozenset({"resource"}),
    geometry_types=frozenset({"Point"}),
    extra_fields=("type", "level", "weight", "parent_id"),
    extra_may_be_empty=frozenset({"parent_id"}),
)
LAYER = Layer("resources", "resources.geojson", SCHEMA, "创新资源", "Innovation resources")
#: Okabe-Ito colours (distinguishable with the common colour-vision deficiencies).
TYPE_COLORS = {
    "university": "#0072B2", "campus": "#56B4E9", "college": "#5D8AA8", "vocational_college": "#A6CEE3", "national_lab": "#D55E00", "institute": "#CC79A7",
    "platform": "#009E73", "facility": "#E69F00", "incubator": "#F0E442", "zone": "#999999",
}
TYPE_RADIUS = {"national_lab": 10, "facility": 8, "university": 8, "institute": 7}


style = categorical_point_style("type", TYPE_COLORS, TYPE_RADIUS)


def legend(label) -> list[tuple[str, str, str]]:
    return point_legend(TYPE_COLORS, label)


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
