"""CLI commands over the layers: list, export, briefing (see :mod:`atlas.cli`)."""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
from tqdm import tqdm

from atlas.cli_common import EXIT_UNAVAILABLE, CliError, out_path
from atlas.export import FORMATS, export_bytes, human_size, safe_filename, write_atomic, write_together
from atlas.exportmeta import build_metadata, metadata_bytes
from atlas.filters import filter_frame
from atlas.settings import LIMITS
from atlas.viewstate import RESOURCE_TYPES
from layers.schema import CLUSTERS, DISTRICTS, STATUS

#: filter key on the command line -> (filter_frame keyword, allowed values)
FILTERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "district": ("districts", tuple(DISTRICTS)),
    "cluster": ("clusters", tuple(CLUSTERS)),
    "type": ("types", RESOURCE_TYPES),
    "status": ("statuses", tuple(sorted(STATUS))),
}
BRIEF_DEFAULT_LAYERS = ("parks", "links", "metro_lines", "transport_nodes", "park_sites", "resources")


def progress(steps: list[str], label: str):
    """A progress bar over named steps (stderr; silent when not a terminal)."""
    return tqdm(steps, desc=label, unit="step", file=sys.stderr, disable=None, leave=False)


def loaders() -> dict[str, Callable[[], gpd.GeoDataFrame]]:
    """Every layer the CLI can load, by name (curated catalog order)."""
    from layers import base, catalog, coast, districts, resources

    out = {name: (lambda layer=layer: base.load_layer(layer)) for name, layer in catalog.LAYERS.items()}
    out.update({"districts": districts.load, "city_outline": coast.load_city, "jiaozhou_bay": coast.load_bay,
                "resources": resources.load})
    return out


def load_named(name: str) -> gpd.GeoDataFrame:
    table = loaders()
    if name not in table:
        msg = f"unknown layer {name!r}; choose one of: {', '.join(table)}"
        raise CliError(msg)
    return table[name]()


def parse_filters(items: list[str]) -> dict[str, tuple[str, ...]]:
    """``["district=laoshan,jimo", "status=operating"]`` → {"district": (...), ...}, validated."""
    out: dict[str, tuple[str, ...]] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or key not in FILTERS:
            msg = f"bad --filter {item!r}: use KEY=V1,V2 with KEY one of {', '.join(FILTERS)}"
            raise CliError(msg)
        values = tuple(v.strip() for v in raw.split(",") if v.strip())
        allowed = FILTERS[key][1]
        bad = [v for v in values if v not in allowed]
        if bad or not values:
            msg = f"bad {key} value(s) {bad or [raw]}; choose from: {', '.join(allowed)}"
            raise CliError(msg)
        out[key] = out.get(key, ()) + values
    return out


def apply_filters(gdf: gpd.GeoDataFrame, filters: dict[str, tuple[str, ...]]) -> gpd.GeoDataFrame:
    return filter_frame(gdf, **{FILTERS[k][0]: v for k, v in filters.items()})


def cmd_layers(args) -> int:
    rows = []
    for name, load in loaders().items():
        try:
            gdf = load()
            rows.append({"layer": name, "features": len(gdf),
                         "geometry": ",".join(sorted(gdf.geometry.geom_type.unique()))})
        except (OSError, ValueError, KeyError) as exc:
            rows.append({"layer": name, "features": None, "error": str(exc).splitlines()[0]})
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for row in rows:
        count = "—" if row["features"] is None else row["features"]
        print(f"{row['layer']:<18} {count!s:>6}  {row.get('geometry') or row.get('error', '')}")
    return 0


def resolve_format(fmt: str | None, out: str | None, known: dict[str, str]) -> str:
    """The output format: ``--format``, else from the suffix of ``--out``, else the first of ``known``.

    ``known`` maps format -> suffix. A ``--format`` that contradicts a known suffix of ``--out``
    (``--format geojson --out p.csv``) is refused rather than writing one format under another's name.
    """
    suffix = Path(out).suffix.lower() if out and out != "-" else ""
    by_suffix = {v: k for k, v in known.items()} | ({".json": "geojson"} if "geojson" in known else {})
    if fmt is None:
        return by_suffix.get(suffix, next(iter(known)))
    if suffix in by_suffix and by_suffix[suffix] != fmt:
        msg = f"--format {fmt} does not match the suffix of --out {out!r} ({suffix}); make them agree"
        raise CliError(msg)
    return fmt


