"""Layer data served as static files, so the map's script stays small on every rerun.

streamlit-folium sends the whole map (script and every overlay) through the websocket on each
rerun. The main page instead writes each layer's display GeoJSON once to
``static/data/<stem>-<digest>.json`` — Streamlit serves it at ``/app/static/data/…`` over
HTTP, gzip-compressed — and the map's script only names the file and which features to show.
The browser fetches each file once per map (and revalidates with its ETag afterwards).

Files are content-addressed (same bytes, same name; new data, new name), written atomically,
and the folder is pruned to :data:`KEEP_FILES` so old versions do not pile up. Only the
atlas's own layer data goes here — never anything a user uploaded.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: served by Streamlit (server.enableStaticServing) at DATA_URL
DATA_DIR = ROOT / "static" / "data"
DATA_URL = "/app/static/data"
#: at most this many files stay in DATA_DIR (the oldest others are removed when one is written)
KEEP_FILES = 256
_STEM = re.compile(r"^[a-z0-9_]{1,64}$")


class DataStoreError(OSError):
    """The data folder cannot be written (the caller draws the layer inline instead)."""


def file_name(stem: str, payload: bytes) -> str:
    """``<stem>-<first 16 hex of sha256>.json``; ``stem`` is the atlas's own ASCII layer key."""
    if not _STEM.match(stem):
        raise ValueError(f"data file stem must be 1-64 of [a-z0-9_], got {stem!r}")
    return f"{stem}-{hashlib.sha256(payload).hexdigest()[:16]}.json"


def publish(stem: str, payload: bytes, *, folder: Path = DATA_DIR, url: str = DATA_URL,
            keep: int = KEEP_FILES) -> str:
    """Write ``payload`` (once) and return the URL the browser fetches it from.

    Raises :class:`DataStoreError` (with what to do) when the folder cannot be written.
    """
    name = file_name(stem, payload)
    target = folder / name
    if not target.is_file() or target.stat().st_size != len(payload):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".part")  # never served as data
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(payload)
                os.chmod(tmp, 0o644)
                os.replace(tmp, target)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        except OSError as exc:
            msg = (f"cannot write map data to {folder} ({exc.strerror or exc}); "
                   "make the app's static/ folder writable to serve layer data as files")
            raise DataStoreError(msg) from exc
        prune(folder, keep=keep, spare=name)
    return f"{url}/{name}"


def prune(folder: Path, *, keep: int = KEEP_FILES, spare: str = "") -> list[str]:
    """Remove the oldest data files beyond ``keep`` (never ``spare``); returns what was removed."""
    files = sorted((p for p in folder.glob("*.json") if p.name != spare and p.is_file()),
                   key=lambda p: p.stat().st_mtime, reverse=True)
    removed = []
    for p in files[max(0, keep - 1):]:
        try:
            p.unlink()
            removed.append(p.name)
        except OSError:
            pass  # another process removed it first
    return removed


class Publisher:
    """:func:`publish` for one process, memoised per stem: ``publisher(stem, build) -> url``.

    ``build()`` makes the bytes and runs only the first time a stem is asked for (the atlas's
    layers are loaded once per process and do not change while it runs).
    """

    def __init__(self, folder: Path = DATA_DIR, url: str = DATA_URL):
        self.folder, self.url = folder, url
        self._urls: dict[str, str] = {}
        self._lock = threading.Lock()

    def check(self) -> Publisher:
        """Raise :class:`DataStoreError` now if the folder cannot be written."""
        publish("probe", b"{}", folder=self.folder, url=self.url)
        return self

    def __call__(self, stem: str, build: Callable[[], bytes]) -> str:
        with self._lock:
            if stem not in self._urls:
                self._urls[stem] = publish(stem, build(), folder=self.folder, url=self.url)
            return self._urls[stem]
