"""geodata/registry.json describes every layer file exactly (geodatasets-style)."""

import json

import pytest

from layers import catalog
from layers.registry import check_entry, describe_file, load_registry

REGISTRY = load_registry()


def test_every_catalog_layer_is_registered():
    assert set(catalog.LAYERS) <= set(REGISTRY), set(catalog.LAYERS) - set(REGISTRY)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_registry_entry_matches_file(name):
    assert check_entry(name, REGISTRY[name]) == []


def test_registry_detects_a_changed_file(tmp_path):
    name = "districts"
    entry = dict(REGISTRY[name])
    src = catalog.get(name).path
    data = json.loads(src.read_text(encoding="utf-8"))
    data["features"][0]["properties"]["name_en"] = "Tampered"
    (tmp_path / entry["file"]).write_text(json.dumps(data), encoding="utf-8")
    problems = check_entry(name, entry, geodata_dir=tmp_path)
    assert any("sha256" in p for p in problems)
    data["features"].pop()
    (tmp_path / entry["file"]).write_text(json.dumps(data), encoding="utf-8")
    problems = check_entry(name, entry, geodata_dir=tmp_path)
    assert any("feature_count" in p for p in problems)


def test_describe_file_counts(tmp_path):
    path = tmp_path / "x.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [120, 36]}},
        {"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": [[120, 36], [121, 36]]}},
    ]}))
    info = describe_file(path)
    assert info["feature_count"] == 2
    assert info["geometry_types"] == ["LineString", "Point"]
    assert len(info["sha256"]) == 64
