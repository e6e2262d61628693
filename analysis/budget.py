"""What an analysis will cost, from its parameters and its extent — checked before it is paid.

Pure arithmetic (no geometry is built): :func:`kde_cells` is the number of cells of the
kernel-density grid that :func:`analysis.density.kernel_density` would allocate (same
anchoring and padding as ``analysis.density.kde.Grid.covering``), :func:`hexagon_count` an
upper estimate of the H3 cells of :func:`analysis.density.hexagons`, :func:`matrix_pairs`
the origin-destination pairs of a travel-time matrix. The ``check_*`` functions raise a
:class:`core.refusal.Refusal` (a ``ValueError``) naming the largest value that fits the
budget (``core.settings.BUDGET``): the smallest ``cell_m``, the finest H3 resolution, the
most origins. :func:`check_arguments` checks a call's bound arguments (page and CLI).

Extents are ``(x0, y0, x1, y1)`` in EPSG:4549 metres.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from core.refusal import Refusal
from core.settings import BUDGET, DENSITY

TRUNCATE = 4.0  # kernel radius in bandwidths, as analysis.density.kde (a test keeps them equal)
H3_RANGE = range(0, 16)

MESSAGES = {
    "kde_budget": "a kernel density grid with cell_m={cell_m:g} m over this extent ({width_km:.0f} x {height_km:.0f} "
                  "km) has {cells:,} cells; the limit is {limit:,} cells: use cell_m >= {allowed:g} m",
    "hex_budget": "H3 resolution {resolution} over this extent gives about {cells:,} hexagons; the limit is "
                  "{limit:,}: use resolution <= {allowed}",
    "matrix_budget": "a travel-time matrix of {origins:,} x {destinations:,} = {pairs:,} pairs is more than the "
                     "limit of {limit:,} pairs: use at most {allowed:,} origins",
    "cutoff_budget": "{n} isochrone cutoffs is more than the limit of {limit}: give at most {limit}",
}


def _grid_side(lo: float, hi: float, cell: float, pad: float) -> float:
    start = math.floor((lo - pad) / cell) * cell
    return max(math.ceil((hi + pad - start) / cell), 1)


def kde_cells(extent: Sequence[float], *, cell_m: float, bandwidth_m: float = DENSITY.bandwidth_m,
              padded: bool = True) -> float:
    """Cells of the KDE grid over ``extent`` (padded by the kernel radius when there is no land).

    A float: 1 m cells over a continent do not overflow.
    """
    x0, y0, x1, y1 = (float(v) for v in extent)
    pad = TRUNCATE * bandwidth_m if padded else 0.0
    return float(_grid_side(x0, x1, cell_m, pad)) * float(_grid_side(y0, y1, cell_m, pad))


def smallest_cell(extent: Sequence[float], *, bandwidth_m: float, padded: bool, limit: int) -> float:
    """The smallest ``cell_m`` (a whole 10 m) whose grid fits ``limit`` cells."""
    x0, y0, x1, y1 = (float(v) for v in extent)
    pad = TRUNCATE * bandwidth_m if padded else 0.0
    cell = max(10.0, math.floor(math.sqrt((x1 - x0 + 2 * pad) * (y1 - y0 + 2 * pad) / limit) / 10) * 10)
    while kde_cells(extent, cell_m=cell, bandwidth_m=bandwidth_m, padded=padded) > limit:
        cell += 10.0
    return cell


def check_kde(extent: Sequence[float], *, cell_m: float, bandwidth_m: float = DENSITY.bandwidth_m,
              padded: bool = True, limit: int | None = None) -> float:
    """The grid's cell count, or a :class:`Refusal` with the smallest ``cell_m`` that fits."""
    limit = BUDGET.kde_cells if limit is None else limit
    if not (_finite(cell_m) and _finite(bandwidth_m)) or not (1 <= cell_m <= bandwidth_m <= DENSITY.max_bandwidth_m):
        return 0.0  # values the analysis refuses anyway: its own checks say what is wrong with them
    cells = kde_cells(extent, cell_m=cell_m, bandwidth_m=bandwidth_m, padded=padded)
    if cells > limit:
        x0, y0, x1, y1 = extent
        raise Refusal("kde_budget", MESSAGES["kde_budget"], cell_m=cell_m, cells=int(cells), limit=limit,
                      width_km=(x1 - x0) / 1000, height_km=(y1 - y0) / 1000,
                      allowed=smallest_cell(extent, bandwidth_m=bandwidth_m, padded=padded, limit=limit))
    return cells


