"""Density can leave out points whose position is too uncertain (analysis.density.precision)."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import Point

from analysis.density import counts_by_zone, within_uncertainty
from layers import resources


def _pts(unc):
    return gpd.GeoDataFrame({"id": [f"p{i}" for i in range(len(unc))], "pos_uncertainty_m": unc},
                            geometry=[Point(120.4 + i * 0.001, 36.1) for i in range(len(unc))], crs=4326)


def test_keeps_points_at_or_below_the_limit_and_unknowns():
    out = within_uncertainty(_pts([30, 250, 5000, None]), max_uncertainty_m=250)
    assert list(out["id"]) == ["p0", "p1", "p3"]
    assert out.attrs["left_out"] == ["p2"]
    assert out.attrs["params"] == {"max_uncertainty_m": 250}


def test_no_limit_keeps_everything():
    out = within_uncertainty(_pts([30, 99999]), max_uncertainty_m=None)
    assert len(out) == 2 and out.attrs["left_out"] == []


@pytest.mark.parametrize("bad", [-1, float("nan"), float("inf")])
def test_bad_limit_is_refused(bad):
    with pytest.raises(ValueError, match="max_uncertainty_m must be"):
        within_uncertainty(_pts([30]), max_uncertainty_m=bad)


def test_on_the_atlas_resources_the_count_drops_by_the_uncertain_ones():
    res = resources.load()
    precise = within_uncertainty(res, max_uncertainty_m=500)
    n_uncertain = int((res["pos_uncertainty_m"].astype(float) > 500).sum())
    assert len(precise) == len(res) - n_uncertain > 0
    from layers import clusters, coast
    table = counts_by_zone(precise, clusters.bay_clusters(), zone_id="cluster", city=coast.load_city())
    assert table["count"].sum() <= len(precise)
