"""``qd-atlas density-report``: every density result for the atlas's resources or the analyst's own points.

    qd-atlas density-report [points.csv|points.geojson] --crs GCJ-02 --out results/

Writes to ``--out``: zones_clusters.geojson/.csv, zones_districts.geojson/.csv,
hexagons.geojson (with Gi*), kde.geojson, bay_comparison.csv and, for a file,
row_problems.csv. Without a file it uses layers/resources (weighted by ``weight``).
Every argument, the output folder (no FIFO or device among its files), the file, the weight and the
cost (grid cells, hexagons) are checked before the first byte; the result set is written whole.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from core.files import check_folder, write_folder
from core.settings import DENSITY


def add_parser(sub) -> None:
    add_arguments(sub.add_parser("density-report", help="write every density result (zones, hexagons, KDE, "
                                 "bays) to a folder"))


def parse(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="qd-atlas density-report", description=__doc__.splitlines()[0])
    add_arguments(ap)
    return ap.parse_args(argv)


def add_arguments(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("points", nargs="?", help="CSV, Excel, GeoJSON, JSON, zipped shapefile, KML or GeoPackage "
                    "(default: the atlas's resources layer)")
    ap.add_argument("--crs", default="WGS84", help="WGS84 | GCJ-02 | BD-09 | EPSG:xxxx (default WGS84)")
    ap.add_argument("--lon"), ap.add_argument("--lat")
    ap.add_argument("--weight", help="weight column (default: 'weight' for the resources, none for a file)")
    ap.add_argument("--bandwidth-m", type=float, default=DENSITY.bandwidth_m)
    ap.add_argument("--cell-m", type=float, default=DENSITY.cell_m)
    ap.add_argument("--resolution", type=int, default=DENSITY.hotspot_resolution)
    ap.add_argument("--max-uncertainty-m", type=float, default=None,
                    help="leave out points whose pos_uncertainty_m is larger (default: keep all)")
    ap.add_argument("--out", type=Path, default=Path("density_results"))


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    try:
        return run(args)
    except (ValueError, OSError) as exc:
        print(f"qd-atlas density-report: error: {exc}", file=sys.stderr)
        return 2


def cmd_density_report(args: argparse.Namespace) -> int:
    return run(args)


def result_names(with_file: bool) -> list[str]:
    names = ["zones_clusters.geojson", "zones_clusters.csv", "zones_districts.geojson", "zones_districts.csv",
             "hexagons.geojson", "kde.geojson", "bay_comparison.csv"]
    return names + (["row_problems.csv"] if with_file else [])


def check_numbers(args: argparse.Namespace) -> None:
    """Every numeric argument, before anything is read or written (one line each when wrong)."""
    bw, cell, unc = args.bandwidth_m, args.cell_m, args.max_uncertainty_m
    if not (math.isfinite(bw) and math.isfinite(cell)) or bw <= 0 or cell < 1:
        msg = f"--bandwidth-m and --cell-m must be finite metres, cell at least 1 (got {bw:g}, {cell:g})"
        raise ValueError(msg)
    if bw > DENSITY.max_bandwidth_m:
        msg = f"--bandwidth-m must be at most {DENSITY.max_bandwidth_m:.0f} m (got {bw:g})"
        raise ValueError(msg)
    if cell > bw:
        msg = f"--cell-m ({cell:g}) must not be larger than --bandwidth-m ({bw:g})"
        raise ValueError(msg)
    if not 0 <= args.resolution <= 15:
        msg = f"--resolution must be an H3 resolution 0-15 (got {args.resolution}); 7-9 suit a city"
        raise ValueError(msg)
    if unc is not None and not (math.isfinite(unc) and unc >= 0):
        msg = f"--max-uncertainty-m must be a finite number of metres >= 0 (got {unc:g})"
        raise ValueError(msg)


def run(args: argparse.Namespace) -> int:
    """Check everything (numbers, the output folder, the file, the weight, the costs), compute every result in
    memory, then write the set whole (:func:`core.files.write_folder`): never half a result set."""
    check_numbers(args)
    check_folder(args.out, result_names(bool(args.points)))  # a FIFO or device among the targets: refused now

    import pandas as pd

    from analysis.density import compare_bays, counts_by_zone, hexagons, hot_spots, kernel_density, within_uncertainty
    from analysis.points_io import check_weight, read_upload
    from analysis.tiers import n_unlocated, placed_points, with_district_tier
    from atlas.costs import check_page
    from atlas.export.formats import csv_bytes
    from layers import clusters, coast, districts, resources

    city, bays = coast.load_city(), clusters.bay_clusters()
    check_page(city=city, cell_m=args.cell_m, bandwidth_m=args.bandwidth_m, resolution=args.resolution, kde=True)
    if args.points:
        path = Path(args.points)
        if not path.is_file():
            msg = f"{args.points!r} is not a regular file"
            raise ValueError(msg)
        pts, problems = read_upload(path.read_bytes(), path.name, crs=args.crs, lon=args.lon, lat=args.lat)
        weight = args.weight
    else:
        pts, problems, weight = placed_points(resources.load()), [], args.weight or "weight"
        if n_unlocated(pts):  # issue 21: no place of their own, so in no kernel/hexagon/statistic
            print(f"{n_unlocated(pts)} features left out: no place of their own (known only to a district or "
                  "the city); district counts include those known to their district", file=sys.stderr)
    if weight is not None and weight not in pts.columns:
        msg = f"--weight {weight!r} is not a column; the columns are {[c for c in pts.columns if c != 'geometry']}"
        raise ValueError(msg)
    check_weight(pts, weight)
    for p in problems:
        print(p["message"], file=sys.stderr)
    pts = within_uncertainty(pts, max_uncertainty_m=args.max_uncertainty_m)
    if pts.attrs["left_out"]:
        print(f"{len(pts.attrs['left_out'])} points left out: position uncertain by more than "
              f"{args.max_uncertainty_m:g} m", file=sys.stderr)
    files: dict[str, bytes] = {}
    for name, zones, zid in (("clusters", bays, "cluster"), ("districts", districts.load(), "id")):
        table = counts_by_zone(pts, zones, zone_id=zid, weight=weight, city=city)
        if name == "districts" and not args.points:  # issue 21: district-level features count in their district
            table = with_district_tier(table, resources.load())
        files[f"zones_{name}.geojson"] = table.to_json(drop_id=True).encode("utf-8")
        files[f"zones_{name}.csv"] = csv_bytes(pd.DataFrame(table.drop(columns="geometry")))  # Excel-safe CSV
    hexes = hot_spots(hexagons(pts, resolution=args.resolution, weight=weight, land=city),
                      value="weighted" if weight else "count")
    files["hexagons.geojson"] = hexes.to_json(drop_id=True).encode("utf-8")
    kde = kernel_density(pts, bandwidth_m=args.bandwidth_m, cell_m=args.cell_m, weight=weight, land=city,
                         min_density=1e-9)
    files["kde.geojson"] = kde.to_json(drop_id=True).encode("utf-8")
    type_col = "type" if "type" in pts.columns else None
    files["bay_comparison.csv"] = csv_bytes(compare_bays(pts, bays, city=city, weight=weight, type_col=type_col,
                                                         bandwidth_m=args.bandwidth_m, cell_m=args.cell_m,
                                                         resolution=args.resolution, hexes=hexes))
    if args.points:
        files["row_problems.csv"] = csv_bytes(pd.DataFrame(problems, columns=["row", "reason", "message"]))
    write_folder(args.out, files)
    print(f"{len(pts)} points ({len(problems)} row problems) -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
