"""The metadata that goes with an export: sources, licences, as-of dates, parameters.

Collected from the frame's own provenance columns (``source``, ``source_crs``,
``as_of``), the geodata registry (title, source, licence, retrieved, sha256 of
each layer file) and the analysis parameters echoed in ``frame.attrs["params"]``.
No timestamps: the same inputs give the same metadata.
"""

from __future__ import annotations

import json

import pandas as pd

from core.settings import DATA, EXPORT
from core.vocab import split_multi
from layers.registry import load_registry

GENERATOR = "qingdao-corridor-atlas (python -m atlas)"


def _distinct(frame: pd.DataFrame, column: str, *, multi: bool = False) -> list[str]:
    """Distinct non-empty values of ``column`` (``multi``: split ``a;b`` cells)."""
    if column not in frame:
        return []
    cells = frame[column].dropna().astype(str)
    values = {v for cell in cells for v in split_multi(cell)} if multi else {c.strip() for c in cells if c.strip()}
    return sorted(values)


def registry_entries(layers: list[str]) -> dict[str, dict]:
    """Registry entries (minus nothing) for the named layers that are registered."""
    try:
        registry = load_registry()
    except OSError:
        return {}
    return {name: registry[name] for name in layers if name in registry}


def build_metadata(frame: pd.DataFrame, *, layers: list[str] = (), title: str = "", filters: dict | None = None,
                   params: dict | None = None, precision: int = EXPORT.precision,
                   data_date: str = DATA.data_date) -> dict:
    """A JSON-ready description of an export (written as the sidecar ``*.meta.json``)."""
    entries = registry_entries(list(layers))
    as_of = _distinct(frame, "as_of")
    params = params if params is not None else frame.attrs.get("params")
    meta = {
        "title": title,
        "generator": GENERATOR,
        "plan": {"zh": DATA.plan_title_zh, "en": DATA.plan_title_en},
        "data_date": data_date,
        "crs": "EPSG:4326 (WGS84, lon/lat; RFC 7946)",
        "coordinate_precision_decimals": precision,
        "feature_count": int(len(frame)),
        "columns": [str(c) for c in frame.columns if c != "geometry"],
        "layers": list(layers),
        "filters": {k: list(v) for k, v in (filters or {}).items() if v},
        "sources": _distinct(frame, "source"),
        "source_crs": _distinct(frame, "source_crs"),
        "as_of": {"min": as_of[0], "max": as_of[-1]} if as_of else None,
        "licences": sorted({e["licence"] for e in entries.values() if e.get("licence")}
                           | set(_distinct(frame, "licence"))),
        "attribution": attribution(frame, entries),
        "pos_uncertainty_m": _uncertainty(frame),
        "registry": {name: {k: e.get(k) for k in ("title", "source", "licence", "retrieved", "sha256")}
                     for name, e in entries.items()},
    }
    if params:
        meta["analysis_parameters"] = json.loads(json.dumps(params, default=str))
    units = column_units(frame)
    if units:
        meta["units"] = units
    if "location_tier" in frame.columns:  # issue 21: how many rows have no position, and why
        tiers = frame["location_tier"].fillna("").astype(str).value_counts()
        meta["location_tiers"] = {str(k): int(v) for k, v in tiers.items()}
        meta["features_without_position"] = int(sum(v for k, v in tiers.items() if k in ("district", "city")))
    return meta


#: unit of a column from its name's ending (the analysis modules name columns this way)
UNIT_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("_per_km2", "1/km²"), ("_km2", "km²"), ("_km", "km"), ("_m", "m"), ("_min", "minutes"),
    ("_kmh", "km/h"), ("_pct", "%"),
)


def column_units(frame: pd.DataFrame) -> dict[str, str]:
    """Units of the columns: ``frame.attrs["units"]`` where the analysis gives them, else from the
    column name's ending (``area_km2`` → km², ``time_min`` → minutes)."""
    given = {str(k): str(v) for k, v in (frame.attrs.get("units") or {}).items()}
    out = {}
    for column in map(str, frame.columns):
        if column in given:
            out[column] = given[column]
            continue
        for suffix, unit in UNIT_SUFFIXES:
            if column.endswith(suffix) or column in ("per_km2", "km2") and column == suffix[1:]:
                out[column] = unit
                break
    return out


OSM_ATTRIBUTION = "© OpenStreetMap contributors (ODbL 1.0)"


def attribution(frame: pd.DataFrame, entries: dict | None = None) -> list[str]:
    """The credit lines an export must carry (ODbL: © OpenStreetMap contributors)."""
    licences = set(_distinct(frame, "licence")) | {str(e.get("licence", "")) for e in (entries or {}).values()}
    return [OSM_ATTRIBUTION] if any("ODbL" in x for x in licences) else []


def _uncertainty(frame: pd.DataFrame) -> dict | None:
    if "pos_uncertainty_m" not in frame.columns:
        return None
    unc = pd.to_numeric(frame["pos_uncertainty_m"], errors="coerce").dropna()
    if unc.empty:
        return None
    return {"min": float(unc.min()), "median": float(unc.median()), "max": float(unc.max()),
            "approximate_over_100m": int((unc > 100).sum())}


def metadata_bytes(meta: dict) -> bytes:
    return (json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")
