"""Every Connectivity-page download credits the layers the network is built from and carries its
parameters (issue 25): the GeoJSON with its metadata inside, each CSV with a metadata JSON beside it."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from analysis import corridor as cd
from atlas.connectivity.downloads import NETWORK_LAYERS, download_kwargs, network_inputs
from atlas.export.metadata import OSM_ATTRIBUTION, analysis_geojson, analysis_metadata


@pytest.fixture(scope="module")
def frames():
    loaded, error = cd.load_transport_frames()
    assert loaded is not None, error
    return loaded


def test_the_inputs_are_every_feature_of_the_networks_layers(frames):
    inputs = network_inputs(frames)
    assert len(inputs) == sum(len(getattr(frames, k)) for k in NETWORK_LAYERS)
    assert "geometry" not in inputs and {"source", "licence"} <= set(inputs.columns)


def test_a_matrix_csv_gets_metadata_with_credits_and_parameters(frames):
    matrix = pd.DataFrame([[0.0, 12.5], [13.0, 0.0]], index=["a", "b"], columns=["a", "b"])
    matrix.attrs["params"] = {"modes": "transit", "statuses": "today"}
    meta = json.loads(analysis_metadata(matrix, **download_kwargs(frames, "connectivity_matrix")))
    assert meta["title"] == "connectivity_matrix" and meta["layers"] == list(NETWORK_LAYERS)
    assert OSM_ATTRIBUTION in meta["attribution"]  # the metro stations are OpenStreetMap points (ODbL)
    assert any("ODbL" in x for x in meta["licences"])
    assert meta["analysis_parameters"] == {"modes": "transit", "statuses": "today"}
    assert meta["sources"]


def test_an_isochrone_geojson_carries_the_same_metadata_inside(frames):
    iso = gpd.GeoDataFrame({"cutoff_min": [30], "area_km2": [1.0]}, geometry=[box(120.3, 36.0, 120.4, 36.1)],
                           crs="EPSG:4326")
    iso.attrs["params"] = {"origin": "res_ouc", "modes": "transit"}
    doc = json.loads(analysis_geojson(iso, **download_kwargs(frames, "connectivity_isochrones")))
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 1
    meta = doc["atlas_metadata"]  # RFC 7946 foreign member
    assert OSM_ATTRIBUTION in meta["attribution"] and meta["analysis_parameters"]["origin"] == "res_ouc"
