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


@dataclass(frozen=True)
class OsmRefreshDefaults:
    """Defaults of ``python -m geodata.osm_refresh`` (curated positions from OpenStreetMap)."""

    #: sanity limit: a same-named OSM feature farther than this from the current position is
    #: not taken (another station/campus of the same name elsewhere, or a wrong estimate)
    max_distance_m: float = 5000.0
    #: connect timeout: offline, the download fails within seconds
    connect_timeout_s: float = 5.0
    #: read timeout (also sent to Overpass as its server timeout): big queries are slow
    read_timeout_s: int = 180
    #: the download's bounding box = the curated points' bounds padded by this many degrees
    bbox_padding_deg: float = 0.05
    #: an OSM area at most this large (about 200 m x 200 m) still counts as a surveyed point
    surveyed_max_area_m2: float = 40_000.0
    #: decimals written for lon/lat (1e-6 degree is about 0.1 m)
    coordinate_decimals: int = 6
    #: downloads are cached in CACHE_DIR / cache_subdir
    cache_subdir: str = "osm"


MAP = MapDefaults()
DATA = DataDefaults()


@dataclass(frozen=True)
class ExportDefaults:
    #: decimals kept in exported WGS84 coordinates (6 ≈ 0.1 m; RFC 7946 §11.2)
    precision: int = 6
    #: formats offered everywhere (app, CLI): name -> (file suffix, MIME type)
    formats: tuple[tuple[str, str, str], ...] = (
        ("geojson", ".geojson", "application/geo+json"),
        ("gpkg", ".gpkg", "application/geopackage+sqlite3"),
        ("csv", ".csv", "text/csv"),
    )
    max_filename_len: int = 80


@dataclass(frozen=True)
class BriefingDefaults:
    dpi: int = 300
    preset: str = "A4-landscape"
    #: paper presets: name -> (width, height) in inches
    presets: tuple[tuple[str, float, float], ...] = (
        ("A4-landscape", 11.693, 8.268),
        ("A4-portrait", 8.268, 11.693),
        ("A3-landscape", 16.535, 11.693),
        ("A3-portrait", 11.693, 16.535),
        ("slide-16:9", 13.333, 7.5),
    )
    #: the map's projected CRS on the sheet (metres, so the scale bar is true)
    crs: str = "EPSG:4549"
    #: the whole corridor when no bbox is given (lon_min, lat_min, lon_max, lat_max)
    bbox: tuple[float, float, float, float] = (119.55, 35.55, 121.05, 37.05)
    max_labels: int = 40


EXPORT = ExportDefaults()
BRIEFING = BriefingDefaults()
OSM = OsmRefreshDefaults()
