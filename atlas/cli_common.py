"""What the CLI modules share: exit codes, the user-facing error, output paths."""

from __future__ import annotations

from pathlib import Path

EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_UNAVAILABLE = 0, 1, 2, 3
#: overlays on a briefing sheet unless --layers says otherwise (the bay clusters are always drawn)
BRIEF_DEFAULT_LAYERS = ("parks", "links", "metro_lines", "transport_nodes", "park_sites", "resources")


class CliError(Exception):
    """A user-facing error with an exit code."""

    def __init__(self, message: str, code: int = EXIT_USAGE):
        super().__init__(message)
        self.code = code


def out_path(out: str | None, default_name: str) -> Path | None:
    """The output path (None = stdout); refuses to write into a missing folder."""
    if out == "-":
        return None
    path = Path(out) if out else Path.cwd() / default_name
    if path.is_dir():
        msg = f"--out {str(path)!r} is a folder; give a file name"
        raise CliError(msg)
    if not path.parent.is_dir():
        msg = f"output folder {str(path.parent)!r} does not exist"
        raise CliError(msg)
    return path
