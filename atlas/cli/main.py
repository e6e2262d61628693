"""The atlas from a command line: ``python -m atlas …`` or ``qd-atlas …``.

    qd-atlas layers                                   list layers with feature counts
    qd-atlas export resources --format csv --filter district=laoshan --out r.csv
    qd-atlas density METHOD --layer resources --param cell_m=1000 --out d.geojson
    qd-atlas density hot_spots --points mine.csv --crs GCJ-02 --out hot.geojson
    qd-atlas connectivity METHOD --param cutoffs=[15,30] --out iso.gpkg
    qd-atlas briefing --title "青岛湾区科创走廊" --preset A4-landscape --out brief.pdf

Exit codes: 0 success, 2 bad arguments, 3 analysis not available, 1 other failure.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading

from atlas.cli import density as cli_density  # light: its analysis imports happen when a method runs
from atlas.cli import density_report  # light: its analysis imports happen when a report is asked for
from atlas.cli import route as cli_route  # light: its heavy imports happen when a route is asked for
from atlas.cli.common import EXIT_FAIL, EXIT_OK, CliError, utf8_text
from core.settings import BRIEF_DEFAULT_LAYERS, BRIEFING, DATA, EXPORT

EXAMPLES = """examples:
  qd-atlas layers
  qd-atlas export resources --format csv --bom --filter district=laoshan --out resources.csv
  qd-atlas density --list
  qd-atlas density hot_spots --points mine.csv --crs GCJ-02 --out hot_spots.geojson
  qd-atlas connectivity --list
  qd-atlas route 崂山实验室 胶东机场 --mode transit
  qd-atlas briefing --title "青岛湾区科创走廊" --preset A4-landscape --out brief.pdf
  qd-atlas briefing --title "鳌山湾" --focus cluster=aoshan --preset slide-16:9 --out aoshan.png

  qd-atlas screenshot --size 1600x1000 --out map.png   (needs Chromium: make browser)

exit codes: 0 success, 2 bad arguments, 3 analysis/Chromium not available, 1 other failure"""


def _add_output(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", "-f", choices=[f for f, _, _ in EXPORT.formats], default=None,
                   help="file format (default: from --out's suffix, else geojson)")
    p.add_argument("--out", "-o", help="output file ('-' for stdout; default: a safe name in the current folder)")
    p.add_argument("--precision", type=int, default=EXPORT.precision, help="coordinate decimals (default: 6)")
    p.add_argument("--bom", action="store_true", help="CSV: UTF-8 with BOM (Excel in China)")
    p.add_argument("--no-sidecar", action="store_true", help="do not write the .meta.json sidecar")


def _add_filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--filter", action="append", default=[], metavar="KEY=V1,V2",
                   help="keep features matching: district=, cluster=, type=, status= (repeatable)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qd-atlas", description="Qingdao Bay-Area Innovation Corridor Atlas: "
                                     "list and export layers, run analyses, render briefing sheets (offline).",
                                     epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("layers", help="list layers with feature counts")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = sub.add_parser("export", help="export a layer (filtered) as GeoJSON, GeoPackage or CSV")
    p.add_argument("layer", help="layer name (see `layers`)")
    _add_filters(p)
    _add_output(p)

    for name, helptext in (("density", "run a density analysis and export the result"),
                           ("connectivity", "run a connectivity analysis and export the result")):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("method", nargs="?", help="analysis function (see --list)")
        p.add_argument("--list", action="store_true", help="list the available methods and their parameters")
        p.add_argument("--layer", default="resources", help="input layer for frame-based methods")
        p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                       help="keyword parameter (Python literal or text; repeatable)")
        _add_filters(p)
        _add_output(p)
        if name == "density":
            cli_density.add_point_arguments(p)

    cli_route.add_parser(sub)
    density_report.add_parser(sub)

    p = sub.add_parser("briefing", help="render a print-quality briefing sheet (PNG/PDF)")
    p.add_argument("--title", required=True, type=utf8_text)
    p.add_argument("--subtitle", default="", type=utf8_text)
    p.add_argument("--preset", choices=[n for n, _, _ in BRIEFING.presets], default=BRIEFING.preset)
    p.add_argument("--format", "-f", choices=["png", "pdf"], default=None,
                   help="default: from --out's suffix, else png")
    p.add_argument("--dpi", type=int, default=BRIEFING.dpi)
    p.add_argument("--layers", default=",".join(BRIEF_DEFAULT_LAYERS), help="comma-separated overlay layers")
    p.add_argument("--focus", default="corridor", metavar="AREA",
                   help="corridor (default: the three bay clusters), city, cluster=ID or district=ID")
    p.add_argument("--bbox", help="lon_min,lat_min,lon_max,lat_max (WGS84; overrides --focus)")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.add_argument("--data-date", default=DATA.data_date)
    p.add_argument("--out", "-o", help="output file (default: a safe name from the title)")
    _add_filters(p)

    p = sub.add_parser("screenshot", help="optional: PNG of the live web map via headless Chromium")
    p.add_argument("--layers", default=",".join(BRIEF_DEFAULT_LAYERS), help="comma-separated overlay layers")
    p.add_argument("--center", help="lat,lon (default: Jiaozhou Bay)")
    p.add_argument("--zoom", type=int, default=None)
    p.add_argument("--size", default="1600x1000", help="WIDTHxHEIGHT in CSS pixels")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")
    p.add_argument("--out", "-o", default="map_screenshot.png")
    _add_filters(p)
    return parser


class Interrupted(BaseException):
    """SIGTERM, turned into an exception so that temporary files are removed on the way out."""


def _on_sigterm(signum, _frame) -> None:
    raise Interrupted(signum)


def _quiet_exit(signum, _frame) -> None:
    """A signal once the work is done (files written, or the refusal printed): end now, quietly."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    main_thread = threading.current_thread() is threading.main_thread()
    if main_thread:
        signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        try:
            code = _main(argv)
        finally:  # from here on nothing is half-done: a late SIGTERM/SIGINT must not raise (no traceback)
            if main_thread:
                signal.signal(signal.SIGTERM, _quiet_exit)
                signal.signal(signal.SIGINT, _quiet_exit)
    except (KeyboardInterrupt, Interrupted) as exc:
        code = 143 if isinstance(exc, Interrupted) else 130
        print("qd-atlas: interrupted; nothing was left half-written", file=sys.stderr)
    return code


