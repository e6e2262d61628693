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
class DensityDefaults:
    """Defaults of analysis.density (every function takes them as explicit arguments).

    * ``bandwidth_m`` 2 km (Gaussian sigma): about the radius of a science park or a
      university quarter, so resources sharing a park merge into one peak while
      separate parks (typically 5-20 km apart in Qingdao) stay distinct.
    * ``cell_m`` 250 m: bandwidth/8, so binning moves a point at most ~180 m
      (half a cell diagonal), small against the bandwidth; city grid ~ 600 x 700.
    * ``h3_resolution`` 8 (~0.50 km² hexagons at Qingdao's latitude): campus scale.
    * ``hotspot_resolution`` 7 (~3.5 km² here) with ``k_ring`` 1 (the 6 adjacent hexagons
      + itself): a neighbourhood of ~25 km², comparable to one cluster core.
    * ``confidence`` 0.95 two-sided for hot/cold classes: the false discovery rate
      (Benjamini-Hochberg) is held at 1 - confidence over all tested hexagons.
    * ``gi_permutations`` 9999 conditional permutations (esda, seeded with ``gi_seed``):
      the smallest two-sided pseudo p is 2/10000, small enough that a compact cluster of
      ~10 hexagons can pass Benjamini-Hochberg among ~3000 land hexagons.
    * ``gi_min_neighbours`` 3: a hexagon with fewer neighbours on land (a cape, an islet)
      is not tested (its neighbourhood is too small to say anything).
    """

    bandwidth_m: float = 2000.0
    cell_m: float = 250.0
    page_cell_m: float = 500.0  # the Density page's starting cell (its map and comparison; lighter than cell_m)
    h3_resolution: int = 8
    hotspot_resolution: int = 7
    k_ring: int = 1
    confidence: float = 0.95
    gi_permutations: int = 9999
    gi_seed: int = 0
    gi_fdr: bool = True
    gi_min_neighbours: int = 3
    #: hexagons whose p is near the permutation floor get this many more draws (at most gi_refine_max of them)
    gi_refine_permutations: int = 199_999
    gi_refine_max: int = 300
    #: app limits (sliders)
    bandwidth_range_m: tuple[float, float] = (250.0, 10_000.0)
    cell_range_m: tuple[float, float] = (100.0, 2000.0)
    h3_range: tuple[int, int] = (5, 9)
    #: positions less precise than this (pos_uncertainty_m) are left out by default: a resource
    #: known only to its district or the city (10-60 km) would make a false hot spot where it is drawn
    max_uncertainty_m: float = 5000.0
    uncertainty_choices_m: tuple[float, ...] = (1000.0, 5000.0, 20000.0)
    #: a KDE grid larger than this is refused (memory; 1 m cells over the city would be ~10^10)
    max_grid_cells: int = 50_000_000
    #: a kernel wider than this (200 km) is wider than the municipality: refused
    max_bandwidth_m: float = 200_000.0


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
DENSITY = DensityDefaults()
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
    #: and at most this many UTF-8 bytes: NAME_MAX is 255 bytes, and "<name>.geojson.meta.json" must fit
    max_filename_bytes: int = 200


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
    #: the default extent: the three bay clusters grown by this margin (metres)
    corridor_margin_m: float = 6000.0
    #: margin around a focused cluster or district (metres)
    focus_margin_m: float = 3000.0
    #: outline points where Qingdao's land border meets the coast (SW: 黄岛-日照, NE: 丁字湾),
    #: read off geodata/city_outline.geojson; the nearest outline vertices split coast from border
    land_border_ends: tuple[tuple[float, float], ...] = ((119.53, 35.59), (120.72, 36.62))
    #: a point or area whose pos_uncertainty_m exceeds this is drawn as approximate …
    approx_uncertainty_m: float = 100.0
    #: … or, if more, what this much paper covers at the map's scale (a smaller error does not show)
    approx_paper_mm: float = 1.0
    #: a label may sit at most this far (mm on paper) from its feature, joined by a leader line, and never
    #: across water from it (at 20 mm, without that rule, a Laoshan campus's name sat across Jiaozhou Bay)
    max_label_offset_mm: float = 16.0
    #: the least white space between two labels (mm): "市南区" and "市南软件园" must not read as one name
    label_gap_mm: float = 0.8
    #: water shorter than this (mm on paper) between a feature and its label does not count as crossing
    water_tolerance_mm: float = 0.4
    #: smallest type (points) for labels and legend per preset: a slide is read from across a room
    min_font_pt: tuple[tuple[str, float], ...] = (("slide-16:9", 9.0),)
    min_font_pt_default: float = 7.5
    #: adjustText iterations (each costs ~5 ms on a 2-core machine; labels it leaves colliding are
    #: re-placed on rings around their feature, see atlas/brieflabels.py)
    label_iterations: int = 30


