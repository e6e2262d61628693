import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import LineString, Point, Polygon

from core import crs

# Published sample pairs (WGS84 -> GCJ-02) from the eviltransform test-suite and
# the coordtransform README (GCJ-02 <-> BD-09), lon/lat order.
WGS_GCJ = [
    ((121.5272106, 31.1774276), (121.531541859215, 31.17530398364597)),
    ((113.912316, 22.543847), (113.9171764808363, 22.540796131694766)),
    ((116.377817, 39.911954), (116.38404722455657, 39.91334545536069)),
    ((116.404, 39.915), (116.41024449916938, 39.91640428150164)),
]
GCJ_BD = [((116.404, 39.915), (116.41036949371029, 39.92133699351021))]
BD_GCJ = [((116.404, 39.915), (116.39762729119315, 39.90865673957631))]  # closed form; ours refines it by < 1e-6 deg


@pytest.mark.parametrize(("wgs", "gcj"), WGS_GCJ)
def test_wgs_to_gcj_matches_published_pairs(wgs, gcj):
    got = crs.wgs84_to_gcj02_xy(*wgs)
    assert got == pytest.approx(gcj, abs=1e-9)


def test_bd09_pairs():
    assert crs.gcj02_to_bd09_xy(*GCJ_BD[0][0]) == pytest.approx(GCJ_BD[0][1], abs=1e-9)
    assert crs.bd09_to_gcj02_xy(*BD_GCJ[0][0]) == pytest.approx(BD_GCJ[0][1], abs=1e-6)


def _metres(lon1, lat1, lon2, lat2):
    a = gpd.GeoSeries(gpd.points_from_xy(lon1, lat1), crs=crs.WGS84).to_crs(crs.MEASURE_CRS)
    b = gpd.GeoSeries(gpd.points_from_xy(lon2, lat2), crs=crs.WGS84).to_crs(crs.MEASURE_CRS)
    return a.distance(b).to_numpy()


def test_gcj_round_trip_within_5cm_over_qingdao_grid():
    lon, lat = np.meshgrid(np.linspace(119.5, 121.1, 81), np.linspace(35.5, 37.1, 81))
    lon, lat = lon.ravel(), lat.ravel()
    back = crs.gcj02_to_wgs84_xy(*crs.wgs84_to_gcj02_xy(lon, lat))
    assert _metres(lon, lat, *back).max() < 0.05


def test_bd09_round_trip_within_5cm():
    lon, lat = np.meshgrid(np.linspace(119.5, 121.1, 21), np.linspace(35.5, 37.1, 21))
    lon, lat = lon.ravel(), lat.ravel()
    bd = crs.convert_xy(lon, lat, source="WGS84", target="BD-09")
    back = crs.convert_xy(*bd, source="BD-09", target="WGS84")
    assert _metres(lon, lat, *back).max() < 0.05


def test_offset_in_qingdao_is_hundreds_of_metres():
    # The GCJ-02 shift at May Fourth Square is a few hundred metres: enough to misplace a park.
    lon, lat = 120.3845, 36.0622
    g = crs.wgs84_to_gcj02_xy(lon, lat)
    d = _metres([lon], [lat], [g[0]], [g[1]])[0]
    assert 300 < d < 700


def test_outside_china_unchanged():
    assert crs.wgs84_to_gcj02_xy(2.35, 48.85) == pytest.approx((2.35, 48.85))


def test_convert_geoseries_all_geometry_types_keeps_index():
    s = gpd.GeoSeries(
        [Point(120.3, 36.1), LineString([(120.3, 36.1), (120.4, 36.2)]),
         Polygon([(120.3, 36.1), (120.4, 36.1), (120.4, 36.2)])],
        index=[7, 8, 9], crs=crs.WGS84,
    )
    g = crs.convert_geoseries(s, source="WGS84", target="GCJ-02")
    assert list(g.index) == [7, 8, 9]
    assert [t for t in g.geom_type] == ["Point", "LineString", "Polygon"]
    x, y = crs.wgs84_to_gcj02_xy(120.3, 36.1)
    assert g.iloc[0].x == pytest.approx(x) and g.iloc[0].y == pytest.approx(y)
    back = crs.convert_geoseries(g, source="GCJ-02", target="WGS84")
    assert back.geom_equals_exact(s, tolerance=1e-9).all()


def test_convert_geoseries_rejects_projected():
    s = gpd.GeoSeries([Point(500000, 4000000)], crs=crs.MEASURE_CRS)
    with pytest.raises(ValueError, match="projected CRS"):
        crs.convert_geoseries(s, source="WGS84", target="GCJ-02")


def test_unknown_datum_message():
    with pytest.raises(ValueError, match="Unknown datum 'WGS72'"):
        crs.convert_xy(1, 2, source="WGS72", target="WGS84")


def test_to_measure_crs_requires_crs():
    gdf = gpd.GeoDataFrame(geometry=[Point(120.3, 36.1)])
    with pytest.raises(ValueError, match="no CRS"):
        crs.to_measure_crs(gdf)


def test_to_measure_crs_hand_computed():
    # 120E is the central meridian of EPSG:4549: x is the 500 km false easting, and
    # one degree of latitude near 36N is ~110.95 km.
    gdf = gpd.GeoDataFrame(geometry=[Point(120.0, 36.0), Point(120.0, 37.0)], crs=crs.WGS84)
    out = crs.to_measure_crs(gdf)
    assert out.crs.to_epsg() == 4549
    assert out.geometry.x.tolist() == pytest.approx([500000.0, 500000.0], abs=1e-3)
    assert out.geometry.iloc[1].y - out.geometry.iloc[0].y == pytest.approx(110_950, abs=100)


def test_require_projected():
    with pytest.raises(ValueError, match="geographic CRS"):
        crs.require_projected(gpd.GeoSeries([Point(120, 36)], crs=crs.WGS84))
    crs.require_projected(gpd.GeoSeries([Point(0, 0)], crs=crs.MEASURE_CRS))
