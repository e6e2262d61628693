"""geodata.osm_refresh / geodata.osm_match: parse a committed .osm fixture, match, apply, offline."""

from __future__ import annotations

import io
import socket
from pathlib import Path

import geopandas as gpd
import osmnx as ox
import pandas as pd
import pytest
import requests
from pyproj import Geod

from geodata import osm_refresh
from geodata.osm_refresh import (
    LAYER_QUERIES,
    OfflineError,
    apply_matches,
    fetch_osm_features,
    match_features,
    name_keys,
    read_osm_xml,
)

FIXTURE = Path(__file__).parent / "fixtures" / "osm_stations_sample.osm"
METRO = LAYER_QUERIES["metro_stations"]
GEOD = Geod(ellps="WGS84")
HEADER = ("id,name_zh,name_en,category,district,cluster,plan_ref,source,source_crs,"
          "geom_precision,status,as_of,notes,lines,lon,lat,wkt\n")
COMMON = "metro_station,shinan,jiaozhou,§五,estimate,"
# 苗岭路 is written in GCJ-02: 120.469002,36.106212 is WGS84 (120.464, 36.106) shifted.
SAMPLE_CSV = HEADER + "".join([
    f"mst_wusiguangchang,五四广场,May 4th Square (Wusi Square),{COMMON}EPSG:4326,"
    'representative_point,operating,2026-11-01,"Estimate, ~500 m.",2;3;8,120.38300,36.06600,\n',
    f"mst_licun,李村,Licun,{COMMON}EPSG:4326,representative_point,operating,2026-11-01,,2;3,"
    "120.42550,36.16000,\n",
    f"mst_miaolinglu,苗岭路,Miaoling Rd,{COMMON}GCJ-02,representative_point,operating,"
    "2026-11-01,,2;11,120.469002,36.106212,\n",
    f"mst_fushansuo,浮山所,Fushansuo,{COMMON}EPSG:4326,representative_point,operating,"
    "2026-11-01,,2,120.39312,36.06749,\n",
    f"mst_zhongshangongyuan,中山公园,Zhongshan Park,{COMMON}EPSG:4326,representative_point,"
    "operating,2026-11-01,,3,120.34958,36.05989,\n",
    f"mst_shilaorenyuchang,石老人浴场,Shilaoren Beach,{COMMON}EPSG:4326,representative_point,"
    "operating,2026-11-01,,2;5,120.46900,36.09750,\n",
    f"mst_qingdaobeizhan,青岛北站,Qingdao North Railway Station,{COMMON}EPSG:4326,"
    "representative_point,operating,2026-11-01,,1;3;8,120.37044,36.16902,\n",
    f'mst_wangjiagang,王家港,"Wangjiagang",{COMMON}EPSG:4326,representative_point,operating,'
    '2026-11-01,"quoted ""notes"", commas\nand a line break",1;6,120.16800,35.96500,\n',
])


def read_sample(text: str = SAMPLE_CSV) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def metres(lon1, lat1, lon2, lat2) -> float:
    return GEOD.inv(lon1, lat1, lon2, lat2)[2]


@pytest.fixture(scope="module")
def osm() -> gpd.GeoDataFrame:
    return read_osm_xml(FIXTURE, METRO.tags)


@pytest.fixture(scope="module")
def matches(osm) -> pd.DataFrame:
    result = match_features(read_sample(), osm, max_distance_m=5000, prefer=METRO.prefer)
    return result.set_index("id")


# --- parsing --------------------------------------------------------------------------------

def test_parse_fixture_keeps_tagged_features_as_points(osm):
    # the metro tags select every railway=station/halt and public_transport=station feature,
    # not the university; each becomes one WGS84 point
    expected = {f"node/{n}" for n in range(1001, 1011)} | {"way/2001"}
    assert set(osm["osm_id"]) == expected
    assert set(osm.geom_type) == {"Point"} and osm.crs == "EPSG:4326"
    node = osm.set_index("osm_id").loc["node/1001"]
    assert (node.geometry.x, node.geometry.y) == (120.3852, 36.0643)
    assert (node["name:en"], node["station"]) == ("May Fourth Square", "subway")


