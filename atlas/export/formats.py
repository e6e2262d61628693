"""Exports of layers and analysis results: GeoJSON (RFC 7946), GeoPackage and CSV.

Pure: :func:`export_bytes` turns a (Geo)DataFrame into the bytes of a file, the
caller decides where they go (a download button, :func:`write_atomic`). The
provenance columns travel with every feature; sources, licences, as-of dates and
analysis parameters go into a metadata dict (:func:`build_metadata`) that is
written as a sidecar JSON and, for GeoPackage, into the file itself.
"""

from __future__ import annotations

import io
import json
import math
import re
import tempfile
import unicodedata
from datetime import date, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from core.crs import WGS84
from core.settings import EXPORT

FORMATS: dict[str, tuple[str, str]] = {name: (suffix, mime) for name, suffix, mime in EXPORT.formats}
_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)$", re.I)


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        msg = f"Unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}"
        raise ValueError(msg)
    return fmt


def export_bytes(frame: pd.DataFrame, fmt: str, *, precision: int = EXPORT.precision, bom: bool = False,
                 metadata: dict | None = None, layer_name: str = "layer") -> bytes:
    """``frame`` as the bytes of a ``fmt`` file ("geojson", "gpkg" or "csv").

    Geometries are written in WGS84 lon/lat, coordinates rounded to ``precision``
    decimals. ``bom`` prefixes CSV with a UTF-8 BOM (Excel in China) and, as Excel
mode, quotes text cells Excel would run as formulas (``=…``) with ``'``. ``metadata``
    is stored inside GeoPackage files (layer metadata ``atlas``) and GeoJSON files (the
    collection's foreign member ``atlas_metadata``, RFC 7946 §6.1); CSV has the sidecar.
    """
    check_format(fmt)
    if not 0 <= precision <= 15:
        msg = f"precision must be 0..15 decimals, got {precision}"
        raise ValueError(msg)
    frame = _to_wgs84(as_table(frame))
    if fmt == "geojson":
        return _geojson(frame, precision, metadata)
    if fmt == "csv":
        return _csv(frame, precision, bom)
    return _gpkg(frame, precision, metadata or {}, layer_name)


def as_table(data) -> pd.DataFrame:
    """A result as a flat table: a Series becomes a column, a meaningful index becomes columns
    (a travel-time matrix keeps its origins, H3 cells their ids)."""
    if isinstance(data, pd.Series):
        attrs = dict(data.attrs)
        data = data.to_frame(data.name if data.name is not None else "value")
        data.attrs = attrs
    if not isinstance(data, pd.DataFrame):
        msg = f"cannot export a {type(data).__name__}; give a DataFrame, GeoDataFrame or Series"
        raise TypeError(msg)
    if _positional(data.index):  # a row number (0..n, or what filtering left of it) is not data
        out = data.reset_index(drop=True)
        out.attrs = dict(data.attrs)
        return out
    out = data.reset_index()
    out.attrs = dict(data.attrs)
    return out


def _positional(index: pd.Index) -> bool:
    """An unnamed integer index: row numbers (a filtered layer keeps its old ones), not a key."""
    names = [n for n in index.names if n is not None]
    return not names and index.nlevels == 1 and pd.api.types.is_integer_dtype(index.dtype)


