"""The two install routes stay in step, and CI calls the README's test command."""

import re
import tomllib

from tests.conftest import ROOT

CONDA_NAMES = {"h3": "h3-py"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!\[ ;]", requirement.strip(), maxsplit=1)[0].lower()


def test_every_runtime_dependency_is_in_environment_yml():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    env = (ROOT / "environment.yml").read_text()
    listed = {_name(line.lstrip(" -")) for line in env.splitlines() if line.strip().startswith("- ")}
    missing = [
        n for n in (_name(r) for r in pyproject["project"]["dependencies"])
        if CONDA_NAMES.get(n, n) not in listed
    ]
    assert not missing, f"add to environment.yml: {missing}"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in readme
    assert re.search(r"^exec make test$", ci, re.M)


def test_streamlit_only_in_app_layer():
    offenders = []
    for pkg in ("analysis", "layers", "geodata", "atlas"):
        for path in (ROOT / pkg).rglob("*.py"):
            if re.search(r"^\s*(import streamlit|from streamlit)", path.read_text(encoding="utf-8"), re.M):
                offenders.append(str(path.relative_to(ROOT)))
    assert not offenders


def test_streamlit_upload_limit_matches_the_loader_limit():
    from core.settings import UPLOAD

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == UPLOAD.max_bytes
    assert config["server"]["enableXsrfProtection"] is True
    assert config["client"]["showErrorDetails"] == "none"


def test_streamlit_does_not_collect_every_object_after_every_rerun():
    """A full gc after each script run walked every session's uploaded points on every rerun of every
    reader (44.5 % of the server's GIL time under the load bench); the option must stay off."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["runner"]["postScriptGC"] is False


def test_streamlit_does_not_watch_source_files_in_service():
    """Watching sources made Streamlit walk every imported module after every rerun of every reader (8.5 % of
    the server's GIL time under the load bench); reload-on-save is a development option, off by default."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["fileWatcherType"] == "none"