def _handler(command: str):
    """The command's ``cmd_*`` function, imported only when it is asked for."""
    import importlib

    module, name = COMMANDS[command]
    return getattr(importlib.import_module(f"atlas.cli.{module}"), name)


#: command -> (module in atlas/cli/, function)
COMMANDS = {"layers": ("list_layers", "cmd_layers"), "export": ("export", "cmd_export"),
            "briefing": ("briefing", "cmd_briefing"), "screenshot": ("screenshot", "cmd_screenshot"),
            "density-report": ("density_report", "cmd_density_report")}


def _check_out(args) -> None:
    from pathlib import Path

    from core.files import check_folder, writable_target

    out = getattr(args, "out", None)
    if out is None or out == "-":
        return
    if args.command == "density-report":
        check_folder(out, density_report.result_names(bool(args.points)))
        return
    if Path(out).is_dir():
        return  # the command says "is a folder; give a file name"
    writable_target(Path(out))
    if getattr(args, "no_sidecar", True) is False:
        writable_target(Path(str(out) + ".meta.json"))


def _main(argv: list[str] | None) -> int:
    args = build_parser().parse_args(argv)
    try:  # issue 24: a FIFO, device or socket as --out (or its sidecar) is refused before any work
        _check_out(args)
    except ValueError as exc:
        print(f"qd-atlas {args.command}: error: {exc}", file=sys.stderr)
        return 2
    if args.command == "density" and args.method:  # issue 24: over-budget calls refused before any heavy import
        from atlas.costs import fast_check

        try:
            fast_check(args.command, args.method, args.layer, args.param, args.filter)
        except ValueError as exc:
            print(f"qd-atlas {args.command}: error: {exc}", file=sys.stderr)
            return 2
    # imported per command, not at start: a briefing does not pay for the analysis modules
    if args.command == "density":
        handler = cli_density.cmd_density  # the layers or the analyst's --points; hot_spots
    elif args.command == "connectivity":
        from atlas.cli.analyse import cmd_analysis as handler
    elif args.command == "route":
        handler = cli_route.cmd_route
    else:
        handler = _handler(args.command)
    try:
        return handler(args) or EXIT_OK
    except CliError as exc:
        print(f"qd-atlas {args.command}: error: {exc}", file=sys.stderr)
        return exc.code
    except (ValueError, KeyError, OSError, RuntimeError) as exc:
        print(f"qd-atlas {args.command}: failed: {str(exc).strip(chr(34) + chr(39))}", file=sys.stderr)
        return EXIT_FAIL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
