"""The command line: help, listing, exports, analysis adapters, briefings, error paths and exit codes."""

import json
import subprocess
import sys
import types

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from atlas.cli import analyse as cli_analysis
from atlas.cli.main import main
from atlas.export.formats import read_bytes
from tests.conftest import ROOT


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def _err(capsys) -> str:
    return capsys.readouterr().err


def test_module_help_runs_as_a_program():
    out = subprocess.run([sys.executable, "-m", "atlas", "--help"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    for command in ("layers", "export", "density", "connectivity", "briefing", "exit codes"):
        assert command in out


@pytest.mark.parametrize("command", ["layers", "export", "density", "connectivity", "briefing"])
def test_every_subcommand_has_help(command, capsys):
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    assert "usage: qd-atlas " + command in capsys.readouterr().out


def test_no_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main([])
    assert exc.value.code == 2
    assert "required" in _err(capsys)


def test_layers_lists_counts(capsys):
    assert main(["layers", "--json"]) == 0
    rows = {r["layer"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["districts"]["features"] == 10
    assert rows["districts"]["geometry"] == "MultiPolygon"
    assert rows["resources"]["features"] > 0


def test_export_filtered_csv_with_sidecar(tmp_path, capsys):
    assert main(["export", "resources", "--format", "csv", "--bom", "--filter", "district=laoshan",
                 "--filter", "status=operating", "--out", "r.csv"]) == 0
    data = (tmp_path / "r.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    back = read_bytes(data, "csv")
    assert len(back) > 0 and set(back["district"]) == {"laoshan"} and set(back["status"]) == {"operating"}
    meta = json.loads((tmp_path / "r.csv.meta.json").read_text(encoding="utf-8"))
    assert meta["filters"] == {"district": ["laoshan"], "status": ["operating"]}
    assert meta["feature_count"] == len(back) and meta["registry"]["resources"]["sha256"]
    assert f"{len(back)} features" in _err(capsys)


def test_export_default_name_and_stdout(tmp_path, capsysbinary):
    assert main(["export", "districts", "--filter", "district=shinan,shibei", "--no-sidecar"]) == 0
    assert [p.name for p in tmp_path.iterdir()] == ["districts_shinan-shibei.geojson"]
    capsysbinary.readouterr()
    assert main(["export", "parks", "--out", "-"]) == 0
    doc = json.loads(capsysbinary.readouterr().out)
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 10


@pytest.mark.parametrize(("argv", "message"), [
    (["export", "nope"], "unknown layer 'nope'"),
    (["export", "parks", "--filter", "district=mars"], "bad district value"),
    (["export", "parks", "--filter", "colour=red"], "bad --filter 'colour=red'"),
    (["export", "parks", "--filter", "district="], "bad district value"),
    (["export", "parks", "--out", "/no/such/dir/x.geojson"], "does not exist"),
    (["briefing", "--title", "t", "--bbox", "121,36,120,37"], "bad --bbox"),
    (["briefing", "--title", "t", "--layers", "parks,<x>"], "unknown overlay"),
])
def test_bad_arguments_exit_2_with_a_clear_message(argv, message, capsys):
    assert main(argv) == 2
    assert message in _err(capsys)


def test_bad_format_is_rejected_by_argparse(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["export", "parks", "--format", "shp"])
    assert exc.value.code == 2
    assert "invalid choice: 'shp'" in _err(capsys)


def test_missing_analysis_module_exits_3(monkeypatch, capsys):
    monkeypatch.setitem(cli_analysis.MODULES, "density", ("analysis.no_such_module",))
    assert main(["density", "--list"]) == 3
    assert "not available" in _err(capsys)


@pytest.fixture
def fake_density(monkeypatch):
    module = types.ModuleType("fake_density")

    def counts_by_district(gdf, *, min_count: int = 0):
        if gdf.crs is None or not gdf.crs.is_projected:
            raise ValueError("needs EPSG:4549")
        table = gdf.groupby("district").size().rename("count").reset_index()
        table = table[table["count"] >= min_count]
        table.attrs["params"] = {"min_count": min_count, "crs": "EPSG:4549"}
        return table

    def pairs(gdf, *, others, limit: int = 1) -> pd.DataFrame:
        return pd.DataFrame({"n_self": [len(gdf)], "n_others": [len(others)], "others_crs": [others.crs.to_epsg()]})

    def helper(gdf) -> np.ndarray:  # not a table: not a method
        return gdf.geometry.x.to_numpy()

    for fn in (counts_by_district, pairs, helper):
        fn.__module__ = "fake_density"
        setattr(module, fn.__name__, fn)
    monkeypatch.setitem(sys.modules, "fake_density", module)
    monkeypatch.setitem(cli_analysis.MODULES, "density", ("fake_density", "analysis.not_there_yet"))
    return module


def test_density_adapter_runs_and_exports_with_params(fake_density, tmp_path, capsys):
    assert main(["density", "--list"]) == 0
    assert "counts_by_district(gdf, *, min_count: int = 0)" in capsys.readouterr().out
    assert main(["density", "counts_by_district", "--param", "min_count=2", "--format", "csv",
                 "--out", "d.csv"]) == 0
    table = read_bytes((tmp_path / "d.csv").read_bytes(), "csv")
    assert (table["count"].astype(int) >= 2).all()
    meta = json.loads((tmp_path / "d.csv.meta.json").read_text(encoding="utf-8"))
    assert meta["analysis_parameters"] == {"method": "counts_by_district", "min_count": 2, "crs": "EPSG:4549"}


def test_layer_parameters_and_only_table_methods(fake_density, tmp_path, capsys):
    assert main(["density", "--list"]) == 0
    listed = capsys.readouterr().out
    assert "pairs(gdf, *, others" in listed and "helper" not in listed
    assert main(["density", "pairs", "--param", "others=@parks", "--format", "csv", "--out", "p.csv"]) == 0
    row = read_bytes((tmp_path / "p.csv").read_bytes(), "csv").iloc[0]
    from layers import parks
    from layers.base import located

    assert (row["n_others"], row["others_crs"]) == (str(len(located(parks.load()))), "4549")  # issue 21: placed


def test_density_adapter_errors(fake_density, capsys):
    assert main(["density", "--param", "x=1"]) == 2
    assert "name a method" in _err(capsys)
    assert main(["density", "kde"]) == 2
    assert "unknown density method 'kde'" in _err(capsys)
    assert main(["density", "counts_by_district", "--param", "bandwidth=3"]) == 2
    assert "unexpected keyword argument 'bandwidth'" in _err(capsys)
    assert main(["density", "counts_by_district", "--param", "1x=3"]) == 2


def test_connectivity_adapter_builds_the_network(monkeypatch, tmp_path):
    module = types.ModuleType("fake_conn")

    def travel_times(network, *, speed_kmh: float = 60.0):
        rows = [(a, b, round(d / speed_kmh * 60, 1)) for a, b, d in network]
        frame = pd.DataFrame(rows, columns=["origin", "destination", "minutes"])
        frame.attrs["params"] = {"speed_kmh": speed_kmh}
        return frame

    travel_times.__module__ = "fake_conn"
    module.travel_times = travel_times
    module.build = lambda: [("aoshan", "lingshan", 120.0)]
    monkeypatch.setitem(sys.modules, "fake_conn", module)
    monkeypatch.setitem(cli_analysis.MODULES, "connectivity", ("fake_conn",))
    monkeypatch.setattr(cli_analysis, "NETWORK_BUILDERS", (("fake_conn", "build"),))
    assert main(["connectivity", "travel_times", "--param", "speed_kmh=80", "--out", "tt.geojson"]) == 0
    doc = json.loads((tmp_path / "tt.geojson").read_text(encoding="utf-8"))
    assert doc["features"][0]["properties"] == {"origin": "aoshan", "destination": "lingshan", "minutes": 90.0}


def test_briefing_writes_a_pdf_named_safely(tmp_path, capsys):
    assert main(["briefing", "--title", "../../简报 2026", "--layers", "parks", "--dpi", "50",
                 "--preset", "slide-16:9", "--format", "pdf"]) == 0
    files = [p.name for p in tmp_path.iterdir()]
    assert files == ["简报_2026.pdf"]
    assert (tmp_path / files[0]).read_bytes().startswith(b"%PDF")


def test_briefing_format_follows_the_suffix(tmp_path):
    assert main(["briefing", "--title", "t", "--layers", "parks", "--dpi", "50", "--lang", "en",
                 "--filter", "cluster=aoshan", "--out", "b.png"]) == 0
    assert (tmp_path / "b.png").read_bytes().startswith(b"\x89PNG")


def test_projected_layer_frames_are_what_the_adapter_passes(fake_density, monkeypatch):
    seen = {}

    def spy(gdf, *, min_count: int = 0):
        seen["crs"] = gdf.crs.to_epsg()
        seen["n"] = len(gdf)
        return pd.DataFrame({"n": [len(gdf)]})

    spy.__module__ = "fake_density"
    monkeypatch.setattr(fake_density, "counts_by_district", spy)
    assert main(["density", "counts_by_district", "--filter", "district=laoshan", "--out", "-"]) == 0
    assert seen["crs"] == 4549
    laoshan = gpd.read_file(ROOT / "geodata" / "resources.geojson").query("district == 'laoshan'")
    assert seen["n"] == laoshan.geometry.notna().sum()  # issue 21: features known only to the district stay out
