"""The bay-cluster builder: reproducible, schema-valid, where the bays are."""

import json

import geopandas as gpd
import pytest
from shapely.geometry import Point

from analysis.clusters import build_bay_clusters, write_clusters
from core.crs import to_measure_crs
from layers import clusters, coast, districts
from layers.base import read_geojson, schema_problems


@pytest.fixture(scope="module")
def built():
    return build_bay_clusters(coast.load_city(), coast.load_bay(), districts=districts.load())


def test_committed_file_is_what_the_builder_writes(built, tmp_path):
    path = tmp_path / "clusters.geojson"
    write_clusters(built, path)
    assert path.read_text(encoding="utf-8") == clusters.LAYER.path.read_text(encoding="utf-8")


def test_schema_and_parameters(built):
    assert schema_problems(clusters.load(), clusters.LAYER) == []
    assert list(built["id"]) == ["cluster_aoshan", "cluster_jiaozhou", "cluster_lingshan", "corridor_bay_area"]
    params = json.loads(built.loc[0, "parameters"])
    assert params["buffer_km"] == 12.5 and "鳌山头" in params["open_bays"]["aoshan"]["headlands"]
    assert (built["geom_precision"] == "schematic").all()


def test_clusters_are_land_without_overlap(built):
    m = to_measure_crs(built[built["category"] == "bay_cluster"]).reset_index(drop=True)
    land = to_measure_crs(coast.load_city()).union_all()
    for geom in m.geometry:
        assert geom.difference(land.buffer(60)).area < 1e5  # simplified at 50 m
    assert m.geometry[0].intersection(m.geometry[1]).area < 1e5
    assert m.geometry[1].intersection(m.geometry[2]).area < 1e5


def test_landmarks_fall_in_their_bay():
    frame = clusters.bay_clusters()
    places = {  # (lon, lat) on land near each bay
        "aoshan": (120.68, 36.36),  # 鳌山卫 / 蓝谷
        "jiaozhou": (120.38, 36.12),  # 市北/李沧 east shore of Jiaozhou Bay
        "lingshan": (120.08, 35.89),  # 灵山湾 shore
    }
    for key, (lon, lat) in places.items():
        hit = frame[frame.contains(Point(lon, lat))]["cluster"].tolist()
        assert hit == [key], (key, hit)
    assert not frame.contains(Point(119.95, 36.78)).any()  # 平度 town centre


def test_wider_buffer_covers_more_land():
    land, bay, dist = coast.load_city(), coast.load_bay(), districts.load()
    small = build_bay_clusters(land, bay, districts=dist, buffer_km=3, step_m=500)
    big = build_bay_clusters(land, bay, districts=dist, buffer_km=6, step_m=500)
    assert (to_measure_crs(big).area[:3] > to_measure_crs(small).area[:3]).all()
    with pytest.raises(ValueError, match="positive"):
        build_bay_clusters(land, bay, districts=dist, buffer_km=0)


def test_layer_reads_as_geojson():
    assert isinstance(read_geojson(clusters.LAYER.path), gpd.GeoDataFrame)
