"""The map shows the location tiers for what they are (issue 21), asserted on the model and the HTML."""

import json
import re

import pytest

from atlas import mapmodel, mappage
from atlas.viewstate import ViewState
from layers.atlas_map import MapView, build_map
from layers.base import unlocated
from layers.search import search

PLACEHOLDERS = ("120.302437", "36.362115", "119.885477", "35.860505", "120.302", "36.362")


@pytest.fixture(scope="module")
def frames():
    frames, errors = mapmodel.load_frames()
    assert not errors
    return frames


def test_no_marker_label_or_ring_at_a_made_up_point(frames):
    state = ViewState(layers=("parks", "park_sites", "resources"))
    layers = mapmodel.overlays(frames, state)
    for layer in layers:
        if "location_tier" in layer.frame:
            assert set(layer.frame["location_tier"]) <= {"site", "street"}, layer.key
            assert layer.frame.geometry.notna().all()
    html = build_map(layers, MapView()).get_root().render()
    for coord in PLACEHOLDERS:
        assert coord not in html, coord
    assert "中国海洋工程研究院" not in html  # a city-level feature is nowhere on the map itself


def test_district_level_features_are_a_count_per_district_that_opens_its_list(frames):
    state = ViewState(layers=("parks", "park_sites", "resources"), lang="zh")
    lists = mapmodel.unplaced(frames, state)
    res = frames["resources"]
    jimo = sorted(res[(res["location_tier"] == "district") & (res["district"] == "jimo")]["name_zh"])
    assert sorted(n for layer, _, n in lists.by_district["jimo"] if layer == "resources") == jimo
    n_city = sum(len(unlocated(frames[k], "city")) for k in mapmodel.TIERED)
    assert len(lists.not_located) == n_city and n_city >= 15
    group = mapmodel.unplaced_group(frames, state, MapView())
    m = build_map([], MapView())
    group.add_to(m)
    html = m.get_root().render()
    assert html.count("qd-tier-badge") == len(lists.by_district)
    assert _has(f"即墨区 · {len(lists.by_district['jimo'])}", html)
    # a badge is a count that catches no click: markers under it stay clickable (a badge over 市南's
    # institutes once took the click), and no popup needs jQuery ("$ is not defined" stopped the map script)
    badges = html.split("qd-tier-badge", 1)[1]
    assert '"interactive": false' in badges and ".bindPopup(" not in badges and "$(" not in badges


def _has(text, html):
    return text in html or json.dumps(text)[1:-1] in html or \
        text.encode("ascii", "xmlcharrefreplace").decode() in html


def test_lists_follow_the_filters(frames):
    lists = mapmodel.unplaced(frames, ViewState(layers=("resources",), districts=("jimo",)))
    assert list(lists.by_district) == ["jimo"]
    assert lists.not_located == []  # a city-level feature is in no district


def test_a_search_hit_says_location_not_published_in_both_languages(frames):
    matches = search(frames, "中国海洋工程研究院")
    hit = next(m for m in matches if m.id == "res_china_ocean_eng_inst")
    assert not hit.placed
    assert mappage.match_lines([hit], "zh")["res_china_ocean_eng_inst"].endswith("位置未公布")
    assert mappage.match_lines([hit], "en")["res_china_ocean_eng_inst"].endswith("location not published")
    ouc = next(m for m in search(frames, "中国海洋大学") if m.id == "res_ouc")
    assert "位置未公布" not in mappage.match_lines([ouc], "zh")["res_ouc"]


def test_choosing_an_unlocated_hit_selects_it_without_moving_the_map(frames):
    state = ViewState(layers=("resources",))
    after, layer_on = mappage.select_hit(state, frames, "res_china_ocean_eng_inst")
    assert after.selected == "res_china_ocean_eng_inst" and (after.lat, after.lon, after.zoom) == (state.lat, state.lon, state.zoom)
    row = frames["resources"].set_index("id").loc["res_china_ocean_eng_inst"].copy()
    row["id"] = "res_china_ocean_eng_inst"
    rows = dict(mappage.detail_rows("resources", row, "en"))
    assert rows["Location known to"] == "city only"
    assert "Position uncertainty" not in rows and "District" not in rows


def test_fit_view_ignores_features_without_a_place(frames):
    lat, lon, zoom = mapmodel.fit_view(frames, ViewState(districts=("jimo",), layers=("resources",)))
    kept = frames["resources"][(frames["resources"]["district"] == "jimo")].dropna(subset=["geometry"])
    x0, y0, x1, y1 = kept.total_bounds
    assert y0 - 0.3 <= lat <= y1 + 0.3 and x0 - 0.3 <= lon <= x1 + 0.3
    assert re.fullmatch(r"\d+", str(zoom))
