"""CLI writes that never destroy (subprocesses; only files this test creates in tmp_path):
special files are never replaced, interrupts leave nothing half-written and no traceback,
result and sidecar go together, --format agrees with --out, numeric arguments are bounded."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core import files as export

ROOT = Path(__file__).resolve().parents[1]


def cli(args: list[str], cwd: Path, timeout: int = 240) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "atlas", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)


def one_line_error(proc, match: str) -> None:
    assert proc.returncode != 0 and "Traceback" not in proc.stderr, proc.stderr
    assert match in proc.stderr.strip().splitlines()[-1], proc.stderr


def test_a_fifo_and_links_to_special_files_are_never_replaced(tmp_path):
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "to_fifo").symlink_to(tmp_path / "fifo")
    (tmp_path / "dangling").symlink_to(tmp_path / "proc_self_fd_1_does_not_exist")
    for name in ("fifo", "to_fifo", "dangling"):
        one_line_error(cli(["export", "districts", "--out", name, "--format", "geojson"], tmp_path), "refusing")
    assert stat.S_ISFIFO((tmp_path / "fifo").lstat().st_mode)
    assert (tmp_path / "to_fifo").is_symlink() and (tmp_path / "dangling").is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dangling", "fifo", "to_fifo"]  # no .part, no sidecar


def test_a_link_to_a_regular_file_replaces_the_file_and_keeps_the_link(tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("old")
    (tmp_path / "link.csv").symlink_to(real)
    proc = cli(["export", "districts", "--out", "link.csv", "--no-sidecar"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "link.csv").is_symlink() and real.read_text(encoding="utf-8").startswith("id,")


def test_write_together_refuses_a_char_device_like_target_without_touching_it(tmp_path, monkeypatch):
    target = tmp_path / "dev"
    target.write_bytes(b"device")
    real_stat = Path.stat

    def fake_stat(self, *a, **k):  # a character device, without touching a real one
        st = real_stat(self, *a, **k)
        if self == target:
            return os.stat_result((stat.S_IFCHR | 0o666, *tuple(st)[1:]))
        return st

    monkeypatch.setattr(Path, "stat", fake_stat)
    with pytest.raises(ValueError, match="not a regular file"):
        export.write_atomic(target, b"x")
    assert target.read_bytes() == b"device" and sorted(p.name for p in tmp_path.iterdir()) == ["dev"]


def test_result_and_sidecar_are_written_together_or_not_at_all(tmp_path, monkeypatch):
    main, side = tmp_path / "r.geojson", tmp_path / "r.geojson.meta.json"
    export.write_together([(main, b"old"), (side, b"old-meta")])
    real_replace = os.replace

    def failing(src, dst):
        if str(dst).endswith(".meta.json"):
            raise OSError("disk full")
        return real_replace(src, dst)

    monkeypatch.setattr(export.os, "replace", failing)
    with pytest.raises(OSError, match="disk full"):
        export.write_together([(main, b"new"), (side, b"new-meta")])
    assert main.read_bytes() == b"old" and side.read_bytes() == b"old-meta"  # the old pair, intact
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.geojson", "r.geojson.meta.json"]
    with pytest.raises(OSError, match="disk full"):
        export.write_together([(tmp_path / "n.csv", b"new"), (tmp_path / "n.csv.meta.json", b"m")])
    assert not (tmp_path / "n.csv").exists()  # a new main file does not stay without its sidecar


def test_a_sidecar_that_cannot_be_written_leaves_no_main_file(tmp_path):
    (tmp_path / "x.geojson.meta.json").mkdir()  # the sidecar's name is taken by a folder
    proc = cli(["export", "districts", "--out", "x.geojson"], tmp_path)
    one_line_error(proc, "refusing")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.geojson.meta.json"]


def test_an_interrupt_during_a_write_leaves_no_part_file(tmp_path, monkeypatch):
    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(export.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        export.write_atomic(tmp_path / "a.geojson", b"data")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)], ids=["TERM", "INT"])
def test_signals_end_the_command_cleanly(tmp_path, sig, code):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "atlas", "briefing", "--title", "t", "--out", "b.png"],
                            cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True)
    time.sleep(4)  # inside loading/rendering
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    if proc.returncode == 0:
        pytest.skip("the briefing finished before the signal arrived")
    assert proc.returncode == code and "Traceback" not in err, err
    assert "interrupted" in err.strip().splitlines()[-1]
    assert list(tmp_path.iterdir()) == []


BAD = [
    (["export", "districts", "--format", "geojson", "--out", "p.csv"], "does not match the suffix"),
    (["export", "districts", "--format", "csv", "--out", "p.gpkg"], "does not match the suffix"),
    (["briefing", "--title", "x", "--format", "png", "--out", "b.pdf"], "does not match the suffix"),
    (["density", "kernel_density", "--param", "bandwidth_m=1e999"], "a finite number is expected"),
    (["density", "kernel_density", "--param", "bandwidth_m=5e6"], "bandwidth_m must be at most"),
    (["density", "kernel_density", "--param", "cell_m=nan"], "a number is expected"),
    (["briefing", "--title", "x", "--bbox=-180,-90,180,90"], "beyond the atlas's area"),
    (["briefing", "--title", "x", "--bbox=120,36,120.0000001,36.0000001"], "too small"),
    (["briefing", "--title", "x", "--bbox=120,36,inf,37"], "bad --bbox"),
    (["screenshot", "--size", "0x0"], "allowed 200..6000"),
    (["screenshot", "--size", "2147483647x2147483647"], "allowed 200..6000"),
    (["screenshot", "--center", "nan,120"], "finite"),
    (["screenshot", "--zoom", "99"], "bad --zoom 99"),
]


@pytest.mark.parametrize(("args", "match"), BAD, ids=[" ".join(a)[:45] for a, _ in BAD])
def test_out_of_bounds_arguments_get_one_line(tmp_path, args, match):
    one_line_error(cli(args, tmp_path), match)
    assert list(tmp_path.iterdir()) == []


def test_the_format_follows_the_suffix_when_not_given(tmp_path):
    proc = cli(["export", "districts", "--out", "p.csv", "--no-sidecar"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "p.csv").read_text(encoding="utf-8").startswith("id,")


def test_briefing_titles_are_plain_text(tmp_path):
    proc = cli(["briefing", "--title", "$x^$", "--subtitle", "预算 $5亿 至 $10亿", "--out", "t.png", "--dpi", "60"],
               tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "t.png").read_bytes()[:4] == b"\x89PNG"
