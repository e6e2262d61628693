"""Bench scripts write their own README tables: marked blocks, with date and machine.

A block is the text between ``<!-- bench:NAME:start -->`` and ``<!-- bench:NAME:end -->`` in README.md;
:func:`write_block` replaces it (or appends the block at the end of the performance section).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def machine() -> str:
    """One line: date (UTC), CPU model and count, memory, load, Python."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        kb = int(next(ln for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal")).split()[1])
        mem = f"{kb / 1024**2:.0f} GB"
    except (OSError, StopIteration, ValueError):
        mem = "? GB"
    load = "/".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"{when}; {os.cpu_count()} × {cpu}, {mem}, load {load} at the start; Python {platform.python_version()}"


def write_block(name: str, body: str, *, readme: Path = README) -> None:
    """Replace (or add) the README block ``name`` with ``body``."""
    start, end = f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"
    block = f"{start}\n{body.rstrip()}\n{end}"
    text = readme.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _m: block, text)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    readme.write_text(text, encoding="utf-8")


def report(name: str, body: str, *, write: bool) -> None:
    """Print a bench's result and, with ``write`` (``--write-readme``), put it in README block ``name``."""
    print(body)
    if write:
        write_block(name, body)


def table(header: list[str], rows: list[list[str]], align: str | None = None) -> str:
    """A Markdown table; ``align`` like "lrr" (default: first column left, others right)."""
    align = align or "l" + "r" * (len(header) - 1)
    sep = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(sep) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)
