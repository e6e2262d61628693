"""Leave out points whose position is too uncertain for the scale of an analysis.

A kernel of 2 km says little about a resource that may be 5 km from where it is
drawn. Every curated feature carries ``pos_uncertainty_m`` (metres); uploads may
carry it too. :func:`within_uncertainty` keeps the points at or below a limit and
records how many were left out, so a result can say what it rests on.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

UNCERTAINTY_COLUMN = "pos_uncertainty_m"


def within_uncertainty(points: gpd.GeoDataFrame, *, max_uncertainty_m: float | None) -> gpd.GeoDataFrame:
    """Points whose ``pos_uncertainty_m`` is at most ``max_uncertainty_m`` (None: all points).

    Points without the column (or with an empty value) are kept: their uncertainty is
    unknown, not large. ``attrs["params"]`` records the limit, ``attrs["left_out"]`` the
    ids (or index labels) of the points left out.
    """
    if max_uncertainty_m is not None and not (np.isfinite(max_uncertainty_m) and max_uncertainty_m >= 0):
        msg = f"max_uncertainty_m must be a number of metres >= 0, got {max_uncertainty_m!r}"
        raise ValueError(msg)
    if max_uncertainty_m is None or UNCERTAINTY_COLUMN not in points.columns:
        kept, out = points, points.iloc[0:0]
    else:
        unc = pd.to_numeric(points[UNCERTAINTY_COLUMN], errors="coerce")
        keep = unc.isna() | (unc <= max_uncertainty_m)
        kept, out = points[keep], points[~keep]
    kept = kept.copy()
    labels = out["id"] if "id" in out.columns else pd.Series(out.index, index=out.index)
    kept.attrs["params"] = {"max_uncertainty_m": max_uncertainty_m}
    kept.attrs["left_out"] = [str(v) for v in labels]
    return kept
