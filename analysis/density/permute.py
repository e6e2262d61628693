"""Conditional-permutation inference for Getis-Ord Gi* with binary weights, one matrix of draws per
neighbour count.

The test is esda's conditional randomisation: a hexagon's own value stays fixed and its ``k`` neighbours'
values are drawn at random, without replacement, from the other ``n - 1`` hexagons; with binary weights
and the hexagon's own value fixed, Gi* rises and falls with the sum of the neighbours' values, so that sum
is the statistic compared. A uniform draw of k hexagons out of all n, kept only when it does not contain
the hexagon itself, is a uniform draw of k out of its others: so one seeded matrix of draws per neighbour
count serves every hexagon with that count, each leaving out the few rows (about k/n) that hold it. The
cost is one matrix per count (at most 7 on a ring-1 hexagon grid), not one per hexagon (esda.crand draws
every hexagon's neighbours afresh), whatever the values; each hexagon's p is a valid Monte Carlo p.
"""

from __future__ import annotations

import numpy as np

#: rows of draws gathered at once (memory: rows x neighbours x 8 bytes)
BATCH = 100_000


def draws_without_replacement(rng: np.random.Generator, n: int, k: int, size: int) -> np.ndarray:
    """``size`` rows of ``k`` distinct indices in 0..n-1 (rows with a repeat are drawn again)."""
    if k > n:
        msg = f"cannot draw {k} distinct neighbours from {n} other hexagons."
        raise ValueError(msg)
    idx = rng.integers(0, n, (size, k))
    while True:
        ordered = np.sort(idx, axis=1)
        repeat = np.flatnonzero((np.diff(ordered, axis=1) == 0).any(axis=1))
        if len(repeat) == 0:
            return idx
        idx[repeat] = rng.integers(0, n, (len(repeat), k))


def tail_counts(y: np.ndarray, observed: np.ndarray, k: np.ndarray, which: np.ndarray, *, permutations: int,
                rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For the hexagons ``which``: of the draws of ``k`` neighbours that do not contain the hexagon itself,
    how many sum to >= ``observed`` (greater), to <= ``observed`` (lesser), and how many there were (valid).

    One seeded matrix of ``permutations`` draws of k distinct hexagons out of all n serves every hexagon
    with k neighbours; a row that contains the hexagon itself is not a draw from its "others" and is
    left out of its counts (about k/n of the rows, ~0.2 % here). Ties count in both tails; sums are
    compared with a relative tolerance of 1e-9 (float weights summed in another order)."""
    n = len(y)
    greater, lesser, valid = (np.zeros(n, dtype=np.int64) for _ in range(3))
    tol = 1e-9 * np.maximum(1.0, np.abs(observed))
    for kk in np.unique(k[which]):
        if kk <= 0:
            continue
        members = np.zeros(n, dtype=bool)
        members[which[k[which] == kk]] = True
        at = np.flatnonzero(members)
        done = 0
        while done < permutations:
            rows = min(BATCH, permutations - done)
            draws = draws_without_replacement(rng, n, int(kk), rows)
            sums = y[draws].sum(axis=1)
            ordered = np.sort(sums)
            greater[at] += rows - np.searchsorted(ordered, observed[at] - tol[at], side="left")
            lesser[at] += np.searchsorted(ordered, observed[at] + tol[at], side="right")
            valid[at] += rows
            own = members[draws]  # rows holding one of these hexagons: not a draw of its others
            row, hexagon = np.nonzero(own)[0], draws[own]
            s, o, t = sums[row], observed[hexagon], tol[hexagon]
            greater -= np.bincount(hexagon, weights=s >= o - t, minlength=n).astype(np.int64)
            lesser -= np.bincount(hexagon, weights=s <= o + t, minlength=n).astype(np.int64)
            valid -= np.bincount(hexagon, minlength=n)
            done += rows
    return greater, lesser, valid


def two_sided(greater: np.ndarray, lesser: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """p = min(1, 2 · min(greater + 1, lesser + 1) / (valid + 1))."""
    return np.minimum(1.0, 2.0 * np.minimum(greater + 1, lesser + 1) / (valid + 1))


def permutation_p(y: np.ndarray, observed: np.ndarray, k: np.ndarray, *, permutations: int, seed: int,
                  refine_permutations: int, refine_max: int) -> np.ndarray:
    """Two-sided pseudo p of every hexagon (1 where it has no neighbour or every value is 0).

    With P permutations no p is below 2/(P+1) (2e-4 for 9999), while Benjamini-Hochberg's first
    threshold is alpha/m (1.6e-5 for 3000 hexagons at 5 %): a compact cluster of a few hexagons could
    never pass. The hexagons whose p is within 10 draws of that floor (at most ``refine_max``, smallest
    first) are drawn again ``refine_permutations`` times — the same test, finer resolution.
    """
    y, observed, k = np.asarray(y, dtype=float), np.asarray(observed, dtype=float), np.asarray(k)
    if y.sum() == 0:
        return np.ones(len(y))
    rng = np.random.default_rng(seed)
    p = np.ones(len(y))
    every = np.arange(len(y))
    p[k > 0] = two_sided(*tail_counts(y, observed, k, every, permutations=permutations, rng=rng))[k > 0]
    coarse = np.flatnonzero((p <= 20.0 / (permutations + 1)) & (k > 0))  # within ~10 draws of the floor
    coarse = coarse[np.argsort(p[coarse], kind="stable")][:refine_max]
    if len(coarse):
        p[coarse] = two_sided(*tail_counts(y, observed, k, coarse, permutations=refine_permutations, rng=rng))[coarse]
    return p
