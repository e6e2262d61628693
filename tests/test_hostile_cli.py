"""``python -m atlas`` with bad arguments: a documented non-zero exit code, one clear error
line on stderr, never a traceback, never a partial file (subprocesses, kept few)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.corpus.hostile_text import hostile_strings

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = hostile_strings()


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "atlas", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=240, check=False)


def assert_clean_failure(proc, code: int, match: str, folder: Path) -> None:
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert "error:" in last or "failed:" in last
    assert match in last, last
    assert list(folder.iterdir()) == []  # no output, no temp file


CASES = [
    (["export", "no_such_layer"], 2, "unknown layer 'no_such_layer'"),
    (["export", "districts", "--format", "shp"], 2, "invalid choice: 'shp'"),
    (["export", "districts", "--filter", "bogus=1"], 2, "bad --filter 'bogus=1'"),
    (["export", "districts", "--filter", "district=../../etc"], 2, "bad district value(s)"),
    (["export", "districts", "--filter", "district="], 2, "bad district value(s)"),
    (["export", "districts", "--precision", "-5"], 1, "precision must be 0..15"),
    (["export", "districts", "--out", "missing_dir/x.geojson"], 2, "does not exist"),
    (["export", "districts", "--out", "."], 2, "is a folder"),
    (["export", HOSTILE[0]], 2, "unknown layer"),
    (["export", "districts", "--filter", HOSTILE[30]], 2, "bad --filter"),
    (["density", "no_method"], 2, "unknown density method 'no_method'; choose one of: clark_evans"),
    (["density", "kernel_density", "--param", "cell_m=abc"], 2, "bad --param cell_m='abc': a number is expected"),
    (["density", "kernel_density", "--param", "no_such=1"], 2, "bad parameters for kernel_density"),
    (["density", "kernel_density", "--param", "=1"], 2, "bad --param '=1'"),
    (["density", "hexagons", "--param", "resolution=99"], 1, "H3 resolution must be an integer"),
    (["density", "kernel_density", "--layer", "nope"], 2, "unknown layer 'nope'"),
    (["briefing", "--title", "x", "--bbox", "1,2"], 2, "bad --bbox '1,2'"),
    (["briefing", "--title", "x", "--dpi", "5", "--out", "b.png"], 1, "dpi must be between 50 and 600"),
    (["briefing", "--title", "x", "--preset", "A9"], 2, "invalid choice: 'A9'"),
    (["layers", "--nope"], 2, "unrecognized arguments: --nope"),
    ([], 2, "required: COMMAND"),
]


@pytest.mark.parametrize(("args", "code", "match"), CASES, ids=[" ".join(a)[:40] for a, _, _ in CASES])
def test_bad_arguments_fail_cleanly(tmp_path, args, code, match):
    assert_clean_failure(run(args, tmp_path), code, match, tmp_path)


def test_hostile_out_path_stays_where_it_was_asked_and_leaves_no_temp(tmp_path):
    """A relative traversal in --out is the user's explicit choice; it is honoured literally,
    without temp files left behind in either folder."""
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    proc = run(["export", "districts", "--out", "../x<script>.geojson", "--no-sidecar"], inner)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["b", "x<script>.geojson"]
    assert list(inner.iterdir()) == []


def test_default_output_name_is_a_safe_name_in_the_current_folder(tmp_path):
    proc = run(["density", "counts_by_zone", "--param", "zones=@districts"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["density_counts_by_zone.geojson", "density_counts_by_zone.geojson.meta.json"]
