"""``qd-atlas screenshot``: optional PNG of the live web map via headless Chromium."""

from __future__ import annotations

import sys

from atlas.cli.common import EXIT_UNAVAILABLE, CliError, out_path, overlays_arg, pair, parse_filters
from atlas.export.formats import human_size
from core.files import write_atomic
from core.settings import LIMITS


def cmd_screenshot(args) -> int:
    from atlas import mapmodel
    from atlas.screenshot import ScreenshotUnavailable, screenshot_map, view_map
    from atlas.viewstate import ViewState
    from core.settings import MAP

    filters = parse_filters(args.filter)
    x0, y0, x1, y1 = LIMITS.bbox_outer
    lat, lon = (pair(args.center, ",", "--center (use lat,lon)", bounds=((y0, y1), (x0, x1))) if args.center
                else MAP.center)
    lo, hi = LIMITS.screenshot_px
    width, height = pair(args.size, "x", "--size (use WIDTHxHEIGHT)", int, bounds=((lo, hi), (lo, hi)))
    if args.zoom is not None and not MAP.min_zoom <= args.zoom <= MAP.max_zoom:
        msg = f"bad --zoom {args.zoom}: allowed {MAP.min_zoom}..{MAP.max_zoom}"
        raise CliError(msg)
    state = ViewState(lat=lat, lon=lon, zoom=args.zoom or MAP.zoom, lang=args.lang, layers=overlays_arg(args.layers),
                      clusters=filters.get("cluster", ()), districts=filters.get("district", ()),
                      types=filters.get("type", ()), statuses=filters.get("status", ()))
    path = out_path(args.out, "map_screenshot.png")
    frames, _errors = mapmodel.load_frames()
    try:
        data = screenshot_map(view_map(frames, state), width=width, height=height,
                              timeout_ms=LIMITS.screenshot_timeout_s * 1000)
    except ScreenshotUnavailable as exc:
        raise CliError(str(exc), EXIT_UNAVAILABLE) from None
    if path is None:
        sys.stdout.buffer.write(data)
    else:
        write_atomic(path, data)
        print(f"wrote {path} ({human_size(len(data))})", file=sys.stderr)
    return 0
