"""Big uploads are parsed in a separate process (pure; used by the Density page).

Streamlit runs every session in a thread of one Python process, so a 40 MB CSV
parsed in-process holds the GIL for seconds and everyone else's reruns wait.
:func:`read_upload_isolated` hands files above ``UPLOAD.inline_bytes`` to a small
process pool (``UPLOAD.workers`` processes, each replaced after one file, so the
memory a parse needed is returned to the system), and waits without the GIL.
Small files are parsed in-process (no start-up cost). Errors raised by the reader
(``ValueError`` with the user's message) arrive unchanged.
"""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from analysis.points_io import read_upload
from core.settings import UPLOAD

_LOCK = threading.Lock()
_POOL: ProcessPoolExecutor | None = None


def _pool() -> ProcessPoolExecutor:
    global _POOL  # noqa: PLW0603 — one pool per server process
    with _LOCK:
        if _POOL is None:
            _POOL = ProcessPoolExecutor(max_workers=UPLOAD.workers, max_tasks_per_child=1,
                                        mp_context=multiprocessing.get_context("spawn"))
        return _POOL


def _reset() -> None:
    global _POOL  # noqa: PLW0603
    with _LOCK:
        if _POOL is not None:
            _POOL.shutdown(wait=False, cancel_futures=True)
        _POOL = None


def read_upload_isolated(data: bytes, name: str, **kwargs):
    """:func:`analysis.points_io.read_upload`, in a worker process when the file is big."""
    if len(data) <= UPLOAD.inline_bytes:
        return read_upload(data, name, **kwargs)
    try:
        return _pool().submit(read_upload, data, name, **kwargs).result()
    except BrokenProcessPool as exc:  # a worker was killed (out of memory?): a clear message, a fresh pool
        _reset()
        msg = "the file could not be read: the reading process stopped (too big for this server?); try a smaller file"
        raise ValueError(msg) from exc
