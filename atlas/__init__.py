"""Qingdao Bay-Area Innovation Corridor Atlas — the app side: map model, view state, briefing,
export, connectivity reporting, the command line. Never imported by analysis/, layers/ or core/."""

__version__ = "0.1.0"
