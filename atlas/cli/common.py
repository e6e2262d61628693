"""What the CLI commands share: exit codes, the user-facing error, output paths, filters, writing."""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from core.files import writable_target, write_together

if TYPE_CHECKING:
    import geopandas as gpd

# geopandas, the layers and the export formats are imported where used: a command refused on its
# arguments (an over-budget grid, a bad --filter) answers before the heavy libraries load

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_UNAVAILABLE = 0, 1, 2, 3


class CliError(Exception):
    """A user-facing error with an exit code."""

    def __init__(self, message: str, code: int = EXIT_USAGE):
        super().__init__(message)
        self.code = code


def out_path(out: str | None, default_name: str) -> Path | None:
    """The output path (None = stdout); refuses to write into a missing folder."""
    if out == "-":
        return None
    path = Path(out) if out else Path.cwd() / default_name
    if path.is_dir():
        msg = f"--out {str(path)!r} is a folder; give a file name"
        raise CliError(msg)
    if not path.parent.is_dir():
        msg = f"output folder {str(path.parent)!r} does not exist"
        raise CliError(msg)
    try:  # a FIFO, device or socket is refused before any work, not after it
        writable_target(path)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    return path


def utf8_text(text: str) -> str:
    """An argparse ``type`` for text that is drawn (``--title``): bytes that are not UTF-8 are refused in one
    line (the shell passes them through as surrogates, which the font renderer cannot draw)."""
    import argparse

    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = text.encode("utf-8", "surrogateescape")[exc.start:exc.end + 3]
        msg = f"not UTF-8 text (bytes {bad!r}); set a UTF-8 locale or re-encode the text"
        raise argparse.ArgumentTypeError(msg) from None
    return text


def progress(steps: list[str], label: str):
    """A progress bar over named steps (stderr; silent when not a terminal)."""
    from tqdm import tqdm

    return tqdm(steps, desc=label, unit="step", file=sys.stderr, disable=None, leave=False)


def load_named(name: str) -> gpd.GeoDataFrame:
    from layers import catalog

    table = catalog.loaders()
    if name not in table:
        msg = f"unknown layer {name!r}; choose one of: {', '.join(table)}"
        raise CliError(msg)
    return table[name]()


def parse_filters(items: list[str]) -> dict[str, tuple[str, ...]]:
    """``["district=laoshan,jimo", "status=operating"]`` → {"district": (...), ...}, validated."""
    from layers.filters import FILTERS

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
    from layers.filters import FILTERS, filter_frame

    return filter_frame(gdf, **{FILTERS[k][0]: v for k, v in filters.items()})


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
    from atlas.export.formats import FORMATS, export_bytes, human_size, safe_filename
    from atlas.export.metadata import build_metadata, metadata_bytes

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


def overlays_arg(text: str) -> tuple[str, ...]:
    from atlas.viewstate import OVERLAYS

    wanted = tuple(n.strip() for n in text.split(",") if n.strip())
    unknown = [n for n in wanted if n not in OVERLAYS]
    if unknown:
        msg = f"unknown overlay(s) {unknown}; choose from: {', '.join(OVERLAYS)}"
        raise CliError(msg)
    return wanted


def pair(text: str, sep: str, what: str, cast=float, bounds: tuple | None = None) -> tuple:
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
