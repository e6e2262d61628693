"""The README's density paragraph is the code's (atlas/density_figures.py), checked by hand on a toy case."""

from __future__ import annotations

from atlas import density_figures as dfig


def test_readme_shows_the_current_density_figures():
    text = dfig.README.read_text(encoding="utf-8")
    block = text.split(dfig.BEGIN, 1)[1].split(dfig.END, 1)[0].strip()
    assert block == dfig.readme_block(dfig.figures()), "run `python -m atlas.density_figures` and commit README.md"


def test_figures_leave_out_what_has_no_position():
    f = dfig.figures()
    assert f["n_precise"] <= f["n_placed"] == f["n"] - f["n_district"] - f["n_city"]
    for which in ("precise", "placed"):
        assert 0 < sum(f[which].values()) <= 1 + 1e-9  # shares of the placed weight; some lies outside the bays


def test_block_wording_by_hand():
    f = {"n": 10, "n_precise": 4, "n_placed": 7, "max_m": 5000.0, "n_district": 2, "n_city": 1,
         "precise": {"jiaozhou": 0.5, "lingshan": 0.25, "aoshan": 0.0},
         "placed": {"jiaozhou": 0.4, "lingshan": 0.2, "aoshan": 0.1}}
    text = dfig.readme_block(f)
    assert "(4 of 10," in text and "胶州湾 50 %, 灵山湾 25 %, 鳌山湾 0 %" in text
    assert "all 7 placed resources" in text and "up to 5 km" in text
    assert "3 resources have no position (2 known only to their district, 1 only to the city)" in text


def test_readme_tier_counts_in_prose_match_the_layer():
    """The sentences that count resources by location tier (data section, known limits) say what the layer holds."""
    import re

    from layers import resources

    tiers = resources.load()["location_tier"].value_counts()
    text = " ".join(dfig.README.read_text(encoding="utf-8").split())
    found = re.search(r"(\d+) of the (\d+) resources sit at a published campus POI.*?; (\d+) at a published point on "
                      r"their street or in their town or area.*?; (\d+) are known only to their district and (\d+) only "
                      r"to the city", text)
    assert found, "the README's resource-tier sentence changed: update this test"
    assert tuple(map(int, found.groups())) == (tiers["site"], tiers.sum(), tiers["street"], tiers["district"],
                                               tiers["city"])
    limits = re.search(r"and (\d+) resources are known only to their district or the city", text)
    assert limits and int(limits.group(1)) == tiers["district"] + tiers["city"]
