"""Provenance a user can read: licences, attribution, no research notes (issue: data truth)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from atlas.export.metadata import OSM_ATTRIBUTION, build_metadata
from geodata.build_layers import SRC_DIR
from layers import metro, resources
from layers.registry import load_registry

TABLES = sorted(p.name for p in SRC_DIR.glob("*.csv"))
RESEARCH_NOTES = re.compile(r"find_string|file id \d|compiler|general map knowledge|from memory|PLACEHOLDER|"
                            r"ESTIMATE|verify against|by the author", re.I)


@pytest.mark.parametrize("table", TABLES)
def test_source_and_notes_speak_to_the_user(table):
    df = pd.read_csv(SRC_DIR / table, dtype=str, keep_default_na=False)
    cols = [c for c in ("source", "source_zh", "notes", "notes_zh") if c in df]
    bad = [(r["id"], c) for _, r in df.iterrows() for c in cols if RESEARCH_NOTES.search(r[c])]
    assert bad == []


@pytest.mark.parametrize("table", TABLES)
def test_every_row_has_a_chinese_source_and_a_licence(table):
    df = pd.read_csv(SRC_DIR / table, dtype=str, keep_default_na=False)
    assert (df["source_zh"].str.strip() != "").all()
    assert (df["licence"].str.strip() != "").all()


def test_osm_derived_layers_carry_the_odbl_attribution():
    reg = load_registry()
    assert reg["metro_stations"]["attribution"] == "© OpenStreetMap contributors"
    assert "ODbL-1.0" in reg["metro_stations"]["licence"]


def test_an_export_of_stations_names_the_licence_attribution_and_uncertainty():
    meta = build_metadata(metro.load_stations(), layers=["metro_stations"], title="t")
    assert OSM_ATTRIBUTION in meta["attribution"]
    assert "ODbL-1.0" in meta["licences"]
    assert meta["pos_uncertainty_m"]["min"] <= 30 and meta["pos_uncertainty_m"]["max"] >= 1000


def test_an_export_without_osm_data_has_no_osm_credit():
    res = resources.load()
    non_osm = res[~res["licence"].str.contains("ODbL")]
    credits = build_metadata(non_osm, layers=[])["attribution"]
    assert not any("OpenStreetMap" in c for c in credits)
    assert any("pg7go/The-Location-Data-of-Schools-in-China" in c for c in credits)  # the publishers are credited
