"""``qd-atlas export LAYER``: a layer, filtered, as GeoJSON, GeoPackage or CSV (+ metadata sidecar)."""

from __future__ import annotations

from atlas.cli.common import apply_filters, load_named, parse_filters, write_export


def cmd_export(args) -> int:
    filters = parse_filters(args.filter)
    frame = apply_filters(load_named(args.layer), filters)
    title = "_".join([args.layer, *("-".join(v) for v in filters.values())])
    write_export(frame, args, title=title, layers=[args.layer], filters=filters)
    return 0
