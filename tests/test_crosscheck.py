"""Positions agree with an independent second source (geodata/crosscheck.py)."""

from __future__ import annotations

import re

import pytest

from geodata import crosscheck
from geodata.crosscheck import SOURCES, accepted, markdown, readme_block

REPORT = crosscheck.crosscheck()


def test_every_layer_with_a_second_source_is_compared():
    assert {s.layer for s in SOURCES} <= set(REPORT)
    assert REPORT["metro_stations"]["compared"] >= 165  # of 172 operating stations


def test_stations_agree_with_the_second_source_within_tens_of_metres():
    r = REPORT["metro_stations"]
    assert r["median_m"] <= 50
    assert r["p90_m"] <= 120


@pytest.mark.parametrize("layer", sorted(REPORT))
def test_every_disagreement_over_the_threshold_has_a_reason(layer):
    reasons = accepted()
    unexplained = [o for o in REPORT[layer]["outliers"] if not reasons.get(o["id"])]
    assert unexplained == []


def test_reasons_are_not_left_for_places_that_now_agree():
    flagged = {o["id"] for r in REPORT.values() for o in r["outliers"]}
    assert set(accepted()) <= flagged


def test_a_moved_station_is_caught(monkeypatch):
    """Mutation: shifting one station by 400 m makes it an unexplained outlier."""
    import geopandas as gpd
    from shapely import affinity

    real = crosscheck.read_geojson

    def shifted(path):
        gdf = real(path)
        if path.name == "metro_stations.geojson":
            i = gdf.index[gdf["id"] == "mst_wusiguangchang"][0]
            gdf.loc[i, "geometry"] = affinity.translate(gdf.geometry[i], xoff=0.0045)  # ~400 m east
        return gpd.GeoDataFrame(gdf)

    monkeypatch.setattr(crosscheck, "read_geojson", shifted)
    out = crosscheck.crosscheck()["metro_stations"]["outliers"]
    assert any(o["id"] == "mst_wusiguangchang" and 350 < o["distance_m"] < 450 for o in out)


def test_committed_report_matches_the_data():
    text = crosscheck.REPORT_MD.read_text(encoding="utf-8")
    assert readme_block(REPORT) in text, "run `python -m geodata.crosscheck --readme` and commit the report"


def test_readme_shows_the_current_crosscheck_table():
    readme = (crosscheck.GEODATA_DIR.parent / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- crosscheck:start -->\n(.*?)<!-- crosscheck:end -->", readme, re.S)
    assert block, "README lacks the crosscheck block"
    assert block.group(1) == readme_block(REPORT), "run `python -m geodata.crosscheck --readme`"
