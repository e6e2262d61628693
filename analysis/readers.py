"""An analyst's file as a table: bytes in, one typed table out (the first step of an upload).

:func:`read_table` recognises the file by its *content*, reads it with the well-kept
readers and returns a :class:`Table` — the rows, which columns hold the coordinates
(when the file says so) and in which CRS. :mod:`analysis.points_io` takes it from there
(table → points); an upload passes each step once. Accepted:

* CSV/TSV text in any common dialect: delimiter sniffed (``, ; TAB |``), decimal
  commas recognised when the delimiter is not a comma, encodings UTF-8 (± BOM),
  UTF-16 (Excel's "Unicode text") and, found by charset-normalizer, GBK/GB18030 or Western
  (cp1252/Latin-1);
* Excel workbooks ``.xlsx`` (pandas + openpyxl, first sheet);
* GeoJSON FeatureCollections/Features and JSON arrays of records ``[{"lon": …, "lat": …}]``;
* zipped shapefiles, KML/KMZ and GeoPackage (pyogrio/GDAL; the file's own CRS wins
  over the declared one, a file without CRS uses the declared one).

An ``.xlsx`` renamed ``.csv`` is read as a workbook and a note says so; content that
is none of these is refused with a message naming what is accepted. Columns come out
typed once, here: a column whose every non-empty value is a number is numeric
(full-width digits and decimal commas included) unless it holds codes with leading
zeros ("007"); list/dict values (JSON) become their JSON text. Rows that carry a
geometry other than a point are left out of the table and reported. Every refusal is a
``ValueError`` whose message says what to do.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from core.crs import WGS84
from core.refusal import Refusal
from core.settings import BUDGET, UPLOAD

ACCEPTED = "CSV/TSV, Excel .xlsx, GeoJSON, JSON records, zipped shapefile, KML/KMZ, GeoPackage"
MESSAGES: dict[str, str] = {
    "unknown_content": "the file is not one of the accepted kinds ({accepted}); its content looks like {what}",
    "xls": "old Excel .xls workbooks are not read; save the sheet as .xlsx or CSV",
    "bad_zip": "the .zip holds no shapefile (.shp with .dbf/.shx) or KML; found: {value}",
    "bad_vector": "the {kind} file could not be read: {value}",
    "bad_records": "a JSON array must hold records like {{\"lon\": 120.4, \"lat\": 36.1}}; item {value} is not one",
    "bad_excel": "the Excel workbook could not be read: {value}",
    "no_such_column": "the {role} column {name!r} is not in the file; its columns are {columns}",
    "damaged_zip": "the file is a ZIP archive (an Excel workbook, zipped shapefile or KMZ) but it is damaged or "
                   "incomplete ({value}); export it again",
    "no_geometry": "the {kind} file has no geometry (a plain table?); save it as CSV or Excel with lon/lat columns",
    "too_many_rows": "the file has {rows} rows; the limit is {limit} (settings.UPLOAD.max_rows)",
    "recognised_as": "the file is named {name!r} but its content is {kind}: read as {kind}",
    "encoding": "the file is neither UTF-8 nor GBK/GB18030 nor Western (Latin-1) text (UTF-16 is read too; "
                "accepted kinds: {accepted})",
    "bad_csv": "the CSV could not be read: {value}",
    "bad_json": "the GeoJSON could not be read: {value}",
    "bad_json_records": "the JSON file could not be read: {value}",
    "empty_file": "the file is empty (no header row and no data); export it again with its column names",
    "empty_zip": "the .zip archive is empty; put the shapefile (.shp, .shx, .dbf, .prj) or KML in it",
    "not_geojson": "not a GeoJSON FeatureCollection/Feature: {value}",
    "not_a_point": "row {row}: geometry is {value}, not a Point",
    "archive_members": "the archive holds {members:,} files; at most {limit:,} are read (settings.BUDGET."
                       "archive_members): remove what is not needed",
    "archive_size": "the archive would unpack to {size_mb:,.0f} MB; at most {limit_mb:,.0f} MB are read "
                    "(settings.BUDGET.archive_bytes): split the file or send it as CSV",
}
SIGNATURES = ((b"PK\x03\x04", "zip"), (b"PK\x05\x06", "zip"), (b"SQLite format 3\x00", "gpkg"),
              (b"\xd0\xcf\x11\xe0", "xls"),
              (b"%PDF", "a PDF document"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
              (b"\x1f\x8b", "gzip data"), (b"Rar!", "a RAR archive"), (b"7z\xbc\xaf", "a 7z archive"))
SUFFIX_KIND = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "xlsx", ".geojson": "geojson",
               ".json": "json", ".zip": "zip", ".kml": "kml", ".kmz": "zip", ".gpkg": "gpkg"}
DELIMITERS = (",", ";", "\t", "|")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+(,\d+)?$")
#: the coordinate columns of a table read from a geometry (GeoJSON, shapefile, KML, GeoPackage)
GEOMETRY_XY = ("_x", "_y")


@dataclass
class Table:
    """One file's rows, typed. ``frame``'s index is the row number minus one (rows left out keep theirs)."""

    frame: pd.DataFrame
    kind: str
    crs: str
    lon: str | None = None
    lat: str | None = None
    notes: list[dict] = field(default_factory=list)  # about the file as a whole (row None)
    problems: list[dict] = field(default_factory=list)  # rows left out while reading


def problem(reason: str, **fields) -> dict:
    """A row's (or the file's) problem; ``fields`` are kept so the page can say it in the reader's language."""
    return {"row": fields.get("row"), "reason": reason, "message": MESSAGES[reason].format(**fields),
            "fields": fields}


