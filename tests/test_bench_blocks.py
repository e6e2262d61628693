"""Every performance table in the README is written by its bench script (non-negotiable 5): each
marked block has a script that writes it, and each such script's block is in the README and holds a
measurement with its date and machine — not a placeholder."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"<!-- bench:(\w+):start -->\n(.*?)\n<!-- bench:\1:end -->", re.S)


def _written_by_scripts() -> dict[str, str]:
    names = {}
    for script in sorted((ROOT / "bench").glob("*.py")):
        for name in re.findall(r"""(?:report|write_block)\(\s*["'](\w+)["']""", script.read_text(encoding="utf-8")):
            names[name] = script.name
    return names


def test_each_readme_block_is_written_by_a_bench_script_and_holds_a_measurement():
    blocks = dict(BLOCK.findall(README))
    scripts = _written_by_scripts()
    assert set(blocks) == set(scripts), (set(blocks) ^ set(scripts))
    for name, body in blocks.items():
        assert f"bench/{scripts[name]}" in body, f"block {name} does not name {scripts[name]}"
        assert re.search(r"20\d\d-\d\d-\d\d \d\d:\d\d UTC", body), f"block {name} has no date: {body[:80]}"
        assert "|" in body or "```" in body, f"block {name} holds no table: {body[:80]}"


def test_the_block_finder_sees_the_known_blocks():
    """The pattern above is not vacuous: the README's long-standing tables are found by it."""
    assert {"map", "density", "connectivity"} <= set(dict(BLOCK.findall(README)))
