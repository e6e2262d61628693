"""Costs checked before they are paid (issue 24): grid cells, hexagons, matrix pairs and archive sizes are
estimated from the parameters and the extent, and a call over the budget is refused with the largest
allowed value — on the command line before any analysis module is imported, on the page in its language."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from analysis import budget
from analysis.density import kde
from analysis.points_io import read_upload
from atlas import costs
from core.refusal import Refusal
from core.settings import BUDGET

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("extent", "cell", "bw"), [((455590.1, 3938488.0, 595048.4, 4113107.7), 250.0, 2000.0),
                                                    ((489656.0, 3963451.7, 561346.3, 4081104.1), 110.0, 2000.0),
                                                    ((0.0, 0.0, 10.0, 10.0), 7.0, 3.0)])
def test_the_estimate_is_the_grid_kernel_density_would_allocate(extent, cell, bw):
    for padded in (True, False):
        grid = kde.Grid.covering(extent, cell_m=cell, pad_m=kde.TRUNCATE * bw if padded else 0.0)
        assert budget.kde_cells(extent, cell_m=cell, bandwidth_m=bw, padded=padded) == grid.nx * grid.ny
    assert budget.TRUNCATE == kde.TRUNCATE and costs.MEASURE == "EPSG:4549"


def test_an_over_budget_grid_is_refused_with_the_smallest_cell_that_fits():
    extent = (0.0, 0.0, 100_000.0, 100_000.0)  # 100 x 100 km, no land: padded by 8 km each side
    with pytest.raises(Refusal, match=r"cell_m=20 m .* 33,640,000 cells.*use cell_m >= 120 m") as err:
        budget.check_kde(extent, cell_m=20, bandwidth_m=2000)
    assert err.value.fields["allowed"] == 120  # (116 km / 1000)^2 cells: 116 m -> 120 m in whole 10 m
    assert budget.check_kde(extent, cell_m=120, bandwidth_m=2000) == 967 * 967 <= BUDGET.kde_cells
    assert budget.kde_cells(extent, cell_m=110, bandwidth_m=2000) > BUDGET.kde_cells
    assert "格网大小" in err.value.localized("zh") and "120" in err.value.localized("zh")


def test_hexagons_matrices_and_cutoffs_are_bounded_too():
    area = 11_000e6  # the city's land, about 11,000 km²
    assert budget.check_hexagons(area, resolution=9) < BUDGET.hexagons
    with pytest.raises(Refusal, match="use resolution <= 9"):
        budget.check_hexagons(area, resolution=11)
    assert budget.check_hexagons(1e6, resolution=15, n_points=50) == 50  # without land: occupied cells only
    with pytest.raises(Refusal, match="at most 1,000 origins"):
        budget.check_matrix(2000)
    with pytest.raises(Refusal, match="at most 12"):
        budget.check_cutoffs(list(range(1, 100)))
    budget.check_arguments({"origins": list(range(500)), "cutoffs": (15, 30)}, extent=None)


def test_the_fast_check_reads_the_extent_the_analysis_would_see():
    from core.crs import MEASURE_CRS
    from layers import resources

    loaded = resources.load().to_crs(MEASURE_CRS).total_bounds
    assert np.allclose(costs.layer_file_bounds("resources"), loaded, atol=0.01)


def _cli(args, cwd):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "atlas", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120, check=False)


def test_cell_m_20_is_refused_by_the_cli_before_any_work(tmp_path):
    proc = _cli(["density", "kernel_density", "--layer", "resources", "--param", "cell_m=20", "--out", "k.geojson"],
                tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert "limit is 1,000,000 cells: use cell_m >= 110 m" in proc.stderr.strip().splitlines()[-1]
    assert list(tmp_path.iterdir()) == []


def test_a_filtered_layer_is_checked_after_loading(tmp_path):
    proc = _cli(["density", "kernel_density", "--layer", "resources", "--filter", "district=laoshan", "--param",
                 "cell_m=5", "--out", "k.geojson"], tmp_path)
    assert proc.returncode == 2 and "use cell_m >=" in proc.stderr, proc.stderr
    assert list(tmp_path.iterdir()) == []


def _bomb(members: dict[str, int], extra: int = 0) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, size in members.items():
            with zf.open(name, "w") as fh:
                chunk = b"\0" * (1 << 20)
                for _ in range(size >> 20):
                    fh.write(chunk)
        for i in range(extra):
            zf.writestr(f"f{i}.txt", b"")
    return buf.getvalue()


def test_zip_bombs_are_refused_from_the_directory_before_extraction():
    xlsx = _bomb({"[Content_Types].xml": 0, "xl/workbook.xml": 0, "xl/worksheets/sheet1.xml": 400 << 20})
    assert len(xlsx) < 1_000_000
    with pytest.raises(Refusal, match="would unpack to 400 MB; at most 300 MB") as err:
        read_upload(xlsx, "big.xlsx")
    assert "解压后将有 400 MB" in err.value.localized("zh")
    kmz = _bomb({"doc.kml": 0}, extra=BUDGET.archive_members)
    with pytest.raises(Refusal, match="holds 10,001 files"):
        read_upload(kmz, "many.kmz")


def test_the_page_refuses_an_over_budget_grid_in_the_readers_language():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "views" / "density.py"), default_timeout=240)
    at.session_state["w_dmap_layers"] = ["zones", "kde"]
    at.run()
    at.sidebar.slider[1].set_value(100.0).run()  # cell 100 m over the whole city: ~2.4 M cells
    assert not at.exception, at.exception
    (message,) = [e.value for e in at.error]
    assert "核密度格网" in message and "请使用不小于 160 米的格网大小" in message, message
