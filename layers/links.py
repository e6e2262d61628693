"""Transport links: rail/HSR lines, the Jiaozhou Bay bridge and tunnels, expressways."""

from __future__ import annotations

import geopandas as gpd

from layers.base import Layer, load_layer
from layers.render import with_status
from layers.schema import LayerSchema

SCHEMA = LayerSchema(
    name="links",
    categories=frozenset({"rail_line", "bridge", "tunnel", "expressway"}),
    geometry_types=frozenset({"LineString", "MultiLineString"}),
    extra_fields=("mode", "ref", "design_speed_kmh", "stations"),
    extra_may_be_empty=frozenset({"ref", "design_speed_kmh", "stations"}),
    multi_district=True,
)
LAYER = Layer("links", "links.geojson", SCHEMA, "铁路·桥隧·高速", "Rail, bridge, tunnels, expressways")
CATEGORY_STYLES = {
    "rail_line": {"color": "#3b3b3b", "weight": 3},
    "bridge": {"color": "#7b3294", "weight": 6},
    "tunnel": {"color": "#7b3294", "weight": 6},
    "expressway": {"color": "#8c6d31", "weight": 2.5},
}


def style(feature: dict) -> dict:
    p = feature["properties"]
    base = CATEGORY_STYLES.get(p.get("category"), {"color": "#333333", "weight": 2})
    out = with_status(base, p.get("status"))
    if p.get("category") == "tunnel" and "dashArray" not in out:
        out["dashArray"] = "12 4"  # undersea: long dashes even when operating
    return out


def legend(label) -> list[tuple[str, str, str]]:
    items = [("line", s["color"], label(c)) for c, s in CATEGORY_STYLES.items()]
    return items + [("dashed", "#555555", label("under_construction") + " / " + label("planned"))]


def load() -> gpd.GeoDataFrame:
    return load_layer(LAYER)
