#!/usr/bin/env python3
"""Build web/data/world-110m.tsv: country outlines as SVG path data.

Input:  the world-atlas TopoJSON (Natural Earth 1:110m admin-0 countries) and
        the ISO 3166-1 CSV used by forum-core (columns alpha_2,alpha_3,numeric,...).
Output: one line per country, "ALPHA2<TAB>path-data", sorted by alpha-2, after
        a single "#" comment line naming the source.

Projection: plain equirectangular onto a 1000 x 500 viewBox
    x = (lon + 180) / 360 * 1000
    y = (90 - lat) / 180 * 500
Coordinates are rounded to 1 decimal. Each ring is written as
"M x,y L x,y x,y ... Z" (absolute commands only, rings separated by a space);
the closing point, which repeats the first, is left out because "Z" closes the
ring. Rings that cross the antimeridian (Fiji, Chukotka, Wrangel Island; also
Antarctica if kept) are cut at +/-180 degrees so they do not streak across the
map.

If the unsimplified output is larger than --max-bytes, the rings are simplified:
within a ring, points closer than 0.3 units to the previous kept point are
dropped (the first and last points are always kept, and a ring keeps at least
4 points), and rings whose bounding box is smaller than 0.5 x 0.5 units are
dropped (unless that would leave the country with no ring at all).

Standard library only (Python 3.11). Usage, from the repository root:

    python3 web/tools/build_world_map.py \
        /tmp/worldatlas/node_modules/world-atlas/countries-110m.json

Skipped features (no id, no ISO match, Antarctica) are reported on stderr.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys

VIEW_W = 1000.0
VIEW_H = 500.0
MIN_STEP = 0.3  # simplification: minimum distance between kept points
MIN_BBOX = 0.5  # simplification: minimum ring bounding-box width and height
MIN_RING_POINTS = 4

DEFAULT_TOPOJSON = os.path.join("node_modules", "world-atlas", "countries-110m.json")
DEFAULT_CSV = os.path.join("forum-core", "data", "iso3166-1-names-en-fr-es-ar.csv")
DEFAULT_OUT = os.path.join("web", "data", "world-110m.tsv")


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Return every arc as a list of (lon, lat), undoing quantization/deltas."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        points = []
        if transform:
            sx, sy = transform["scale"]
            tx, ty = transform["translate"]
            x = y = 0
            for pos in arc:
                x += pos[0]
                y += pos[1]
                points.append((x * sx + tx, y * sy + ty))
        else:
            points = [(float(p[0]), float(p[1])) for p in arc]
        arcs.append(points)
    return arcs


def ring_coords(ring: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    """Concatenate the arcs of one ring; ~i (i.e. -i-1) means arc i reversed."""
    out: list[tuple[float, float]] = []
    for k, index in enumerate(ring):
        if index < 0:
            points = arcs[~index][::-1]
        else:
            points = arcs[index]
        # Each arc starts where the previous one ended: drop the shared point.
        out.extend(points if k == 0 else points[1:])
    return out


def geometry_rings(geometry: dict, arcs) -> list[list[tuple[float, float]]]:
    kind = geometry.get("type")
    if kind == "Polygon":
        polygons = [geometry["arcs"]]
    elif kind == "MultiPolygon":
        polygons = geometry["arcs"]
    else:
        return []
    rings = []
    for polygon in polygons:
        for ring in polygon:
            rings.extend(cut_antimeridian(ring_coords(ring, arcs)))
    return rings


def _clip_half(points, inside, cross):
    """One Sutherland-Hodgman pass of an open ring against a half-plane."""
    out = []
    n = len(points)
    for i in range(n):
        cur = points[i]
        prev = points[i - 1]
        if inside(cur):
            if not inside(prev):
                out.append(cross(prev, cur))
            out.append(cur)
        elif inside(prev):
            out.append(cross(prev, cur))
    return out


def _cross_lon(lon0: float):
    def cross(a, b):
        t = (lon0 - a[0]) / (b[0] - a[0])
        return (lon0, a[1] + t * (b[1] - a[1]))
    return cross


def cut_antimeridian(ring: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """Split a ring that crosses the antimeridian into flat-map pieces.

    world-atlas keeps spherical topology, so a few rings (Fiji, Chukotka,
    Wrangel Island, Antarctica) jump from +180 to -180. On an equirectangular
    map such a ring would be drawn straight across the world. The ring is
    unwrapped (longitudes made continuous), then clipped to [-180, 180] at its
    own position and shifted by +/-360 degrees. A ring around a pole
    (Antarctica) is closed along the pole first.
    """
    if not any(abs(a[0] - b[0]) > 180 for a, b in zip(ring, ring[1:])):
        return [ring]
    pts = list(ring)
    if len(pts) > 1 and pts[0] == pts[-1]:
        pts.pop()
    unwrapped = [pts[0]]
    for lon, lat in pts[1:]:
        prev = unwrapped[-1][0]
        while lon - prev > 180:
            lon -= 360
        while lon - prev < -180:
            lon += 360
        unwrapped.append((lon, lat))
    # Closing edge: the last point back to the first.
    drift = unwrapped[0][0] - unwrapped[-1][0]
    if abs(drift) > 180:  # encircles a pole: close the ring along it
        pole = -90.0 if sum(p[1] for p in unwrapped) < 0 else 90.0
        unwrapped += [(unwrapped[-1][0], pole), (unwrapped[0][0], pole)]
    lo = min(p[0] for p in unwrapped)
    hi = max(p[0] for p in unwrapped)
    pieces = []
    for shift in (-720, -360, 0, 360, 720):
        if hi + shift <= -180 or lo + shift >= 180:
            continue
        shifted = [(lon + shift, lat) for lon, lat in unwrapped]
        clipped = _clip_half(shifted, lambda p: p[0] >= -180, _cross_lon(-180.0))
        if clipped:
            clipped = _clip_half(clipped, lambda p: p[0] <= 180, _cross_lon(180.0))
        area2 = sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(clipped, clipped[1:] + clipped[:1]))
        if len(clipped) >= 3 and abs(area2) > 1e-9:
            pieces.append(clipped + [clipped[0]])
    return pieces


def project(lon: float, lat: float) -> tuple[float, float]:
    x = (lon + 180.0) / 360.0 * VIEW_W
    y = (90.0 - lat) / 180.0 * VIEW_H
    return (round(x, 1), round(y, 1))


def simplify_ring(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    if len(points) <= MIN_RING_POINTS:
        return points
    kept = [points[0]]
    for p in points[1:-1]:
        q = kept[-1]
        if (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2 >= MIN_STEP * MIN_STEP:
            kept.append(p)
    kept.append(points[-1])
    if len(kept) < MIN_RING_POINTS:
        # Too few survivors: keep an evenly spaced subset of the original.
        n = len(points) - 1
        picks = sorted({round(i * n / (MIN_RING_POINTS - 1)) for i in range(MIN_RING_POINTS)})
        kept = [points[i] for i in picks]
    return kept


def ring_is_tiny(points: list[tuple[float, float]]) -> bool:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return (max(xs) - min(xs)) < MIN_BBOX and (max(ys) - min(ys)) < MIN_BBOX


def fmt(v: float) -> str:
    s = f"{v:.1f}"
    if s.endswith(".0"):
        s = s[:-2]
    if s == "-0":
        s = "0"
    return s


def ring_path(points: list[tuple[float, float]]) -> str:
    # Drop consecutive duplicates created by rounding, and the closing point.
    pts: list[tuple[float, float]] = []
    for p in points:
        if not pts or p != pts[-1]:
            pts.append(p)
    if len(pts) > 1 and pts[-1] == pts[0]:
        pts.pop()
    if len(pts) < 3:
        return ""
    coords = [f"{fmt(x)},{fmt(y)}" for x, y in pts]
    return "M " + coords[0] + " L " + " ".join(coords[1:]) + " Z"


def country_path(rings: list[list[tuple[float, float]]], simplify: bool) -> str:
    projected = [[project(lon, lat) for lon, lat in ring] for ring in rings]
    if simplify:
        big = [r for r in projected if not ring_is_tiny(r)]
        if not big:  # never drop a country entirely: keep its largest ring
            big = [max(projected, key=len)]
        projected = [simplify_ring(r) for r in big]
    return " ".join(filter(None, (ring_path(r) for r in projected)))


def load_numeric_to_alpha2(csv_path: str) -> dict[str, str]:
    mapping = {}
    with open(csv_path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            numeric = (row.get("numeric") or "").strip()
            alpha2 = (row.get("alpha_2") or "").strip().upper()
            if numeric and alpha2:
                mapping[numeric.zfill(3)] = alpha2
    return mapping


def world_atlas_version(topojson_path: str) -> str:
    pkg = os.path.join(os.path.dirname(os.path.abspath(topojson_path)), "package.json")
    try:
        with open(pkg, encoding="utf-8") as fh:
            return json.load(fh).get("version", "unknown")
    except (OSError, ValueError):
        return "unknown"


def build(args) -> int:
    with open(args.topojson, encoding="utf-8") as fh:
        topology = json.load(fh)
    numeric_to_alpha2 = load_numeric_to_alpha2(args.csv)
    arcs = decode_arcs(topology)

    countries: dict[str, list[list[tuple[float, float]]]] = {}
    for geom in topology["objects"]["countries"]["geometries"]:
        name = (geom.get("properties") or {}).get("name", "?")
        gid = geom.get("id")
        if gid is None or str(gid).strip() == "":
            print(f"skipped: {name} (no id)", file=sys.stderr)
            continue
        numeric = str(gid).strip().zfill(3)
        alpha2 = numeric_to_alpha2.get(numeric)
        if alpha2 is None:
            print(f"skipped: {name} (id {numeric} not in ISO CSV)", file=sys.stderr)
            continue
        if alpha2 == "AQ" and not args.keep_antarctica:
            print(f"skipped: {name} (AQ, dropped to save space)", file=sys.stderr)
            continue
        rings = geometry_rings(geom, arcs)
        if not rings:
            print(f"skipped: {name} ({alpha2}, no polygon rings)", file=sys.stderr)
            continue
        # Same code twice: merge the rings into one entry.
        countries.setdefault(alpha2, []).extend(rings)

    version = world_atlas_version(args.topojson)
    header = (
        f"# Natural Earth 1:110m via world-atlas {version} (ISC), "
        "built by web/tools/build_world_map.py; "
        "equirectangular, viewBox 0 0 1000 500; ALPHA2<TAB>SVG path data\n"
    )

    def render(simplify: bool) -> str:
        lines = [header]
        for alpha2 in sorted(countries):
            path = country_path(countries[alpha2], simplify)
            if path:
                lines.append(f"{alpha2}\t{path}\n")
            else:
                print(f"skipped: {alpha2} (empty path)", file=sys.stderr)
        return "".join(lines)

    text = render(simplify=args.simplify == "on")
    if args.simplify == "auto" and len(text.encode("utf-8")) > args.max_bytes:
        print(
            f"unsimplified output is {len(text.encode('utf-8'))} bytes "
            f"(> {args.max_bytes}); simplifying",
            file=sys.stderr,
        )
        text = render(simplify=True)

    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    count = text.count("\n") - 1
    print(f"wrote {args.out}: {count} countries, {len(text.encode('utf-8'))} bytes", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("topojson", nargs="?", default=DEFAULT_TOPOJSON,
                        help=f"world-atlas countries-110m.json (default: {DEFAULT_TOPOJSON})")
    parser.add_argument("csv", nargs="?", default=DEFAULT_CSV,
                        help=f"ISO 3166-1 CSV (default: {DEFAULT_CSV})")
    parser.add_argument("--out", default=DEFAULT_OUT, help=f"output TSV (default: {DEFAULT_OUT})")
    parser.add_argument("--max-bytes", type=int, default=150_000,
                        help="simplify when the output would exceed this size (default: 150000)")
    parser.add_argument("--simplify", choices=("auto", "on", "off"), default="auto",
                        help="auto: only when over --max-bytes (default)")
    parser.add_argument("--keep-antarctica", action="store_true", help="keep AQ")
    return build(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
