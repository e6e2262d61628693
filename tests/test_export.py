"""Exports: round trips in every format, RFC 7946 rules, CSV conventions, metadata, file names."""

import io
import json
import os

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import LinearRing, LineString, Point, Polygon

from atlas.export.formats import export_bytes, gpkg_metadata, human_size, read_bytes, safe_filename
from atlas.export.metadata import build_metadata, metadata_bytes
from core import files as export
from core.crs import MEASURE_CRS
from core.files import write_atomic

FORMATS = ("geojson", "gpkg", "csv")


@pytest.fixture
def mixed() -> gpd.GeoDataFrame:
    """Three features of three geometry types with provenance-like, hostile and Chinese text."""
    geoms = [
        Point(120.1234567891, 36.1234567891),
        LineString([(120.0, 36.0), (120.5, 36.25)]),
        Polygon([(120.0, 36.0), (120.1, 36.1), (120.1, 36.0), (120.0, 36.0)]),  # clockwise
    ]
    return gpd.GeoDataFrame({
        "id": ["a", "b", "c"],
        "name_zh": ["青岛科技街", "胶州湾隧道", '"引号",逗号\n换行'],
        "source": ["https://example.org/a?x=1;y=2", "plan §五", "<script>"],
        "as_of": ["2026-11-01", "2026-10-01", "2026-11-29"],
        "weight": [1.5, None, 3.0],
    }, geometry=geoms, crs="EPSG:4326")


@pytest.fixture
def points() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"id": ["p1", "p2"], "name_zh": ["崂山", "即墨"], "n": [1, 2]},
                            geometry=[Point(120.6, 36.1), Point(120.45, 36.39)], crs="EPSG:4326")


def _same_features(original: gpd.GeoDataFrame, back: gpd.GeoDataFrame, tol: float) -> None:
    assert len(back) == len(original)
    for col in ("id", "name_zh", "source", "as_of"):
        if col in original:
            assert back[col].astype(str).tolist() == original[col].astype(str).tolist()
    for a, b in zip(original.geometry, back.geometry, strict=True):
        if a is None:  # a feature with no position (location tier district/city) comes back without one
            assert b is None
            continue
        assert a.geom_type == b.geom_type
        assert a.normalize().equals_exact(b.normalize(), tol)  # same shape; ring orientation may be fixed


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_keeps_features_attributes_and_geometry(mixed, fmt):
    back = read_bytes(export_bytes(mixed, fmt, precision=6), fmt)
    _same_features(mixed, back, tol=1e-6)
    weights = pd.to_numeric(back["weight"].replace("", np.nan))
    assert weights.iloc[0] == 1.5 and np.isnan(weights.iloc[1]) and weights.iloc[2] == 3.0


@pytest.mark.parametrize("fmt", FORMATS)
def test_projected_input_comes_back_in_wgs84(mixed, fmt):
    back = read_bytes(export_bytes(mixed.to_crs(MEASURE_CRS), fmt), fmt)
    _same_features(mixed, back, tol=1e-6)


