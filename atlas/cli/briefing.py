"""``qd-atlas briefing``: a print-quality briefing sheet (PNG/PDF) of the corridor."""

from __future__ import annotations

import math
import sys

from atlas.cli.common import CliError, out_path, overlays_arg, parse_filters, progress, resolve_format
from atlas.export.formats import human_size, safe_filename
from core.files import write_atomic
from core.settings import LIMITS


def cmd_briefing(args) -> int:
    from atlas.briefing import model as briefmodel
    from atlas.briefing.render import render_briefing
    from atlas.viewstate import ViewState

    filters = parse_filters(args.filter)
    wanted = overlays_arg(args.layers)
    fmt = resolve_format(args.format, args.out, {"png": ".png", "pdf": ".pdf"})
    path = out_path(args.out, safe_filename(args.title, "." + fmt))
    bbox = _bbox(args.bbox)
    steps = progress(["load", "render", "write"], "briefing")
    for step in steps:
        if step == "load":
            from atlas import mapmodel

            frames, _errors = mapmodel.load_frames(wanted)  # only what the sheet draws
            state = ViewState(lang=args.lang, layers=wanted, clusters=filters.get("cluster", ()),
                              districts=filters.get("district", ()), types=filters.get("type", ()),
                              statuses=filters.get("status", ()))
        elif step == "render":
            data = render_briefing(briefmodel.brief_layers(frames, state), title=args.title, subtitle=args.subtitle,
                                   data_date=args.data_date, preset=args.preset, fmt=fmt, dpi=args.dpi, bbox=bbox,
                                   focus=_focus(args.focus), lang=args.lang)
        elif path is None:
            sys.stdout.buffer.write(data)
        else:
            write_atomic(path, data)
    if path is not None:
        print(f"wrote {path} ({human_size(len(data))})", file=sys.stderr)
    return 0


def _bbox(text: str | None):
    if not text:
        return None
    try:
        values = tuple(float(v) for v in text.split(","))
    except ValueError:
        values = ()
    if len(values) != 4 or not all(math.isfinite(v) for v in values) or values[0] >= values[2] or values[1] >= values[3]:
        msg = f"bad --bbox {text!r}: use lon_min,lat_min,lon_max,lat_max with min < max"
        raise CliError(msg)
    x0, y0, x1, y1 = LIMITS.bbox_outer
    if values[0] < x0 or values[1] < y0 or values[2] > x1 or values[3] > y1:
        msg = f"--bbox {text!r} reaches beyond the atlas's area; stay within {x0},{y0},{x1},{y1}"
        raise CliError(msg)
    if min(values[2] - values[0], values[3] - values[1]) < LIMITS.bbox_min_deg:
        msg = f"--bbox {text!r} is too small; make it at least {LIMITS.bbox_min_deg} degrees wide and high"
        raise CliError(msg)
    return values


def _focus(text: str) -> str:
    """``--focus`` as a focus name (corridor, city, cluster:ID, district:ID), checked against the base map."""
    from atlas.briefing.basemap import focus_choices, load_base

    focus = text.replace("=", ":").strip()
    choices = focus_choices(load_base())
    if focus not in choices:
        msg = f"bad --focus {text!r}; choose one of: {', '.join(choices)}"
        raise CliError(msg)
    return focus
