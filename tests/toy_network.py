"""Hand-built toy layer frames (same schema as the real layers) with computable answers.

Coordinates are given in EPSG:4549 metres relative to (X0, Y0) and stored in
EPSG:4326, like the real layers.
"""

from __future__ import annotations

from dataclasses import replace

import geopandas as gpd
from shapely.geometry import LineString, Point

from analysis.network_config import DEFAULT_CONFIG
from core.crs import MEASURE_CRS, WGS84

X0, Y0 = 520_000.0, 4_000_000.0
#: round numbers: walking 80 m/min x detour 1.0, driving 30 km/h = 500 m/min x detour 1.0
TOY_CONFIG = replace(DEFAULT_CONFIG, walk_speed_kmh=4.8, walk_detour=1.0, drive_speed_kmh=30.0, drive_detour=1.0,
                     drive_nearest=1, road_speed_factor=0.8, metro_speed_kmh=40.0, metro_dwell_min=0.5,
                     metro_wait_min=4.0, alight_min=1.0, drive_terminal_min=0.0,
                     arterial_max_m=0.0)


def pt(x: float, y: float) -> Point:
    return Point(X0 + x, Y0 + y)


def line(*xy) -> LineString:
    return LineString([(X0 + x, Y0 + y) for x, y in xy])


def frame(rows: list[dict]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=MEASURE_CRS).to_crs(WGS84)


def two_route_links() -> gpd.GeoDataFrame:
    """A 10 km bridge P->Q (100 km/h design -> 80 km/h = 7.5 min) and a 30 km expressway
    detour P->(0,10k)->(10k,10k)->Q (125 km/h design -> 100 km/h = 18 min)."""
    return frame([
        {"id": "bridge", "name_zh": "大桥", "name_en": "Bridge", "category": "bridge", "mode": "road",
         "status": "operating", "design_speed_kmh": 100, "stations": "", "geometry": line((0, 0), (10_000, 0))},
        {"id": "detour", "name_zh": "绕行高速", "name_en": "Detour", "category": "expressway", "mode": "road",
         "status": "operating", "design_speed_kmh": 125, "stations": "",
         "geometry": line((0, 0), (0, 10_000), (10_000, 10_000), (10_000, 0))},
    ])


def two_route_points() -> gpd.GeoDataFrame:
    """A 1 km west of P and B 1 km east of Q: 2 min of local driving each."""
    return frame([{"id": "A", "name_zh": "甲", "name_en": "A", "geometry": pt(-1_000, 0)},
                  {"id": "B", "name_zh": "乙", "name_en": "B", "geometry": pt(11_000, 0)}])


def metro_frames(line2_status: str = "under_construction") -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Line 1: s1 (0,0) - s2 (2 km,0) - s3 (4 km,0); line 2: s2 - s4 (2 km, 2 km)."""
    stations = frame([
        {"id": sid, "name_zh": sid, "name_en": sid, "lines": lines, "status": "operating", "geometry": pt(x, y)}
        for sid, lines, x, y in [("s1", "1", 0, 0), ("s2", "1;2", 2_000, 0), ("s3", "1", 4_000, 0),
                                 ("s4", "2", 2_000, 2_000)]
    ])
    lines = frame([
        {"id": "m1", "name_zh": "1号线", "name_en": "Line 1", "line": "1", "stations": "s1;s2;s3",
         "status": "operating", "geometry": line((0, 0), (2_000, 0), (4_000, 0))},
        {"id": "m2", "name_zh": "2号线", "name_en": "Line 2", "line": "2", "stations": "s2;s4",
         "status": line2_status, "geometry": line((2_000, 0), (2_000, 2_000))},
    ])
    return stations, lines


def metro_points() -> gpd.GeoDataFrame:
    """f1 400 m south of s1, f3 400 m south of s3, f4 400 m east of s4 (5 min walk each)."""
    return frame([{"id": "f1", "geometry": pt(0, -400)}, {"id": "f3", "geometry": pt(4_000, -400)},
                  {"id": "f4", "geometry": pt(2_400, 2_000)}])
