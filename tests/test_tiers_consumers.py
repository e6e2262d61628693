"""No consumer places a feature known only to its district or the city anywhere (issue 21)."""

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from analysis.tiers import n_unlocated, placed_points, with_district_tier
from layers import districts, resources
from layers.base import unlocated


@pytest.fixture(scope="module")
def res():
    return resources.load()


def test_placed_points_leaves_out_district_and_city_tiers(res):
    pts = placed_points(res)
    assert set(pts["location_tier"]) <= {"site", "street"}
    assert pts.geometry.notna().all()
    left = pts.attrs["unlocated"]
    assert set(left) == {"district", "city"}
    assert len(left["city"]) == (res["location_tier"] == "city").sum()
    assert n_unlocated(pts) + len(pts) == len(res)


def test_district_counts_include_district_tier(res):
    from analysis.density import counts_by_zone

    pts = placed_points(res)
    table = with_district_tier(counts_by_zone(pts, districts.load(), zone_id="id"), res)
    by = table.set_index("zone")
    expected = res[res["location_tier"] == "district"]["district"].value_counts()
    for d, n in expected.items():
        assert by.loc[d, "district_tier"] == n
        assert by.loc[d, "count_in_district"] == by.loc[d, "count"] + n
    assert by["district_tier"].sum() == (res["location_tier"] == "district").sum()
    # the city-only features are in no district's count
    assert by["count_in_district"].sum() == len(res) - (res["location_tier"] == "city").sum() - _outside(pts)


def _outside(pts):
    land = districts.load().union_all()
    return int((~pts.geometry.within(land)).sum())


def test_toy_frame():
    gdf = gpd.GeoDataFrame({"id": ["a", "b", "c"], "location_tier": ["site", "district", "city"],
                            "district": ["jimo", "jimo", ""]},
                           geometry=[Point(120.45, 36.39), None, None], crs="EPSG:4326")
    pts = placed_points(gdf)
    assert pts["id"].tolist() == ["a"]
    assert pts.attrs["unlocated"] == {"district": ["b"], "city": ["c"]}


def test_jimo_filter_on_the_command_line_returns_only_features_known_to_be_in_jimo(tmp_path, monkeypatch):
    """`qd-atlas export resources --filter district=jimo`: no city-only feature; tiers and counts in the metadata."""
    import json

    from atlas.cli.main import main
    from atlas.export.formats import read_bytes

    monkeypatch.chdir(tmp_path)
    assert main(["export", "resources", "--format", "csv", "--filter", "district=jimo", "--out", "j.csv"]) == 0
    back = read_bytes((tmp_path / "j.csv").read_bytes(), "csv")
    res = resources.load()
    known = res[res["district"] == "jimo"]
    assert sorted(back["id"]) == sorted(known["id"])
    assert "res_uhrs" not in set(back["id"]) and "city" not in set(back["location_tier"])
    assert len(back) == 7  # was 28: 21 city-only placeholders claimed jimo
    meta = json.loads((tmp_path / "j.csv.meta.json").read_text(encoding="utf-8"))
    assert meta["location_tiers"] == back["location_tier"].value_counts().to_dict()
    assert meta["features_without_position"] == (back["location_tier"] == "district").sum()
    no_pos = back[back["location_tier"] == "district"]
    assert no_pos.geometry.isna().all() and len(no_pos) >= 1


def test_app_filter_for_jimo_matches_the_cli(res):
    from atlas import mapmodel
    from atlas.viewstate import ViewState

    frames = {"resources": res}
    shown = mapmodel.filtered(frames, ViewState(layers=("resources",), districts=("jimo",)))["resources"]
    assert set(shown["id"]) == set(res[res["district"] == "jimo"]["id"])
    assert not (shown["location_tier"] == "city").any()


def test_a_route_from_a_feature_without_a_site_says_why():
    from analysis import corridor as cd

    frames, _ = cd.load_transport_frames()
    with pytest.raises(cd.UnplacedError, match="no published site.*Qingdao.*lon,lat"):
        cd.resolve_place(frames, "中国海洋工程研究院")
    with pytest.raises(cd.UnplacedError, match="没有公布的地点.*即墨区"):
        cd.resolve_place(frames, "res_jimo_nev_cluster")
    assert cd.resolve_place(frames, "res_ouc").geometry.notna().all()


