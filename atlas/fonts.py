"""Find and register a CJK font for matplotlib, so Chinese text never renders as tofu.

The font comes from the system: Debian's ``fonts-noto-cjk`` (installed by
``make fonts``, which ``make run`` and ``make test`` call). Other machines may
point ``QD_ATLAS_CJK_FONT`` at any OTF/TTF/TTC file, or have one of the usual
system CJK fonts. The search order is :data:`FONT_FILES`, then :data:`FONT_FAMILIES` in matplotlib's
font cache, then a scan of the system font folders (a cache built before the font
was installed is no obstacle: the file is registered with ``addfont`` directly).
Why no PyPI font package: the only one shipping Noto Sans CJK (cvttf-notosanscjk-regular,
27 MB, 2019) carries the Traditional-Chinese-first face under a mislabelled licence.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from matplotlib import font_manager

FONT_ENV = "QD_ATLAS_CJK_FONT"
#: Files tried first, in order (Debian/Ubuntu fonts-noto-cjk, Fedora, Arch).
FONT_FILES: tuple[str, ...] = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
)
#: Family names accepted when already known to matplotlib (Windows/macOS fonts too).
FONT_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
    "WenQuanYi Zen Hei", "Microsoft YaHei", "SimHei", "PingFang SC",
)
#: CJK font files recognised on disk when matplotlib's cached font list does not know them yet.
FILE_PATTERN = re.compile(r"NotoSans(CJK|SC)|SourceHanSans|wqy-zenhei|msyh|simhei|PingFang", re.I)
INSTALL_HINT = (
    "No CJK font found, so Chinese text would render as empty boxes. Install Debian's "
    "fonts-noto-cjk (`make fonts`, or `apt-get install fonts-noto-cjk`), or set "
    f"{FONT_ENV}=/path/to/a/CJK-font.otf"
)


class FontNotFoundError(RuntimeError):
    """No usable CJK font on this machine."""


def bold_sibling(path: Path) -> Path | None:
    """The bold file of a regular one (``NotoSansCJK-Regular.ttc`` → ``NotoSansCJK-Bold.ttc``), if on disk."""
    name = re.sub(r"(?i)regular", "Bold", path.name)
    if name == path.name:
        return None
    bold = path.with_name(name)
    return bold if bold.is_file() else None


def _register(path: Path) -> str:
    """Add a font file (and its bold sibling) to matplotlib's manager; the family name it registered.

    A matplotlib font cache built before the font was installed knows neither file:
    registering the bold face too keeps titles bold on a fresh machine.
    """
    font_manager.fontManager.addfont(str(path))
    bold = bold_sibling(path)
    if bold is not None:
        font_manager.fontManager.addfont(str(bold))
    names = [f.name for f in font_manager.fontManager.ttflist if Path(f.fname) == path]
    simplified = [n for n in names if n.endswith(" SC")]
    return (simplified or names)[0]


@lru_cache(maxsize=1)
def cjk_family() -> str:
    """The matplotlib family name of a CJK font, registering the file if needed.

    Raises :class:`FontNotFoundError` with an install hint when none exists.
    """
    chosen = os.environ.get(FONT_ENV)
    if chosen:
        if not Path(chosen).is_file():
            msg = f"{FONT_ENV}={chosen!r} is not a file. " + INSTALL_HINT
            raise FontNotFoundError(msg)
        return _register(Path(chosen))
    for file in FONT_FILES:
        if Path(file).is_file():
            return _register(Path(file))
    known = {f.name for f in font_manager.fontManager.ttflist}
    for family in FONT_FAMILIES:
        if family in known:
            return family
    # matplotlib's font cache may predate the font's installation: look at the disk itself.
    for file in sorted(font_manager.findSystemFonts(), key=lambda f: ("Regular" not in f, f)):
        if FILE_PATTERN.search(Path(file).name):
            return _register(Path(file))
    raise FontNotFoundError(INSTALL_HINT)


def cjk_font_file(weight: str = "normal") -> str:
    """Path of the font file matplotlib will use for :func:`cjk_family` at ``weight``."""
    prop = font_manager.FontProperties(family=cjk_family(), weight=weight)
    return font_manager.findfont(prop, fallback_to_default=False)
