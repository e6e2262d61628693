"""One place for the atlas's defaults (typed, documented, never mutated at run time)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GEODATA_DIR = ROOT / "geodata"
CACHE_DIR = ROOT / "cache"  # online downloads (osmnx) land here; git-ignored


@dataclass(frozen=True)
class MapDefaults:
    center: tuple[float, float] = (36.22, 120.30)  # lat, lon: Jiaozhou Bay
    zoom: int = 10
    min_zoom: int = 7
    max_zoom: int = 18
    height_px: int = 640
    #: coordinates sent to the browser are rounded to this many decimals (~1 m)
    display_precision: int = 5
    #: display simplification tolerance in degrees (~20 m) for polygons/lines
    display_simplify_deg: float = 0.0002


@dataclass(frozen=True)
class DataDefaults:
    data_date: str = "2026-11-01"
    plan_title_zh: str = "青岛市“十四五”科技创新规划"
    plan_title_en: str = "Qingdao 14th Five-Year Science & Technology Innovation Plan (2021)"


MAP = MapDefaults()
DATA = DataDefaults()


@dataclass(frozen=True)
class ConnectivityDefaults:
    #: corridor extent for the OSM road download (lon_min, lat_min, lon_max, lat_max)
    osm_bbox: tuple[float, float, float, float] = (119.75, 35.75, 120.95, 36.65)
    #: the strategic road classes only (a whole-city "drive" graph is ~10x larger)
    osm_custom_filter: str = '["highway"~"motorway|motorway_link|trunk|trunk_link|primary|primary_link"]'
    osm_timeout_s: int = 10
    osm_cache_file: str = "osm_drive_corridor.graphml"
    cutoffs_min: tuple[int, ...] = (15, 30, 45, 60)
    threshold_min: float = 60.0


CONNECTIVITY = ConnectivityDefaults()
