"""Property-based: points_io.read_points and two density functions under generated input.

read_points documents ValueError as the only error for unusable input; the density
functions document ValueError for bad parameters/CRS. Nothing else may escape.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from analysis.density import hexagons, kernel_density
from analysis.points_io import read_points

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CELL = st.one_of(st.text(max_size=12), st.floats(allow_nan=True, allow_infinity=True).map(repr),
                 st.floats(119.5, 121.1).map(str), st.floats(35.5, 37.1).map(str), st.sampled_from(["", '"', ",", "\n"]))


def _check_result(gdf, problems):
    assert gdf.crs.to_epsg() == 4326
    assert all(p["message"] and "reason" in p for p in problems)
    coords = np.c_[gdf.geometry.x, gdf.geometry.y] if len(gdf) else np.empty((0, 2))
    assert np.isfinite(coords).all()


@SETTINGS
@given(data=st.binary(max_size=2000), kind=st.sampled_from([None, "csv", "geojson"]))
def test_arbitrary_bytes_give_a_result_or_a_valueerror(data, kind):
    try:
        gdf, problems = read_points(data, kind=kind)
    except ValueError as exc:
        assert str(exc)
        return
    _check_result(gdf, problems)


@SETTINGS
@given(header=st.lists(st.sampled_from(["lon", "lat", "name", "经度", "纬度", "x", "y", "w", ""]), min_size=1,
                       max_size=5),
       rows=st.lists(st.lists(CELL, min_size=0, max_size=6), max_size=20),
       crs=st.sampled_from(["WGS84", "GCJ-02", "BD-09", "EPSG:4549"]))
@example(header=["lon", "lat"], rows=[["", "\r", "\r0"]], crs="WGS84")  # found once: lone CRs end lines
def test_arbitrary_csv_text_gives_a_result_or_a_valueerror(header, rows, crs):
    text = "\n".join([",".join(header)] + [",".join(r) for r in rows])
    for enc in ("utf-8", "gb18030"):
        try:
            gdf, problems = read_points(text.encode(enc, "replace"), kind="csv", crs=crs)
        except ValueError as exc:
            assert str(exc)
            continue
        _check_result(gdf, problems)
        assert len(gdf) + len({p["row"] for p in problems if p["row"] is not None}) <= len(text.splitlines()) + 1  # never more rows than lines (a lone \r ends a CSV line too)


POINTS = st.lists(st.tuples(st.floats(119.6, 121.0), st.floats(35.6, 37.0), st.floats(0, 100)), max_size=40)


def _frame(points):
    return gpd.GeoDataFrame({"w": [p[2] for p in points]}, geometry=gpd.points_from_xy(
        [p[0] for p in points], [p[1] for p in points]), crs="EPSG:4326")


@settings(max_examples=20, deadline=None)
@given(points=POINTS, bandwidth=st.floats(-100, 5000), cell=st.one_of(st.floats(-10, 1e-3), st.floats(50, 3000)))
def test_kernel_density_keeps_the_weight_or_raises_valueerror(points, bandwidth, cell):
    try:
        out = kernel_density(_frame(points), bandwidth_m=bandwidth, cell_m=cell, weight="w", crs="EPSG:4549")
    except ValueError as exc:
        assert str(exc)
        return
    assert np.isfinite(out.select_dtypes("number").to_numpy(dtype=float)).all()
    assert out.attrs["params"]["bandwidth_m"] == bandwidth


@settings(max_examples=60, deadline=None)
@given(points=POINTS, resolution=st.integers(-2, 17))
def test_hexagons_conserve_the_weight_or_raise_valueerror(points, resolution):
    try:
        out = hexagons(_frame(points), resolution=resolution, weight="w")
    except ValueError as exc:
        assert "resolution" in str(exc)
        assert not 0 <= resolution <= 15
        return
    assert out["count"].sum() == len(points)
    assert out["weighted"].sum() == pytest.approx(sum(p[2] for p in points), rel=1e-9, abs=1e-9)


def test_a_tiny_cell_is_refused_with_a_clear_message():
    """Found by the property test: cell_m=1e-18 / 5e-324 overflowed (OverflowError)."""
    for cell in (8e-19, 5e-324):
        with pytest.raises(ValueError, match="cell_m must be at least 1 metre"):
            kernel_density(_frame([(119.6, 35.6, 0.0)]), bandwidth_m=36.7, cell_m=cell)
    with pytest.raises(ValueError, match="grid is more than .* cells; use a larger cell_m"):
        kernel_density(_frame([(119.6, 35.6, 0.0), (120.9, 36.9, 1.0)]), bandwidth_m=5000, cell_m=1)
