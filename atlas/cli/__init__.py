"""The command line ``qd-atlas`` / ``python -m atlas``: one module per command, :mod:`atlas.cli.main` routes."""
