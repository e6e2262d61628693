"""The feature schema every curated layer obeys (DESIGN.md, "Provenance").

Validation is a pure function returning a list of human-readable problems, so the
test-suite, the CLI and the app can all report exactly what is wrong with a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.vocab import (
    CLUSTERS,
    CURATED_FIELDS,
    CURATED_MAY_BE_EMPTY,
    DATE_RE,
    DISTRICTS,
    GEOM_PRECISION,
    ID_RE,
    LOCATION_TIERS,
    MAY_BE_EMPTY,
    PROVENANCE_FIELDS,
    SOURCE_CRS,
    STATUS,
    split_multi,
)


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
    tiered: bool = False  # carries ``location_tier`` (DESIGN.md, "Location tiers")

    @property
    def required(self) -> tuple[str, ...]:
        tier = ("location_tier",) if self.tiered else ()
        return PROVENANCE_FIELDS + self.extra_fields + (CURATED_FIELDS if self.curated else ()) + tier

    @property
    def may_be_empty(self) -> frozenset[str]:
        return MAY_BE_EMPTY | self.extra_may_be_empty | (CURATED_MAY_BE_EMPTY if self.curated else frozenset())


def validate_properties(props: dict, schema: LayerSchema) -> list[str]:
    """Problems with one feature's properties (empty list when valid)."""
    problems: list[str] = []
    fid = props.get("id", "<no id>")
    city_only = schema.tiered and props.get("location_tier") == "city"
    may_be_empty = schema.may_be_empty | ({"district"} if city_only else frozenset())
    for name in schema.required:
        if name not in props:
            problems.append(f"{fid}: missing field '{name}'")
            continue
        value = props[name]
        if name not in may_be_empty and (value is None or str(value).strip() == ""):
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
    if schema.tiered:
        problems += tier_problems(props)
    districts = split_multi(props["district"])
    if city_only:
        pass  # tier_problems reports a district on a feature known only to the city
    elif not schema.multi_district and len(districts) != 1:
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


def tier_problems(props: dict) -> list[str]:
    """A feature's tier and its district agree: the tier comes from the source, so a feature known
    only to the city claims no district (DESIGN.md, "Location tiers")."""
    fid, tier = props.get("id", "<no id>"), props.get("location_tier")
    if tier not in LOCATION_TIERS:
        return [f"{fid}: location_tier={tier!r} not one of {list(LOCATION_TIERS)}"]
    if tier == "city" and str(props.get("district") or "").strip():
        return [f"{fid}: known only to the city but claims district {props['district']!r} (leave it empty)"]
    return []
