"""Curated geodata of the atlas and the scripts that rebuild it."""
