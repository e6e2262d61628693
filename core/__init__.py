"""The base every other package stands on: settings, CRS helpers, vocabularies, strings, file writing.

Imports nothing of the project (an import-linter contract in pyproject.toml checks it).
"""