def refuse(reason: str, **fields) -> Refusal:
    """The file as a whole cannot be used: a ``ValueError`` whose message the page can localize."""
    return Refusal(reason, MESSAGES[reason], **fields)


def read_table(data: bytes, name: str = "", *, kind: str | None = None, crs: str = "WGS84",
               lon: str | None = None, lat: str | None = None) -> Table:
    """The file's rows as a :class:`Table` (``kind`` 'csv' or 'geojson' forces the reading)."""
    kind = kind or sniff_kind(data)
    notes = _mismatch(name, kind)
    if kind in ("zip", "kml", "gpkg"):
        frame, crs, dropped = _vector_table(read_vector(data, kind), crs)
        return _table(frame, kind, crs, GEOMETRY_XY, notes, dropped)
    if kind == "geojson":
        frame, dropped = geojson_table(decode(data))
        return _table(frame, kind, crs, GEOMETRY_XY, notes, dropped)
    if kind == "json":
        frame = read_records(decode(data))
    elif kind == "xlsx":
        frame = read_excel(data)
    else:
        frame = read_table_text(decode(data))
    frame = frame.rename(columns=lambda c: str(c))
    for role, wanted in (("lon", lon), ("lat", lat)):
        if wanted is not None and wanted not in frame.columns:
            raise refuse("no_such_column", role=role, name=wanted, columns=list(frame.columns)[:20])
    return _table(frame, kind, crs, (lon, lat), notes, [])


def _table(frame: pd.DataFrame, kind: str, crs: str, xy: tuple, notes: list[dict], dropped: list[dict]) -> Table:
    if len(frame) + len(dropped) > UPLOAD.max_rows:
        raise refuse("too_many_rows", rows=len(frame) + len(dropped), limit=UPLOAD.max_rows)
    return Table(typed(frame), kind, crs, xy[0], xy[1], notes, dropped)


def sniff_kind(data: bytes) -> str:
    """What the bytes are: 'xlsx', 'zip', 'gpkg', 'kml', 'geojson', 'json', 'csv' (or raises)."""
    for magic, kind in SIGNATURES:
        if data.startswith(magic):
            if kind == "xls":
                raise refuse("xls")
            if " " in kind:
                raise refuse("unknown_content", accepted=ACCEPTED, what=kind)
            return _zip_kind(data) if kind == "zip" else kind
    head = decode(data[:4096], partial=True).lstrip("\ufeff \r\n\t")
    if head.startswith("<"):
        if "<kml" in head[:2000].lower():
            return "kml"
        raise refuse("unknown_content", accepted=ACCEPTED, what="XML/HTML")
    if head.startswith("{"):
        return "geojson"
    if head.startswith("["):
        return "json"
    return "csv"


