"""Land around Qingdao from a published coastline, clipped once (build-time only).

    python -m geodata.build_coast            (needs the PyPI package roaring-landmask; no network)

Source: roaring-landmask 0.11.0 (PyPI, MIT; https://github.com/gauteh/roaring-landmask), provider
``Osm``: a raster mask of the OpenStreetMap land polygons (osmdata.openstreetmap.de, © OpenStreetMap
contributors, ODbL 1.0), which include reclaimed land such as the 前湾 container terminals (its GSHHG
provider misses them). The mask ships inside the wheel: nothing is downloaded.

Method: the mask is sampled on a regular lon/lat grid (``STEP_DEG``) over ``BBOX``; each run of land
cells in a row becomes a rectangle, the rectangles are unioned and simplified (``SIMPLIFY_M`` in
EPSG:4549), and pieces smaller than ``MIN_AREA_KM2`` are dropped. Written to ``coast_land.geojson``:
one MultiPolygon of land (Qingdao's own and its neighbours'); the sheets draw neighbouring land as
this land minus Qingdao's outline, instead of a schematic area.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

BBOX = (119.2, 35.3, 121.4, 37.3)  # lon_min, lat_min, lon_max, lat_max: the municipality and a margin
STEP_DEG = 0.002  # ~180 m E-W, ~220 m N-S at 36° N
SIMPLIFY_M = 120.0
MIN_AREA_KM2 = 0.2
PRECISION = 4  # 1e-4 deg ~ 10 m: finer than the grid
OUT = Path(__file__).with_name("coast_land.geojson")
SOURCE = ("OpenStreetMap land polygons (osmdata.openstreetmap.de) as rasterised in the PyPI package "
          "roaring-landmask 0.11.0 (provider Osm), sampled every 0.002° and simplified "
          "(geodata/build_coast.py)")
LICENCE = "ODbL-1.0"


def land_mask(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    from roaring_landmask import LandmaskProvider, RoaringLandmask

    mask = RoaringLandmask.new_with_provider(LandmaskProvider.Osm)
    gx, gy = np.meshgrid(lon, lat)
    return np.asarray(mask.contains_many(gx.ravel(), gy.ravel())).reshape(gy.shape)


def rectangles(mask: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> list:
    """One box per run of land cells in each row (cell = the grid point ± half a step)."""
    h = STEP_DEG / 2
    out = []
    for r in range(mask.shape[0]):
        row = np.r_[False, mask[r], False].astype(np.int8)
        starts, ends = np.flatnonzero(np.diff(row) == 1), np.flatnonzero(np.diff(row) == -1)
        out += [shapely.box(lon[s] - h, lat[r] - h, lon[e - 1] + h, lat[r] + h)
                for s, e in zip(starts, ends, strict=True)]
    return out


def build() -> gpd.GeoDataFrame:
    lon = np.arange(BBOX[0], BBOX[2] + STEP_DEG / 2, STEP_DEG)
    lat = np.arange(BBOX[1], BBOX[3] + STEP_DEG / 2, STEP_DEG)
    land = shapely.union_all(rectangles(land_mask(lon, lat), lon, lat))
    metric = gpd.GeoSeries([land], crs="EPSG:4326").to_crs("EPSG:4549").simplify(SIMPLIFY_M)
    parts = [p for p in metric.explode().to_numpy() if p.area >= MIN_AREA_KM2 * 1e6]
    geom = gpd.GeoSeries([shapely.MultiPolygon(parts)], crs="EPSG:4549").to_crs("EPSG:4326")
    geom = shapely.set_precision(geom.make_valid().to_numpy(), 10**-PRECISION)
    return gpd.GeoDataFrame({"id": ["osm_land"], "source": [SOURCE], "licence": [LICENCE]}, geometry=list(geom),
                            crs="EPSG:4326")


def main() -> None:
    frame = build()
    doc = json.loads(frame.to_json(drop_id=True))
    OUT.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
