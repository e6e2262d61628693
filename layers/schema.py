"""The feature schema every curated layer obeys (DESIGN.md, "Provenance").

Validation is a pure function returning a list of human-readable problems, so the
test-suite, the CLI and the app can all report exactly what is wrong with a file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

PROVENANCE_FIELDS: tuple[str, ...] = (
    "id",
    "name_zh",
    "name_en",
    "category",
    "district",
    "cluster",
    "plan_ref",
    "source",
    "source_crs",
    "geom_precision",
    "status",
    "as_of",
    "notes",
)
#: Fields that may be present but empty.
MAY_BE_EMPTY: frozenset[str] = frozenset({"notes"})
#: What every curated (hand-sourced) layer adds: how far the true place may be from the
#: geometry (metres), the source in Chinese, the licence and a machine-readable citation.
CURATED_FIELDS: tuple[str, ...] = ("pos_uncertainty_m", "source_zh", "notes_zh", "licence", "source_ref")
CURATED_MAY_BE_EMPTY: frozenset[str] = frozenset({"notes_zh", "source_ref"})
#: Drawn as approximate (hollow marker / halo) above this uncertainty.
APPROXIMATE_ABOVE_M = 100.0

DISTRICTS: dict[str, tuple[str, str]] = {
    # id: (name_zh, name_en)
    "shinan": ("市南区", "Shinan"),
    "shibei": ("市北区", "Shibei"),
    "huangdao": ("黄岛区", "Huangdao (West Coast New Area)"),
    "laoshan": ("崂山区", "Laoshan"),
    "licang": ("李沧区", "Licang"),
    "chengyang": ("城阳区", "Chengyang"),
    "jimo": ("即墨区", "Jimo"),
    "jiaozhou": ("胶州市", "Jiaozhou"),
    "pingdu": ("平度市", "Pingdu"),
    "laixi": ("莱西市", "Laixi"),
}
CLUSTERS: dict[str, tuple[str, str]] = {
    "aoshan": ("鳌山湾", "Aoshan Bay"),
    "jiaozhou": ("胶州湾", "Jiaozhou Bay"),
    "lingshan": ("灵山湾", "Lingshan Bay"),
    "none": ("湾区之外", "Outside the bay clusters"),
}
SOURCE_CRS = frozenset({"EPSG:4326", "GCJ-02", "BD-09", "EPSG:4490"})
GEOM_PRECISION = frozenset({"surveyed", "footprint_approx", "representative_point", "schematic"})
STATUS = frozenset({"operating", "under_construction", "planned"})

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

#: Qingdao's extent (lon_min, lat_min, lon_max, lat_max), a little generous.
QINGDAO_BBOX: tuple[float, float, float, float] = (119.45, 35.30, 121.20, 37.15)


@dataclass(frozen=True)
class LayerSchema:
    """What one layer adds to the provenance fields."""

    name: str
    categories: frozenset[str]
    geometry_types: frozenset[str]
    extra_fields: tuple[str, ...] = ()
    extra_may_be_empty: frozenset[str] = field(default_factory=frozenset)
    multi_district: bool = False  # lines/areas may list several districts ("a;b")
    curated: bool = True  # built from geodata/src tables: carries CURATED_FIELDS

    @property
    def required(self) -> tuple[str, ...]:
        return PROVENANCE_FIELDS + self.extra_fields + (CURATED_FIELDS if self.curated else ())

    @property
    def may_be_empty(self) -> frozenset[str]:
        return MAY_BE_EMPTY | self.extra_may_be_empty | (CURATED_MAY_BE_EMPTY if self.curated else frozenset())


def split_multi(value: str) -> list[str]:
    """Split a ``;``-separated multi-value field ("laoshan;jimo")."""
    return [v.strip() for v in str(value).split(";") if v.strip()]


def validate_properties(props: dict, schema: LayerSchema) -> list[str]:
    """Problems with one feature's properties (empty list when valid)."""
    problems: list[str] = []
    fid = props.get("id", "<no id>")
    for name in schema.required:
        if name not in props:
            problems.append(f"{fid}: missing field '{name}'")
            continue
        value = props[name]
        if name not in schema.may_be_empty and (value is None or str(value).strip() == ""):
            problems.append(f"{fid}: field '{name}' is empty")
    if problems:
        return problems
    if not ID_RE.match(str(props["id"])):
        problems.append(f"{fid}: id must match {ID_RE.pattern}")
    checks = (
        ("category", schema.categories),
        ("source_crs", SOURCE_CRS),
        ("geom_precision", GEOM_PRECISION),
        ("status", STATUS),
    )
    for name, allowed in checks:
        if props[name] not in allowed:
            problems.append(f"{fid}: {name}={props[name]!r} not one of {sorted(allowed)}")
    districts = split_multi(props["district"])
    if not schema.multi_district and len(districts) != 1:
        problems.append(f"{fid}: exactly one district expected, got {props['district']!r}")
    for d in districts:
        if d not in DISTRICTS:
            problems.append(f"{fid}: unknown district {d!r}")
    for c in split_multi(props["cluster"]):
        if c not in CLUSTERS:
            problems.append(f"{fid}: unknown cluster {c!r}")
    if schema.curated:
        try:
            unc = float(props["pos_uncertainty_m"])
        except (TypeError, ValueError):
            unc = -1.0
        if not unc >= 0:
            problems.append(f"{fid}: pos_uncertainty_m must be a number of metres >= 0, got {props['pos_uncertainty_m']!r}")
    if not DATE_RE.match(str(props["as_of"])):
        problems.append(f"{fid}: as_of must be YYYY-MM-DD, got {props['as_of']!r}")
    return problems
