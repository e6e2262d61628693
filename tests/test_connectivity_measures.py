"""One measure per name: the matrix tab and the scenario tab's "today" column are the same figures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.connectivity import Scenario, corridor_indices
from atlas.connectivity import measures, report


@pytest.fixture(scope="module")
def city():
    frames, net = report._net()
    return frames, net


@pytest.mark.parametrize("origin_set", ["clusters", "hubs"])
def test_matrix_and_scenario_give_the_same_figures_for_the_same_pairs(city, origin_set):
    frames, net = city
    matrix, indices, _, _ = measures.matrix_summary(net, frames, origin_set, "car", "today")
    res = measures.scenario_summary(net, frames, origin_set, "car", "today",
                                    Scenario("today+construction", "today+construction"))
    pd.testing.assert_series_equal(res["indices"]["before"], indices, check_names=False)
    pd.testing.assert_frame_equal(res["before"], matrix)
    if origin_set == "clusters":
        assert indices["pairs"] == 6  # three clusters, ordered pairs


def test_efficiency_is_on_one_scale():
    # two features in one building (0 min) no longer blow the efficiency up: a pair counts at least 1 min
    m = pd.DataFrame([[0, 0, 30], [0, 0, 30], [30, 30, 0]], index=list("abc"), columns=list("abc"), dtype=float)
    eff = corridor_indices(m)["efficiency"]
    assert eff == pytest.approx((2 * 1.0 + 4 / 30) / 6)
    assert eff <= 1.0


def test_city_efficiency_between_zero_and_one(city):
    frames, net = city
    for origin_set in ("clusters", "resources"):
        res = measures.scenario_summary(net, frames, origin_set, "combined", "today",
                                        Scenario("today+planned", "today+planned"))
        eff = res["indices"].loc["efficiency", ["before", "after"]].to_numpy(float)
        assert np.all((eff > 0) & (eff <= 1))
