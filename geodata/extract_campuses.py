"""Rebuild the Qingdao extracts of the two published campus-position datasets.

The atlas keeps only the Qingdao rows of each dataset, under ``geodata/src/ext/``
(licence and citation in ``geodata/src/ext/README.md``). Fetch the source
repositories yourself (the commits below), then run::

    python -m geodata.extract_campuses --pg7go <path to 大学-8084.json> \
        --unisoket <path to util/universityList.js>

* ``pg7go``: github.com/pg7go/The-Location-Data-of-Schools-in-China, file
  ``大学-8084.json`` (8,084 Baidu Place API results for "大学", one per campus,
  BD-09). ``src_row`` is the 0-based index of the row in that JSON list.
* ``unisoket``: github.com/whr810012/uni-soket-ai, file ``util/universityList.js``
  (2,732 Baidu Place results, BD-09, MIT licence), used as a second source.

Both keep the coordinates exactly as published (BD-09); the layer build converts.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd

from core.settings import GEODATA_DIR

EXT_DIR = GEODATA_DIR / "src" / "ext"
PG7GO = {"repo": "pg7go/The-Location-Data-of-Schools-in-China",
         "commit": "e0a696e26b3b388ce1ef26938d002f156b42c983", "path": "大学-8084.json",
         "out": EXT_DIR / "pg7go_universities_qingdao.csv"}
UNISOKET = {"repo": "whr810012/uni-soket-ai",
            "commit": "2b95dae48e7c02ae8169f0b3a46660c99cfdecf8", "path": "util/universityList.js",
            "out": EXT_DIR / "unisoket_universities_qingdao.csv"}
COLUMNS = ["src_row", "name", "area", "address", "lng_bd09", "lat_bd09"]
CITY = "青岛市"


def qingdao_rows(rows: list[dict]) -> pd.DataFrame:
    """The rows whose city is Qingdao, first occurrence of each (name, position) only."""
    out, seen = [], set()
    for i, r in enumerate(rows):
        if r.get("city") != CITY:
            continue
        loc = r["location"]
        key = (r["name"], loc["lng"], loc["lat"])
        if key in seen:
            continue
        seen.add(key)
        out.append({"src_row": i, "name": r["name"], "area": r.get("area", ""),
                    "address": r.get("address", ""), "lng_bd09": loc["lng"], "lat_bd09": loc["lat"]})
    return pd.DataFrame(out, columns=COLUMNS)


def read_pg7go(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8-sig"))


def read_unisoket(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8")
    return json.loads(text[text.index("["): text.rindex("]") + 1])


def write(df: pd.DataFrame, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(out, index=False, encoding="utf-8", lineterminator="\n")
    print(f"{out.name}: {len(df)} rows")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg7go", type=Path, help=f"{PG7GO['repo']} {PG7GO['path']}")
    parser.add_argument("--unisoket", type=Path, help=f"{UNISOKET['repo']} {UNISOKET['path']}")
    args = parser.parse_args(argv)
    if not (args.pg7go or args.unisoket):
        parser.error("give --pg7go and/or --unisoket (paths to the fetched source files)")
    if args.pg7go:
        write(qingdao_rows(read_pg7go(args.pg7go)), PG7GO["out"])
    if args.unisoket:
        write(qingdao_rows(read_unisoket(args.unisoket)), UNISOKET["out"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
