"""``qd-atlas route FROM TO --mode transit|car|combined [--scenario NAME]``: one trip, its minutes and legs.

The first line is ``minutes: N`` (machine-readable), then one line per leg. FROM/TO are
feature names (zh or en, fuzzy like the app's search) or ``lon,lat`` (WGS84). An unknown
place exits with code 2 and says which names come closest.
"""

from __future__ import annotations

import math

from atlas.cli.common import EXIT_FAIL, CliError


class _NetworkChoices:
    """The names of ``analysis.network.<table>``, read when argparse first looks at them: building
    the parser must not import networkx and scipy for every other command (a briefing's start)."""

    def __init__(self, table: str, *, ordered: bool = False):
        self.table, self.ordered = table, ordered

    def _names(self) -> list[str]:
        from analysis import network

        names = list(getattr(network, self.table))
        return sorted(names) if self.ordered else names

    def __contains__(self, value) -> bool:
        return value in self._names()

    def __iter__(self):
        return iter(self._names())


def add_parser(sub) -> None:
    p = sub.add_parser("route", help="fastest trip between two places: minutes and legs")
    p.add_argument("origin", metavar="FROM", help="feature name (zh/en, fuzzy) or lon,lat")
    p.add_argument("destination", metavar="TO", help="feature name (zh/en, fuzzy) or lon,lat")
    # explicit metavars: argparse would otherwise list (and so load) the choices while building the parser
    p.add_argument("--mode", choices=_NetworkChoices("MODE_SETS", ordered=True), default="transit", metavar="MODE",
                   help="%(choices)s (default: %(default)s)")
    p.add_argument("--scenario", choices=_NetworkChoices("STATUS_SETS"), default="today", metavar="SCENARIO",
                   help="which links run: today (default), + under construction, + planned (%(choices)s)")
    p.add_argument("--roads", choices=["auto", "strategic", "osm"], default="auto",
                   help="car network: the cached OpenStreetMap streets when there are some (auto, default), "
                        "the strategic roads only, or the OSM cache (an error when none is cached)")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")


def cmd_route(args) -> int:
    from analysis import corridor as cd
    from analysis.routes import describe_leg

    frames, error = cd.load_transport_frames()
    if frames is None:
        raise CliError(error, EXIT_FAIL)
    places = []
    for text in (args.origin, args.destination):
        try:
            places.append(cd.resolve_place(frames, text))
        except ValueError as exc:
            raise CliError(str(exc)) from None
    graph = cd.base_network(frames, _roads(getattr(args, "roads", "auto")))
    minutes, legs, reason = cd.route_between(graph, places[0], places[1], modes=args.mode, scenario=args.scenario)
    names = [p.at[0, "name_zh" if args.lang == "zh" else "name_en"] for p in places]
    if not math.isfinite(minutes):
        print("minutes: none")
        print(f"{names[0]} → {names[1]}: unreachable by {args.mode} ({reason_text(reason)})")
        return EXIT_FAIL
    print(f"minutes: {round(minutes)}")
    roads = "OSM streets" if graph.graph.get("road_source") == "osm" else "strategic roads"
    print(f"# {names[0]} → {names[1]} · {args.mode} · {args.scenario} · {roads}")
    for _, leg in legs.iterrows():
        print(f"  {describe_leg(leg, args.lang)}")
    for zh, en, unc in cd.uncertain_ends(places):
        name = zh if args.lang == "zh" else en
        print(f"# note: {name} is placed only to ±{unc:,.0f} m; its access leg is as approximate")
    return 0


def _roads(choice: str):
    """The osmnx street graph when it is cached and wanted, else None (the strategic roads)."""
    from analysis import osm_roads

    if choice == "strategic":
        return None
    roads = osm_roads.load_cached_roads()
    if roads is None and choice == "osm":
        msg = f"no cached OSM streets at {osm_roads.cache_path()}; run: python -m analysis.osm_roads --download"
        raise CliError(msg)
    return roads


def reason_text(code: str) -> str:
    return {"no_exit": "no running access leg leaves the origin",
            "no_entry": "no running access leg reaches the destination",
            "no_path": "the networks the two places reach are not joined"}.get(code, code)
