"""CLI adapters for ``analysis.density`` and ``analysis.connectivity`` (thin by design).

A method is any public function of the modules (:data:`MODULES`) that returns a table. Its first parameter decides the
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
import math
import sys

import pandas as pd

from atlas import costs
from atlas.cli.common import EXIT_UNAVAILABLE, CliError, apply_filters, load_named, parse_filters, write_export
from atlas.export.formats import as_table
from core.crs import to_measure_crs

#: command -> modules whose public table-returning functions are its methods (the first is required)
MODULES: dict[str, tuple[str, ...]] = {
    "density": ("analysis.density",),
    "connectivity": ("analysis.connectivity", "analysis.scenarios"),
}
TABLE_RETURNS = ("DataFrame", "Series")
FRAME_ARGS = ("gdf", "frame", "points", "resources", "features", "sites", "parks", "data")
NETWORK_ARGS = ("network", "graph", "net", "g")
#: functions that build the default network, tried in order (module, name)
NETWORK_BUILDERS = (("analysis.network", "build_network"), ("analysis.network", "load_network"),
                    ("analysis.connectivity", "default_network"))


def load_modules(kind: str) -> list:
    """The command's analysis modules; the first must import, the others are optional."""
    names = MODULES[kind]
    try:
        modules = [importlib.import_module(names[0])]
    except ImportError as exc:
        msg = (f"{kind} analysis is not available in this installation ({names[0]} could not be "
               f"imported: {exc}). Update the atlas (git pull) to get it.")
        raise CliError(msg, EXIT_UNAVAILABLE) from None
    for name in names[1:]:
        try:
            modules.append(importlib.import_module(name))
        except ImportError:
            continue
    return modules


def methods(modules: list) -> dict[str, tuple]:
    """name -> (function, signature) of the public functions that take a frame or a network
    first and return a table (DataFrame/GeoDataFrame/Series, or unannotated)."""
    out = {}
    for module in modules:
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            exported = name in getattr(module, "__all__", ())  # a package re-exports its submodules' functions
            if name.startswith("_") or (fn.__module__ != module.__name__ and not exported):
                continue
            sig = inspect.signature(fn)
            params = list(sig.parameters)
            returns = str(sig.return_annotation)
            table = sig.return_annotation is inspect.Signature.empty or any(t in returns for t in TABLE_RETURNS)
            if params and params[0] in FRAME_ARGS + NETWORK_ARGS and table:
                out.setdefault(name, (fn, sig))
    return out


def parse_params(items: list[str]) -> dict:
    """``["cell_m=1000", "modes='rail'", "cutoffs=[15,30]", "origins=@parks"]`` → keyword arguments.

    ``@layer`` stands for that layer's frame in EPSG:4549.
    """
    out = {}
    for item in items:
        name, sep, raw = item.partition("=")
        if not sep or not name.strip().isidentifier():
            msg = f"bad --param {item!r}: use NAME=VALUE"
            raise CliError(msg)
        if raw.startswith("@"):
            out[name.strip()] = to_measure_crs(_placed(load_named(raw[1:])))
            continue
        try:
            out[name.strip()] = ast.literal_eval(raw)
        except (ValueError, SyntaxError):
            out[name.strip()] = raw
    return out


def build_network():
    """The default network: the first builder found, given the layers its parameters name."""
    from layers.catalog import loaders

    for module_name, fn_name in NETWORK_BUILDERS:
        try:
            fn = getattr(importlib.import_module(module_name), fn_name)
        except (ImportError, AttributeError):
            continue
        available = loaders()
        frames = {name: available[name]() for name in inspect.signature(fn).parameters if name in available}
        return fn(**frames)
    msg = "no network builder found (analysis.network.build_network); connectivity needs it"
    raise CliError(msg, EXIT_UNAVAILABLE)


def as_frame(result) -> pd.DataFrame:
    """An analysis result as a table to export (see :func:`atlas.export.as_table`)."""
    try:
        return as_table(result)
    except TypeError:
        msg = f"the method returned {type(result).__name__}, not a table; nothing to export"
        raise CliError(msg, 1) from None


def cmd_analysis(args) -> int:
    available = methods(load_modules(args.command))
    if args.list or not args.method:
        for name, (_, sig) in sorted(available.items()):
            print(f"{name}{sig}")
        return 0 if args.list else _missing_method(args.command)
    if args.method not in available:
        msg = f"unknown {args.command} method {args.method!r}; choose one of: {', '.join(sorted(available))}"
        raise CliError(msg)
    fn, sig = available[args.method]
    params = parse_params(args.param)
    filters = parse_filters(args.filter)
    first = next(iter(sig.parameters))
    if first in NETWORK_ARGS:
        subject, layers = build_network(), []
    else:
        subject, layers = to_measure_crs(_placed(apply_filters(load_named(args.layer), filters))), [args.layer]
    try:
        sig.bind(subject, **params)
    except TypeError as exc:
        msg = f"bad parameters for {args.method}{sig}: {exc}"
        raise CliError(msg) from None
    _check_numbers(sig, params)
    try:  # issue 24: grid cells, hexagons, matrix pairs estimated from the parameters and the extent
        costs.check_call(sig, subject, params)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    print(f"running {args.command}.{args.method} …", file=sys.stderr)
    try:
        result = fn(subject, **params)
    except TypeError as exc:  # a parameter of the wrong kind that the checks above could not see
        msg = f"bad parameters for {args.method}: {exc}"
        raise CliError(msg) from None
    frame = as_frame(result)
    shown = {k: (f"@{v.attrs.get('layer', 'layer')}" if isinstance(v, pd.DataFrame) else v) for k, v in params.items()}
    recorded = {"method": args.method, **shown, **(frame.attrs.get("params") or {})}
    write_export(frame, args, title=f"{args.command}_{args.method}", layers=layers, filters=filters, params=recorded)
    return 0


def _check_numbers(sig: inspect.Signature, params: dict) -> None:
    """A parameter whose default is a number must be given as a number (``cell_m=abc`` is refused)."""
    for name, value in params.items():
        default = sig.parameters[name].default if name in sig.parameters else None
        number = isinstance(default, int | float) and not isinstance(default, bool)
        if number and (isinstance(value, bool) or not isinstance(value, int | float)):
            msg = f"bad --param {name}={value!r}: a number is expected (default {default})"
            raise CliError(msg)
        if isinstance(value, float) and not math.isfinite(value):
            msg = f"bad --param {name}={value!r}: a finite number is expected (default {default})"
            raise CliError(msg)


def _missing_method(kind: str) -> int:
    print(f"qd-atlas {kind}: error: name a method (listed above)", file=sys.stderr)
    return 2


def _placed(frame: pd.DataFrame) -> pd.DataFrame:
    """Issue 21: only features with a place of their own go into an analysis; stderr says how many did not."""
    from analysis.tiers import n_unlocated, placed_points

    kept = placed_points(frame)
    if n_unlocated(kept):
        print(f"{n_unlocated(kept)} features left out: no place of their own (known only to a district or the "
              "city)", file=sys.stderr)
    return kept
