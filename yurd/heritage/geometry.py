"""GeoJSON geometries of sites (RFC 7946): validation and a representative point. Pure Python."""

from __future__ import annotations

import itertools
from typing import Any


class GeometryError(ValueError):
    pass


def _position(value: Any) -> tuple[float, float]:
    if not isinstance(value, list | tuple) or len(value) not in (2, 3):
        raise GeometryError("a position is [longitude, latitude]")
    try:
        longitude, latitude = float(value[0]), float(value[1])
    except (TypeError, ValueError):
        raise GeometryError("coordinates must be numbers") from None
    if not -180 <= longitude <= 180:
        raise GeometryError(f"longitude {longitude} is outside -180..180 (is the order lon, lat?)")
    if not -90 <= latitude <= 90:
        raise GeometryError(f"latitude {latitude} is outside -90..90 (is the order lon, lat?)")
    return longitude, latitude


def validate(geometry: Any) -> dict[str, Any]:
    """Return a normalised Point or Polygon geometry, or raise GeometryError saying what is wrong."""
    if not isinstance(geometry, dict):
        raise GeometryError("the geometry must be a GeoJSON object")
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind == "Point":
        longitude, latitude = _position(coordinates)
        return {"type": "Point", "coordinates": [longitude, latitude]}
    if kind == "Polygon":
        if not isinstance(coordinates, list) or not coordinates:
            raise GeometryError("a polygon needs at least one ring")
        rings = []
        for ring in coordinates:
            if not isinstance(ring, list) or len(ring) < 4:
                raise GeometryError("a polygon ring needs at least four positions")
            positions = [list(_position(position)) for position in ring]
            if positions[0] != positions[-1]:
                raise GeometryError("a polygon ring must end where it starts")
            rings.append(positions)
        # RFC 7946: exterior ring counter-clockwise.
        if _signed_area(rings[0]) < 0:
            rings[0] = list(reversed(rings[0]))
        return {"type": "Polygon", "coordinates": rings}
    raise GeometryError("only Point and Polygon geometries are supported")


def _signed_area(ring: list[list[float]]) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(ring)) / 2


def representative_point(geometry: dict[str, Any]) -> tuple[float, float]:
    """(longitude, latitude): the point itself, or the mean of a polygon's exterior ring."""
    if geometry["type"] == "Point":
        longitude, latitude = geometry["coordinates"][:2]
        return float(longitude), float(latitude)
    ring = geometry["coordinates"][0][:-1]
    return sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)


def point(longitude: float, latitude: float) -> dict[str, Any]:
    return validate({"type": "Point", "coordinates": [longitude, latitude]})
