"""The briefing command: focus, what it imports, and a sheet that opens."""

import subprocess
import sys

import pytest
from PIL import Image

from atlas.cli.main import main
from tests.conftest import ROOT


def test_focus_on_a_cluster_writes_a_slide(tmp_path):
    out = tmp_path / "aoshan.png"
    assert main(["briefing", "--title", "鳌山湾", "--focus", "cluster=aoshan", "--preset", "slide-16:9",
                 "--dpi", "50", "--out", str(out)]) == 0
    assert Image.open(out).size == (667, 375)


@pytest.mark.parametrize("focus", ["cluster=nowhere", "district:moon", "laoshan"])
def test_a_bad_focus_is_refused_with_the_choices(focus, tmp_path, capsys):
    assert main(["briefing", "--title", "t", "--focus", focus, "--out", str(tmp_path / "x.png")]) == 2
    err = capsys.readouterr().err
    assert f"bad --focus '{focus}'" in err and "cluster:aoshan" in err and "district:laoshan" in err
    assert not (tmp_path / "x.png").exists()


def test_a_briefing_does_not_import_the_web_map_or_the_analyses(tmp_path):
    """CLI start cost: a PNG needs neither folium nor the analysis modules."""
    code = ("import sys; from atlas.cli.main import main; "
            f"rc = main(['briefing', '--title', 't', '--dpi', '50', '--out', {str(tmp_path / 'b.png')!r}]); "
            "heavy = ('folium', 'streamlit', 'atlas.cli.analyse', 'networkx'); "
            "print(rc, sorted(m for m in heavy if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["0", "[]"], done.stdout + done.stderr
