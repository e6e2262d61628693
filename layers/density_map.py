"""The Density page's map, kept small: every point drawn, nothing hidden sent (pure, no Streamlit).

Large layers are drawn as one image each instead of thousands of vector features:

* **points** — up to ``POINT_MARKER_LIMIT`` as circle markers (clickable); above that every
  point is counted into the pixel it falls in (a Web-Mercator grid, so Leaflet places the
  image exactly) and the pixel coloured by its count — all points represented, none dropped.
* **KDE** — the kernel-density grid (EPSG:4549 cells) sampled at each pixel's centre.
* **hexagons** — vector (clickable) up to ``HEX_VECTOR_LIMIT``, else filled into an image
  (Pillow's polygon fill, in pixel coordinates of the Web-Mercator grid).

Each builder returns a :class:`RasterLayer` with a ``described`` dict the page turns into a
sentence (how the layer is drawn, pixel size, counts).
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass, field

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from PIL import Image, ImageDraw
from pyproj import Transformer

from core.crs import MEASURE_CRS
from layers.atlas_map import MapLayer, MapView, build_base_map, overlay_group
from layers.webassets import localize

POINT_MARKER_LIMIT = 500  # up to this many points are drawn as clickable circle markers
HEX_VECTOR_LIMIT = 200  # up to this many hexagons are drawn as clickable polygons
MAX_PX = 1024  # longest side of an image layer, pixels
HEX_MAX_PX = 512  # hexagons (res 7: ~2.5 km across) need fewer: ~4 times less to send on each change
#: points per pixel: class lower bounds and colours (ColorBrewer Purples, dark end: visible on greens/reds)
POINT_BREAKS = (1, 2, 5, 20, 100)
POINT_COLOURS = ("#9e9ac8", "#807dba", "#6a51a3", "#54278f", "#3f007d")

_FWD = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)
_INV = Transformer.from_crs("EPSG:3857", "EPSG:4326", always_xy=True)
_TO_MEASURE = Transformer.from_crs("EPSG:3857", MEASURE_CRS, always_xy=True)


@dataclass(frozen=True)
class PixelGrid:
    """A north-up pixel grid in EPSG:3857 (what Leaflet stretches an image over, linearly)."""

    x0: float
    y1: float  # top edge
    size: float  # pixel side in EPSG:3857 units
    nx: int
    ny: int

    @classmethod
    def covering(cls, lon0: float, lat0: float, lon1: float, lat1: float, *, max_px: int = MAX_PX) -> PixelGrid:
        (x0, x1), (y0, y1) = _FWD.transform([lon0, lon1], [lat0, lat1])
        size = max(x1 - x0, y1 - y0, 1.0) / max_px
        nx, ny = max(1, int(np.ceil((x1 - x0) / size))), max(1, int(np.ceil((y1 - y0) / size)))
        return cls(float(x0), float(y1), float(size), min(nx, max_px), min(ny, max_px))

    def bounds(self) -> list[list[float]]:
        """[[south, west], [north, east]] for Leaflet."""
        (w, e), (s, n) = _INV.transform([self.x0, self.x0 + self.nx * self.size],
                                        [self.y1 - self.ny * self.size, self.y1])
        return [[s, w], [n, e]]

    def ground_m(self) -> float:
        """Pixel side on the ground at the grid's centre latitude (metres)."""
        (s, _), (n, _) = self.bounds()
        return self.size * float(np.cos(np.radians((s + n) / 2)))

    def index(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Flat pixel index of EPSG:3857 coordinates (-1 outside)."""
        col = np.floor((x - self.x0) / self.size).astype(np.int64)
        row = np.floor((self.y1 - y) / self.size).astype(np.int64)
        inside = (col >= 0) & (col < self.nx) & (row >= 0) & (row < self.ny)
        return np.where(inside, row * self.nx + col, -1)

    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        xs = self.x0 + (np.arange(self.nx) + 0.5) * self.size
        ys = self.y1 - (np.arange(self.ny) + 0.5) * self.size
        gx, gy = np.meshgrid(xs, ys)
        return gx.ravel(), gy.ravel()


@dataclass
class RasterLayer:
    """An image layer: a class index per pixel (-1 = transparent) and the class colours."""

    key: str
    title: str
    classes: np.ndarray  # (ny, nx) int, row 0 = north; -1 = nothing there
    colours: list[str]
    bounds: list[list[float]]
    opacity: float = 0.85
    described: dict = field(default_factory=dict)
    url: str = ""  # the PNG as a data URL, encoded once (cached with the layer, not on every rerun)

    def __post_init__(self) -> None:
        if not self.url:  # a palette PNG: one byte per pixel before compression
            n = len(self.colours)
            image = Image.fromarray(np.where(self.classes >= 0, self.classes, n).astype(np.uint8), "P")
            image.putpalette([v for c in self.colours for v in _rgb(c)] + [0, 0, 0])
            buf = io.BytesIO()
            image.save(buf, "PNG", transparency=n, compress_level=6)
            self.url = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")

    @property
    def rgba(self) -> np.ndarray:
        palette = np.array([(*_rgb(c), 255) for c in self.colours] + [(0, 0, 0, 0)], dtype=np.uint8)
        return palette[np.where(self.classes >= 0, self.classes, len(self.colours))]


def _rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def points_raster(points: gpd.GeoDataFrame, *, title: str, unit: str = "", max_px: int = MAX_PX,
                  ) -> tuple[RasterLayer, list]:
    """Every point counted into its pixel; pixel colour = count class. Legend items too."""
    return points_raster_xy(points.geometry.x.to_numpy(), points.geometry.y.to_numpy(), title=title, unit=unit,
                            max_px=max_px)


def points_raster_xy(lon: np.ndarray, lat: np.ndarray, *, title: str, unit: str = "", max_px: int = MAX_PX,
                     ) -> tuple[RasterLayer, list]:
    """:func:`points_raster` of points given as WGS84 coordinate arrays."""
    grid = PixelGrid.covering(lon.min(), lat.min(), lon.max(), lat.max(), max_px=max_px)
    x, y = _FWD.transform(lon, lat)
    idx = grid.index(np.asarray(x), np.asarray(y))
    # points on the far edge fall one pixel outside: clamp them in (counted, not dropped)
    col = np.clip(np.floor((np.asarray(x) - grid.x0) / grid.size), 0, grid.nx - 1).astype(np.int64)
    row = np.clip(np.floor((grid.y1 - np.asarray(y)) / grid.size), 0, grid.ny - 1).astype(np.int64)
    idx = np.where(idx >= 0, idx, row * grid.nx + col)
    counts = np.bincount(idx, minlength=grid.nx * grid.ny)
    cls = np.searchsorted(POINT_BREAKS, counts, side="right") - 1  # 0 points -> -1 (transparent)
    present = sorted(set(np.unique(cls[cls >= 0]).tolist()))
    legend = [("area", POINT_COLOURS[i], f"{_range_label(i)} {unit}".strip()) for i in present]
    described = {"points": int(counts.sum()), "pixels": int((counts > 0).sum()), "nx": grid.nx, "ny": grid.ny,
                 "pixel_m": round(grid.ground_m()), "max_per_pixel": int(counts.max())}
    classes = cls.reshape(grid.ny, grid.nx)
    return RasterLayer("points", title, classes, list(POINT_COLOURS), grid.bounds(), 0.9, described), legend


def _range_label(i: int) -> str:
    lo = POINT_BREAKS[i]
    hi = POINT_BREAKS[i + 1] - 1 if i + 1 < len(POINT_BREAKS) else None
    return f"{lo}" if hi == lo else (f"{lo}–{hi}" if hi else f"≥ {lo}")


def kde_raster(cells: gpd.GeoDataFrame, *, grid: dict, cell_m: float, title: str, max_px: int = MAX_PX) -> RasterLayer:
    """KDE cells (``row``/``col`` on the EPSG:4549 ``grid``, with a ``color``) as an image."""
    lon0, lat0, lon1, lat1 = cells.total_bounds
    pix = PixelGrid.covering(lon0, lat0, lon1, lat1, max_px=max_px)
    colours = sorted(cells["color"].unique())
    dense = np.full((grid["ny"], grid["nx"]), -1, dtype=np.int64)
    dense[cells["row"].to_numpy(), cells["col"].to_numpy()] = pd.Index(colours).get_indexer(cells["color"])
    mx, my = _TO_MEASURE.transform(*pix.centres())
    col = np.floor((np.asarray(mx) - grid["x0"]) / cell_m).astype(np.int64)
    row = np.floor((np.asarray(my) - grid["y0"]) / cell_m).astype(np.int64)
    inside = (col >= 0) & (col < grid["nx"]) & (row >= 0) & (row < grid["ny"])
    cls = np.full(pix.nx * pix.ny, -1, dtype=np.int64)
    cls[inside] = dense[row[inside], col[inside]]
    described = {"cells": len(cells), "nx": pix.nx, "ny": pix.ny, "pixel_m": round(pix.ground_m())}
    return RasterLayer("kde", title, cls.reshape(pix.ny, pix.nx), colours, pix.bounds(), 0.7, described)


def hex_raster(hexes: gpd.GeoDataFrame, *, title: str, max_px: int = HEX_MAX_PX, opacity: float = 0.6,
               ) -> RasterLayer:
    """Hexagons (any polygons with a ``color``) drawn as an image with Pillow's polygon fill."""
    lon0, lat0, lon1, lat1 = hexes.total_bounds
    pix = PixelGrid.covering(lon0, lat0, lon1, lat1, max_px=max_px)
    colours = sorted(hexes["color"].unique())
    image = Image.new("I", (pix.nx, pix.ny), -1)
    draw = ImageDraw.Draw(image)
    for geom, colour in zip(hexes.geometry, hexes["color"], strict=True):
        for part in getattr(geom, "geoms", [geom]):
            lon, lat = np.asarray(part.exterior.coords).T
            x, y = _FWD.transform(lon, lat)
            xy = np.column_stack([(np.asarray(x) - pix.x0) / pix.size, (pix.y1 - np.asarray(y)) / pix.size])
            draw.polygon([tuple(v) for v in xy], fill=colours.index(colour))
    described = {"hexes": len(hexes), "nx": pix.nx, "ny": pix.ny, "pixel_m": round(pix.ground_m())}
    return RasterLayer("hexes", title, np.asarray(image, dtype=np.int64), colours, pix.bounds(), opacity, described)


def image_group(layer: RasterLayer, *, show: bool = True) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name=layer.title, show=show)
    folium.raster_layers.ImageOverlay(layer.url, bounds=layer.bounds, opacity=layer.opacity, pixelated=True,
                                      mercator_project=False, interactive=False, className=f"density-{layer.key}",
                                      ).add_to(group)
    return group


def build_density_map(layers: list[MapLayer | RasterLayer], view: MapView) -> folium.Map:
    """The map with exactly ``layers`` (vector or image), in order, plus a layer control."""
    m = build_base_map(view)
    for layer in layers:
        group = image_group(layer) if isinstance(layer, RasterLayer) else overlay_group(layer, view)
        group.add_to(m)
    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    return localize(m)
