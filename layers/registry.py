"""The geodata registry: one entry per layer file, with provenance and a hash.

``geodata/registry.json`` lists every layer file with title, source, licence,
retrieved date, feature count, geometry types and sha256 (the pattern of
geopandas/geodatasets). :func:`check_entry` verifies an entry against its file.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from core.settings import GEODATA_DIR

REGISTRY_PATH = GEODATA_DIR / "registry.json"
ENTRY_FIELDS = (
    "file",
    "title",
    "source",
    "licence",
    "retrieved",
    "feature_count",
    "geometry_types",
    "sha256",
)


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_registry(path: Path = REGISTRY_PATH) -> dict[str, dict]:
    """Registry entries keyed by layer name."""
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)["layers"]


def describe_file(path: Path) -> dict:
    """Feature count, geometry types and sha256 of a GeoJSON file, read directly."""
    with path.open(encoding="utf-8") as fh:
        collection = json.load(fh)
    features = collection.get("features", [])
    types = sorted({(f.get("geometry") or {}).get("type", "None") for f in features})
    return {"feature_count": len(features), "geometry_types": types, "sha256": sha256_of(path)}


def check_entry(name: str, entry: dict, geodata_dir: Path = GEODATA_DIR) -> list[str]:
    """Problems with one registry entry (empty when it matches its file)."""
    problems = [f"{name}: registry entry lacks '{f}'" for f in ENTRY_FIELDS if not entry.get(f)]
    path = geodata_dir / entry.get("file", "")
    if not path.is_file():
        return [*problems, f"{name}: file {path.name} does not exist"]
    actual = describe_file(path)
    for key, value in actual.items():
        if entry.get(key) != value:
            problems.append(
                f"{name}: registry says {key}={entry.get(key)!r} but {path.name} has {value!r}; "
                "rebuild with `python -m geodata.build_layers` (or update the entry)"
            )
    return problems


def write_registry(entries: dict[str, dict], path: Path = REGISTRY_PATH) -> None:
    payload = {"description": "Every layer file of the atlas, with provenance and hash.",
               "layers": dict(sorted(entries.items()))}
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
