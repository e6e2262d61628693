"""Hostile text (tests/corpus/hostile_text.py) as export file names, metadata and briefing titles."""

from __future__ import annotations

import json
import unicodedata

import geopandas as gpd
import pytest
from shapely.geometry import Point

from atlas.export.formats import export_bytes, read_bytes, safe_filename
from atlas.export.metadata import build_metadata, metadata_bytes
from core.files import write_atomic
from core.settings import EXPORT
from tests.corpus.hostile_text import hostile_strings

STRINGS = hostile_strings()


@pytest.mark.parametrize("title", STRINGS, ids=range(len(STRINGS)))
def test_safe_filename_is_one_plain_nonempty_name(title):
    name = safe_filename(title, ".geojson")
    stem = name.removesuffix(".geojson")
    assert stem and len(stem) <= EXPORT.max_filename_len + len("export_")
    assert len(name.encode()) <= EXPORT.max_filename_bytes + len(".geojson")
    assert not any(ch in name for ch in "/\\:*?\"<>|") and ".." not in name
    assert not stem.startswith((".", "-", "_"))
    assert all(unicodedata.category(ch)[0] != "C" for ch in name)  # no control/format characters
    assert stem.lower() not in ("con", "nul", "prn", "aux")


def test_safe_filename_keeps_chinese_and_neutralises_traversal():
    assert safe_filename("青岛 湾区/科创", ".csv") == "青岛_湾区_科创.csv"
    assert safe_filename("../../etc/passwd") == "etc_passwd"
    assert safe_filename("") == safe_filename("...") == safe_filename("\x00") == "export"
    assert safe_filename("con") == "export_con"


def test_every_hostile_name_writes_exactly_one_file_inside_the_folder(tmp_path):
    names = set()
    for title in STRINGS:
        path = write_atomic(tmp_path / safe_filename(title, ".txt"), b"x")
        assert path.resolve().parent == tmp_path.resolve()
        names.add(path.name)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)  # no temp files left


def test_write_atomic_failure_leaves_nothing_behind(tmp_path):
    with pytest.raises(TypeError):
        write_atomic(tmp_path / "a.geojson", "not bytes")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


@pytest.fixture(scope="module")
def hostile_frame():
    rows = STRINGS[:40]
    return gpd.GeoDataFrame({"id": [f"r{i}" for i in range(len(rows))], "name_zh": rows},
                            geometry=[Point(120.4 + i * 1e-3, 36.1) for i in range(len(rows))], crs="EPSG:4326")


@pytest.mark.parametrize("fmt", ["geojson", "csv", "gpkg"])
def test_hostile_names_and_title_round_trip_through_every_format(hostile_frame, fmt):
    title = STRINGS[0] + STRINGS[13]  # script tag + a path
    meta = build_metadata(hostile_frame, layers=["resources"], title=title)
    data = export_bytes(hostile_frame, fmt, metadata=meta, layer_name=title)
    back = read_bytes(data, fmt)
    names = back["name_zh"].tolist()
    # CSV neutralises leading =+-@ for spreadsheets; everything else must come back as written
    expected = [s for s in hostile_frame["name_zh"]]
    if fmt == "csv":
        assert len(names) == len(expected)
        assert [n for n, e in zip(names, expected) if n != e and not str(n).endswith(e.lstrip())] == []
    elif fmt == "gpkg":  # GeoPackage text cannot hold NUL: it becomes U+FFFD instead of cutting the text
        assert names == [e.replace("\x00", "\ufffd") for e in expected]
    else:
        assert names == expected


def test_metadata_with_hostile_title_is_valid_json(hostile_frame):
    for title in STRINGS:
        meta = build_metadata(hostile_frame, layers=["resources", title[:30]], title=title)
        assert json.loads(metadata_bytes(meta))["title"] == title


@pytest.mark.parametrize("title", [STRINGS[0] + "\x00\u202e" + "青" * 300, "a" * 10_000])
def test_briefing_renders_with_hostile_titles(title):
    from atlas.briefing.render import load_base, render_briefing

    data = render_briefing([], title=title, subtitle=STRINGS[1], data_date=STRINGS[2], dpi=50, base=load_base())
    assert data[:8] == b"\x89PNG\r\n\x1a\n"


def test_longest_chinese_name_and_its_sidecar_fit_the_file_system(tmp_path):
    name = safe_filename("青" * 5_000, ".geojson")
    write_atomic(tmp_path / name, b"{}")
    write_atomic(tmp_path / (name + ".meta.json"), b"{}")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, name + ".meta.json"])
