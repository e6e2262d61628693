"""Innovation-resource density: pure functions (no Streamlit), measured in EPSG:4549.

Every function takes a point GeoDataFrame (any CRS; projected inside; a missing
CRS raises) plus keyword-only parameters, and echoes them in ``result.attrs["params"]``.

* :func:`counts_by_zone` — counts, weighted counts, per km², share, by cluster/district
* :func:`kernel_density` — Gaussian KDE on a metre grid, clipped to land
* :func:`hexagons`, :func:`hot_spots` — H3 aggregation and Getis-Ord Gi*
* :func:`clark_evans`, :func:`location_quotients` — point pattern
* :func:`compare_bays` — the three bays on all of the above
* :func:`within_uncertainty` — leave out points less precise than the analysis's scale
* :mod:`analysis.density.scale` — the same counts/hexagons/KDE on Dask
"""

from analysis.density.compare import compare_bays
from analysis.density.hexes import hexagons, hot_spots
from analysis.density.kde import kernel_density
from analysis.density.pattern import clark_evans, location_quotients
from analysis.density.precision import within_uncertainty
from analysis.density.zones import counts_by_zone

__all__ = ["clark_evans", "compare_bays", "counts_by_zone", "hexagons", "hot_spots", "kernel_density",
           "location_quotients", "within_uncertainty"]
