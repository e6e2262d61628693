"""Mutation checks: corrupting a layer the way real data goes wrong makes the checks fail.

If a GCJ-02 offset left in, swapped lon/lat, a duplicated id or a dropped provenance
field went unnoticed here, the data tests could not be trusted.
"""

import pytest
import shapely

from core.crs import convert_geoseries
from layers import catalog, districts
from layers.base import district_problems, read_layer, schema_problems
from layers.consistency import all_problems

CHECKED = ["parks", "park_sites", "resources", "transport_nodes", "links", "metro_stations"]


@pytest.fixture(scope="module")
def frames():
    return {name: read_layer(catalog.get(name)) for name in CHECKED}


@pytest.fixture(scope="module")
def district_frame():
    return districts.load()


def problems(frames, district_frame, name):
    layer = catalog.get(name)
    return (schema_problems(frames[name], layer) + district_problems(frames[name], district_frame)
            + all_problems(frames))


def test_unmutated_layers_are_clean(frames, district_frame):
    for name in CHECKED:
        assert problems(frames, district_frame, name) == [], name


def _mutated(frames, name, gdf):
    return {**frames, name: gdf}


@pytest.mark.parametrize("name", CHECKED)
def test_gcj02_shift_is_caught(frames, district_frame, name):
    gdf = frames[name].copy()
    gdf["geometry"] = convert_geoseries(gdf.geometry, source="WGS84", target="GCJ-02")
    assert problems(_mutated(frames, name, gdf), district_frame, name)


@pytest.mark.parametrize("name", CHECKED)
def test_swapped_lon_lat_is_caught(frames, district_frame, name):
    gdf = frames[name].copy()
    gdf["geometry"] = shapely.transform(gdf.geometry.values, lambda xy: xy[:, ::-1])
    found = problems(_mutated(frames, name, gdf), district_frame, name)
    assert any("outside Qingdao" in p for p in found)


@pytest.mark.parametrize("name", CHECKED)
def test_duplicate_id_is_caught(frames, district_frame, name):
    gdf = frames[name].copy()
    gdf.loc[gdf.index[1], "id"] = gdf["id"].iat[0]
    assert any("duplicate id" in p for p in problems(_mutated(frames, name, gdf), district_frame, name))


@pytest.mark.parametrize("field", ["source", "source_crs", "as_of", "plan_ref"])
def test_dropped_provenance_field_is_caught(frames, district_frame, field):
    gdf = frames["resources"].drop(columns=field)
    assert any(f"missing field '{field}'" in p for p in problems(_mutated(frames, "resources", gdf),
                                                                 district_frame, "resources"))
