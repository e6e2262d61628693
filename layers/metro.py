"""Qingdao Metro: every line as a LineString through its stations, and the stations."""

from __future__ import annotations

import geopandas as gpd

from layers.base import Layer, load_layer
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


def load_stations() -> gpd.GeoDataFrame:
    return load_layer(STATIONS)


def load_lines() -> gpd.GeoDataFrame:
    return load_layer(LINES)
