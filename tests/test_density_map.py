"""layers.density_map: every point is in the image, pixels land where Leaflet will draw them,
large layers stay small, and the map holds only the layers it was given."""

import base64
import io

import geopandas as gpd
import numpy as np
import pytest
from PIL import Image
from pyproj import Transformer
from shapely.geometry import Point, box

from layers.atlas_map import MapView
from layers.density_map import (POINT_COLOURS, PixelGrid, RasterLayer, build_density_map, hex_raster, kde_raster,
                                points_raster)

FWD = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)


def _points(lonlat):
    return gpd.GeoDataFrame(geometry=[Point(x, y) for x, y in lonlat], crs="EPSG:4326")


def _pixel(grid: PixelGrid, lon, lat) -> tuple[int, int]:
    """Row, column of lon/lat (a point on the far edge belongs to the last pixel)."""
    x, y = FWD.transform(lon, lat)
    return min(int((grid.y1 - y) // grid.size), grid.ny - 1), min(int((x - grid.x0) // grid.size), grid.nx - 1)


def test_every_point_is_counted_into_its_pixel():
    # three points on one spot, one alone, one on the far corner (the edge is clamped in, not lost)
    pts = _points([(120.30, 36.05)] * 3 + [(120.50, 36.20), (120.70, 36.40)])
    layer, legend = points_raster(pts, title="p", max_px=200)
    assert layer.described["points"] == 5 and layer.described["pixels"] == 3
    grid = PixelGrid.covering(120.30, 36.05, 120.70, 36.40, max_px=200)
    assert layer.classes.shape == (grid.ny, grid.nx)
    assert layer.classes[_pixel(grid, 120.30, 36.05)] == 1  # 3 points: class "2–4"
    assert layer.classes[_pixel(grid, 120.50, 36.20)] == 0  # 1 point: class "1"
    assert layer.classes[_pixel(grid, 120.70, 36.40)] == 0
    assert (layer.classes >= 0).sum() == 3
    assert [label for _, _, label in legend] == ["1", "2–4"]
    assert tuple(layer.rgba[_pixel(grid, 120.30, 36.05)]) == (0x80, 0x7D, 0xBA, 255) == (*bytes.fromhex(POINT_COLOURS[1][1:]), 255)


def test_bounds_are_the_mercator_corners_leaflet_stretches_the_image_over():
    grid = PixelGrid.covering(120.0, 35.9, 120.9, 36.6, max_px=512)
    (s, w), (n, e) = grid.bounds()
    x0, y0 = FWD.transform(w, s)
    x1, y1 = FWD.transform(e, n)
    assert x0 == pytest.approx(grid.x0, abs=1e-6) and y1 == pytest.approx(grid.y1, abs=1e-6)
    assert (x1 - x0) / grid.nx == pytest.approx(grid.size) and (y1 - y0) / grid.ny == pytest.approx(grid.size)
    assert max(grid.nx, grid.ny) == 512
    # ~ (0.9 degrees of longitude at 36.25 N) / 512 pixels on the ground
    assert grid.ground_m() == pytest.approx(0.9 * 111_320 * np.cos(np.radians(36.25)) / 512, rel=0.02)


def test_the_png_holds_the_classes_and_transparency():
    layer = RasterLayer("x", "x", np.array([[0, -1], [1, 0]]), ["#ff0000", "#00ff00"], [[0, 0], [1, 1]])
    assert layer.url.startswith("data:image/png;base64,")
    image = Image.open(io.BytesIO(base64.b64decode(layer.url.split(",", 1)[1]))).convert("RGBA")
    assert np.asarray(image).tolist() == [[[255, 0, 0, 255], [0, 0, 0, 0]], [[0, 255, 0, 255], [255, 0, 0, 255]]]


def test_kde_cells_are_sampled_at_each_pixel():
    # a 3 x 2 grid of 1 km cells in EPSG:4549; two cells coloured
    grid = {"x0": 500_000.0, "y0": 4_000_000.0, "nx": 3, "ny": 2}
    cells = gpd.GeoDataFrame({"row": [0, 1], "col": [0, 2], "color": ["#111111", "#eeeeee"]},
                             geometry=[box(500_000, 4_000_000, 501_000, 4_001_000),
                                       box(502_000, 4_001_000, 503_000, 4_002_000)], crs="EPSG:4549").to_crs(4326)
    layer = kde_raster(cells, grid=grid, cell_m=1000.0, title="k", max_px=60)
    to_ll = Transformer.from_crs("EPSG:4549", "EPSG:4326", always_xy=True)
    pix = PixelGrid.covering(*cells.total_bounds, max_px=60)
    for (x, y), colour in (((500_500, 4_000_500), "#111111"), ((502_500, 4_001_500), "#eeeeee")):
        r, c = _pixel(pix, *to_ll.transform(x, y))
        assert layer.colours[layer.classes[r, c]] == colour
    r, c = _pixel(pix, *to_ll.transform(501_500, 4_000_500))  # an empty cell between them
    assert layer.classes[r, c] == -1


def test_hexagons_are_filled_with_their_colour():
    import h3

    ids = ["872830828ffffff", "87283082effffff"]
    from shapely.geometry import Polygon

    polys = [Polygon([(lng, lat) for lat, lng in h3.cell_to_boundary(h)]) for h in ids]
    hexes = gpd.GeoDataFrame({"h3": ids, "color": ["#d7301f", "#2c7bb6"]}, geometry=polys, crs="EPSG:4326")
    layer = hex_raster(hexes, title="h", max_px=200)
    pix = PixelGrid.covering(*hexes.total_bounds, max_px=200)
    for h, colour in zip(ids, ["#d7301f", "#2c7bb6"], strict=True):
        lat, lng = h3.cell_to_latlng(h)
        assert layer.colours[layer.classes[_pixel(pix, lng, lat)]] == colour
    assert layer.described["hexes"] == 2


def test_100k_points_make_a_small_map_with_only_the_given_layers():
    rng = np.random.default_rng(1)
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(rng.normal(120.4, 0.15, 100_000),
                                                       rng.normal(36.2, 0.12, 100_000)), crs="EPSG:4326")
    layer, legend = points_raster(pts, title="点 Points")
    assert layer.described["points"] == 100_000
    html = build_density_map([layer], MapView(legend=legend)).get_root().render()
    assert html.count("data:image/png;base64,") == 1 and "density-points" in html
    assert "核密度" not in html and "Hexagons" not in html  # nothing that was not asked for
    assert len(html.encode()) < 400_000  # the naive page sends ~66 MB of CircleMarkers for this