def test_connectivity_only_between_located_features():
    from analysis import corridor as cd

    frames, _ = cd.load_transport_frames()
    for frame in (frames.resources, frames.parks):
        assert set(frame["location_tier"]) <= {"site", "street"}
        assert frame.geometry.notna().all()
    res = resources.load()
    assert len(frames.resources) + n_unlocated(frames.resources) == len(res)
    placeholder = {"res_china_ocean_eng_inst", "res_research_vessel_fleet", "res_cn_th_rail_lab"}  # were at one point
    graph = cd.corridor_network(frames)
    assert not any(f"resources:{i}" in graph for i in placeholder)


def test_no_consumer_places_a_city_level_feature_anywhere(res):
    """Property over the consumers: filters, density input, briefing layers, connectivity, export."""
    from atlas import mapmodel
    from atlas.briefing import model as briefmodel
    from atlas.export.formats import export_bytes, read_bytes
    from atlas.viewstate import ViewState
    from core.vocab import DISTRICTS
    from layers import parks

    city_ids = set(unlocated(res, "city")["id"]) | set(unlocated(parks.load(), "city")["id"])
    assert city_ids
    frames = {"resources": res, "parks": parks.load()}
    for d in DISTRICTS:  # no district filter returns one
        shown = mapmodel.filtered(frames, ViewState(layers=("resources", "parks"), districts=(d,)))
        assert not city_ids & {i for f in shown.values() for i in f["id"]}, d
    assert not city_ids & set(placed_points(res)["id"])  # density, connectivity
    for layer in briefmodel.brief_layers(frames, ViewState(layers=("resources", "parks"))):
        assert not city_ids & set(layer.frame["id"])
    back = read_bytes(export_bytes(res, "geojson"), "geojson")
    assert back.set_index("id").loc[sorted(city_ids & set(res["id"]))].geometry.isna().all()


def test_density_command_uses_located_features_and_says_how_many_were_left_out(tmp_path, monkeypatch, capsys):
    from atlas.cli.main import main
    from atlas.export.formats import read_bytes

    monkeypatch.chdir(tmp_path)
    assert main(["density", "hexagons", "--layer", "resources", "--param", "resolution=6", "--format", "csv",
                 "--out", "h.csv"]) == 0
    res = resources.load()
    n_out = len(unlocated(res))
    assert f"{n_out} features left out: no place of their own" in capsys.readouterr().err
    hexes = read_bytes((tmp_path / "h.csv").read_bytes(), "csv")
    assert pd.to_numeric(hexes["count"]).sum() == len(res) - n_out


_FRAMES = {}


def _atlas_frames():
    if not _FRAMES:
        from atlas import mapmodel

        _FRAMES.update(mapmodel.load_frames()[0])
    return _FRAMES


def _view_states():
    from hypothesis import strategies as st

    from atlas.viewstate import ViewState
    from core.vocab import CLUSTERS, DISTRICTS, RESOURCE_TYPES, STATUS

    def subset(values):
        return st.lists(st.sampled_from(sorted(values)), max_size=3, unique=True).map(tuple)

    return st.builds(lambda c, d, ty, s, lang: ViewState(layers=("parks", "park_sites", "resources"), clusters=c,
                                                         districts=d, types=ty, statuses=s, lang=lang),
                     subset(CLUSTERS), subset(DISTRICTS), subset(RESOURCE_TYPES), subset(STATUS),
                     st.sampled_from(["zh", "en"]))


def test_property_no_filter_combination_draws_or_files_a_feature_without_a_place():
    """For any filters: the map draws only located features, a district filter never returns a city-level one,
    and the briefing's layers hold only located features."""
    from hypothesis import HealthCheck, given, settings

    from atlas import mapmodel
    from atlas.briefing import model as briefmodel

    frames = _atlas_frames()
    city = {i for k in mapmodel.TIERED for i in unlocated(frames[k], "city")["id"]}

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_view_states())
    def check(state):
        for layer in mapmodel.overlays(frames, state):
            if "location_tier" in layer.frame:
                assert set(layer.frame["location_tier"]) <= {"site", "street"}
        for layer in briefmodel.brief_layers(frames, state):
            assert layer.frame.geometry.notna().all()
        if state.districts:
            shown = mapmodel.filtered(frames, state)
            assert not city & {i for k in mapmodel.TIERED for i in shown[k]["id"]}
        lists = mapmodel.unplaced(frames, state)
        assert not state.districts or set(lists.by_district) <= set(state.districts)

    check()