def _zip_kind(data: bytes) -> str:
    """'xlsx' for an Excel workbook (Office Open XML), else 'zip' (shapefile, KMZ …)."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except zipfile.BadZipFile as exc:
        raise refuse("damaged_zip", value=str(exc)) from exc
    check_archive(infos)
    names = [i.filename for i in infos]
    if not names:
        raise refuse("empty_zip")
    return "xlsx" if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names) else "zip"


def check_archive(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse a zip (shapefile, KMZ, .xlsx) that would unpack to too many files or bytes — read from its
    directory, before anything is extracted (a 1 MB "zip bomb" can unpack to gigabytes)."""
    if len(infos) > BUDGET.archive_members:
        raise Refusal("archive_members", MESSAGES["archive_members"], members=len(infos),
                      limit=BUDGET.archive_members)
    size = sum(max(i.file_size, 0) for i in infos)
    if size > BUDGET.archive_bytes:
        raise Refusal("archive_size", MESSAGES["archive_size"], size_mb=size / 2**20,
                      limit_mb=BUDGET.archive_bytes / 2**20)


def decode(data: bytes, *, partial: bool = False) -> str:
    """Text from UTF-8 (± BOM), UTF-16 (BOM, or NUL-interleaved ASCII), else the legacy encoding
    charset-normalizer finds among GB18030/GBK and Western (cp1252, Latin-1) — see :func:`legacy_encoding`.
    ``partial``: a sample cut anywhere (the 4 kB used to sniff the kind) never raises."""
    errors = "replace" if partial else "strict"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors=errors)
    if len(data) >= 4 and data[1:200:2].count(0) > 0.4 * len(data[1:200:2]):
        return data.decode("utf-16-le", errors=errors)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if partial and exc.start > len(data) - 4:  # a character cut by the 4 kB sample
            return data[: exc.start].decode("utf-8-sig")
    encoding = legacy_encoding(data)
    if encoding is None:
        if partial:
            return data.decode("latin-1")
        raise refuse("encoding", accepted=ACCEPTED)
    return data.decode(encoding, errors=errors)


LEGACY = ("gb18030", "cp1252", "latin_1")


def legacy_encoding(data: bytes) -> str | None:
    """The encoding of non-UTF-8 text: charset-normalizer's least chaotic reading among :data:`LEGACY`.

    Short files often read cleanly both ways ("név" in Latin-1 is also the GB18030 bytes of "n関"); a tie
    goes to the Western reading only when its accented letters sit inside words and the Chinese reading
    is not mostly common characters (GB2312 level 1), else to GB18030 (the atlas's files are Chinese).
    """
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data, cp_isolation=list(LEGACY), preemptive_behaviour=False))
    if not matches:
        try:  # charset-normalizer finds it too chaotic, but it is valid GB18030: read it as before
            data.decode("gb18030")
        except UnicodeDecodeError:
            return None
        return "gb18030"
    best = min(m.chaos for m in matches)
    tied = {m.encoding: str(m) for m in matches if m.chaos <= best + 0.01}
    western = next((e for e in LEGACY[1:] if e in tied), None)
    if "gb18030" not in tied or western is None:
        return next(iter(tied))
    if _looks_western(tied[western]) and not _looks_chinese(tied["gb18030"]):
        return western
    return "gb18030"


def _looks_chinese(text: str) -> bool:
    """At least half of the non-ASCII characters are common Chinese (GB2312 level 1 or its punctuation)."""
    wide = [c for c in text if ord(c) > 127]
    common = 0
    for c in wide:
        try:
            common += c.encode("gb2312")[0] <= 0xD7
        except UnicodeEncodeError:
            continue
    return bool(wide) and common >= 0.5 * len(wide)