@pytest.mark.parametrize("layer", ["parks", "resources"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_committed_layer_round_trips(fmt, layer):
    from layers import catalog

    gdf = catalog.loaders()[layer]()
    back = read_bytes(export_bytes(gdf, fmt), fmt)
    _same_features(gdf, back, tol=1.1e-6)
    assert back["location_tier"].tolist() == gdf["location_tier"].tolist()


def test_unlocated_features_export_without_a_position():
    from layers import resources

    gdf = resources.load()
    city = gdf[gdf["location_tier"] == "city"]
    collection = json.loads(export_bytes(gdf, "geojson"))
    by_id = {f["properties"]["id"]: f for f in collection["features"]}
    assert all(by_id[i]["geometry"] is None for i in city["id"])
    assert all(by_id[i]["properties"]["district"] in (None, "") for i in city["id"])
    table = pd.read_csv(io.BytesIO(export_bytes(gdf, "csv")), dtype=str, keep_default_na=False)
    rows = table.set_index("id").loc[city["id"]]
    assert (rows["lon"] == "").all() and (rows["lat"] == "").all() and (rows["location_tier"] == "city").all()
    assert (table.set_index("id").loc["res_ouc", ["lon", "lat"]] != "").all()
    back = read_bytes(export_bytes(gdf, "gpkg"), "gpkg")
    assert back.set_index("id").loc[city["id"]].geometry.isna().all()
    assert list(back["plan_ref"]) == list(gdf["plan_ref"])


@pytest.mark.parametrize("fmt", FORMATS)
def test_missing_geometry_survives(points, fmt):
    points.loc[1, "geometry"] = None
    back = read_bytes(export_bytes(points, fmt), fmt)
    assert back.geometry.iloc[0].equals(points.geometry.iloc[0]) and back.geometry.iloc[1] is None


def test_geojson_follows_rfc7946(mixed):
    doc = json.loads(export_bytes(mixed, "geojson", precision=5))
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    point = doc["features"][0]["geometry"]
    assert point == {"type": "Point", "coordinates": [120.12346, 36.12346]}  # lon first, 5 decimals
    ring = doc["features"][2]["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1]
    assert shapely.is_ccw(LinearRing(ring))  # the fixture's ring is clockwise; RFC 7946 wants it counterclockwise
    assert not shapely.is_ccw(LinearRing(mixed.geometry.iloc[2].exterior.coords))
    for feature in doc["features"]:
        assert set(feature) == {"type", "properties", "geometry"}
        assert feature["properties"]["id"]
    assert doc["features"][1]["properties"]["weight"] is None  # NaN is not JSON


def test_geojson_of_a_plain_table_has_null_geometries():
    table = pd.DataFrame({"from": ["aoshan"], "to": ["lingshan"], "minutes": [71.5]})
    doc = json.loads(export_bytes(table, "geojson"))
    assert doc["features"] == [{"type": "Feature", "properties": {"from": "aoshan", "to": "lingshan",
                                                                  "minutes": 71.5}, "geometry": None}]
    assert read_bytes(export_bytes(table, "csv"), "csv").to_dict("records") == [
        {"from": "aoshan", "to": "lingshan", "minutes": "71.5"}]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_matrix_keeps_its_index_and_a_series_its_name(fmt):
    matrix = pd.DataFrame([[0.0, 71.5], [70.0, 0.0]], index=pd.Index(["aoshan", "lingshan"], name="origin"),
                          columns=["aoshan", "lingshan"])
    back = read_bytes(export_bytes(matrix, fmt), fmt)
    assert list(back.columns[:3]) == ["origin", "aoshan", "lingshan"]
    assert back["origin"].tolist() == ["aoshan", "lingshan"]
    assert float(back["lingshan"].iloc[0]) == 71.5
    series = pd.Series([3, 4], index=pd.Index(["a", "b"], name="cell"), name="score")
    assert list(read_bytes(export_bytes(series, fmt), fmt).columns) == ["cell", "score"]


def test_not_a_table_is_refused():
    with pytest.raises(TypeError, match="cannot export a list"):
        export_bytes([1, 2], "csv")


def test_csv_points_are_lon_lat_and_others_wkt(points, mixed):
    text = export_bytes(points, "csv").decode("utf-8")
    assert text.splitlines()[0] == "id,name_zh,n,lon,lat"
    assert text.splitlines()[1] == "p1,崂山,1,120.6,36.1"
    wkt = export_bytes(mixed, "csv", precision=2).decode("utf-8")
    assert wkt.splitlines()[0].endswith(",wkt")
    assert "LINESTRING (120 36, 120.5 36.25)" in wkt


def test_csv_bom_option(points):
    assert export_bytes(points, "csv", bom=True).startswith(b"\xef\xbb\xbfid,")
    assert export_bytes(points, "csv").startswith(b"id,")


def test_excel_mode_defuses_formulas(points):
    points["name_zh"] = ['=HYPERLINK("http://x","崂山")', "@SUM(1)"]
    excel = read_bytes(export_bytes(points, "csv", bom=True), "csv")
    assert excel["name_zh"].tolist() == ['\'=HYPERLINK("http://x","崂山")', "'@SUM(1)"]
    assert excel["n"].tolist() == ["1", "2"]  # numbers untouched
    plain = read_bytes(export_bytes(points, "csv"), "csv")
    assert plain["name_zh"].tolist() == points["name_zh"].tolist()  # analysts' CSV stays exact


def test_gpkg_carries_the_metadata(points):
    meta = build_metadata(points, layers=["resources"], title="测试")
    data = export_bytes(points, "gpkg", metadata=meta, layer_name="../../x")
    assert gpkg_metadata(data)["title"] == "测试"


def test_metadata_collects_sources_dates_licences_and_params(mixed):
    mixed.attrs["params"] = {"bandwidth_m": 2000, "cell_m": 500}
    meta = build_metadata(mixed, layers=["parks", "not_registered"], filters={"district": ("laoshan",)})
    assert meta["sources"] == ["<script>", "https://example.org/a?x=1;y=2", "plan §五"]  # not split at ';'
    assert meta["as_of"] == {"min": "2026-10-01", "max": "2026-11-29"}
    assert meta["analysis_parameters"] == {"bandwidth_m": 2000, "cell_m": 500}
    assert list(meta["registry"]) == ["parks"] and meta["licences"]
    assert meta["filters"] == {"district": ["laoshan"]}
    assert meta["feature_count"] == 3
    assert metadata_bytes(meta) == metadata_bytes(build_metadata(mixed, layers=["parks", "not_registered"],
                                                                 filters={"district": ("laoshan",)}))


def test_bad_format_precision_and_missing_crs(points):
    with pytest.raises(ValueError, match="Unknown export format 'shp'"):
        export_bytes(points, "shp")
    with pytest.raises(ValueError, match="precision must be 0..15"):
        export_bytes(points, "geojson", precision=-1)
    with pytest.raises(ValueError, match="has no CRS"):
        export_bytes(points.set_crs(None, allow_override=True), "geojson")


@pytest.mark.parametrize(("title", "expected"), [
    ("../../etc/passwd", "etc_passwd.csv"),
    ("青岛 简报/2026", "青岛_简报_2026.csv"),
    ("..", "export.csv"),
    ("CON", "export_CON.csv"),
    ("a\x00b\\c:d", "a_b_c_d.csv"),
    ("resources_laoshan-shinan", "resources_laoshan-shinan.csv"),
])
def test_safe_filename(title, expected):
    assert safe_filename(title, ".csv") == expected


def test_safe_filename_is_bounded():
    assert len(safe_filename("a" * 500)) == 80
    assert len(safe_filename("长" * 500)) == 66  # 200 UTF-8 bytes: the sidecar name still fits NAME_MAX


def test_human_size():
    assert [human_size(n) for n in (0, 1023, 1536, 5 * 1024 * 1024)] == ["0 B", "1023 B", "1.5 KB", "5.0 MB"]


def test_write_atomic_replaces_and_leaves_nothing_half_written(tmp_path, monkeypatch):
    target = tmp_path / "out.geojson"
    write_atomic(target, b"old")
    assert target.read_bytes() == b"old" and oct(target.stat().st_mode & 0o777) != "0o600"

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(export.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["out.geojson"]  # the temporary file is gone


# ---- issue 14: exports an analyst opens without cleaning ----------------------------------------

@pytest.mark.parametrize("fmt", FORMATS)
def test_a_filtered_layer_has_no_stray_index_column(fmt):
    from atlas.cli.common import apply_filters, load_named

    frame = apply_filters(load_named("resources"), {"district": ("laoshan",)})
    assert list(frame.index) != list(range(len(frame)))  # filtering left gaps in the row numbers
    back = read_bytes(export_bytes(frame, fmt), fmt)
    assert "index" not in back.columns and "level_0" not in back.columns
    assert back["id"].tolist() == frame["id"].tolist()
    assert [c for c in back.columns if c != "geometry"] == [c for c in frame.columns if c != "geometry"]


def test_a_named_or_text_index_is_still_kept():
    table = pd.DataFrame({"n": [1, 2]}, index=pd.Index([7, 9], name="zone_code"))
    assert read_bytes(export_bytes(table, "csv"), "csv").columns.tolist() == ["zone_code", "n"]


def test_geojson_carries_the_metadata_as_a_foreign_member(points):
    points.attrs["params"] = {"bandwidth_m": 2000}
    meta = build_metadata(points, title="密度")
    collection = json.loads(export_bytes(points, "geojson", metadata=meta))
    assert collection["atlas_metadata"]["analysis_parameters"] == {"bandwidth_m": 2000}
    assert collection["atlas_metadata"]["title"] == "密度"
    assert len(gpd.read_file(__import__("io").BytesIO(export_bytes(points, "geojson", metadata=meta)))) == 2


def test_an_analysis_export_carries_parameters_and_units():
    result = pd.DataFrame({"zone": ["laoshan"], "count": [12], "area_km2": [420.1], "per_km2": [0.0286],
                           "time_min": [35.0], "bandwidth_m": [2000]})
    result.attrs["params"] = {"bandwidth_m": 2000, "cell_m": 250, "weight": "weight"}
    result.attrs["units"] = {"count": "features"}
    meta = build_metadata(result, title="density")
    assert meta["analysis_parameters"] == {"bandwidth_m": 2000, "cell_m": 250, "weight": "weight"}
    assert meta["units"] == {"count": "features", "area_km2": "km²", "per_km2": "1/km²", "time_min": "minutes",
                             "bandwidth_m": "m"}
    data = export_bytes(result, "gpkg", metadata=meta, layer_name="density")
    assert gpkg_metadata(data)["units"]["per_km2"] == "1/km²"


def test_every_layer_has_a_human_title():
    from core.i18n import label
    from layers.catalog import loaders

    for name in loaders():
        for lang in ("zh", "en"):
            assert label(name, lang) != name, (name, lang)
