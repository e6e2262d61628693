"""Resources, parks and park sites: positions trace to the extracts they cite; uncertainty is data."""

import re

import pandas as pd
import pytest

from core.vocab import QINGDAO_BBOX
from geodata.build_layers import read_table
from geodata.extract_campuses import PG7GO, UNISOKET, qingdao_rows
from layers import park_sites, parks, resources
from layers.base import read_layer

SRC = PG7GO["out"].parent.parent
TABLES = ("resources", "parks", "park_sites")
#: Wording of research notes that must not reach users (issue 11, item 7).
RESEARCH_WORDS = re.compile(r"compiler|general map knowledge|placeholder|find_string|file id", re.IGNORECASE)
EXTRACTS = {PG7GO["repo"]: PG7GO["out"], UNISOKET["repo"]: UNISOKET["out"]}


@pytest.fixture(scope="module", params=TABLES)
def table(request):
    return request.param, read_table(SRC / f"{request.param}.csv")


def test_no_research_wording_for_users(table):
    name, df = table
    for col in ("source", "source_zh", "notes", "notes_zh"):
        bad = df.loc[df[col].str.contains(RESEARCH_WORDS), "id"].tolist()
        assert bad == [], f"{name}.{col}: {bad}"


def test_every_row_has_uncertainty_licence_and_citation(table):
    name, df = table
    unc = pd.to_numeric(df["pos_uncertainty_m"], errors="coerce")
    assert unc.notna().all() and (unc >= 30).all(), name
    for col in ("source_zh", "licence", "source_ref"):
        assert (df[col].str.len() > 0).all(), f"{name}.{col} empty"


def _extract_row(ref: str) -> tuple[pd.Series, str] | None:
    for repo, path in EXTRACTS.items():
        if m := re.search(rf"github:{re.escape(repo)}@[0-9a-f]{{40}}:[^#]+#(\d+)", ref):
            ext = pd.read_csv(path).set_index("src_row")
            return ext.loc[int(m.group(1))], repo
    return None


def test_dataset_positions_equal_the_extract_rows_they_cite(table):
    name, df = table
    checked = 0
    for _, row in df.iterrows():
        first_ref = row["source_ref"].split(";")[0]
        hit = _extract_row(first_ref)
        if hit is None or row["lon"] == "":
            continue
        ext, _ = hit
        if "shown at" in row["source"] or "shown on" in row["source"]:
            continue  # placed at a published point standing for its town/street; checked below
        assert row["source_crs"] == "BD-09", row["id"]
        assert (float(row["lon"]), float(row["lat"])) == (ext["lng_bd09"], ext["lat_bd09"]), row["id"]
        assert row["pos_uncertainty_m"] == "250", row["id"]
        checked += 1
    if name == "resources":
        assert checked >= 35


def test_plan_universities_sit_on_their_dataset_rows():
    res = read_table(SRC / "resources.csv").set_index("id")
    expected = {"res_ouc": "中国海洋大学(崂山校区)", "res_upc": "中国石油大学(华东)", "res_sdu_qingdao": "山东大学(青岛校区)",
                "res_sdust": "山东科技大学(青岛校区)", "res_qdu": "青岛大学(浮山校区)", "res_qust": "青岛科技大学",
                "res_qut": "青岛理工大学(嘉陵江路校区)", "res_qau": "青岛农业大学"}
    for rid, dataset_name in expected.items():
        ext, repo = _extract_row(res.at[rid, "source_ref"])
        assert repo == PG7GO["repo"] and ext["name"] == dataset_name, rid


def test_fallback_placements_carry_large_uncertainty():
    """A feature drawn at a district or city reference point is never shown as if exact."""
    gdf = read_layer(resources.LAYER)
    for label, minimum in (("District only", 3000), ("City only", 50_000), ("Town only", 5000), ("Street only", 1000)):
        rows = gdf[gdf["notes"].str.startswith(label)]
        assert len(rows) > 0, label
        assert (rows["pos_uncertainty_m"] >= minimum).all(), (label, rows["id"].tolist())
    exact = gdf[gdf["pos_uncertainty_m"] <= 300]
    assert (exact["source_crs"] == "BD-09").all()


def test_points_at_one_place_are_listed_together():
    for layer in (resources.LAYER, park_sites.LAYER, parks.LAYER):
        gdf = read_layer(layer)
        pts = gdf[gdf.geom_type == "Point"]
        key = pts.geometry.apply(lambda g: (round(g.x, 6), round(g.y, 6)))
        for _, group in pts.groupby(key):
            if len(group) > 1:
                assert group["notes"].str.contains("Same point as", regex=False).all(), group["id"].tolist()
                assert group["notes_zh"].str.contains("同址", regex=False).all(), group["id"].tolist()


def test_second_source_rows_name_existing_features_inside_qingdao():
    sec = pd.read_csv(SRC / "crosscheck" / "resources_second.csv")
    ids = set(read_table(SRC / "resources.csv")["id"])
    assert list(sec.columns) == ["id", "lon", "lat", "source", "source_ref"]
    assert set(sec["id"]) <= ids and sec["id"].is_unique
    lon_min, lat_min, lon_max, lat_max = QINGDAO_BBOX
    assert sec["lon"].between(lon_min, lon_max).all() and sec["lat"].between(lat_min, lat_max).all()


def test_extract_keeps_qingdao_rows_once_with_source_row_numbers():
    rows = [
        {"name": "A大学", "city": "济南市", "area": "历下区", "address": "x", "location": {"lng": 117.0, "lat": 36.6}},
        {"name": "B学院", "city": "青岛市", "area": "黄岛区", "address": "y", "location": {"lng": 120.1, "lat": 35.9}},
        {"name": "B学院", "city": "青岛市", "area": "黄岛区", "address": "y", "location": {"lng": 120.1, "lat": 35.9}},
        {"name": "C学院", "city": "青岛市", "area": "城阳区", "location": {"lng": 120.4, "lat": 36.3}},
    ]
    out = qingdao_rows(rows)
    assert out["src_row"].tolist() == [1, 3]
    assert out["name"].tolist() == ["B学院", "C学院"]
    assert out.loc[1, "address"] == "" and out.loc[0, "lng_bd09"] == 120.1