def _looks_western(text: str) -> bool:
    """Accented Latin letters, most of them inside a word (next to an ASCII letter): "név", "Müller"."""
    wide = [i for i, c in enumerate(text) if ord(c) > 127]
    if not wide:
        return False
    latin = [i for i in wide if "LATIN" in unicodedata.name(text[i], "")]
    inside = [i for i in latin if any(0 <= j < len(text) and text[j].isascii() and text[j].isalpha()
                                      for j in (i - 1, i + 1))]
    return len(latin) >= 0.8 * len(wide) and len(inside) >= 0.5 * len(latin)


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the most, consistent, columns (',' if none)."""
    lines = [ln for ln in text[:65536].splitlines()[:30] if ln.strip()]
    best, best_score = ",", 0.0
    for delim in DELIMITERS:
        counts = [ln.count(delim) for ln in lines]
        if not counts or counts[0] == 0:
            continue
        agree = sum(c == counts[0] for c in counts) / len(counts)
        score = agree * counts[0] + (0.5 if delim == "," else 0.0)
        if agree >= 0.6 and score > best_score:
            best, best_score = delim, score
    return best


def read_table_text(text: str) -> pd.DataFrame:
    """CSV/TSV text -> a table of strings (decimal commas made points when the delimiter allows)."""
    if not text.strip("\ufeff \r\n\t"):
        raise refuse("empty_file")
    delim = sniff_delimiter(text)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=delim, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise refuse("bad_csv", value=str(exc).strip()[:200] or "empty") from exc
    if delim != ",":
        for col in frame.columns:
            values = frame[col].str.strip()
            filled = values[values != ""]
            if len(filled) and filled.str.match(_DECIMAL_COMMA).all() and filled.str.contains(",").any():
                frame[col] = values.str.replace(",", ".", regex=False)
    return frame


def read_excel(data: bytes) -> pd.DataFrame:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it does not read
            return pd.read_excel(io.BytesIO(data), sheet_name=0, engine="openpyxl")
    except Exception as exc:  # noqa: BLE001 — openpyxl raises many kinds for damaged workbooks
        raise refuse("bad_excel", value=str(exc)[:200] or type(exc).__name__) from exc


def _json(text: str, reason: str = "bad_json"):
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise refuse(reason, value=str(exc)[:200] or type(exc).__name__) from exc


def read_records(text: str) -> pd.DataFrame:
    items = _json(text, "bad_json_records")  # a JSON array is not "the GeoJSON"
    if not isinstance(items, list):
        raise refuse("bad_records", value=0)
    bad = next((i for i, item in enumerate(items, start=1) if not isinstance(item, dict)), None)
    if bad is not None:
        raise refuse("bad_records", value=bad)
    return pd.DataFrame.from_records(items)


def geojson_table(text: str) -> tuple[pd.DataFrame, list[dict]]:
    """A GeoJSON FeatureCollection (or one Feature) -> (properties + ``_x``/``_y`` of its points, non-points)."""
    data = _json(text)
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = {"type": "FeatureCollection", "features": [data]}
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list) or not all(isinstance(f, dict) for f in features):
        raise refuse("not_geojson", value=f"top level is {type(data).__name__}" + (
            "" if not isinstance(data, dict) else f" with type {str(data.get('type'))[:40]!r}"))
    rows, dropped = [], []
    for i, feat in enumerate(features, start=1):
        geom = feat.get("geometry") if isinstance(feat.get("geometry"), dict) else {}
        props = feat.get("properties") if isinstance(feat.get("properties"), dict) else {}
        props = {k: v for k, v in props.items() if k not in GEOMETRY_XY}  # never overrides the coordinates
        coords = geom.get("coordinates")
        if geom.get("type") != "Point" or not isinstance(coords, list) or len(coords) < 2:
            dropped.append(problem("not_a_point", row=i, value=str(geom.get("type", "empty"))[:40]))
            continue
        rows.append(({**props, "_x": coords[0], "_y": coords[1]}, i - 1))
    frame = pd.DataFrame([r for r, _ in rows], index=pd.Index([i for _, i in rows], dtype=int))
    return _with_xy(frame), dropped


def read_vector(data: bytes, kind: str) -> gpd.GeoDataFrame:
    """Shapefile (zipped), KML/KMZ or GeoPackage via pyogrio (first layer)."""
    import pyogrio

    if kind == "zip":
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()  # sniff_kind already opened it
        if not any(n.lower().endswith((".shp", ".kml")) for n in names):
            raise refuse("bad_zip", value=", ".join(names[:8]) or "nothing")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # GDAL notes on file names of in-memory files
            frame = pyogrio.read_dataframe(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 — GDAL's errors are many; the message is what matters
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        detail = re.sub(r"/vsi\w+/\S*", "", first)[:200]  # GDAL's in-memory paths mean nothing to the reader
        raise refuse("bad_vector", kind=kind, value=detail.strip(" :'\"") or "damaged") from exc
    if not isinstance(frame, gpd.GeoDataFrame):
        raise refuse("no_geometry", kind=kind)
    return frame


def _vector_table(gdf: gpd.GeoDataFrame, declared: str) -> tuple[pd.DataFrame, str, list[dict]]:
    """A vector layer's points as a table with ``_x``/``_y``, the CRS to read them in, and the non-points."""
    crs = declared
    if gdf.crs is not None:
        gdf, crs = gdf.to_crs(WGS84), "WGS84"
    gdf = gdf.reset_index(drop=True)
    is_point = np.asarray(gdf.geometry.geom_type == "Point") & ~np.asarray(gdf.geometry.is_empty)
    dropped = [problem("not_a_point", row=i + 1, value=str(g.geom_type) if g is not None else "empty")
               for i, g in enumerate(gdf.geometry.values) if not is_point[i]]
    points = gdf[is_point]
    table = pd.DataFrame(points.drop(columns=points.geometry.name))
    table["_x"], table["_y"] = points.geometry.x.to_numpy(), points.geometry.y.to_numpy()
    return _with_xy(table), crs, dropped


