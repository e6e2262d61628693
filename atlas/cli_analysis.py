"""CLI adapters for ``analysis.density`` and ``analysis.connectivity`` (thin by design).

A method is any public function of the module. Its first parameter decides the
input: a frame (``gdf``, ``frame``, ``points`` …) gets the chosen layer, filtered
and in EPSG:4549; a ``network``/``graph`` gets the module's network builder's
result. ``--param name=value`` become keyword arguments. The result (DataFrame,
GeoDataFrame or Series) is exported like a layer, its ``attrs["params"]`` going
into the metadata. When the module is not installed the command says so (exit 3).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import sys

import geopandas as gpd
import pandas as pd

from analysis.crs import to_measure_crs
from atlas.cli_common import EXIT_UNAVAILABLE, CliError
from atlas.cli_data import apply_filters, load_named, parse_filters, write_export

MODULES = {"density": "analysis.density", "connectivity": "analysis.connectivity"}
FRAME_ARGS = ("gdf", "frame", "points", "resources", "features", "sites", "parks", "data")
NETWORK_ARGS = ("network", "graph", "net", "g")
#: functions that build the default network, tried in order (module, name)
NETWORK_BUILDERS = (("analysis.network", "build_network"), ("analysis.network", "load_network"),
                    ("analysis.connectivity", "default_network"))


def load_module(kind: str):
    try:
        return importlib.import_module(MODULES[kind])
    except ImportError as exc:
        msg = (f"{kind} analysis is not available in this installation ({MODULES[kind]} could not be "
               f"imported: {exc}). Update the atlas (git pull) to get it.")
        raise CliError(msg, EXIT_UNAVAILABLE) from None


def methods(module) -> dict[str, inspect.Signature]:
    """Public functions defined in ``module`` whose first parameter is a frame or a network."""
    out = {}
    for name, fn in inspect.getmembers(module, inspect.isfunction):
        if name.startswith("_") or fn.__module__ != module.__name__:
            continue
        params = list(inspect.signature(fn).parameters)
        if params and params[0] in FRAME_ARGS + NETWORK_ARGS:
            out[name] = inspect.signature(fn)
    return out


def parse_params(items: list[str]) -> dict:
    """``["cell_m=1000", "modes='rail'", "cutoffs=[15,30]"]`` → keyword arguments."""
    out = {}
    for item in items:
        name, sep, raw = item.partition("=")
        if not sep or not name.strip().isidentifier():
            msg = f"bad --param {item!r}: use NAME=VALUE"
            raise CliError(msg)
        try:
            out[name.strip()] = ast.literal_eval(raw)
        except (ValueError, SyntaxError):
            out[name.strip()] = raw
    return out


def build_network():
    for module_name, fn_name in NETWORK_BUILDERS:
        try:
            fn = getattr(importlib.import_module(module_name), fn_name)
        except (ImportError, AttributeError):
            continue
        return fn()
    msg = "no network builder found (analysis.network.build_network); connectivity needs it"
    raise CliError(msg, EXIT_UNAVAILABLE)


def as_frame(result) -> pd.DataFrame:
    """An analysis result as a table to export; a meaningful index becomes a column."""
    if isinstance(result, pd.Series):
        frame = result.to_frame(result.name or "value")
        frame.attrs = dict(result.attrs)
        result = frame
    if isinstance(result, gpd.GeoDataFrame):
        return result
    if isinstance(result, pd.DataFrame):
        plain = isinstance(result.index, pd.RangeIndex) and result.index.name is None
        out = result if plain else result.reset_index()
        out.attrs = dict(result.attrs)
        return out
    msg = f"the method returned {type(result).__name__}, not a table; nothing to export"
    raise CliError(msg, 1)


def cmd_analysis(args) -> int:
    module = load_module(args.command)
    available = methods(module)
    if args.list or not args.method:
        for name, sig in sorted(available.items()):
            print(f"{name}{sig}")
        return 0 if args.list else _missing_method(args.command)
    if args.method not in available:
        msg = f"unknown {args.command} method {args.method!r}; choose one of: {', '.join(sorted(available))}"
        raise CliError(msg)
    sig = available[args.method]
    params = parse_params(args.param)
    filters = parse_filters(args.filter)
    first = next(iter(sig.parameters))
    if first in NETWORK_ARGS:
        subject, layers = build_network(), []
    else:
        subject, layers = to_measure_crs(apply_filters(load_named(args.layer), filters)), [args.layer]
    try:
        sig.bind(subject, **params)
    except TypeError as exc:
        msg = f"bad parameters for {args.method}{sig}: {exc}"
        raise CliError(msg) from None
    print(f"running {args.command}.{args.method} …", file=sys.stderr)
    frame = as_frame(getattr(module, args.method)(subject, **params))
    recorded = frame.attrs.get("params") or {"method": args.method, **params}
    write_export(frame, args, title=f"{args.command}_{args.method}", layers=layers, filters=filters, params=recorded)
    return 0


def _missing_method(kind: str) -> int:
    print(f"qd-atlas {kind}: error: name a method (listed above)", file=sys.stderr)
    return 2
