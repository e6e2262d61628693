"""Exports credit their sources: attribution from the exported features' licences, licences only for
what is exported, and the same metadata on the map's quick GeoJSON and every analysis download."""

import json

import geopandas as gpd
import pytest
from shapely.geometry import Point

from analysis.density import counts_by_zone, hexagons, hot_spots, kernel_density
from atlas.cli.main import main
from atlas.export.formats import read_bytes
from atlas.export.metadata import (
    AMAP_ATTRIBUTION,
    OSM_ATTRIBUTION,
    analysis_geojson,
    analysis_metadata,
    attribution,
    build_metadata,
    licences,
)
from layers import clusters, coast, resources


def test_a_resources_export_names_whom_to_credit(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["export", "resources", "--out", "r.geojson"]) == 0
    meta = json.loads((tmp_path / "r.geojson").read_text(encoding="utf-8"))["atlas_metadata"]
    credit = meta["attribution"]
    assert credit, "the issue: a resources export said attribution: []"
    pg7go = "Positions: pg7go/The-Location-Data-of-Schools-in-China (no licence stated; credited as the source)"
    assert pg7go in credit
    assert "Positions: whr810012/uni-soket-ai (MIT licence)" in credit
    assert AMAP_ATTRIBUTION not in credit  # issue 21: no resource stands at a district reference point any more
    assert not any("(41)" in x or "(36)" in x for x in meta["licences"])  # no layer-wide summary strings
    feats = gpd.read_file(tmp_path / "r.geojson")
    parts = {p.strip() for cell in feats["licence"].dropna() for p in cell.split(";")}
    assert set(meta["licences"]) == parts  # exactly the exported features' licences
    sidecar = json.loads((tmp_path / "r.geojson.meta.json").read_text(encoding="utf-8"))
    assert sidecar["attribution"] == credit


def _two():
    return gpd.GeoDataFrame({
        "id": ["osm", "wiki"], "licence": ["ODbL-1.0", "CC BY-SA 4.0"],
        "source_ref": ["OpenQGIS/OMap-GeoDB@29eeb63f0c02:stations.zip", "https://en.wikipedia.org/wiki/Qingdao"],
        "source": ["OpenStreetMap station point", "Wikipedia (en) coordinates"],
    }, geometry=[Point(120.3, 36.1), Point(120.4, 36.2)], crs="EPSG:4326")


def test_licences_and_credits_only_for_what_is_exported():
    both = _two()
    assert licences(both) == ["CC BY-SA 4.0", "ODbL-1.0"]
    assert attribution(both) == ["Wikipedia contributors (CC BY-SA 4.0)", OSM_ATTRIBUTION]
    only_osm = both.iloc[:1]
    meta = build_metadata(only_osm, layers=["transport_nodes"])  # the layer's registry lists more: not used
    assert meta["licences"] == ["ODbL-1.0"] and meta["attribution"] == [OSM_ATTRIBUTION]
    facts = both.assign(licence=["facts (station order)", "schematic"])
    assert attribution(facts) == []  # licences that ask for no credit add no line


def test_a_publisher_without_a_repository_is_still_credited():
    frame = gpd.GeoDataFrame({"licence": ["facts, attribution (no licence stated)"] * 2,
                              "source_ref": ["http://www.qdio.cas.cn (address)", ""],
                              "source": ["Published address", "Map-provider station POI"]},
                             geometry=[Point(120.3, 36.1)] * 2, crs="EPSG:4326")
    lines = attribution(frame)
    assert "Positions: www.qdio.cas.cn (no licence stated; credited as the source)" in lines
    assert any(line.startswith("Other positions: the publisher named in each feature's `source`") for line in lines)


@pytest.fixture(scope="module")
def analysed():
    from analysis.tiers import placed_points

    pts = placed_points(resources.load())  # issue 21: features without a place of their own are never analysed
    pts = pts[pts["pos_uncertainty_m"] <= 5000]
    city = coast.load_city()
    return pts, {
        "zones": counts_by_zone(pts, clusters.bay_clusters(), zone_id="cluster", weight="weight", city=city),
        "hexes": hot_spots(hexagons(pts, resolution=7, land=city), permutations=999),
        "kde": kernel_density(pts, bandwidth_m=2000, cell_m=1000, land=city),
    }


@pytest.mark.parametrize("name", ["zones", "hexes", "kde"])
def test_every_density_download_round_trips_its_metadata(analysed, name):
    pts, results = analysed
    frame = results[name]
    data = analysis_geojson(frame, title=f"density_{name}", layers=["resources"], inputs=pts,
                            params={"points": "atlas layer: resources", "bandwidth_m": 2000.0})
    doc = json.loads(data)
    meta = doc["atlas_metadata"]
    assert meta["title"] == f"density_{name}" and meta["feature_count"] == len(frame) == len(doc["features"])
    assert meta["analysis_parameters"]["bandwidth_m"] == 2000.0
    for key, value in frame.attrs["params"].items():  # the analysis's own parameters, as echoed
        assert meta["analysis_parameters"][key] == json.loads(json.dumps(value, default=str))
    assert "Positions: pg7go/The-Location-Data-of-Schools-in-China (no licence stated; credited as the source)" \
        in meta["attribution"]
    assert meta["sources"] and set(meta["licences"]) <= {p.strip() for c in pts["licence"] for p in c.split(";")}
    back = read_bytes(data, "geojson")
    assert len(back) == len(frame)
    if name == "hexes":
        assert {"gi_z", "gi_p", "gi_p_fdr", "gi_class"} <= set(back.columns)
        assert meta["analysis_parameters"]["correction"] == "Benjamini-Hochberg FDR"


def test_a_csv_download_gets_the_same_metadata_as_json(analysed):
    pts, results = analysed
    meta = json.loads(analysis_metadata(results["zones"], title="bay_comparison", layers=["resources"], inputs=pts))
    assert meta["attribution"] and meta["analysis_parameters"]["zone_id"] == "cluster"


def test_the_maps_quick_geojson_carries_sources_licences_and_credits():
    from views.map_data import view_geojson

    data = view_geojson(("resources", "metro_stations"), (), ("laoshan",), (), ())
    meta = json.loads(data)["atlas_metadata"]
    assert meta["layers"] == ["metro_stations", "resources"]
    assert OSM_ATTRIBUTION in meta["attribution"] and meta["licences"] and meta["sources"]
    assert meta["filters"] == {"district": ["laoshan"]}
