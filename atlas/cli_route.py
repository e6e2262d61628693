"""``qd-atlas route FROM TO --mode transit|car|combined [--scenario NAME]``: one trip, its minutes and legs.

The first line is ``minutes: N`` (machine-readable), then one line per leg. FROM/TO are
feature names (zh or en, fuzzy like the app's search) or ``lon,lat`` (WGS84). An unknown
place exits with code 2 and says which names come closest.
"""

from __future__ import annotations

import math

from atlas.cli_common import EXIT_FAIL, CliError


def add_parser(sub) -> None:
    from analysis.network import MODE_SETS, STATUS_SETS

    p = sub.add_parser("route", help="fastest trip between two places: minutes and legs")
    p.add_argument("origin", metavar="FROM", help="feature name (zh/en, fuzzy) or lon,lat")
    p.add_argument("destination", metavar="TO", help="feature name (zh/en, fuzzy) or lon,lat")
    p.add_argument("--mode", choices=sorted(MODE_SETS), default="transit")
    p.add_argument("--scenario", choices=list(STATUS_SETS), default="today",
                   help="which links run: today (default), + under construction, + planned")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")


def cmd_route(args) -> int:
    from analysis.routes import describe_leg
    from atlas import connectivity_data as cd

    frames, error = cd.load_transport_frames()
    if frames is None:
        raise CliError(error, EXIT_FAIL)
    places = []
    for text in (args.origin, args.destination):
        try:
            places.append(cd.resolve_place(frames, text))
        except ValueError as exc:
            raise CliError(str(exc)) from None
    graph = cd.base_network(frames)
    minutes, legs, reason = cd.route_between(graph, places[0], places[1], modes=args.mode, scenario=args.scenario)
    names = [p.at[0, "name_zh" if args.lang == "zh" else "name_en"] for p in places]
    if not math.isfinite(minutes):
        print("minutes: none")
        print(f"{names[0]} → {names[1]}: unreachable by {args.mode} ({reason_text(reason)})")
        return EXIT_FAIL
    print(f"minutes: {round(minutes)}")
    print(f"# {names[0]} → {names[1]} · {args.mode} · {args.scenario}")
    for _, leg in legs.iterrows():
        print(f"  {describe_leg(leg, args.lang)}")
    for zh, en, unc in cd.uncertain_ends(places):
        name = zh if args.lang == "zh" else en
        print(f"# note: {name} is placed only to ±{unc:,.0f} m; its access leg is as approximate")
    return 0


def reason_text(code: str) -> str:
    return {"no_exit": "no running access leg leaves the origin",
            "no_entry": "no running access leg reaches the destination",
            "no_path": "the networks the two places reach are not joined"}.get(code, code)
