"""Search ranks the place itself above things named after it, in both scripts, with typos and pinyin
(layers/search.py, issue 23): on the atlas's own layers and on small synthetic frames."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import Point

from atlas import mapmodel
from layers.search import NAMED_AFTER_PENALTY, feature_score, name_score, pinyin, search


@pytest.fixture(scope="module")
def frames():
    return mapmodel.load_frames()[0]


def _first(frames, query):
    hits = search(frames, query)
    assert hits, query
    return hits[0]


@pytest.mark.parametrize(("query", "expected"), [
    ("Jiaodong airport", "air_jiaodong"),  # not the metro station 胶东机场 (Jiaodong International Airport)
    ("胶东机场", "air_jiaodong"),  # the station's exact name, still the airport first
    ("airport", "air_jiaodong"),  # not 青岛机场站, a rail station named after it
    ("中国海洋大学", "res_ouc"),  # the main campus, before branch campuses and 海洋大学 station
    ("ocean university", "res_ouc"),
    ("Ocen Univrsity", "res_ouc"),  # typos
    ("海洋大擘", "res_ouc"),  # a wrong character
    ("laoshan shiyanshi", "res_laoshan_lab"),  # pinyin of 崂山实验室
    ("zhongguo haiyang daxue", "res_ouc"),
    ("中国海洋大学鱼山", "res_ouc_yushan"),  # the words that tell campuses apart win
])
def test_the_place_itself_comes_first(frames, query, expected):
    assert _first(frames, query).id == expected


def test_asking_for_the_station_finds_the_station(frames):
    assert _first(frames, "海洋大学站").id == "mst_haiyangdaxue"
    assert _first(frames, "胶东机场站").layer == "metro_stations"
    assert {m.layer for m in search(frames, "青岛北站")[:2]} == {"transport_nodes", "metro_stations"}


def test_stations_named_after_a_place_rank_below_it_but_are_listed(frames):
    hits = search(frames, "Jiaodong airport")
    ids = [m.id for m in hits]
    assert ids.index("air_jiaodong") < ids.index("mst_jiaodongjichang")
    station = hits[ids.index("mst_jiaodongjichang")]
    assert station.rank == pytest.approx(station.score * 100 - NAMED_AFTER_PENALTY, abs=0.06)  # score kept to 3 places


def test_scores_by_hand():
    assert name_score("蓝谷", "蓝谷") == 100
    assert name_score("蓝谷", "蓝谷核心区") == pytest.approx(88 + 10 * 2 / 5)  # inside the name
    # every word, not together: 15 letters of the 35 in "qingdaojiaodonginternationalairport"
    assert name_score("Jiaodong airport", "Qingdao Jiaodong International Airport") == pytest.approx(80 + 10 * 15 / 35)
    assert name_score("胶东机场", "青岛胶东国际机场") == pytest.approx(70 + 20 * 4 / 8)  # an abbreviation
    assert name_score("zz", "蓝谷") == 0
    assert pinyin("崂山实验室") == "lao shan shi yan shi"
    assert feature_score("laoshan shiyanshi", "崂山实验室", "Laoshan Laboratory") == 100


def test_synthetic_frames_weight_breaks_ties_and_nothing_found_is_empty():
    def frame(rows):
        return gpd.GeoDataFrame(rows, geometry=[Point(120, 36)] * len(rows), crs="EPSG:4326")

    frames = {"resources": frame([{"id": "branch", "name_zh": "甲大学分校区", "name_en": "A University branch",
                                   "type": "campus", "weight": 2},
                                  {"id": "main", "name_zh": "甲大学本部", "name_en": "A University main",
                                   "type": "university", "weight": 4}]),
              "metro_stations": frame([{"id": "stn", "name_zh": "甲大学", "name_en": "A University",
                                        "category": "metro_station"}])}
    assert [m.id for m in search(frames, "甲大学")] == ["main", "branch", "stn"]
    assert search(frames, "甲大学站")[0].id == "stn"
    assert search(frames, "") == [] and search(frames, "qqqqqq") == []


def test_station_words_are_set_aside_and_stations_come_first(frames):
    assert _first(frames, "Ocean University station").id == "mst_haiyangdaxue"  # its name has no "station"
    hits = search(frames, "airport station")
    assert {hits[0].id, hits[1].id} == {"mst_jiaodongjichang", "rst_qingdao_airport"}


@pytest.mark.parametrize(("query", "expected"), [
    ("胶东机场", "air_jiaodong"), ("laoshan shiyanshi", "res_laoshan_lab"), ("Ocen Univrsity", "res_ouc"),
    ("海洋大学站", "mst_haiyangdaxue"), ("qingdao zhan", "rst_qingdao"),
])
def test_command_line_names_resolve_like_the_map_search(query, expected):
    """One search: `qd-atlas route` reads a place name the way the map's search box does."""
    from analysis.corridor import load_transport_frames, resolve_place

    frames, why = load_transport_frames()
    assert frames is not None, why
    assert resolve_place(frames, query)["id"].iloc[0] == expected
