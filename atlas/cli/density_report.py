"""``qd-atlas density-report``: every density result for the atlas's resources or the analyst's own points.

    qd-atlas density-report [points.csv|points.geojson] --crs GCJ-02 --out results/

Writes to ``--out``: zones_clusters.geojson/.csv, zones_districts.geojson/.csv,
hexagons.geojson (with Gi*), kde.geojson, bay_comparison.csv and, for a file,
row_problems.csv. Without a file it uses layers/resources (weighted by ``weight``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.files import write_atomic
from core.settings import DENSITY


def add_parser(sub) -> None:
    add_arguments(sub.add_parser("density-report", help="write every density result (zones, hexagons, KDE, "
                                 "bays) to a folder"))


def parse(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="qd-atlas density-report", description=__doc__.splitlines()[0])
    add_arguments(ap)
    return ap.parse_args(argv)


def add_arguments(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("points", nargs="?", help="CSV, Excel, GeoJSON, JSON, zipped shapefile, KML or GeoPackage (default: the atlas's resources layer)")
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


def _csv(path: Path, frame) -> None:
    from atlas.export.formats import csv_bytes

    write_atomic(path, csv_bytes(frame))  # the atlas's one CSV writer (Excel-safe)


def cmd_density_report(args: argparse.Namespace) -> int:
    return run(args)


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    from analysis.density import compare_bays, counts_by_zone, hexagons, hot_spots, kernel_density, within_uncertainty
    from analysis.points_io import read_upload
    from analysis.tiers import n_unlocated, placed_points, with_district_tier
    from layers import clusters, coast, districts, resources

    if args.points:
        path = Path(args.points)
        pts, problems = read_upload(path.read_bytes(), path.name, crs=args.crs, lon=args.lon, lat=args.lat)
        weight = args.weight
    else:
        pts, problems, weight = placed_points(resources.load()), [], args.weight or "weight"
        if n_unlocated(pts):  # issue 21: no place of their own, so in no kernel/hexagon/statistic
            print(f"{n_unlocated(pts)} features left out: no place of their own (known only to a district or "
                  "the city); district counts include those known to their district", file=sys.stderr)
    for p in problems:
        print(p["message"], file=sys.stderr)
    pts = within_uncertainty(pts, max_uncertainty_m=args.max_uncertainty_m)
    if pts.attrs["left_out"]:
        print(f"{len(pts.attrs['left_out'])} points left out: position uncertain by more than "
              f"{args.max_uncertainty_m:g} m", file=sys.stderr)
    args.out.mkdir(parents=True, exist_ok=True)
    city, bays = coast.load_city(), clusters.bay_clusters()
    for name, zones, zid in (("clusters", bays, "cluster"), ("districts", districts.load(), "id")):
        table = counts_by_zone(pts, zones, zone_id=zid, weight=weight, city=city)
        if name == "districts" and not args.points:  # issue 21: district-level features count in their district
            table = with_district_tier(table, resources.load())
        (args.out / f"zones_{name}.geojson").write_text(table.to_json(drop_id=True), encoding="utf-8")
        _csv(args.out / f"zones_{name}.csv", pd.DataFrame(table.drop(columns="geometry")))
    hexes = hot_spots(hexagons(pts, resolution=args.resolution, weight=weight, land=city),
                      value="weighted" if weight else "count")
    (args.out / "hexagons.geojson").write_text(hexes.to_json(drop_id=True), encoding="utf-8")
    kde = kernel_density(pts, bandwidth_m=args.bandwidth_m, cell_m=args.cell_m, weight=weight, land=city,
                         min_density=1e-9)
    (args.out / "kde.geojson").write_text(kde.to_json(drop_id=True), encoding="utf-8")
    type_col = "type" if "type" in pts.columns else None
    _csv(args.out / "bay_comparison.csv", compare_bays(pts, bays, city=city, weight=weight, type_col=type_col,
                                                        bandwidth_m=args.bandwidth_m, cell_m=args.cell_m,
                                                        resolution=args.resolution))
    if args.points:
        _csv(args.out / "row_problems.csv", pd.DataFrame(problems, columns=["row", "reason", "message"]))
    print(f"{len(pts)} points ({len(problems)} row problems) -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