def write_export(frame, args, *, title: str, layers: list[str], filters: dict, params: dict | None = None) -> None:
    """Encode ``frame`` per ``args`` and write it (+ sidecar, both or neither); reports the size on stderr."""
    args.format = resolve_format(args.format, args.out, {k: v[0] for k, v in FORMATS.items()})
    suffix = FORMATS[args.format][0]
    path = out_path(args.out, safe_filename(title, suffix))
    meta = build_metadata(frame, layers=layers, title=title, filters=filters, params=params, precision=args.precision)
    for step in progress(["encode", "write"], f"export {title}"):
        if step == "encode":
            data = export_bytes(frame, args.format, precision=args.precision, bom=args.bom, metadata=meta,
                                layer_name=title)
        elif path is None:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            sidecar = [] if args.no_sidecar else [(path.with_name(path.name + ".meta.json"), metadata_bytes(meta))]
            write_together([(path, data), *sidecar])
    if path is not None:
        print(f"wrote {path} ({len(frame)} features, {human_size(len(data))})", file=sys.stderr)


def cmd_export(args) -> int:
    filters = parse_filters(args.filter)
    frame = apply_filters(load_named(args.layer), filters)
    title = "_".join([args.layer, *("-".join(v) for v in filters.values())])
    write_export(frame, args, title=title, layers=[args.layer], filters=filters)
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


def overlays_arg(text: str) -> tuple[str, ...]:
    from atlas.viewstate import OVERLAYS

    wanted = tuple(n.strip() for n in text.split(",") if n.strip())
    unknown = [n for n in wanted if n not in OVERLAYS]
    if unknown:
        msg = f"unknown overlay(s) {unknown}; choose from: {', '.join(OVERLAYS)}"
        raise CliError(msg)
    return wanted


def _pair(text: str, sep: str, what: str, cast=float, bounds: tuple | None = None) -> tuple:
    try:
        a, b = (cast(v) for v in text.split(sep))
    except ValueError:
        msg = f"bad {what} {text!r}"
        raise CliError(msg) from None
    if not (math.isfinite(a) and math.isfinite(b)):
        msg = f"bad {what} {text!r}: numbers must be finite"
        raise CliError(msg)
    if bounds is not None and not all(lo <= v <= hi for v, (lo, hi) in zip((a, b), bounds, strict=True)):
        msg = f"bad {what} {text!r}: allowed {bounds[0][0]}..{bounds[0][1]} and {bounds[1][0]}..{bounds[1][1]}"
        raise CliError(msg)
    return a, b


def cmd_screenshot(args) -> int:
    from atlas import mapmodel
    from atlas.screenshot import ScreenshotUnavailable, screenshot_map, view_map
    from atlas.settings import MAP
    from atlas.viewstate import ViewState

    filters = parse_filters(args.filter)
    x0, y0, x1, y1 = LIMITS.bbox_outer
    lat, lon = (_pair(args.center, ",", "--center (use lat,lon)", bounds=((y0, y1), (x0, x1))) if args.center
                else MAP.center)
    lo, hi = LIMITS.screenshot_px
    width, height = _pair(args.size, "x", "--size (use WIDTHxHEIGHT)", int, bounds=((lo, hi), (lo, hi)))
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


def cmd_briefing(args) -> int:
    from atlas import briefmodel
    from atlas.briefing import render_briefing
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

            frames, _errors = mapmodel.load_frames()
            state = ViewState(lang=args.lang, layers=wanted, clusters=filters.get("cluster", ()),
                              districts=filters.get("district", ()), types=filters.get("type", ()),
                              statuses=filters.get("status", ()))
        elif step == "render":
            data = render_briefing(briefmodel.brief_layers(frames, state), title=args.title, subtitle=args.subtitle,
                                   data_date=args.data_date, preset=args.preset, fmt=fmt, dpi=args.dpi, bbox=bbox,
                                   lang=args.lang)
        elif path is None:
            sys.stdout.buffer.write(data)
        else:
            write_atomic(path, data)
    if path is not None:
        print(f"wrote {path} ({human_size(len(data))})", file=sys.stderr)
    return 0
