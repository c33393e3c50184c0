#!/usr/bin/env python3
"""An independent walk over a GeoJSON map, for the CLI tests to check `gongzhi walk` against.

    walk-check.py MAP.geojson [--add-path A,B[,LENGTH]]... [--open A,B]...

Nothing here is shared with gongzhi: the graph and its shortest paths are networkx's, and a line
without a `length` is measured along its coordinates by geographiclib (Karney's geodesic on
WGS84, not the Vincenty formula gongzhi uses), in floating-point metres, unrounded. Prints, for
each entrance, its walk in metres to every bin room it can reach, before and after the changes:
{"entrances": {ID: {"households": N, "before": {BIN: M}, "after": {BIN: M}}}}
"""

import json
import sys

import networkx as nx
from geographiclib.geodesic import Geodesic


def metres(p, q):
    return Geodesic.WGS84.Inverse(p[1], p[0], q[1], q[0])["s12"]


def graph(features, extra, opened):
    g = nx.Graph()
    pos = {}
    for f in features:
        if f["geometry"]["type"] == "Point":
            pos[f["properties"]["id"]] = f["geometry"]["coordinates"]
            g.add_node(f["properties"]["id"])

    def join(a, b, length):
        if a not in pos or b not in pos:
            raise SystemExit(f"no node {a!r} or {b!r}")
        if not g.has_edge(a, b) or length < g[a][b]["weight"]:
            g.add_edge(a, b, weight=length)

    for f in features:
        if f["geometry"]["type"] != "LineString":
            continue
        p = f["properties"]
        a, b = p["from"], p["to"]
        if p.get("closed") and (a, b) not in opened and (b, a) not in opened:
            continue
        line = f["geometry"]["coordinates"]
        length = p.get("length")
        if length is None:
            length = sum(metres(line[i], line[i + 1]) for i in range(len(line) - 1))
        join(a, b, float(length))
    for a, b, length in extra:
        join(a, b, metres(pos[a], pos[b]) if length is None else length)
    return g


def walks(g, entrances, bins):
    out = {e: {} for e in entrances}
    for b in bins:
        for node, d in nx.single_source_dijkstra_path_length(g, b, weight="weight").items():
            if node in out:
                out[node][b] = d
    return out


def main(argv):
    path, rest = argv[0], argv[1:]
    extra, opened = [], set()
    for flag, value in zip(rest[::2], rest[1::2]):
        parts = value.split(",")
        if flag == "--add-path":
            extra.append((parts[0], parts[1], float(parts[2]) if len(parts) > 2 else None))
        elif flag == "--open":
            opened.add((parts[0], parts[1]))
        else:
            raise SystemExit(f"unknown option {flag}")
    with open(path, encoding="utf-8") as f:
        features = json.load(f)["features"]
    points = [f["properties"] for f in features if f["geometry"]["type"] == "Point"]
    entrances = {p["id"]: p["households"] for p in points if p["kind"] == "entrance"}
    bins = [p["id"] for p in points if p["kind"] == "bin"]
    before = walks(graph(features, [], set()), entrances, bins)
    after = walks(graph(features, extra, opened), entrances, bins)
    result = {
        e: {"households": h, "before": before[e], "after": after[e]} for e, h in entrances.items()
    }
    json.dump({"entrances": result}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
