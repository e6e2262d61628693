"""The city's land-only density results, worked out in the worker processes' fork server before any job.

Imported by the fork server (``atlas.workers.PRELOAD``): every job is forked from it and starts with what
:mod:`analysis.density.landcache` holds there — the city's H3 land grid at the page's hot-spot resolution and
the land masks of the page's and the command line's KDE grids — instead of working them out again in each
job (~1-2 s of a job's time for the grid alone). Other resolutions and cells are worked out in the job that
asks for them. A failure here only costs that time: the fork server must start whatever happens.
"""

from __future__ import annotations

import sys


def warm() -> None:
    from analysis.density.hexes import land_grid
    from analysis.density.kde import grid_for, land_mask
    from core.settings import DENSITY
    from layers import coast

    city = coast.load_city()
    land_grid(city, DENSITY.hotspot_resolution)
    for cell_m in sorted({DENSITY.cell_m, DENSITY.page_cell_m}):
        land_mask(grid_for(None, None, bandwidth_m=DENSITY.bandwidth_m, cell_m=cell_m, land=city), city)


try:
    warm()
except Exception as exc:  # noqa: BLE001 — see the module's docstring
    print(f"atlas: worker warm-up skipped ({type(exc).__name__}: {exc})", file=sys.stderr, flush=True)
