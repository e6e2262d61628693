"""Qingdao Metro: every line as a LineString through its stations, and the stations."""

from __future__ import annotations

import geopandas as gpd

from layers.base import Layer, load_layer
from layers.render import with_status
from layers.schema import LayerSchema

STATION_SCHEMA = LayerSchema(
    name="metro_stations",
    categories=frozenset({"metro_station"}),
    geometry_types=frozenset({"Point"}),
    extra_fields=("lines",),
)
LINE_SCHEMA = LayerSchema(
    name="metro_lines",
    categories=frozenset({"metro_line"}),
    geometry_types=frozenset({"LineString"}),
    extra_fields=("line", "color", "stations", "opened", "length_km"),
    extra_may_be_empty=frozenset({"opened", "length_km"}),
    multi_district=True,
)
STATIONS = Layer("metro_stations", "metro_stations.geojson", STATION_SCHEMA, "地铁站", "Metro stations")
LINES = Layer("metro_lines", "metro_lines.geojson", LINE_SCHEMA, "地铁线路", "Metro lines")


def line_style(feature: dict) -> dict:
    p = feature["properties"]
    base = {"color": p.get("color") or "#0072B2", "weight": 4, "opacity": 0.9}
    return with_status(base, p.get("status"))


def station_style(feature: dict) -> dict:
    p = feature["properties"]
    interchange = len(str(p.get("lines", "")).split(";")) > 1
    base = {"color": "#333333", "weight": 1.5, "fillColor": "#ffffff", "fillOpacity": 1.0,
            "radius": 5 if interchange else 3.5}
    return with_status(base, p.get("status"), point=True)


def legend(label, lines) -> list[tuple[str, str, str]]:
    """One legend row per operating line (colour from the data)."""
    op = lines[lines["status"] == "operating"].drop_duplicates("line")
    order = sorted(op["line"], key=lambda s: (len(str(s)), str(s)))
    colors = dict(zip(op["line"], op["color"], strict=True))
    return [("line", colors[n], f"{label('metro_line')} {n}") for n in order]


def load_stations() -> gpd.GeoDataFrame:
    return load_layer(STATIONS)


def load_lines() -> gpd.GeoDataFrame:
    return load_layer(LINES)