def test_station_area_becomes_its_centroid_with_measured_area(osm):
    way = osm.set_index("osm_id").loc["way/2001"]
    assert way["osm_geom_type"] == "Polygon"
    assert way.geometry.x == pytest.approx(120.37365, abs=1e-7)
    assert way.geometry.y == pytest.approx(36.1687, abs=1e-7)
    width = metres(120.3720, 36.1687, 120.3753, 36.1687)
    height = metres(120.3720, 36.1680, 120.3720, 36.1694)
    assert way["area_m2"] == pytest.approx(width * height, rel=2e-3)


def test_u_shaped_campus_gets_a_point_inside_not_its_centroid():
    raw = ox.features_from_xml(FIXTURE, tags={"amenity": "university"})
    polygon = raw.geometry.iloc[0]
    assert not polygon.contains(polygon.centroid)  # the fixture is U-shaped on purpose
    point = read_osm_xml(FIXTURE, {"amenity": "university"}).geometry.iloc[0]
    assert polygon.contains(point)


# --- names ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "full", "bare"), [
    ("五四广场站", {"五四广场"}, {"五四广场"}),
    ("李村地铁站", {"李村"}, {"李村"}),
    ("健身中心（红岛会展）", {"健身中心红岛会展"}, {"健身中心"}),
    ("浮山所 (2号线)", {"浮山所2号线"}, {"浮山所"}),
    ("Qingdao North Railway Station", {"qingdaonorth"}, {"qingdaonorth"}),
    ("Taihangshan Rd", {"taihangshanroad"}, {"taihangshanroad"}),
    ("ＡＢ站/青岛航空技术研究院", {"ab", "青岛航空技术研究院"}, {"ab", "青岛航空技术研究院"}),
    ("站", set(), set()),
])
def test_name_keys(name, full, bare):
    assert name_keys(name) == (full, bare)


# --- matching -------------------------------------------------------------------------------

def test_tagged_subway_station_beats_a_closer_bus_station_of_the_same_name(matches):
    row = matches.loc["mst_wusiguangchang"]
    assert (row.status, row.osm_id, row.match) == ("matched", "node/1001", "name")
    assert row.displacement_m == pytest.approx(metres(120.383, 36.066, 120.3852, 36.0643), abs=1.0)
    assert (row.new_lon, row.new_lat) == (120.3852, 36.0643)


def test_without_preference_the_nearest_same_named_feature_wins(osm):
    result = match_features(read_sample(), osm, max_distance_m=5000).set_index("id")
    assert result.loc["mst_wusiguangchang", "osm_id"] == "node/1002"  # the bus station, 14 m
    assert result.loc["mst_wusiguangchang", "displacement_m"] == pytest.approx(14.3, abs=1.0)


def test_distance_breaks_ties_and_gcj02_rows_are_measured_in_wgs84(matches):
    row = matches.loc["mst_miaolinglu"]
    assert row.osm_id == "node/1004"  # node/1005 has the same name but is ~2.4 km away
    assert (row.old_lon, row.old_lat) == (pytest.approx(120.464, abs=2e-6), pytest.approx(36.106, abs=2e-6))
    assert row.displacement_m == pytest.approx(metres(120.464, 36.106, 120.4672, 36.1037), abs=1.0)


def test_name_variants_suffix_parentheses_and_english(matches):
    assert matches.loc["mst_licun", ["osm_id", "match"]].tolist() == ["node/1003", "name"]
    assert matches.loc["mst_fushansuo", ["osm_id", "match"]].tolist() == [
        "node/1006", "name_without_parentheses"]
    assert matches.loc["mst_shilaorenyuchang", "osm_id"] == "node/1008"  # via name:en only
    assert matches.loc["mst_qingdaobeizhan", ["osm_id", "geom_precision"]].tolist() == [
        "node/1009", "surveyed"]


def test_same_name_far_away_is_rejected_and_unmatched_rows_are_reported(matches):
    far = matches.loc["mst_zhongshangongyuan"]
    assert far.status == "beyond_max_distance" and far.osm_id == ""
    assert far.displacement_m == pytest.approx(metres(120.34958, 36.05989, 120.1, 36.3), abs=20)
    assert matches.loc["mst_wangjiagang", "status"] == "no_name_match"
    assert matches["status"].value_counts().to_dict() == {
        "matched": 6, "beyond_max_distance": 1, "no_name_match": 1}


