import geopandas as gpd
from shapely.geometry import Point

from layers.filters import filter_frame, normalise
from layers.search import search


def _frame():
    return gpd.GeoDataFrame(
        {"id": ["a", "b", "c"], "name_zh": ["中国海洋大学", "青岛大学", "胶州湾大桥"],
         "name_en": ["Ocean University of China", "Qingdao University", "Jiaozhou Bay Bridge"],
         "cluster": ["jiaozhou", "jiaozhou", "jiaozhou;lingshan"], "district": ["laoshan", "shinan", "shibei;huangdao"],
         "type": ["university", "university", None], "status": ["operating", "operating", "planned"]},
        geometry=[Point(0, 0)] * 3, crs="EPSG:4326")


def test_filters_combine_and_handle_multi_values():
    f = _frame()
    assert list(filter_frame(f, districts=("huangdao",))["id"]) == ["c"]
    assert list(filter_frame(f, clusters=("lingshan",))["id"]) == ["c"]
    assert list(filter_frame(f, districts=("laoshan", "shinan"), statuses=("operating",))["id"]) == ["a", "b"]
    assert list(filter_frame(f, types=("university",), districts=("shinan",))["id"]) == ["b"]
    assert len(filter_frame(f)) == 3


def test_search_partial_english_chinese_and_fuzzy():
    frames = {"resources": _frame()}
    assert search(frames, "海洋")[0].id == "a"
    assert search(frames, "ocean univ")[0].id == "a"
    assert search(frames, "Qingdao Universty")[0].id == "b"  # typo
    assert search(frames, "ＱＩＮＧＤＡＯ　university")[0].id == "b"  # full-width input
    assert search(frames, "") == []
    assert search(frames, "zzzz") == []


def test_normalise():
    assert normalise("中国石油大学（华东）") == normalise("中国石油大学(华东)") == "中国石油大学华东"


def test_search_ranks_institutions_over_stations_named_after_them():
    from atlas.mapmodel import load_frames

    frames, _ = load_frames()
    first = search(frames, "ocean university")[0]
    assert (first.layer, first.id, first.kind) == ("resources", "res_ouc", "university")  # not the 海洋大学 station
    assert search(frames, "海洋大学")[0].layer == "resources"
    assert search(frames, "Qingdao University")[0].name_zh.startswith("青岛大学")
    north = search(frames, "青岛北站")[:2]  # exact name in two layers: rail before metro, each says what it is
    assert [(m.layer, m.kind) for m in north] == [("transport_nodes", "rail_station"), ("metro_stations", "metro_station")]
    assert search(frames, "海洋大学站")[0].layer == "metro_stations"  # asking for the station finds it


def test_search_exact_beats_partial_beats_fuzzy():
    import geopandas as gpd
    from shapely.geometry import Point

    gdf = gpd.GeoDataFrame({"id": ["long", "exact", "fuzzy"], "name_zh": ["蓝谷创新中心", "蓝谷", "篮谷"],
                            "name_en": ["Blue Valley Innovation Centre", "Blue Valley", "Basket Valley"]},
                           geometry=[Point(0, 0)] * 3)
    assert [m.id for m in search({"resources": gdf}, "蓝谷")][:2] == ["exact", "long"]
