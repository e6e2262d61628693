"""``qd-atlas layers``: every layer with its feature count and geometry types."""

from __future__ import annotations

import json

from layers import catalog


def cmd_layers(args) -> int:
    rows = []
    for name, load in catalog.loaders().items():
        try:
            gdf = load()
            rows.append({"layer": name, "features": len(gdf),
                         "geometry": ",".join(sorted(gdf.geometry.geom_type.dropna().unique()))})
        except (OSError, ValueError, KeyError) as exc:
            rows.append({"layer": name, "features": None, "error": str(exc).splitlines()[0]})
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for row in rows:
        count = "—" if row["features"] is None else row["features"]
        print(f"{row['layer']:<18} {count!s:>6}  {row.get('geometry') or row.get('error', '')}")
    return 0
