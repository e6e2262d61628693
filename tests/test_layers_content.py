"""The corridor's content: every entity the plan names is present, placed plausibly."""

import geopandas as gpd
import numpy as np
import pytest
import shapely

from core.crs import to_measure_crs
from layers import links, metro, park_sites, parks, resources, transport
from layers.base import read_layer

# (plan section, name fragment) — each must match one feature's name_zh in the layer.
REQUIRED = {
    "parks": [("§五(一)", n) for n in parks.PLAN_NAMES],
    "park_sites": [
        ("§五(一)3", "国际创新园"), ("§五(一)3", "黑马独角兽加速基地"), ("§五(一)3", "山东产业技术研究院"),
        ("§五(一)4", "中科院青岛科教园"), ("§五(一)4", "哈尔滨工程大学青岛创新基地"),
        ("专栏8 5", "崂山国际创新园"), ("专栏8 5", "院士港"), ("专栏8 5", "蓝谷"),
    ],
    "resources": [
        *[("§三(三)", u) for u in ("中国海洋大学", "中国石油大学", "山东大学", "山东科技大学", "青岛大学",
                                  "青岛科技大学", "青岛理工大学", "青岛农业大学", "康复大学")],
        ("§二", "崂山实验室"), ("专栏1", "国家深海基地"), ("专栏1", "超级计算"),
        ("专栏2", "海洋大科学研究中心"), ("§三(三)", "生物能源与过程研究所"), ("§五(一)5", "国家高速列车技术创新中心"),
        ("§三(三)", "新能源山东省实验室"), ("§三(三)", "山东能源研究院"), ("§五(二)1", "上合示范区"),
        ("§五(二)", "中日(青岛)地方发展合作示范区"), ("§六", "中德青年科学院"),
    ],
    "transport_nodes": [("§五", n) for n in ("胶东国际机场", "前湾", "董家口港", "大港", "邮轮母港", "青岛站",
                                            "青岛北站", "青岛西站", "红岛站", "胶州北站", "即墨北站")],
    "links": [("§五", n) for n in ("济青", "青荣", "青连", "潍莱", "胶州湾大桥", "胶州湾隧道", "胶州湾第二隧道")],
}
LAYERS = {"parks": parks.LAYER, "park_sites": park_sites.LAYER, "resources": resources.LAYER,
          "transport_nodes": transport.LAYER, "links": links.LAYER}
MIN_COUNTS = {"parks": 10, "park_sites": 8, "resources": 50, "transport_nodes": 15, "links": 12,
              "metro_stations": 150, "metro_lines": 8}


@pytest.fixture(scope="module")
def frames():
    out = {k: read_layer(v) for k, v in LAYERS.items()}
    out["metro_stations"] = read_layer(metro.STATIONS)
    out["metro_lines"] = read_layer(metro.LINES)
    return out


@pytest.mark.parametrize("layer", sorted(MIN_COUNTS))
def test_layer_counts(frames, layer):
    assert len(frames[layer]) >= MIN_COUNTS[layer]


@pytest.mark.parametrize(("layer", "section", "name"), [(lay, s, n) for lay, items in REQUIRED.items() for s, n in items])
def test_plan_entity_present(frames, layer, section, name):
    names = frames[layer]["name_zh"].str.replace("（", "(").str.replace("）", ")")
    assert names.str.contains(name, regex=False).any(), f"{name} ({section}) missing from {layer}"


def test_every_named_university_has_its_campuses_linked(frames):
    res = frames["resources"]
    campuses = res[res["type"] == "campus"]
    assert len(campuses) >= 5
    assert campuses["parent_id"].isin(res["id"]).all()
    assert set(res["type"]) <= set(resources.TYPES)
    assert set(res["level"]) <= set(resources.LEVELS)


def test_resource_weights_follow_documented_scale(frames):
    res = frames["resources"]
    expected = [resources.expected_weight(t, lv) for t, lv in zip(res["type"], res["level"], strict=True)]
    assert np.allclose(res["weight"].astype(float), expected)


def test_park_sites_link_to_parks(frames):
    assert frames["park_sites"]["park_id"].isin(frames["parks"]["id"]).all()


def test_parks_carry_plan_words_and_industries(frames):
    p = frames["parks"]
    assert p["plan_ref"].str.contains("§|专栏").all()
    assert (p["focus_industries"].str.len() > 2).all()


def test_approximate_geometry_is_labelled(frames):
    p = frames["parks"]
    polys = p[p.geom_type.isin(["Polygon", "MultiPolygon"])]
    assert polys["geom_precision"].isin(["footprint_approx", "schematic"]).all()
    points = p[p.geom_type == "Point"]
    assert (points["geom_precision"] == "representative_point").all()


def _metres_between(geoms: gpd.GeoSeries) -> np.ndarray:
    xy = np.array([(g.x, g.y) for g in geoms])
    return np.hypot(*np.diff(xy, axis=0).T)


def test_metro_lines_pass_through_their_stations_in_order(frames):
    stations = to_measure_crs(frames["metro_stations"]).set_index("id")
    lines = to_measure_crs(frames["metro_lines"])
    for _, line in lines.iterrows():
        ids = line["stations"].split(";")
        assert len(ids) >= 2
        pts = stations.loc[ids].geometry
        # every station lies on the line, and in order along it
        assert (pts.distance(line.geometry) < 1.0).all(), line["id"]
        along = [line.geometry.project(p) for p in pts]
        assert np.all(np.diff(along) > 0), f"{line['id']}: stations out of order"
        gaps = _metres_between(pts)
        assert gaps.min() >= 400 and gaps.max() <= 10_000, (line["id"], gaps.min(), gaps.max())
        # a station lists the line that passes through it
        for sid in ids:
            assert str(line["line"]) in stations.at[sid, "lines"].split(";"), (sid, line["line"])


def test_operating_metro_network(frames):
    lines = frames["metro_lines"]
    operating = set(lines.loc[lines["status"] == "operating", "line"].astype(str))
    assert {"1", "2", "3", "4", "8", "11", "13"} <= operating
    assert lines["color"].str.match(r"^#[0-9A-Fa-f]{6}$").all()


@pytest.mark.parametrize("layer", ["resources", "park_sites", "transport_nodes", "metro_stations"])
def test_no_two_distinct_places_within_a_few_metres(frames, layer):
    gdf = to_measure_crs(frames[layer])
    tree = shapely.STRtree(gdf.geometry.values)
    left, right = tree.query(gdf.geometry.values, predicate="dwithin", distance=5.0)
    pairs = [(gdf["id"].iat[i], gdf["id"].iat[j]) for i, j in zip(left, right, strict=True) if i < j]
    same_place = [p for p in pairs if "same" in " ".join(gdf.loc[gdf["id"].isin(p), "notes"]).lower()
                  or "同址" in " ".join(gdf.loc[gdf["id"].isin(p), "notes"])]
    assert sorted(set(pairs) - set(same_place)) == []