def test_max_distance_is_a_hard_limit(osm):
    result = match_features(read_sample(), osm, max_distance_m=150, prefer=METRO.prefer)
    result = result.set_index("id")
    # 五四广场: the subway node (274 m) is too far, the bus station (14 m) is within the limit
    assert result.loc["mst_wusiguangchang", "osm_id"] == "node/1002"
    assert result.loc["mst_licun", "status"] == "beyond_max_distance"
    assert result.attrs["params"]["max_distance_m"] == 150


def test_large_station_area_is_a_representative_point_and_wkt_rows_are_skipped(osm):
    rows = read_sample().iloc[[6, 6]].reset_index(drop=True)
    rows.loc[1, ["id", "wkt"]] = ["line_row", "LINESTRING (120.3 36.1, 120.4 36.2)"]
    query = LAYER_QUERIES["transport_nodes"]
    result = match_features(rows, osm, max_distance_m=5000, prefer=query.prefer)
    assert result.loc[0, ["osm_id", "geom_precision"]].tolist() == ["way/2001", "representative_point"]
    assert result.loc[1, "status"] == "not_a_point"


# --- applying -------------------------------------------------------------------------------

def records(text: str) -> dict[str, str]:
    return {fields[0]: raw for fields, raw in osm_refresh._records(text)}


def test_apply_rewrites_only_matched_rows(tmp_path, osm, capsys):
    path = tmp_path / "metro_stations.csv"
    path.write_text(SAMPLE_CSV, encoding="utf-8", newline="")
    result = match_features(read_sample(), osm, max_distance_m=5000, prefer=METRO.prefer)
    assert apply_matches(path, result, as_of="2026-12-01") == 6
    text = path.read_text(encoding="utf-8")
    before, after = records(SAMPLE_CSV), records(text)
    assert list(after) == list(before)
    for key in ("id", "mst_zhongshangongyuan", "mst_wangjiagang"):
        assert after[key] == before[key]  # byte for byte, quoting and line break included
    row = read_sample(text).set_index("id").loc["mst_miaolinglu"]
    assert (row.lon, row.lat, row.source_crs) == ("120.467200", "36.103700", "EPSG:4326")
    assert (row.geom_precision, row.as_of) == ("surveyed", "2026-12-01")
    assert row.source == "OpenStreetMap contributors (ODbL), osm id node/1004"
    assert "moved 385 m from the earlier 120.469002,36.106212 (GCJ-02)." in row.notes
    assert read_sample(text).set_index("id").loc["mst_wusiguangchang", "notes"].startswith(
        "Estimate, ~500 m. Position from OpenStreetMap node/1001 (2026-12-01)")
    assert "6 of 8 rows moved" in capsys.readouterr().out


def test_apply_keeps_crlf_line_endings(tmp_path, osm):
    crlf = SAMPLE_CSV.replace("\n", "\r\n")
    path = tmp_path / "transport_nodes.csv"
    path.write_bytes(crlf.encode())
    result = match_features(read_sample(), osm, max_distance_m=5000, prefer=METRO.prefer)
    apply_matches(path, result, as_of="2026-12-01")
    data = path.read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n") == crlf.count("\n")
    assert records(data.decode())["mst_wangjiagang"] == records(crlf)["mst_wangjiagang"]


def test_applied_positions_match_again_in_place(tmp_path, osm):
    path = tmp_path / "metro_stations.csv"
    path.write_text(SAMPLE_CSV, encoding="utf-8", newline="")
    first = match_features(read_sample(), osm, max_distance_m=5000, prefer=METRO.prefer)
    apply_matches(path, first, as_of="2026-12-01")
    again = match_features(read_sample(path.read_text(encoding="utf-8")), osm,
                           max_distance_m=5000, prefer=METRO.prefer)
    moved = again.loc[again["status"] == "matched", "displacement_m"]
    assert len(moved) == 6 and moved.max() < 0.1