def _with_xy(frame: pd.DataFrame) -> pd.DataFrame:
    for col in GEOMETRY_XY:
        if col not in frame:
            frame[col] = pd.Series(dtype=float)
    return frame


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Numbers as numbers, lists/dicts as JSON text (hashable, exportable); codes with leading zeros
    ("007") stay text: typing them would lose the zeros."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype != object and not pd.api.types.is_string_dtype(out[col]):
            continue
        if pd.api.types.infer_dtype(out[col], skipna=True) in ("string", "empty"):  # text (every CSV): vectorised
            values = out[col]
            ascii_only = bool(values.dropna().str.isascii().all())  # NFKC leaves ASCII as it is
            text = (values if ascii_only else values.str.normalize("NFKC")).str.strip()
            filled = text[text.fillna("").ne("")]
            codes = filled.str.match(r"^[+-]?0\d")
        else:  # mixed cells (JSON records, workbooks): lists and dicts become JSON text, one cell at a time
            values = out[col].map(lambda v: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v)
            text = values.map(lambda v: unicodedata.normalize("NFKC", v).strip() if isinstance(v, str) else v)
            filled = text[text.map(lambda v: not (v is None or v == "" or (isinstance(v, float) and np.isnan(v))))]
            codes = filled.map(lambda v: isinstance(v, str) and re.match(r"^[+-]?0\d", v) is not None)
        out[col] = values if codes.any() else _all_numbers(text, filled, values)
    return out


def _all_numbers(text: pd.Series, filled: pd.Series, values: pd.Series) -> pd.Series:
    """``text`` as floats (empty cells NaN) when every ``filled`` cell is a number, else ``values`` (the column
    as read). One conversion of the column, and none when its first filled cell is no number (a name or type
    column: parsing 10^6 words only to fail cost seconds in a 40 MB upload)."""
    if not len(filled) or pd.to_numeric(filled.iloc[:1], errors="coerce").isna().all():
        return values
    numbers = pd.to_numeric(text, errors="coerce")  # "" and None become NaN
    if numbers.loc[filled.index].isna().any():
        return values
    return numbers.astype(float)


def _mismatch(name: str, kind: str) -> list[dict]:
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    expected = SUFFIX_KIND.get(suffix)
    same = expected == kind or (expected, kind) in (("json", "geojson"), ("geojson", "json"))
    if not name or expected is None or same:
        return []
    label = {"zip": "a ZIP archive", "gpkg": "GeoPackage", "kml": "KML", "geojson": "GeoJSON",
             "json": "JSON records", "csv": "CSV text", "xlsx": "an Excel workbook"}[kind]
    return [problem("recognised_as", name=name, kind=label)]