def _to_wgs84(frame: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame:
        return pd.DataFrame(frame)
    if frame.crs is None:
        msg = "The frame has no CRS; set it (e.g. gdf.set_crs('EPSG:4326')) before exporting."
        raise ValueError(msg)
    return frame.to_crs(WGS84) if not frame.crs.equals(WGS84) else frame


def round_geometries(geoms, precision: int) -> np.ndarray:
    """Coordinates rounded to ``precision`` decimals (null geometries stay null)."""
    return shapely.transform(np.asarray(geoms, dtype=object), lambda xy: np.round(xy, precision))


def _plain(value):
    """A JSON/CSV-friendly Python value (NaN → None, numpy → Python, dates → ISO)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        return _plain(value.item())
    if isinstance(value, datetime | date | pd.Timestamp):
        return value.isoformat()
    if isinstance(value, list | tuple | dict | set):
        return json.dumps(list(value) if isinstance(value, set) else value, ensure_ascii=False)
    return value


def _records(frame: pd.DataFrame) -> list[dict]:
    columns = [c for c in frame.columns if not _is_geometry_column(frame, c)]
    return [{str(k): _plain(v) for k, v in zip(columns, row, strict=True)}
            for row in frame[columns].itertuples(index=False, name=None)]


def _is_geometry_column(frame: pd.DataFrame, column) -> bool:
    return isinstance(frame, gpd.GeoDataFrame) and isinstance(frame[column].dtype, gpd.array.GeometryDtype)


def _geojson(frame: pd.DataFrame, precision: int, metadata: dict | None = None) -> bytes:
    props = _records(frame)
    if isinstance(frame, gpd.GeoDataFrame):
        # RFC 7946 §3.1.6: exterior rings counterclockwise, holes clockwise
        rounded = shapely.orient_polygons(round_geometries(frame.geometry.values, precision), exterior_cw=False)
        geoms = [None if g is None or g.is_empty else json.loads(shapely.to_geojson(g)) for g in rounded]
    else:
        geoms = [None] * len(frame)
    features = [{"type": "Feature", "properties": p, "geometry": g} for p, g in zip(props, geoms, strict=True)]
    collection = {"type": "FeatureCollection", "features": features}
    if metadata:
        collection["atlas_metadata"] = json.loads(json.dumps(metadata, default=str))
    text = json.dumps(collection, ensure_ascii=False,
                      separators=(",", ":"), allow_nan=False)
    return text.encode("utf-8")


def _csv(frame: pd.DataFrame, precision: int, bom: bool) -> bytes:
    table = pd.DataFrame(_records(frame), columns=[str(c) for c in frame.columns if not _is_geometry_column(frame, c)])
    if isinstance(frame, gpd.GeoDataFrame):
        geoms = frame.geometry.values
        present = [g for g in geoms if g is not None and not g.is_empty]
        if present and all(g.geom_type == "Point" for g in present):  # no position: empty lon/lat cells
            table["lon"] = np.round(shapely.get_x(geoms), precision)
            table["lat"] = np.round(shapely.get_y(geoms), precision)
        else:
            table["wkt"] = shapely.to_wkt(round_geometries(geoms, precision), rounding_precision=precision)
    if bom:  # Excel mode: text that Excel would run as a formula is kept as text (OWASP CSV injection)
        for col in table.columns:
            if not pd.api.types.is_numeric_dtype(table[col]):
                table[col] = table[col].map(_excel_text)
        table.columns = [_excel_text(str(c)) for c in table.columns]
    buf = io.StringIO()
    table.to_csv(buf, index=False, lineterminator="\n", float_format=None)
    return buf.getvalue().encode("utf-8-sig" if bom else "utf-8")


#: first characters that make Excel (and LibreOffice, WPS) treat a cell as a formula or DDE command
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def _excel_text(value):
    if isinstance(value, str) and value.lstrip(" ")[:1] in FORMULA_START:
        return "'" + value
    return value


def csv_bytes(frame, *, excel: bool = True, precision: int = EXPORT.precision) -> bytes:
    """THE CSV writer of the atlas (every page download and CLI export goes through it).

    ``excel`` (default): UTF-8 with BOM for Excel in China, and every text cell or
    header that Excel would run as a formula (``=cmd|' /C calc'!A0``, ``=HYPERLINK(…)``,
    ``+``/``-``/``@``, full-width ``＝``) is kept as text with a leading ``'``.
    A meaningful index (zone ids, origins) becomes a column.
    """
    return export_bytes(frame, "csv", precision=precision, bom=excel)


def _gpkg(frame: pd.DataFrame, precision: int, metadata: dict, layer_name: str) -> bytes:
    table = pd.DataFrame(_records(frame), columns=[str(c) for c in frame.columns if not _is_geometry_column(frame, c)])
    # SQLite/GDAL text ends at NUL: "a\x00b" would silently become "a"; U+FFFD keeps the rest
    table = table.apply(lambda col: col.map(lambda v: v.replace("\x00", "\ufffd") if isinstance(v, str) else v))
    if isinstance(frame, gpd.GeoDataFrame):
        table = gpd.GeoDataFrame(table, geometry=round_geometries(frame.geometry.values, precision), crs=WGS84)
    layer = safe_filename(layer_name, suffix="").replace("-", "_") or "layer"
    meta = {"atlas": json.dumps(metadata, ensure_ascii=False, sort_keys=True)} if metadata else None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.gpkg"
        kwargs = {"geometry_type": "Unknown"} if isinstance(table, gpd.GeoDataFrame) and _mixed(table) else {}
        pyogrio.write_dataframe(table, path, layer=layer, driver="GPKG", layer_metadata=meta, **kwargs)
        return path.read_bytes()


def _mixed(gdf: gpd.GeoDataFrame) -> bool:
    return gdf.geometry.geom_type.dropna().nunique() > 1


def read_bytes(data: bytes, fmt: str) -> pd.DataFrame:
    """Read an export back (GeoDataFrame when it has geometry; strings stay strings)."""
    check_format(fmt)
    if fmt == "geojson":
        collection = json.loads(data.decode("utf-8"))
        feats = collection["features"]
        if feats and all(f["geometry"] is None for f in feats):
            return pd.DataFrame([f["properties"] for f in feats])
        return gpd.GeoDataFrame.from_features(feats, crs=WGS84)
    if fmt == "csv":
        table = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
        if {"lon", "lat"} <= set(table.columns):
            lon = pd.to_numeric(table.pop("lon").replace("", np.nan))
            lat = pd.to_numeric(table.pop("lat").replace("", np.nan))
            geom = [None if np.isnan(x) or np.isnan(y) else shapely.Point(x, y) for x, y in zip(lon, lat, strict=True)]
            return gpd.GeoDataFrame(table, geometry=gpd.GeoSeries(geom, crs=WGS84), crs=WGS84)
        if "wkt" in table:
            wkt = np.array([w or None for w in table.pop("wkt")], dtype=object)  # empty cell: no geometry
            return gpd.GeoDataFrame(table, geometry=shapely.from_wkt(wkt), crs=WGS84)
        return table
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.gpkg"
        path.write_bytes(data)
        return pyogrio.read_dataframe(path)


def gpkg_metadata(data: bytes) -> dict:
    """The ``atlas`` metadata stored in a GeoPackage export ({} when none)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.gpkg"
        path.write_bytes(data)
        meta = pyogrio.read_info(path).get("layer_metadata") or {}
    return json.loads(meta["atlas"]) if "atlas" in meta else {}


def safe_filename(title: str, suffix: str = "") -> str:
    """A file name from a user-entered title: no path, no traversal, no control characters.

    Letters (Chinese too) and digits are kept; everything else becomes ``_``.
    """
    text = unicodedata.normalize("NFKC", str(title))
    text = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in text)
    text = re.sub(r"_+", "_", text).strip("._-")[: EXPORT.max_filename_len]
    while len(text.encode()) > EXPORT.max_filename_bytes:  # file systems count bytes (NAME_MAX 255)
        text = text[:-1]
    if not text or _RESERVED.match(text):
        text = f"export_{text}" if text else "export"
    return text + suffix


def human_size(n_bytes: int) -> str:
    """``1536`` → ``"1.5 KB"`` (sizes shown before download)."""
    size = float(n_bytes)
    for unit in ("B", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{int(size)} B" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"
