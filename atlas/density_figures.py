"""The README's density paragraph, computed from the layers (``python -m atlas.density_figures``).

How the weighted resources split between the three bays, on the precisely placed resources and
on every placed one, and how many are left out because they have no position (issue 21).
``tests/test_density_figures.py`` fails when the README and the code disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.ops import unary_union

from analysis.density import counts_by_zone
from analysis.tiers import placed_points
from core.files import replace_block
from core.vocab import CLUSTERS
from layers import clusters, districts, resources

README = Path(__file__).resolve().parents[1] / "README.md"
BEGIN, END = "<!-- density-figures:begin -->", "<!-- density-figures:end -->"
PRECISE_M = 1000.0
BAYS = ("jiaozhou", "lingshan", "aoshan")


def figures() -> dict:
    """Weighted shares (0–1) per bay for the resources placed within ``PRECISE_M`` and for all placed ones."""
    res = resources.load()
    zones = clusters.load()
    zones = zones[zones["id"].isin([f"cluster_{b}" for b in BAYS])]
    outline = districts.load()
    city = gpd.GeoDataFrame(geometry=[unary_union(outline.geometry)], crs=outline.crs)
    placed = placed_points(res)
    precise = placed[pd.to_numeric(placed["pos_uncertainty_m"], errors="coerce") <= PRECISE_M]

    def shares(points) -> dict[str, float]:
        table = counts_by_zone(points, zones, weight="weight", city=city).set_index("zone")
        return {b: float(table.at[f"cluster_{b}", "weighted_share"]) for b in BAYS}

    tiers = res["location_tier"].value_counts()
    return {"n": len(res), "n_precise": len(precise), "n_placed": len(placed),
            "max_m": float(pd.to_numeric(placed["pos_uncertainty_m"], errors="coerce").max()),
            "precise": shares(precise), "placed": shares(placed),
            "n_district": int(tiers.get("district", 0)), "n_city": int(tiers.get("city", 0))}


def readme_block(f: dict) -> str:
    def pct(which: str) -> str:
        return ", ".join(f"{CLUSTERS[b][0]} {f[which][b]:.0%}".replace("%", " %") for b in BAYS)

    return (f"Of the weight of the resources placed within 1 km ({f['n_precise']} of {f['n']}, `pos_uncertainty_m` "
            f"≤ 1000) the bays hold {pct('precise')}; of all {f['n_placed']} placed resources (street and town "
            f"positions too, up to {f['max_m'] / 1000:g} km) {pct('placed')}. {f['n_district'] + f['n_city']} resources have no "
            f"position ({f['n_district']} known only to their district, {f['n_city']} only to the city) and are "
            "in neither figure — weight or drop the placed ones by `pos_uncertainty_m`.")


def write_readme(readme: Path = README) -> int:
    if not replace_block(readme, BEGIN, END, readme_block(figures())):
        print(f"README has no {BEGIN} … {END} block", file=sys.stderr)
        return 2
    print(f"rewrote the density figures in {readme}")
    return 0


if __name__ == "__main__":
    sys.exit(write_readme())
