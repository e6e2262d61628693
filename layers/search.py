"""Name search (the map page, and place names on the command line): the place itself first, in either script, forgiving typos (issue 23).

Each feature is found by its Chinese name, its English name and the pinyin of its Chinese name
(``pypinyin``: "laoshan shiyanshi" finds 崂山实验室). Scores (``rapidfuzz``), best first:

* the whole name (100), every word of the query among the name's words ("Jiaodong airport" in
  "Qingdao Jiaodong International Airport", 92), the query inside the name (80–95), the query's
  characters in order inside a Chinese name (an abbreviation: 胶东机场 in 青岛胶东国际机场, 70–90),
  then typos (``partial_ratio`` / ``token_set_ratio`` × 0.85: "Ocen Univrsity", 海洋大擘);
* **things named after a place rank below it**: stations (metro and rail) lose
  :data:`NAMED_AFTER_PENALTY` unless the query asks for a station ("站", "station"); then the
  station words are set aside for matching and everything but stations loses it;
* among near-equals, the weightier feature (:data:`WEIGHT_BONUS`: a main campus over a branch), then
  the shorter name (the place rather than something longer that contains its name).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import pandas as pd
from pypinyin import lazy_pinyin
from rapidfuzz import fuzz

from layers.base import located


@dataclass(frozen=True)
class Match:
    layer: str
    id: str
    name_zh: str
    name_en: str
    score: float  # how well the name matches (1 = exact)
    kind: str = ""  # the feature's type (resources) or category: what the hit *is*
    rank: float = 0.0  # score adjusted for what the user most likely means (sort key)
    placed: bool = True  # False: known only to a district or the city, "location not published" (issue 21)


#: Which layer wins a tie: places the plan names before the infrastructure named after them.
LAYER_RANK = ("resources", "park_sites", "parks", "clusters", "transport_nodes", "links", "metro_lines",
              "metro_stations", "jiaozhou_bay")


#: Kinds of feature named after the place they serve (a station called 海洋大学, 胶东机场 …).
NAMED_AFTER_KINDS = frozenset({"metro_station", "rail_station"})
NAMED_AFTER_LAYERS = frozenset({"metro_stations"})
STATION_WORDS = ("站", "station", "metro", "地铁", "subway", "railway", "火车")
NAMED_AFTER_PENALTY = 25.0
CUTOFF = 60.0
#: per unit of a resource's weight: among near-equal names, the main campus (4) before a branch (2)
WEIGHT_BONUS = 0.5
HAN = re.compile(r"[\u3400-\u9fff]")


def squash(text: str) -> str:
    """Case-, width- and punctuation-insensitive, spaces removed (（） → (), ＱＩＮＧＤＡＯ → qingdao)."""
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    return "".join(ch for ch in text if ch.isalnum())


def words(text: str) -> str:
    """Lower-case words separated by single spaces (for word-set matching)."""
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    return " ".join(re.findall(r"[^\W_]+", text))


@lru_cache(maxsize=4096)
def pinyin(text: str) -> str:
    """The pinyin of the Chinese characters of ``text``, as words ("崂山实验室" → "lao shan shi yan shi")."""
    han = "".join(ch for ch in str(text) if HAN.match(ch))
    return " ".join(lazy_pinyin(han)) if han else ""


def _in_order(query: str, name: str) -> bool:
    it = iter(name)
    return all(ch in it for ch in query)


def name_score(query: str, name: str) -> float:
    """How well ``query`` names ``name`` (0–100); both raw text."""
    q, n = squash(query), squash(name)
    if not q or not n:
        return 0.0
    if q == n:
        return 100.0
    if q in n:  # the query as it stands inside the name
        return 88.0 + 10.0 * len(q) / len(n)
    qw, nw = words(query).split(), words(name).split()
    if len(q) >= 2 and set(qw) <= set(nw):  # every word, not together ("Jiaodong airport")
        return 80.0 + 10.0 * len(q) / len(n)
    if len(q) >= 2 and HAN.search(q) and _in_order(q, n):  # an abbreviation (胶东机场)
        return 70.0 + 20.0 * len(q) / len(n)
    if len(q) < 3:
        return 0.0
    if HAN.search(q) or len(qw) < 1:
        return 0.85 * fuzz.partial_ratio(q, n)
    # typos ("Ocen Univrsity"): each query word against its closest word of the name, and the words in order
    by_word = sum(max(fuzz.ratio(w, v) for v in nw) for w in qw) / len(qw)
    return 0.85 * (by_word + fuzz.partial_ratio(q, n)) / 2


def feature_score(query: str, name_zh: str, name_en: str) -> float:
    """The best of the Chinese name, the English name and the Chinese name's pinyin."""
    scores = [name_score(query, name_zh), name_score(query, name_en)]
    if not HAN.search(query):
        spelled = pinyin(name_zh)
        if spelled:
            scores.append(name_score(query, spelled))
    return max(scores)


def strip_station_words(query: str) -> str:
    text = unicodedata.normalize("NFKC", str(query)).casefold()
    for word in STATION_WORDS:
        text = text.replace(word, " ")
    return text.strip() or str(query)


def asks_for_station(query: str) -> bool:
    text = unicodedata.normalize("NFKC", str(query)).casefold()
    return any(w in text for w in STATION_WORDS)


def search(frames: dict[str, gpd.GeoDataFrame], query: str, *, limit: int = 10,
           cutoff: float = CUTOFF) -> list[Match]:
    """Best matches across layers, the place the reader most likely means first (see the module)."""
    if not squash(query):
        return []
    station = asks_for_station(query)
    core = strip_station_words(query) if station else query  # "海洋大学站" names the station 海洋大学
    order = {k: i for i, k in enumerate(LAYER_RANK)}
    found: list[tuple[tuple, Match]] = []
    for layer, gdf in frames.items():
        if gdf.empty or "name_zh" not in gdf:
            continue
        kinds = gdf["type"] if "type" in gdf else gdf.get("category", pd.Series("", index=gdf.index))
        weights = pd.to_numeric(gdf["weight"], errors="coerce") if "weight" in gdf else pd.Series(0.0, index=gdf.index)
        placed = gdf.index.isin(located(gdf).index) if isinstance(gdf, gpd.GeoDataFrame) else [True] * len(gdf)
        for fid, zh, en, kind, weight, here in zip(gdf["id"], gdf["name_zh"], gdf["name_en"], kinds,
                                                   weights.fillna(0), placed, strict=True):
            score = max(feature_score(query, str(zh), str(en)), feature_score(core, str(zh), str(en)) if station else 0)
            if score < cutoff:
                continue
            is_station = str(kind) in NAMED_AFTER_KINDS or layer in NAMED_AFTER_LAYERS
            demoted = is_station != station  # a station unless one is asked for; then everything else
            rank = score - (NAMED_AFTER_PENALTY if demoted else 0.0) + WEIGHT_BONUS * float(weight)
            match = Match(layer, str(fid), str(zh), str(en), round(score / 100, 3), str(kind or ""), round(rank, 3),
                          placed=bool(here))  # issue 21: a hit without a place says "location not published"
            found.append(((-rank, len(str(zh)), order.get(layer, len(order)), str(fid)), match))
    found.sort(key=lambda pair: pair[0])
    return [m for _, m in found[:limit]]
