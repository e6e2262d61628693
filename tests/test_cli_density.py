"""``qd-atlas density METHOD --points FILE``: the analyst's own file, read as the page reads an upload."""

import json

import numpy as np
import pandas as pd
import pytest

from atlas.cli.main import main
from atlas.export.formats import read_bytes
from core.crs import wgs84_to_gcj02_xy
from layers import coast
from tests.test_density_hotspots import uniform_on_land


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="module")
def uniform_csv(tmp_path_factory):
    pts = uniform_on_land(coast.load_city(), 400, 21)
    path = tmp_path_factory.mktemp("pts") / "uniform.csv"
    pd.DataFrame({"名称": [f"点{i}" for i in range(len(pts))], "经度": pts.geometry.x.round(6),
                  "纬度": pts.geometry.y.round(6)}).to_csv(path, index=False, encoding="gbk")  # as Excel in China saves
    return path


def test_hot_spots_on_uniform_points_inside_qingdao_flag_at_most_five_percent(uniform_csv, tmp_path, capsys):
    """The issue's done-when: `qd-atlas density hot_spots --points FILE` on CSR inside Qingdao."""
    assert main(["density", "hot_spots", "--points", str(uniform_csv), "--out", "hot.geojson"]) == 0
    doc = json.loads((tmp_path / "hot.geojson").read_text(encoding="utf-8"))
    props = pd.DataFrame([f["properties"] for f in doc["features"]])
    assert {"gi_z", "gi_p", "gi_p_fdr", "gi_class", "count", "h3"} <= set(props.columns)
    assert props["count"].sum() == 400
    assert props["gi_class"].isin(["hot", "cold"]).mean() <= 0.05
    meta = doc["atlas_metadata"]["analysis_parameters"]
    assert meta["method"] == "hot_spots" and meta["points_file"] == "uniform.csv" and meta["n_points"] == 400
    assert meta["correction"] == "Benjamini-Hochberg FDR" and meta["permutations"] == 9999
    sidecar = json.loads((tmp_path / "hot.geojson.meta.json").read_text(encoding="utf-8"))
    assert sidecar["analysis_parameters"]["seed"] == 0


def test_a_gcj02_csv_is_read_with_the_crs_option_and_exported_as_csv(uniform_csv, tmp_path):
    table = pd.read_csv(uniform_csv, encoding="gbk").head(120)
    x, y = wgs84_to_gcj02_xy(table["经度"].to_numpy(), table["纬度"].to_numpy())
    shifted = tmp_path / "gcj.csv"
    pd.DataFrame({"lng": np.round(x, 6), "lat": np.round(y, 6), "w": 1}).to_csv(shifted, index=False)
    assert main(["density", "hot_spots", "--points", str(shifted), "--crs", "GCJ-02", "--param", "weight='w'",
                 "--param", "permutations=999", "--format", "csv", "--out", "hot.csv"]) == 0
    out = read_bytes((tmp_path / "hot.csv").read_bytes(), "csv")
    assert out["count"].astype(int).sum() == 120 and "gi_p_fdr" in out.columns
    meta = json.loads((tmp_path / "hot.csv.meta.json").read_text(encoding="utf-8"))["analysis_parameters"]
    assert meta["points_crs"] == "GCJ-02" and meta["weight"] == "w" and meta["permutations"] == 999


def test_other_methods_take_the_file_too(uniform_csv, tmp_path):
    assert main(["density", "clark_evans", "--points", str(uniform_csv), "--param", "zones=@districts",
                 "--format", "csv", "--out", "ce.csv"]) == 0
    ce = read_bytes((tmp_path / "ce.csv").read_bytes(), "csv")
    assert ce["n"].astype(int).sum() == 400
    meta = json.loads((tmp_path / "ce.csv.meta.json").read_text(encoding="utf-8"))["analysis_parameters"]
    assert meta["edge_correction"].startswith("Donnelly") and meta["zones"] == "@districts"


def test_listing_and_errors(tmp_path, capsys):
    assert main(["density", "--list"]) == 0
    assert "hot_spots(points: 'gpd.GeoDataFrame', *, resolution: 'int' = 7" in capsys.readouterr().out
    assert main(["density", "hot_spots", "--points", "missing.csv"]) == 2
    assert "no such file" in capsys.readouterr().err
    (tmp_path / "bad.csv").write_text("a,b\nx,y\n", encoding="utf-8")
    assert main(["density", "hot_spots", "--points", "bad.csv"]) != 0
    err = capsys.readouterr().err
    assert "qd-atlas density" in err and "Traceback" not in err
    (tmp_path / "ok.csv").write_text("lon,lat\n120.3,36.1\n120.4,36.2\n", encoding="utf-8")
    assert main(["density", "hot_spots", "--points", "ok.csv", "--filter", "district=laoshan"]) == 2
    assert "--filter applies to the atlas's layers" in capsys.readouterr().err
