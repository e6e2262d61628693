"""Benchmark: travel-time matrices with scipy csgraph multi-source Dijkstra vs networkx.

Run:  python bench/bench_connectivity.py [--nodes 200000] [--od 100] [--write-readme]

The fair baseline is what a careful networkx user writes: the masked edges copied
into a plain ``nx.DiGraph`` (fastest parallel edge kept, built once and not timed)
and ``nx.single_source_dijkstra_path_length`` once per origin. Both run in this one
run on every origin and the matrices are compared (they must be equal):
1. the strategic network built from the committed layers, parks + resources as
   origins/destinations (combined mode);
2. a synthetic road-like graph (perturbed grid with missing links and faster
   arterials) of ~200,000 nodes, 100 x 100 matrix.
For reference only, networkx per pair (``shortest_path_length`` for each pair) is
timed on a sample of pairs on the synthetic graph and extrapolated (stated as such).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import networkx as nx
import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # noqa: E402 - bench/ and the packages


def _timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def strategic_case() -> dict:
    import pandas as pd

    from analysis.access import attach_points
    from analysis.connectivity import compile_network, edge_mask, travel_time_matrix
    from layers import links, metro, parks, resources, transport

    graph, build = _timed(lambda: build_network_from_layers(links, metro, transport))
    from layers.base import located

    points = pd.concat([located(parks.load())[["id", "geometry"]], located(resources.load())[["id", "geometry"]]],
                       ignore_index=True)  # issue 21: only features with a place of their own
    full, attach = _timed(lambda: attach_points(graph, points))
    net, comp = _timed(lambda: compile_network(full))
    nodes = [f"fac:{i}" for i in points["id"].drop_duplicates()]
    print(f"strategic network: {full.number_of_nodes()} nodes, {full.number_of_edges()} edges "
          f"(build {build:.2f} s, attach {len(nodes)} points {attach:.2f} s, compile {comp:.2f} s)")
    mask = edge_mask(net, modes="combined")
    matrix, ours = _timed(lambda: travel_time_matrix(net, nodes, modes="combined"))
    best = net.edges[mask].groupby(["u", "v"])["time_min"].min()
    plain = nx.DiGraph()
    plain.add_weighted_edges_from(((int(u), int(v), float(w)) for (u, v), w in best.items()), weight="w")
    idx = net.nodes.get_indexer(nodes)

    def baseline():
        out = np.full((len(nodes), len(nodes)), np.inf)
        for i, s in enumerate(idx):
            dist = nx.single_source_dijkstra_path_length(plain, int(s), weight="w")
            out[i] = [dist.get(int(t), np.inf) for t in idx]
        return out

    base, base_t = _timed(baseline)
    agree = np.allclose(matrix.to_numpy(), base, atol=1e-6)
    print(f"  {len(nodes)} x {len(nodes)} matrix: csgraph {ours:.3f} s, networkx single-source per origin on a "
          f"plain DiGraph {base_t:.3f} s -> {base_t / ours:.1f}x faster; results equal: {agree}")
    assert agree, "baseline and csgraph disagree"
    return {"n": len(nodes), "nodes": full.number_of_nodes(), "ours": ours, "base": base_t}


def build_network_from_layers(links, metro, transport):
    from analysis.network import build_network

    return build_network(metro_stations=metro.load_stations(), metro_lines=metro.load_lines(),
                         links=links.load(), transport_nodes=transport.load())


def road_like_graph(n_nodes: int, seed: int = 0):
    """A perturbed square grid: 200 m blocks, 8% of links missing, every 20th row/column an
    arterial at 60 km/h (others 30 km/h). Returns (csr of minutes, edge arrays)."""
    rng = np.random.default_rng(seed)
    side = int(np.ceil(np.sqrt(n_nodes)))
    ids = np.arange(side * side).reshape(side, side)
    xy = np.stack(np.meshgrid(np.arange(side), np.arange(side)), -1).reshape(-1, 2) * 200.0
    xy += rng.normal(0, 30, xy.shape)
    u = np.concatenate([ids[:, :-1].ravel(), ids[:-1, :].ravel()])
    v = np.concatenate([ids[:, 1:].ravel(), ids[1:, :].ravel()])
    arterial = np.concatenate([np.repeat(np.arange(side) % 20 == 0, side - 1),
                               np.tile(np.arange(side) % 20 == 0, side - 1)])
    keep = rng.random(u.size) > 0.08
    u, v, arterial = u[keep], v[keep], arterial[keep]
    length = np.hypot(*(xy[u] - xy[v]).T)
    minutes = length / 1000 / np.where(arterial, 60.0, 30.0) * 60
    uu, vv, ww = np.concatenate([u, v]), np.concatenate([v, u]), np.concatenate([minutes, minutes])
    return csr_matrix((ww, (uu, vv)), shape=(side * side,) * 2), (uu, vv, ww)


def synthetic_case(n_nodes: int, n_od: int, sample_pairs: int) -> dict:
    (graph_csr, (u, v, w)), build = _timed(lambda: road_like_graph(n_nodes))
    rng = np.random.default_rng(1)
    origins = rng.choice(graph_csr.shape[0], n_od, replace=False)
    dests = rng.choice(graph_csr.shape[0], n_od, replace=False)
    print(f"synthetic road-like graph: {graph_csr.shape[0]} nodes, {graph_csr.nnz} directed edges "
          f"(built in {build:.1f} s)")
    times, ours = _timed(lambda: dijkstra(graph_csr, directed=True, indices=origins)[:, dests])
    nxg, nx_build = _timed(lambda: _to_nx(u, v, w))
    print(f"  networkx graph build (baseline's own cost, not counted): {nx_build:.1f} s")
    pairs = [(rng.integers(n_od), rng.integers(n_od)) for _ in range(sample_pairs)]

    def per_pair():
        return [nx.shortest_path_length(nxg, int(origins[i]), int(dests[j]), weight="w") for i, j in pairs]

    got, pair_t = _timed(per_pair)
    assert np.allclose(got, [times[i, j] for i, j in pairs]), "baseline and csgraph disagree"
    per_pair_total = pair_t / sample_pairs * n_od * n_od

    def per_origin():
        out = np.full((n_od, n_od), np.inf)
        for i in range(n_od):
            dist = nx.single_source_dijkstra_path_length(nxg, int(origins[i]), weight="w")
            out[i] = [dist.get(int(t), np.inf) for t in dests]
        return out

    base, origin_t = _timed(per_origin)
    agree = np.allclose(times, base, atol=1e-6)
    print(f"  {n_od} x {n_od} matrix: csgraph multi-source {ours:.1f} s")
    print(f"  networkx single_source_dijkstra per origin (all {n_od} origins): {origin_t:.1f} s -> "
          f"{origin_t / ours:.1f}x; results equal: {agree}")
    print(f"  (reference) networkx shortest_path_length per pair: {pair_t:.1f} s for {sample_pairs} pairs -> "
          f"{per_pair_total:.0f} s for {n_od * n_od} pairs (extrapolated) -> {per_pair_total / ours:.0f}x")
    assert agree, "baseline and csgraph disagree"
    return {"n": n_od, "nodes": graph_csr.shape[0], "ours": ours, "base": origin_t, "pairs": sample_pairs,
            "pair_total": per_pair_total}


def _to_nx(u, v, w) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_weighted_edges_from(zip(u.tolist(), v.tolist(), w.tolist(), strict=True), weight="w")
    return graph


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=200_000)
    parser.add_argument("--od", type=int, default=100)
    parser.add_argument("--sample-pairs", type=int, default=20)
    parser.add_argument("--write-readme", action="store_true")
    args = parser.parse_args()
    from bench.report import machine, report, table

    where = machine()
    a = strategic_case()
    b = synthetic_case(args.nodes, args.od, args.sample_pairs)
    rows = [[f"strategic network ({a['nodes']:,} nodes), parks + resources, combined mode", f"{a['n']} × {a['n']}",
             f"{a['ours']:.3f} s", f"{a['base']:.3f} s", f"{a['base'] / a['ours']:.0f}×"],
            [f"synthetic road-like grid ({b['nodes']:,} nodes)", f"{b['n']} × {b['n']}", f"{b['ours']:.1f} s",
             f"{b['base']:.1f} s", f"{b['base'] / b['ours']:.0f}×"]]
    md = table(["network", "matrix", "atlas (scipy csgraph, multi-source)",
                "networkx `single_source_dijkstra_path_length` per origin, plain DiGraph", "speed-up"], rows)
    body = (f"`bench/bench_connectivity.py` — {where}; both on every origin in the same run, matrices equal "
            f"(checked).\n\n{md}\n\nFor reference only: networkx `shortest_path_length` per pair would take "
            f"~{b['pair_total']:,.0f} s for the {b['n'] * b['n']:,} pairs of the grid matrix (extrapolated from "
            f"{b['pairs']} pairs), ~{b['pair_total'] / b['ours']:,.0f}× the atlas.")
    report("connectivity", body, write=args.write_readme)


if __name__ == "__main__":
    main()
