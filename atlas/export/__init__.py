"""Exports for analysts: file formats (GeoJSON, GeoPackage, CSV) and their metadata."""
