"""Costs checked before they are paid, where the app and the command line meet the analysis.

:func:`check_call` checks an analysis call (its signature, subject and parameters) against
:mod:`analysis.budget` before it runs; :func:`check_page` does the same for the Density page's
parameters (KDE and hexagons clipped to the city); :func:`fast_check` refuses an over-budget
``qd-atlas density`` call *before* the analysis modules are imported, from the layer file's own
coordinates (stdlib JSON + pyproj: well under a second). Each raises :class:`core.refusal.Refusal`.
"""

from __future__ import annotations

import ast
import inspect
import json
from pathlib import Path

from analysis import budget
from core.settings import DENSITY, GEODATA_DIR

MEASURE = "EPSG:4549"  # core.crs.MEASURE_CRS, spelt out: importing core.crs loads geopandas (a test keeps them equal)
#: density methods whose cost :func:`fast_check` can tell from the layer file alone (no land given)
FAST_METHODS = {"kernel_density": ("cell_m", "bandwidth_m")}


def measured_bounds(frame) -> tuple[float, float, float, float] | None:
    """A frame's extent in EPSG:4549 metres (None when empty or without CRS)."""
    from core.crs import MEASURE_CRS

    if frame is None or len(frame) == 0 or getattr(frame, "crs", None) is None:
        return None
    bounds = frame.to_crs(MEASURE_CRS).total_bounds
    return tuple(float(v) for v in bounds) if all(v == v for v in bounds) else None


def _land(frame):
    """(extent, area m²) of a land frame in EPSG:4549 (once per land: every Density rerun checks the city's)."""
    from analysis.density import landcache
    from core.crs import MEASURE_CRS

    def build():
        measured = frame.to_crs(MEASURE_CRS)
        return tuple(float(v) for v in measured.total_bounds), float(measured.area.sum())

    return landcache.remembered("measured_extent_area", frame, (), build)


def check_call(sig: inspect.Signature, subject, params: dict) -> None:
    """Refuse an analysis call whose grid, hexagons or matrix would exceed the budget, or whose weight
    column cannot be trusted."""
    import geopandas as gpd

    try:
        bound = sig.bind(subject, **params)
    except TypeError:
        return  # the caller reports bad parameters
    bound.apply_defaults()
    args = dict(bound.arguments)
    land = args.get("land") if args.get("land") is not None else args.get("city")
    land_extent, land_area = _land(land) if isinstance(land, gpd.GeoDataFrame) and len(land) else (None, None)
    extent = measured_bounds(subject) if isinstance(subject, gpd.GeoDataFrame) else None
    if isinstance(subject, gpd.GeoDataFrame) and isinstance(args.get("weight"), str):
        from analysis.points_io import check_weight

        check_weight(subject, args["weight"])  # inf, 1e308, negative or all-zero weights: refused, never used
    budget.check_arguments(args, extent=extent, land_extent=land_extent, land_area_m2=land_area,
                           n_points=len(subject) if isinstance(subject, gpd.GeoDataFrame) else None)


def check_page(*, city, cell_m: float, bandwidth_m: float, resolution: int, kde: bool) -> None:
    """The Density page's parameters (everything clipped to ``city``) against the budget."""
    extent, area = _land(city)
    budget.check_hexagons(area, resolution=resolution)
    if kde:
        budget.check_kde(extent, cell_m=cell_m, bandwidth_m=bandwidth_m, padded=False)


def layer_file_bounds(name: str) -> tuple[float, float, float, float] | None:
    """The EPSG:4549 extent of every point in a layer's GeoJSON file (None: no such file / no points)."""
    path = GEODATA_DIR / f"{name}.geojson"
    if not path.is_file():
        return None
    xs, ys = [], []
    for feat in json.loads(Path(path).read_text(encoding="utf-8")).get("features", []):
        geom = feat.get("geometry") or {}
        if geom.get("type") != "Point" or len(geom.get("coordinates") or []) < 2:
            if geom:
                return None  # not a point layer: the full check after loading decides
            continue
        xs.append(float(geom["coordinates"][0]))
        ys.append(float(geom["coordinates"][1]))
    if not xs:
        return None
    from pyproj import Transformer

    mx, my = Transformer.from_crs("EPSG:4326", MEASURE, always_xy=True).transform(xs, ys)
    return min(mx), min(my), max(mx), max(my)


def fast_check(command: str, method: str | None, layer: str, params: list[str], filters: list[str]) -> None:
    """``qd-atlas density kernel_density --param cell_m=20`` refused before any analysis module is imported.

    Only for the calls whose cost the layer file tells exactly: a density method of :data:`FAST_METHODS`,
    no filters, no land and only literal parameters. Everything else is checked by :func:`check_call`.
    """
    if command != "density" or method not in FAST_METHODS or filters:
        return
    values = {}
    for item in params:
        name, sep, raw = item.partition("=")
        if not sep or raw.startswith("@"):
            return
        try:
            values[name.strip()] = ast.literal_eval(raw)
        except (ValueError, SyntaxError):
            return
    if set(values) - {*FAST_METHODS[method], "weight", "min_density", "crs"}:
        return
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for k, v in values.items()
               if k in FAST_METHODS[method]):
        return
    extent = layer_file_bounds(layer)
    if extent is None:
        return
    budget.check_kde(extent, cell_m=values.get("cell_m", DENSITY.cell_m),
                     bandwidth_m=values.get("bandwidth_m", DENSITY.bandwidth_m), padded=True)


def weight_notice(frame, column: str, lang: str) -> str:
    """Why ``column`` was not chosen as the weight, in ``lang`` (the page says so instead of passing it over)."""
    from analysis.points_io import check_weight
    from core.i18n import t
    from core.refusal import message_of

    try:
        check_weight(frame, column)
    except ValueError as exc:
        return t("r_weight_not_chosen", lang, column=column, why=message_of(exc, lang))
    return ""
