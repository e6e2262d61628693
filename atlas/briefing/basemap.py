"""The briefing's base map: extent (corridor, focus), sea / Qingdao land / neighbouring land, locator.

Everything is derived from the committed layers (districts, city outline, Jiaozhou Bay,
bay clusters); no coastline is invented. Qingdao's outline is one ring that follows the
coast and the land border; the land border is the stretch of that ring between two
vertices (``BRIEFING.land_border_ends``: the outline vertices nearest the points where the
committed outline leaves the coast at 丁字湾 and at the 黄岛–日照 boundary, read off the
outline itself). Beyond the land border lies neighbouring land, drawn *schematically*:
its own coast is not known to the atlas, so the area is closed with straight lines away
from the sea and the legend says "schematic".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import LineString, Polygon, box

from core.settings import BRIEFING
from layers import coast, districts

CRS = BRIEFING.crs


@dataclass(frozen=True)
class Base:
    """The base map frames (EPSG:4326): districts, city outline, bay water, bay clusters."""

    districts: gpd.GeoDataFrame
    city: gpd.GeoDataFrame
    bay: gpd.GeoDataFrame
    clusters: gpd.GeoDataFrame | None = None


def load_base() -> Base:
    from layers import base, catalog

    try:
        clusters = base.load_layer(catalog.LAYERS["clusters"])
    except (KeyError, OSError, ValueError):
        clusters = None
    return Base(districts.display_frame(), coast.load_city(), coast.load_bay(), clusters)


def bay_clusters(base: Base) -> gpd.GeoDataFrame:
    """The three bay clusters (not the corridor line), or an empty frame."""
    if base.clusters is None or base.clusters.empty:
        return gpd.GeoDataFrame(geometry=[], crs="EPSG:4326")
    frame = base.clusters
    return frame[frame["category"].eq("bay_cluster")] if "category" in frame else frame


def _padded(bounds, margin_m: float) -> tuple[float, float, float, float]:
    """WGS84 bbox of metre ``bounds`` (EPSG:4549) grown by ``margin_m``."""
    x0, y0, x1, y1 = bounds
    grown = gpd.GeoSeries([box(x0 - margin_m, y0 - margin_m, x1 + margin_m, y1 + margin_m)], crs=CRS)
    return tuple(float(v) for v in grown.to_crs("EPSG:4326").total_bounds)


def focus_choices(base: Base) -> list[str]:
    """The focus names a user can choose: corridor, city, each bay cluster, each district."""
    clusters = [f"cluster:{c}" for c in bay_clusters(base).get("cluster", [])]
    return ["corridor", "city", *clusters, *(f"district:{d}" for d in base.districts["id"])]


def focus_bbox(focus: str, base: Base) -> tuple[float, float, float, float]:
    """WGS84 bbox (lon_min, lat_min, lon_max, lat_max) of a focus name (see :func:`focus_choices`).

    ``corridor``: the three bay clusters + ``BRIEFING.corridor_margin_m``; ``city``: the
    municipality; ``cluster:<id>`` / ``district:<id>``: that area + a smaller margin.
    """
    kind, _, key = focus.partition(":")
    if kind == "corridor" and not key:
        frame = bay_clusters(base)
        if frame.empty:
            return BRIEFING.bbox
        return _padded(frame.to_crs(CRS).total_bounds, BRIEFING.corridor_margin_m)
    if kind == "city" and not key:
        return _padded(base.city.to_crs(CRS).total_bounds, 3000)
    if kind == "cluster":
        frame = bay_clusters(base)
        frame = frame[frame["cluster"].eq(key)] if "cluster" in frame else frame.iloc[:0]
    elif kind == "district":
        frame = base.districts[base.districts["id"].eq(key)]
    else:
        frame = None
    if frame is None or frame.empty:
        msg = f"Unknown focus {focus!r}; choose one of: {', '.join(focus_choices(base))}"
        raise ValueError(msg)
    return _padded(frame.to_crs(CRS).total_bounds, BRIEFING.focus_margin_m)


def land_border(city: gpd.GeoDataFrame) -> LineString:
    """Qingdao's land border (EPSG:4549): the outline ring between the two ``land_border_ends``."""
    outline = city.to_crs(CRS).geometry.union_all()
    main = max(getattr(outline, "geoms", [outline]), key=lambda p: p.area)
    ring = np.asarray(main.exterior.coords)
    ends = gpd.GeoSeries.from_xy(*zip(*BRIEFING.land_border_ends, strict=True), crs="EPSG:4326").to_crs(CRS)
    idx = [int(np.argmin(np.hypot(ring[:, 0] - p.x, ring[:, 1] - p.y))) for p in ends]
    a, b = idx
    part = ring[a:b + 1] if a <= b else np.vstack([ring[a:], ring[1:b + 1]])
    return LineString(part)


COAST_FILE = Path(__file__).resolve().parents[2] / "geodata" / "coast_land.geojson"


@lru_cache(maxsize=1)
def coast_land() -> shapely.Geometry | None:
    """Land from the published coastline (OpenStreetMap land polygons via roaring-landmask, clipped once by
    ``geodata/build_coast.py``; EPSG:4549), or None when the file is absent (then the schematic fallback)."""
    if not COAST_FILE.is_file():
        return None
    return gpd.read_file(COAST_FILE).to_crs(CRS).geometry.union_all()


def neighbour_land(city: gpd.GeoDataFrame, extent: Polygon) -> shapely.Geometry:
    """Land other than Qingdao's (EPSG:4549) inside ``extent``.

    From the published coastline (:func:`coast_land`) where the atlas has it: that land minus Qingdao's
    outline (slivers under 100 m wide along the shared coast dropped). Otherwise schematic: the land
    border's two coastal ends are extended straight out of the map (the SW end westwards, the NE end
    northwards); the area they enclose with the border is land.
    """
    land = city.to_crs(CRS).geometry.union_all()
    osm = coast_land()
    if osm is not None:
        other = osm.intersection(extent.buffer(1000)).difference(land)
        return other.buffer(-50).buffer(50).intersection(extent).difference(land)
    return schematic_neighbour_land(city, extent)


def schematic_neighbour_land(city: gpd.GeoDataFrame, extent: Polygon) -> shapely.Geometry:
    """The schematic fallback of :func:`neighbour_land` (no coastline beyond Qingdao's outline)."""
    border = land_border(city)
    far = 1_000_000.0
    (ax_, ay), (bx, by) = border.coords[0], border.coords[-1]
    closing = [(bx, by + far), (ax_ - far, by + far), (ax_ - far, ay)]
    region = Polygon([*border.coords, *closing])
    if not region.is_valid:
        region = shapely.make_valid(region)
    land = city.to_crs(CRS).geometry.union_all()
    return region.intersection(extent).difference(land)
