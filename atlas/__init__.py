"""Qingdao Bay-Area Innovation Corridor Atlas: app-side helpers, CLI, exports."""

__version__ = "0.1.0"
