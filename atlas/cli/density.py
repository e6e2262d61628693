"""``qd-atlas density METHOD``: the density analyses on the atlas's layers or on the analyst's own file.

    qd-atlas density hot_spots --points mine.csv --crs GCJ-02 --out hot.geojson
    qd-atlas density counts_by_zone --points mine.xlsx --param zones=@districts --out z.csv
    qd-atlas density hot_spots --param resolution=8 --param permutations=999 --out hot.gpkg

``--points FILE`` is read exactly as the Density page reads an upload (one reader:
:func:`analysis.points_io.read_upload` = ``readers.read_table`` → ``points_io.points_from_table``;
the same formats, encodings and ``--crs``/``--lon``/``--lat`` options); rows with problems are
reported on stderr and left out, never silently. Without ``--points`` the method runs on ``--layer``
(default: the resources, only those standing at a place of their own and known to within
``DENSITY.max_uncertainty_m``, as on the page).

``hot_spots`` aggregates the points to H3 hexagons over Qingdao's land (empty land hexagons
count as zeros) and runs Getis-Ord Gi* with conditional permutations and Benjamini-Hochberg
(:func:`analysis.density.hot_spots`); the export carries ``gi_z``, ``gi_p``, ``gi_p_fdr`` and
``gi_class`` per hexagon. Every other method is the generic adapter's (:mod:`atlas.cli.analyse`).
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

import geopandas as gpd

from atlas.cli.common import CliError, apply_filters, load_named, parse_filters, write_export
from core.crs import to_measure_crs
from core.settings import DENSITY

POINT_CRS_CHOICES = "WGS84 | GCJ-02 | BD-09 | EPSG:xxxx"


def add_point_arguments(p) -> None:
    """The options of the Density page's upload, for the ``density`` command."""
    p.add_argument("--points", metavar="FILE", help="the analyst's own points: CSV/TSV, Excel, GeoJSON, JSON, "
                   "zipped shapefile, KML/KMZ or GeoPackage (read as the Density page reads an upload)")
    p.add_argument("--crs", default="WGS84", help=f"CRS of --points' coordinates: {POINT_CRS_CHOICES} (default WGS84)")
    p.add_argument("--lon", help="--points: longitude/x column (default: detected)")
    p.add_argument("--lat", help="--points: latitude/y column (default: detected)")


def hot_spots(points: gpd.GeoDataFrame, *, resolution: int = DENSITY.hotspot_resolution, weight: str | None = None,
              k_ring: int = DENSITY.k_ring, confidence: float = DENSITY.confidence,
              permutations: int = DENSITY.gi_permutations, seed: int = DENSITY.gi_seed, fdr: bool = DENSITY.gi_fdr,
              min_neighbours: int = DENSITY.gi_min_neighbours) -> gpd.GeoDataFrame:
    """Points → H3 hexagons on Qingdao's land → Gi* hot spots (permutation p, FDR-corrected p, class)."""
    from analysis.density import hexagons
    from analysis.density import hot_spots as gi_star
    from layers import coast

    hexes = hexagons(points, resolution=resolution, weight=weight, land=coast.load_city())
    return gi_star(hexes, value="weighted" if weight else "count", k_ring=k_ring, confidence=confidence,
                   permutations=permutations, seed=seed, fdr=fdr, min_neighbours=min_neighbours)


def available() -> dict[str, tuple]:
    """The generic adapter's methods plus ``hot_spots`` (points in, hexagons out)."""
    from atlas.cli import analyse  # imported when a density command runs (a briefing does not pay for it)

    out = analyse.methods(analyse.load_modules("density"))
    out["hot_spots"] = (hot_spots, inspect.signature(hot_spots))
    return out


def cmd_density(args) -> int:
    from atlas.cli import analyse

    if args.list or not args.method:
        methods = available()
        for name, (_, sig) in sorted(methods.items()):
            print(f"{name}{sig}")
        return 0 if args.list else analyse._missing_method("density")
    if args.method != "hot_spots" and not args.points:
        return analyse.cmd_analysis(args)  # the atlas's layers, the generic adapter (unchanged)
    methods = available()
    if args.method not in methods:
        msg = f"unknown density method {args.method!r}; choose one of: {', '.join(sorted(methods))}"
        raise CliError(msg)
    fn, sig = methods[args.method]
    if args.points:
        subject, inputs = read_points(args), []
    else:
        subject, inputs = layer_points(args), [args.layer]
    params = analyse.parse_params(args.param)
    first = next(iter(sig.parameters))
    if first in analyse.NETWORK_ARGS:
        msg = f"{args.method} works on a network, not on points"
        raise CliError(msg)
    frame_in = subject if fn is hot_spots else to_measure_crs(subject)
    try:
        sig.bind(frame_in, **params)
    except TypeError as exc:
        msg = f"bad parameters for {args.method}{sig}: {exc}"
        raise CliError(msg) from None
    analyse._check_numbers(sig, params)
    print(f"running density.{args.method} on {len(subject)} points …", file=sys.stderr)
    result = analyse.as_frame(fn(frame_in, **params))
    raw = {name.strip(): text for name, _, text in (item.partition("=") for item in args.param)}
    shown = {k: (raw[k] if str(raw.get(k, "")).startswith("@") else v) for k, v in params.items()}
    recorded = {"method": args.method, **subject.attrs.get("input", {}), **shown,
                **(result.attrs.get("params") or {})}
    write_export(result, args, title=f"density_{args.method}", layers=inputs,
                 filters=parse_filters(args.filter) if not args.points else {}, params=recorded)
    return 0


def read_points(args) -> gpd.GeoDataFrame:
    """The analyst's file, through the page's one reader; problems on stderr (first 20, then a count)."""
    from analysis.points_io import read_upload

    if args.filter:
        msg = "--filter applies to the atlas's layers; filter your own file before passing it with --points"
        raise CliError(msg)
    path = Path(args.points)
    if not path.is_file():
        msg = f"--points {str(path)!r}: no such file"
        raise CliError(msg)
    pts, problems = read_upload(path.read_bytes(), path.name, crs=args.crs, lon=args.lon or None,
                                lat=args.lat or None)
    for p in problems[:20]:
        print(f"row {p.get('row')}: {p.get('message')}", file=sys.stderr)
    if len(problems) > 20:
        print(f"… {len(problems) - 20} more rows with problems", file=sys.stderr)
    if len(pts) < 2:
        msg = f"--points {path.name!r}: fewer than two usable points ({len(problems)} rows with problems)"
        raise CliError(msg)
    pts.attrs["input"] = {"points_file": path.name, "points_crs": args.crs, "n_points": len(pts),
                          "rows_with_problems": len(problems)}
    return pts


def layer_points(args) -> gpd.GeoDataFrame:
    """The atlas's layer as the Density page uses it: placed features, known to within the default uncertainty."""
    from analysis.density import within_uncertainty
    from layers.base import located

    gdf = located(apply_filters(load_named(args.layer), parse_filters(args.filter)))
    if "pos_uncertainty_m" in gdf.columns:
        gdf = within_uncertainty(gdf, max_uncertainty_m=DENSITY.max_uncertainty_m)
    gdf.attrs["input"] = {"layer": args.layer, "n_points": len(gdf),
                          "max_uncertainty_m": DENSITY.max_uncertainty_m}
    return gdf