def hexagon_area_m2(resolution: int) -> float:
    import h3

    return float(h3.average_hexagon_area(int(resolution), unit="m^2"))


def hexagon_count(area_m2: float, resolution: int, *, n_points: int | None = None) -> float:
    """About how many H3 cells of ``resolution`` an area holds (at most ``n_points`` when only the
    occupied cells are made, i.e. without land)."""
    cells = area_m2 / hexagon_area_m2(resolution) + 1
    return min(cells, float(n_points)) if n_points is not None else cells


def check_hexagons(area_m2: float, *, resolution: int, n_points: int | None = None,
                   limit: int | None = None) -> float:
    """The estimated hexagon count, or a :class:`Refusal` with the finest resolution that fits."""
    limit = BUDGET.hexagons if limit is None else limit
    if not isinstance(resolution, int) or isinstance(resolution, bool) or resolution not in H3_RANGE:
        return 0.0  # analysis.density.hexes says what is wrong
    cells = hexagon_count(area_m2, resolution, n_points=n_points)
    if cells > limit:
        allowed = max((r for r in H3_RANGE if hexagon_count(area_m2, r, n_points=n_points) <= limit), default=0)
        raise Refusal("hex_budget", MESSAGES["hex_budget"], resolution=resolution, cells=int(cells), limit=limit,
                      allowed=allowed)
    return cells


def matrix_pairs(origins: int, destinations: int | None = None) -> int:
    return origins * (origins if destinations is None else destinations)


def check_matrix(origins: int, destinations: int | None = None, *, limit: int | None = None) -> int:
    limit = BUDGET.matrix_pairs if limit is None else limit
    pairs = matrix_pairs(origins, destinations)
    if pairs > limit:
        dest = origins if destinations is None else destinations
        allowed = math.isqrt(limit) if destinations is None else max(limit // max(dest, 1), 1)
        raise Refusal("matrix_budget", MESSAGES["matrix_budget"], origins=origins, destinations=dest, pairs=pairs,
                      limit=limit, allowed=allowed)
    return pairs


def check_cutoffs(cutoffs, *, limit: int | None = None) -> int:
    limit = BUDGET.isochrone_cutoffs if limit is None else limit
    n = len(cutoffs) if isinstance(cutoffs, Sequence | set | frozenset) else 1
    if n > limit:
        raise Refusal("cutoff_budget", MESSAGES["cutoff_budget"], n=n, limit=limit)
    return n


def check_arguments(args: Mapping, *, extent: Sequence[float] | None, land_extent: Sequence[float] | None = None,
                    land_area_m2: float | None = None, n_points: int | None = None) -> None:
    """Check a call's (bound, defaults applied) arguments against the budget before it runs.

    ``extent``: the points' extent (EPSG:4549); ``land_extent``/``land_area_m2``: the land's, when the call
    clips to land (``land=`` or ``city=``). Every analysis of :mod:`analysis.density` and
    :mod:`analysis.connectivity` names these parameters the same way.
    """
    has_land = args.get("land") is not None or args.get("city") is not None
    if "cell_m" in args and (land_extent if has_land else extent) is not None:
        check_kde(land_extent if has_land else extent, cell_m=args["cell_m"],
                  bandwidth_m=args.get("bandwidth_m", DENSITY.bandwidth_m), padded=not has_land)
    if "resolution" in args:
        if has_land and land_area_m2 is not None:
            check_hexagons(land_area_m2, resolution=args["resolution"])
        elif extent is not None:
            x0, y0, x1, y1 = extent
            check_hexagons(max(x1 - x0, 1.0) * max(y1 - y0, 1.0), resolution=args["resolution"], n_points=n_points)
    origins = args.get("origins", args.get("nodes"))
    if isinstance(origins, Sequence) and not isinstance(origins, str):
        dest = args.get("destinations")
        check_matrix(len(origins), len(dest) if isinstance(dest, Sequence) and not isinstance(dest, str) else None)
    if "cutoffs" in args:
        check_cutoffs(args["cutoffs"])


def _finite(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