EXPORT = ExportDefaults()
BRIEFING = BriefingDefaults()
#: overlays on a briefing sheet unless the user says otherwise (the bay clusters are always drawn)
BRIEF_DEFAULT_LAYERS = ("parks", "links", "metro_lines", "transport_nodes", "park_sites", "resources")
OSM = OsmRefreshDefaults()


@dataclass(frozen=True)
class ConnectivityDefaults:
    #: corridor extent for the OSM road download (lon_min, lat_min, lon_max, lat_max)
    osm_bbox: tuple[float, float, float, float] = (119.75, 35.75, 120.95, 36.65)
    #: the strategic road classes only (a whole-city "drive" graph is ~10x larger)
    osm_custom_filter: str = '["highway"~"motorway|motorway_link|trunk|trunk_link|primary|primary_link"]'
    #: offline, the reachability check fails within this many seconds
    osm_connect_timeout_s: float = 5.0
    #: the Overpass query itself may take minutes online (also the server-side timeout)
    osm_read_timeout_s: int = 180
    osm_cache_file: str = "osm_drive_corridor.graphml"
    cutoffs_min: tuple[int, ...] = (15, 30, 45, 60)
    threshold_min: float = 60.0


CONNECTIVITY = ConnectivityDefaults()


@dataclass(frozen=True)
class UploadDefaults:
    #: uploaded point files larger than this are refused with a clear message (50 MB)
    max_bytes: int = 50 * 1024 * 1024
    #: per-process caches of uploads and analysis steps: at most this many entries, each dropped after ttl
    cache_entries: int = 4
    cache_ttl_s: int = 1800
    #: problem rows listed on the page (all of them are in the downloadable CSV)
    problems_listed: int = 200
    #: rows of an upload at most (a 50 MB CSV holds ~1.5 M points)
    max_rows: int = 2_000_000
    #: (which uploads and analyses run in worker processes, and their limits: BUDGET below)


UPLOAD = UploadDefaults()


@dataclass(frozen=True)
class LimitDefaults:
    """Bounds of numeric command-line/page arguments (refused with a one-line error outside)."""

    #: screenshot width/height in CSS pixels
    screenshot_px: tuple[int, int] = (200, 6000)
    #: seconds a screenshot may take before Chromium is closed
    screenshot_timeout_s: int = 60
    #: briefing --bbox: inside this lon/lat box (Qingdao and its surroundings)
    bbox_outer: tuple[float, float, float, float] = (117.0, 34.0, 123.0, 38.5)
    #: briefing --bbox: at least this many degrees wide/high (~100 m)
    bbox_min_deg: float = 0.001


LIMITS = LimitDefaults()


@dataclass(frozen=True)
class BudgetDefaults:
    """What one analysis or upload may cost, checked *before* it is paid (analysis/budget.py,
    analysis/readers.py, atlas/workers.py); beyond it the job is refused with the largest allowed value.

    * ``kde_cells`` 1 M grid cells: the city at 250 m (the default) is ~0.39 M cells and peaks at
      ~0.8 GB; memory grows about linearly (~2 kB a cell as squares + GeoJSON), so 1 M ≈ 2 GB.
      ``cell_m=20`` over the city would be 49 M cells (~22 GB, measured by issue 24).
    * ``hexagons`` 300 k: H3 resolution 9 over the city's extent (~0.23 M); resolution 10 is ~1.6 M.
    * ``matrix_pairs`` 1 M origin-destination pairs; ``isochrone_cutoffs`` 12 bands per origin.
    * archives (.zip, .xlsx, .kmz): at most ``archive_members`` members and ``archive_bytes``
      uncompressed, read from the archive's directory before anything is extracted.
    * worker jobs: ``job_memory_mb`` address space (RLIMIT_AS) and ``job_seconds`` each; ``job_workers``
      processes at once, the rest queued; uploads below ``inline_bytes`` and analyses of at most
      ``inline_points`` points run in the server (a process start costs ~2 s). Workers run at
      ``job_nice`` (lower CPU priority): a reader browsing the map is served before a queued analysis.
    """

    kde_cells: int = 1_000_000
    hexagons: int = 300_000
    matrix_pairs: int = 1_000_000
    isochrone_cutoffs: int = 12
    archive_members: int = 10_000
    archive_bytes: int = 300 * 1024 * 1024
    job_memory_mb: int = 4096
    job_seconds: float = 300.0
    job_workers: int = 2
    job_nice: int = 10
    #: seconds between the server's collections of cycles and hand-backs of freed heap (atlas.workers.start_janitor)
    janitor_s: float = 30.0
    inline_bytes: int = 256 * 1024
    inline_points: int = 20_000


BUDGET = BudgetDefaults()
