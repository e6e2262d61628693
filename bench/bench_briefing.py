"""Briefing sheet speed: the atlas's sheet vs a plain per-layer ``GeoDataFrame.plot`` of the same layers.

Both in one run, same machine, same layers (base: city land, bay, district borders;
overlays: the CLI's default briefing layers), same page size and dpi, each saved to
bytes in memory. The baseline has no labels, legend, locator or decorations: it is the
floor a matplotlib sheet of these layers costs. Then the command line end to end
(``python -m atlas briefing``: interpreter start, imports, loading, rendering, writing).
Medians of ``--repeat`` runs. Writes the README's briefing table block.

    python bench/bench_briefing.py [--repeat 3] [--no-readme]
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from atlas import mapmodel  # noqa: E402
from atlas.briefing import model as briefmodel  # noqa: E402
from atlas.briefing.render import load_base, render_briefing, sheet_pixels  # noqa: E402
from atlas.viewstate import ViewState  # noqa: E402
from core.settings import (
    BRIEF_DEFAULT_LAYERS,  # noqa: E402
    BRIEFING,  # noqa: E402
)

README = ROOT / "README.md"
BEGIN, END = "<!-- bench:briefing:begin -->", "<!-- bench:briefing:end -->"


def median_time(fn, repeat: int, *, children: bool = False) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of ``fn`` (CPU of child processes when ``children``).

    CPU time is what the work costs; wall time also holds waiting for a core, which on a
    shared 2-core machine can double it. Both are printed.
    """
    walls, cpus = [], []
    for _ in range(repeat):
        cpu0 = _cpu(children)
        t = time.perf_counter()
        fn()
        walls.append(time.perf_counter() - t)
        cpus.append(_cpu(children) - cpu0)
    return statistics.median(walls), statistics.median(cpus)


def _cpu(children: bool) -> float:
    if not children:
        return time.process_time()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def baseline(layers, base, preset: str, fmt: str) -> bytes:
    """The obvious way: one ``GeoDataFrame.plot`` per layer on an A4/16:9 figure, saved."""
    w, h = sheet_pixels(preset, BRIEFING.dpi)
    fig = Figure(figsize=(w / BRIEFING.dpi, h / BRIEFING.dpi), dpi=BRIEFING.dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_axes([0.03, 0.08, 0.72, 0.8])
    crs = BRIEFING.crs
    base.city.to_crs(crs).plot(ax=ax, color="white", edgecolor="grey")
    base.bay.to_crs(crs).plot(ax=ax, color="lightblue")
    base.districts.to_crs(crs).boundary.plot(ax=ax, color="grey", linewidth=0.5)
    for layer in layers:
        layer.frame.to_crs(crs).plot(ax=ax)
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=BRIEFING.dpi)
    return buf.getvalue()


def cli_seconds(repeat: int, preset: str) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "atlas", "briefing", "--title", "青岛湾区科创走廊", "--preset", preset,
               "--out", str(Path(tmp) / "b.png")]
        return median_time(lambda: subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True), repeat,
                           children=True)


def write_readme(lines: list[str]) -> None:
    text = README.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        print(f"README has no {BEGIN} … {END} block; not written")
        return
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    README.write_text(head + BEGIN + "\n" + "\n".join(lines) + "\n" + END + tail, encoding="utf-8")
    print("README briefing table updated")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args()
    frames, _ = mapmodel.load_frames()
    base = load_base()
    layers = briefmodel.brief_layers(frames, ViewState(layers=BRIEF_DEFAULT_LAYERS))
    render_briefing(layers, title="warm-up", base=base, dpi=72)  # fonts registered, caches warm: not timed
    rows = []
    for preset, fmt in (("A4-landscape", "png"), ("slide-16:9", "png"), ("A4-landscape", "pdf")):
        ours = median_time(lambda p=preset, f=fmt: render_briefing(layers, title="青岛湾区科创走廊", base=base,
                                                                   preset=p, fmt=f), args.repeat)
        plain = median_time(lambda p=preset, f=fmt: baseline(layers, base, p, f), args.repeat)
        rows.append((f"{preset} {fmt.upper()} 300 dpi, in-process", ours, plain))
        print(f"{rows[-1][0]:<38} atlas {ours[0]:5.2f} s wall / {ours[1]:5.2f} s CPU | plain GeoDataFrame.plot "
              f"{plain[0]:5.2f} s / {plain[1]:5.2f} s | ratio {ours[0] / plain[0]:4.2f}x wall, "
              f"{ours[1] / plain[1]:4.2f}x CPU")
    cli = cli_seconds(args.repeat, "A4-landscape")
    print(f"{'CLI A4-landscape PNG, end to end':<38} atlas {cli[0]:5.2f} s wall / {cli[1]:5.2f} s CPU (target <= 3 s)")
    load = os.getloadavg()[0]
    n = sum(len(layer.frame) for layer in layers)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    lines = [f"Measured {date.today().isoformat()} by `bench/bench_briefing.py` ({machine}; load average "
             f"{load:.1f} during the run; medians of {args.repeat}; {n} features in {len(layers)} layers + the base "
             "map). Wall time includes waiting for a core; CPU time is the work itself.", "",
             "| sheet | atlas (labels, legend, locator, scale bar): wall / CPU | plain per-layer "
             "`GeoDataFrame.plot`: wall / CPU | ratio (CPU) |",
             "|---|---:|---:|---:|"]
    lines += [f"| {name} | {o[0]:.2f} s / {o[1]:.2f} s | {p[0]:.2f} s / {p[1]:.2f} s | {o[1] / p[1]:.2f}× |"
              for name, o, p in rows]
    lines.append(f"| command line, A4 PNG (start, imports, load, render, write) | {cli[0]:.2f} s / {cli[1]:.2f} s "
                 "| — | — |")
    if not args.no_readme:
        write_readme(lines)


if __name__ == "__main__":
    main()
