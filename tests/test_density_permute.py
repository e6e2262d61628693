"""Gi*'s conditional-permutation p against exact enumeration of every draw (small cases, by hand).

For a hexagon with own value fixed and k neighbours drawn from the other n - 1 hexagons, the exact
p = min(1, 2 · min(P(sum >= observed), P(sum <= observed))) over all C(n-1, k) subsets; the Monte Carlo
p with 99,999 draws must be within 0.01 of it (its standard error is below 0.0035 for any p)."""

from __future__ import annotations

import itertools

import geopandas as gpd
import h3
import numpy as np
import pytest
import shapely

from analysis.density import hot_spots
from analysis.density.hexes import ring_weights
from analysis.density.permute import draws_without_replacement, permutation_p, tail_counts
from core.crs import WGS84

CENTRE = h3.latlng_to_cell(36.1, 120.3, 7)


def exact_p(y: np.ndarray, i: int, nbrs: list[int]) -> float:
    others = np.delete(y, i)
    observed = y[nbrs].sum()
    sums = np.array([others[list(c)].sum() for c in itertools.combinations(range(len(others)), len(nbrs))])
    return min(1.0, 2 * min((sums >= observed).mean(), (sums <= observed).mean()))


def neighbourhoods(ids: list[str], y: np.ndarray) -> tuple[list[list[int]], np.ndarray, np.ndarray]:
    """Each hexagon's ring-1 neighbours (positions), their number and the sum of their values."""
    w = ring_weights(ids, 1)
    order = {c: i for i, c in enumerate(ids)}
    nbrs = [[order[c] for c in w.neighbors[h]] for h in ids]
    return nbrs, np.array([len(n) for n in nbrs]), np.array([y[n].sum() for n in nbrs])


def disk(values: list[float]) -> tuple[list[str], np.ndarray]:
    ids = list(h3.grid_disk(CENTRE, 2))  # 19 hexagons: the centre, 6 in ring 1, 12 in ring 2
    return ids, np.asarray(values, dtype=float)


@pytest.fixture
def case():
    # a busy centre and ring 1, an empty ring 2 with two lone counts (ties galore)
    ids, y = disk([0.0] * 19)
    order = {c: i for i, c in enumerate(ids)}
    for c in h3.grid_disk(CENTRE, 1):
        y[order[c]] = 3.0
    y[order[CENTRE]] = 5.0
    ring2 = list(h3.grid_ring(CENTRE, 2))
    y[order[ring2[0]]], y[order[ring2[5]]] = 1.0, 2.0
    return ids, y


def test_monte_carlo_p_matches_exact_enumeration(case):
    ids, y = case
    nbrs, k, observed = neighbourhoods(ids, y)
    p = permutation_p(y, observed, k, permutations=99_999, seed=3, refine_permutations=99_999, refine_max=0)
    exact = np.array([exact_p(y, i, nbrs[i]) for i in range(len(ids))])
    assert np.abs(p - exact).max() < 0.01, np.c_[p, exact]
    assert exact.min() < 0.05  # the case has something to find (the busy centre)


def test_an_occupied_hexagon_with_empty_neighbours_can_be_cold():
    """Regression: esda.crand zeroes the weights' cached diagonal in place, so the second tail drawn with
    the same W left the hexagon's own value out of every draw, and a hexagon holding points among empty
    neighbours could never be cold. Here its exact two-sided p is 2 · P(sum <= 0) over the draws."""
    ids, y = disk([2.0] * 19)
    order = {c: i for i, c in enumerate(ids)}
    for c in h3.grid_ring(CENTRE, 1):
        y[order[c]] = 0.0
    w = ring_weights(ids, 1)
    nbrs = [order[c] for c in w.neighbors[CENTRE]]
    i = order[CENTRE]
    hexes = gpd.GeoDataFrame({"h3": ids, "count": y.astype(int)}, geometry=[shapely.Point(0, 0)] * len(ids),
                             crs=WGS84)
    out = hot_spots(hexes, permutations=9999, fdr=False).set_index("h3")
    expected = exact_p(y, i, nbrs)  # 2 / C(18, 6): only the draw of the 6 empty neighbours sums to 0
    assert expected == pytest.approx(2 / 18564)
    assert out.loc[CENTRE, "gi_p"] < 0.002 and out.loc[CENTRE, "gi_z"] < 0


def test_each_hexagon_leaves_out_the_draws_that_hold_it(case):
    """tail_counts by hand: the same seeded draws, each hexagon counting only the rows without itself."""
    ids, y = case
    _, k, observed = neighbourhoods(ids, y)
    which = np.flatnonzero(k == 3)
    greater, lesser, valid = tail_counts(y, observed, k, which, permutations=500, rng=np.random.default_rng(4))
    draws = draws_without_replacement(np.random.default_rng(4), len(y), 3, 500)
    sums = y[draws].sum(axis=1)
    for i in which:
        mine = ~(draws == i).any(axis=1)
        assert valid[i] == mine.sum() < 500
        assert greater[i] == (sums[mine] >= observed[i]).sum() and lesser[i] == (sums[mine] <= observed[i]).sum()
    assert (valid[k != 3] == 0).all()


def test_seeded_and_the_degenerate_cases_are_one(case):
    ids, y = case
    _, k, observed = neighbourhoods(ids, y)
    args = {"permutations": 999, "refine_permutations": 9999, "refine_max": 5}
    p = permutation_p(y, observed, k, seed=1, **args)
    assert np.array_equal(p, permutation_p(y, observed, k, seed=1, **args))
    assert not np.array_equal(p, permutation_p(y, observed, k, seed=2, **args))
    assert (permutation_p(np.zeros(5), np.zeros(5), np.full(5, 2), seed=1, **args) == 1).all()
    no_neighbours = permutation_p(np.array([1.0, 2.0, 3.0]), np.zeros(3), np.zeros(3, dtype=int), seed=1, **args)
    assert (no_neighbours == 1).all()


def test_draws_are_distinct_within_a_row():
    rows = draws_without_replacement(np.random.default_rng(0), 8, 7, 5000)
    assert rows.min() >= 0 and rows.max() <= 7
    assert (np.diff(np.sort(rows, axis=1), axis=1) > 0).all()
    with pytest.raises(ValueError, match="cannot draw 4 distinct"):
        draws_without_replacement(np.random.default_rng(0), 3, 4, 1)