def test_apply_is_atomic_when_the_replace_fails(tmp_path, osm, monkeypatch):
    path = tmp_path / "metro_stations.csv"
    path.write_text(SAMPLE_CSV, encoding="utf-8", newline="")
    result = match_features(read_sample(), osm, max_distance_m=5000, prefer=METRO.prefer)

    def broken_replace(src, dst):
        msg = "disk full"
        raise OSError(msg)

    monkeypatch.setattr(osm_refresh.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        apply_matches(path, result, as_of="2026-12-01")
    assert path.read_bytes() == SAMPLE_CSV.encode()
    assert [p.name for p in tmp_path.iterdir()] == ["metro_stations.csv"]  # no temp file left


# --- downloading / offline / CLI --------------------------------------------------------------

def refuse_network(*args, **kwargs):
    msg = "Failed to resolve 'overpass-api.de'"
    raise requests.ConnectionError(msg)


def test_offline_fetch_raises_a_clear_error_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(ox, "features_from_bbox", refuse_network)
    with pytest.raises(OfflineError, match=r"could not reach the Overpass API.*run again when "
                       r"online.*nothing was changed"):
        fetch_osm_features((120.3, 36.0, 120.5, 36.2), METRO.tags, cache_dir=tmp_path / "osm")
    assert not (tmp_path / "osm").exists()


def test_offline_cli_exits_2_and_leaves_the_table_alone(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(ox, "features_from_bbox", refuse_network)
    path = tmp_path / "metro_stations.csv"
    path.write_text(SAMPLE_CSV, encoding="utf-8", newline="")
    code = osm_refresh.main(["--layer", "metro_stations", "--csv", str(path),
                             "--cache-dir", str(tmp_path / "osm")])
    assert code == 2
    assert "could not reach the Overpass API" in capsys.readouterr().err
    assert path.read_bytes() == SAMPLE_CSV.encode()


def test_fetch_configures_osmnx_then_reuses_its_cache(tmp_path, monkeypatch):
    seen = {}

    def fake_download(bbox, tags):
        seen.update(bbox=bbox, timeout=ox.settings.requests_timeout,
                    rate_limit=ox.settings.overpass_rate_limit)
        return ox.features_from_xml(FIXTURE, tags=tags)

    timeout_before = ox.settings.requests_timeout
    monkeypatch.setattr(ox, "features_from_bbox", fake_download)
    bbox = (120.3, 36.0, 120.5, 36.2)
    first = fetch_osm_features(bbox, METRO.tags, cache_dir=tmp_path)
    assert seen["bbox"] == bbox and seen["rate_limit"] is False
    assert seen["timeout"][0] <= 10  # connect timeout: offline fails within seconds
    assert ox.settings.requests_timeout == timeout_before  # settings restored
    monkeypatch.setattr(ox, "features_from_bbox", refuse_network)
    cached = fetch_osm_features(bbox, METRO.tags, cache_dir=tmp_path)
    assert list(cached["osm_id"]) == list(first["osm_id"])
    assert cached.geometry.geom_equals_exact(first.geometry, tolerance=1e-9).all()


def test_cli_dry_run_then_apply_with_a_local_extract(tmp_path, capsys):
    path = tmp_path / "metro_stations.csv"
    path.write_text(SAMPLE_CSV, encoding="utf-8", newline="")
    args = ["--layer", "metro_stations", "--csv", str(path), "--osm-file", str(FIXTURE)]
    assert osm_refresh.main([*args, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "mst_wusiguangchang: -> node/1001 五四广场 moved 274 m" in out
    assert "mst_wangjiagang: UNMATCHED no_name_match" in out and "dry run" in out
    assert path.read_bytes() == SAMPLE_CSV.encode()
    assert osm_refresh.main([*args, "--max-distance", "300", "--as-of", "2026-12-01"]) == 0
    assert "python -m geodata.build_layers" in capsys.readouterr().out
    moved = read_sample(path.read_text(encoding="utf-8"))
    assert (moved["as_of"] == "2026-12-01").sum() == 4  # 五四广场, 浮山所, 石老人浴场, 青岛北站


def overpass_reachable() -> bool:
    try:
        socket.create_connection(("overpass-api.de", 443), timeout=3).close()
    except OSError:
        return False
    return True


@pytest.mark.online
@pytest.mark.skipif(not overpass_reachable(), reason="offline: overpass-api.de unreachable")
def test_real_fetch_finds_wusi_square_station(tmp_path):
    bbox = (120.375, 36.058, 120.392, 36.072)
    osm = fetch_osm_features(bbox, METRO.tags, cache_dir=tmp_path)
    assert any("五四广场" in name for name in osm["name"])
