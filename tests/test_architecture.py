"""The code's layers hold (pyproject.toml's import-linter contracts; README "How the code is laid out").

``lint-imports`` runs on the project, and on a copy with one import that breaks the order
(so the contracts are shown to bite, not only to pass).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("core", "layers", "analysis", "atlas", "views", "geodata")
LINT = str(Path(sys.executable).with_name("lint-imports"))


def lint(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([LINT, "--no-cache", "--config", str(root / "pyproject.toml")], cwd=root,
                          env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
                          timeout=300)


def test_the_import_contracts_are_kept():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    """The packages' Python files (no data) and the contracts, in a scratch folder."""
    dest = tmp_path_factory.mktemp("layout")
    for pkg in PACKAGES:
        for src in (ROOT / pkg).rglob("*.py"):
            target = dest / src.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, target)
    shutil.copyfile(ROOT / "pyproject.toml", dest / "pyproject.toml")
    return dest


@pytest.mark.parametrize(("module", "line", "broken"), [
    ("core/vocab.py", "import layers.schema", "Layers"),  # the base reaching up
    ("layers/render.py", "import analysis.network", "Layers"),  # a layer reaching into analysis
    ("analysis/access.py", "from atlas import mapmodel", "Layers"),  # analysis reaching the app side
    ("atlas/mapmodel.py", "from atlas.cli import common", "command line"),  # the app side using the CLI
    ("layers/legend.py", "import streamlit", "Streamlit"),  # Streamlit below the pages
    ("analysis/network_config.py", "import analysis.network", "circles"),  # an import circle
], ids=["base-up", "layers-up", "analysis-up", "cli", "streamlit", "circle"])
def test_an_import_against_the_order_fails(copy, module, line, broken):
    path = copy / module
    original = path.read_text(encoding="utf-8")
    path.write_text(original + f"\n{line}  # injected by the test\n", encoding="utf-8")
    try:
        result = lint(copy)
    finally:
        path.write_text(original, encoding="utf-8")
    assert result.returncode != 0, result.stdout[-2000:]
    broken_lines = [ln for ln in result.stdout.splitlines() if ln.rstrip().endswith("BROKEN")]
    assert any(broken in ln for ln in broken_lines), result.stdout[-3000:]


def test_no_lower_package_names_the_app_side_or_streamlit():
    """Spelled out for a reader: nothing under core/, layers/ or analysis/ imports atlas, views or streamlit."""
    import ast

    offenders = []
    for pkg in ("core", "layers", "analysis"):
        for src in (ROOT / pkg).rglob("*.py"):
            for node in ast.walk(ast.parse(src.read_text(encoding="utf-8"))):
                names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                         else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
                offenders += [f"{src.relative_to(ROOT)}: {n}" for n in names
                              if n.split(".")[0] in ("atlas", "views", "app", "streamlit", "streamlit_folium")]
    assert offenders == []
