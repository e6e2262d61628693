"""OpenStreetMap drive network for the corridor: download once (online), cache, load offline.

I/O is kept apart from building, as osmnx does: :func:`download_drive_network`
needs the internet and writes a GraphML cache; :func:`load_cached_roads` and
:func:`load_osm_xml` read files only. Both add ``speed_kph``/``travel_time`` with
osmnx, so :func:`analysis.network.build_network(roads=...)` can use them.

CLI::

    python -m analysis.osm_roads --download   # fails within seconds when offline
    python -m analysis.osm_roads --status
"""

from __future__ import annotations

import argparse
import socket
import sys
from pathlib import Path

import networkx as nx

from core.settings import CACHE_DIR, CONNECTIVITY


def cache_path(cache_dir: Path | None = None) -> Path:
    return Path(cache_dir or CACHE_DIR) / CONNECTIVITY.osm_cache_file


def _with_travel_times(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    import osmnx as ox

    graph = ox.routing.add_edge_speeds(graph)
    return ox.routing.add_edge_travel_times(graph)


#: highway values a car may use (an .osm extract holds footways, cycleways... too)
DRIVABLE = frozenset({
    "motorway", "motorway_link", "trunk", "trunk_link", "primary", "primary_link", "secondary",
    "secondary_link", "tertiary", "tertiary_link", "unclassified", "residential", "living_street", "road",
})


def load_osm_xml(path: str | Path) -> nx.MultiDiGraph:
    """An .osm XML file as an osmnx drive graph with travel times (offline); non-drivable ways dropped."""
    import osmnx as ox

    graph = ox.graph_from_xml(Path(path), bidirectional=False, simplify=False, retain_all=True)
    graph.remove_edges_from([(u, v, k) for u, v, k, hw in graph.edges(keys=True, data="highway")
                             if hw not in DRIVABLE])
    graph.remove_nodes_from([n for n in list(graph.nodes) if graph.degree(n) == 0])
    return _with_travel_times(ox.simplify_graph(graph))


def load_cached_roads(path: str | Path | None = None) -> nx.MultiDiGraph | None:
    """The cached GraphML road graph, or None when no download has been made."""
    import osmnx as ox

    path = Path(path) if path else cache_path()
    if not path.exists():
        return None
    return ox.load_graphml(path)


def download_drive_network(
    *, bbox: tuple[float, float, float, float] = CONNECTIVITY.osm_bbox,
    custom_filter: str | None = CONNECTIVITY.osm_custom_filter,
    connect_timeout_s: float = CONNECTIVITY.osm_connect_timeout_s,
    read_timeout_s: int = CONNECTIVITY.osm_read_timeout_s, path: str | Path | None = None,
) -> Path:
    """Download the corridor's drive network with osmnx and cache it as GraphML.

    The Overpass host is first reached with a ``connect_timeout_s`` socket check and
    ``overpass_rate_limit`` is off, so without the internet this fails in seconds with
    a :class:`ConnectionError` saying so; online, the query may take ``read_timeout_s``.
    """
    import osmnx as ox

    ox.settings.overpass_rate_limit = False
    ox.settings.requests_timeout = read_timeout_s
    ox.settings.use_cache = False
    try:
        _check_reachable(ox.settings.overpass_url, connect_timeout_s)
        graph = ox.graph_from_bbox(bbox, network_type="drive", custom_filter=custom_filter, retain_all=False)
    except Exception as exc:  # requests/urllib3 errors differ by platform; all mean "no download"
        msg = (f"Could not download the OpenStreetMap road network ({type(exc).__name__}: {exc}). "
               "Are you online? The atlas works offline with its strategic road links; "
               "retry `python -m analysis.osm_roads --download` when connected.")
        raise ConnectionError(msg) from exc
    graph = _with_travel_times(graph)
    out = Path(path) if path else cache_path()
    out.parent.mkdir(parents=True, exist_ok=True)
    ox.save_graphml(graph, out)
    return out


def _check_reachable(url: str, timeout_s: float) -> None:
    host = url.split("://", 1)[-1].split("/", 1)[0]
    with socket.create_connection((host, 443), timeout=timeout_s):
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--download", action="store_true", help="download and cache the OSM drive network")
    parser.add_argument("--status", action="store_true", help="say whether a cached network exists")
    parser.add_argument("--connect-timeout", type=float, default=CONNECTIVITY.osm_connect_timeout_s)
    args = parser.parse_args(argv)
    if args.download:
        try:
            out = download_drive_network(connect_timeout_s=args.connect_timeout)
        except ConnectionError as exc:
            print(exc, file=sys.stderr)
            return 2
        print(f"cached {out}")
        return 0
    path = cache_path()
    print(f"{path}: {'present' if path.exists() else 'absent (strategic road links are used)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
