"""CLI writes that never destroy (subprocesses; only files this test creates in tmp_path):
special files are never replaced, interrupts leave nothing half-written and no traceback,
result and sidecar go together, --format agrees with --out, numeric arguments are bounded."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
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


#: the command run in a child, with one step held until the test has sent its signal (no race: the test
#: waits for the child to say where it is, instead of sleeping and hoping)
HOLD_DURING = """
import sys, time
import atlas.cli.briefing as b
def held(path, data):
    print("WRITING", file=sys.stderr, flush=True)
    time.sleep(120)
b.write_atomic = held
from atlas.cli.main import main
sys.exit(main(sys.argv[1:]))
"""
HOLD_AFTER = """
import sys, time
from atlas.cli.main import main
code = main(sys.argv[1:])
print("DONE", file=sys.stderr, flush=True)
time.sleep(120)
sys.exit(code)
"""


def _held(script: str, args: list[str], cwd: Path, marker: str, sig) -> tuple[int, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", script, *args], cwd=cwd, env=env, stderr=subprocess.PIPE,
                            text=True)
    lines = []
    for line in proc.stderr:  # blocks until the child is at the held step
        lines.append(line)
        if line.strip() == marker:
            break
    proc.send_signal(sig)
    rest = proc.stderr.read()
    proc.wait(timeout=60)
    return proc.returncode, "".join(lines) + rest


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)], ids=["TERM", "INT"])
def test_signals_end_the_command_cleanly(tmp_path, sig, code):
    returncode, err = _held(HOLD_DURING, ["briefing", "--title", "t", "--out", "b.png"], tmp_path, "WRITING", sig)
    assert returncode == code and "Traceback" not in err, err
    assert "interrupted" in err.strip().splitlines()[-1]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)], ids=["TERM", "INT"])
def test_a_signal_after_the_work_is_done_ends_quietly(tmp_path, sig, code):
    returncode, err = _held(HOLD_AFTER, ["export", "districts", "--out", "d.geojson"], tmp_path, "DONE", sig)
    assert returncode == code and "Traceback" not in err and "Interrupted" not in err, err
    assert json.loads((tmp_path / "d.geojson").read_text(encoding="utf-8"))["type"] == "FeatureCollection"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.geojson", "d.geojson.meta.json"]


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


# --- issue 24: density-report writes through the one writer, checks everything first, writes the set whole ---
POINTS = "name,lon,lat,w\na,120.38,36.07,1\nb,120.39,36.08,2\nc,120.48,36.12,1\n"


def test_density_report_refuses_a_fifo_among_its_results_before_any_work(tmp_path):
    (tmp_path / "out").mkdir()
    os.mkfifo(tmp_path / "out" / "kde.geojson")
    proc = cli(["density-report", "--out", "out"], tmp_path, timeout=60)
    one_line_error(proc, "refusing to replace")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["kde.geojson"]


@pytest.mark.parametrize(("args", "match"), [(["--bandwidth-m", "nan"], "must be finite metres"),
                                             (["--cell-m", "5000"], "must not be larger than --bandwidth-m"),
                                             (["--resolution", "99"], "resolution 0-15"),
                                             (["--cell-m", "20"], "use cell_m >= 160 m"),
                                             (["--resolution", "12"], "use resolution <= 9"),
                                             (["--weight", "w"], "every weight is zero")])
def test_density_report_checks_every_argument_before_the_first_byte(tmp_path, args, match):
    (tmp_path / "p.csv").write_text(POINTS.replace(",1\n", ",0\n").replace(",2\n", ",0\n"), encoding="utf-8")
    proc = cli(["density-report", "p.csv", "--out", "out", *args], tmp_path, timeout=120)
    one_line_error(proc, match)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.csv"]


def test_density_report_writes_the_set_whole_and_keeps_other_files(tmp_path):
    (tmp_path / "p.csv").write_text(POINTS, encoding="utf-8")
    proc = cli(["density-report", "p.csv", "--weight", "w", "--cell-m", "1000", "--out", "out"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == sorted(["zones_clusters.geojson", "zones_clusters.csv", "zones_districts.geojson",
                            "zones_districts.csv", "hexagons.geojson", "kde.geojson", "bay_comparison.csv",
                            "row_problems.csv"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "p.csv"]  # no temporary folder left
    kde_json = json.loads((tmp_path / "out" / "kde.geojson").read_text(encoding="utf-8"))
    assert abs(sum(f["properties"]["mass"] for f in kde_json["features"]) - 4) < 0.5  # weights 1+2+1, on land
    (tmp_path / "out" / "notes.txt").write_text("mine")
    assert cli(["density-report", "p.csv", "--cell-m", "1000", "--out", "out"], tmp_path).returncode == 0
    assert (tmp_path / "out" / "notes.txt").read_text() == "mine"


def test_a_result_set_interrupted_while_written_leaves_nothing(tmp_path, monkeypatch):
    real = export.os.fsync
    calls = []

    def interrupted(fd):
        calls.append(fd)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(fd)

    monkeypatch.setattr(export.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        export.write_folder(tmp_path / "set", {f"{i}.json": b"{}" for i in range(5)})
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "set").mkdir()
    (tmp_path / "set" / "0.json").write_bytes(b"old")
    calls.clear()
    with pytest.raises(KeyboardInterrupt):
        export.write_folder(tmp_path / "set", {f"{i}.json": b"{}" for i in range(5)})
    assert [p.name for p in (tmp_path / "set").iterdir()] == ["0.json"]
    assert (tmp_path / "set" / "0.json").read_bytes() == b"old"


def test_a_title_that_is_not_utf8_gets_one_line(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "atlas", "briefing", "--title", b"caf\xe9", "--out", "b.png"],
                          cwd=tmp_path, env=env, capture_output=True, timeout=120, check=False)
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 2 and "Traceback" not in err, err
    assert "argument --title: not UTF-8 text" in err.strip().splitlines()[-1]
    assert list(tmp_path.iterdir()) == []
