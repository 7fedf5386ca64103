"""`{% yurd_map_script %}`: the shared map script, told where the base map is.

Without the setting YURD_MAP_TILES (the default) maps draw the offline base map shipped
with Yurd (static/maps/region.geojson); with it, that tile server. No map loads anything
from another site unless the setting names one.
"""

from __future__ import annotations

import math

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()

BASE_ATTRIBUTION = "Natural Earth; GSHHG; GeoNames"


@register.simple_tag
def yurd_map_script() -> SafeString:
    return format_html(
        '<script src="{}" data-base="{}" data-tiles="{}" data-tiles-attribution="{}" data-base-attribution="{}">'
        "</script>",
        static("js/yurd-map.js"),
        static("maps/region.geojson"),
        getattr(settings, "YURD_MAP_TILES", ""),
        getattr(settings, "YURD_MAP_TILES_ATTRIBUTION", ""),
        BASE_ATTRIBUTION,
    )


def _polygon(sides: int, rotation: float) -> list[tuple[float, float]]:
    angles = [rotation + index * 2 * math.pi / sides for index in range(sides)]
    return [(math.sin(angle), -math.cos(angle)) for angle in angles]


# The outlines static/js/yurd-map.js draws markers with (unit radius), for legends.
SHAPES: dict[str, list[tuple[float, float]]] = {
    "square": [(-0.85, -0.85), (0.85, -0.85), (0.85, 0.85), (-0.85, 0.85)],
    "diamond": [(0, -1.15), (1.15, 0), (0, 1.15), (-1.15, 0)],
    "triangle": [(0, -1.2), (1.1, 0.8), (-1.1, 0.8)],
    "triangle-down": [(0, 1.2), (1.1, -0.8), (-1.1, -0.8)],
    "cross": [(-0.35, -1), (0.35, -1), (0.35, -0.35), (1, -0.35), (1, 0.35), (0.35, 0.35), (0.35, 1),
              (-0.35, 1), (-0.35, 0.35), (-1, 0.35), (-1, -0.35), (-0.35, -0.35)],
    "pentagon": _polygon(5, 0),
    "hexagon": _polygon(6, math.pi / 6),
}  # fmt: skip


@register.simple_tag
def map_swatch(colour: str, shape: str = "circle") -> SafeString:
    """A legend's symbol: the marker's shape in its colour, as a small inline SVG."""
    if shape in SHAPES:
        d = "".join(f"{'L' if index else 'M'}{x * 6:.2f} {y * 6:.2f}" for index, (x, y) in enumerate(SHAPES[shape]))
        symbol = format_html('<path d="{}z" fill="{}" stroke="#1b1f23"/>', d, colour)
    else:
        symbol = format_html('<circle r="6" fill="{}" stroke="#1b1f23"/>', colour)
    return format_html(
        '<svg class="legend-shape" viewBox="-8 -8 16 16" width="16" height="16" aria-hidden="true" '
        'data-shape="{}">{}</svg>',
        shape,
        symbol,
    )


@register.simple_tag
def map_base_legend() -> SafeString:
    """The offline base map's key (legend items), or nothing when a tile server draws it."""
    if getattr(settings, "YURD_MAP_TILES", ""):
        return mark_safe("")
    return format_html(
        '<li class="map-key-base"><svg class="legend-shape" viewBox="0 0 24 12" width="24" height="12" '
        'aria-hidden="true"><path d="M0 6h24" stroke="#5b6470" stroke-width="2"/></svg> {}</li>'
        '<li class="map-key-base"><svg class="legend-shape" viewBox="0 0 24 12" width="24" height="12" '
        'aria-hidden="true"><path d="M0 6h24" stroke="#9aa1aa" stroke-dasharray="3 3"/></svg> {}</li>'
        '<li class="map-key-base"><svg class="legend-shape" viewBox="0 0 24 12" width="24" height="12" '
        'aria-hidden="true"><path d="M0 6h24" stroke="#6b9ec4" stroke-width="3"/></svg> {}</li>'
        '<li class="map-key-base"><svg class="legend-shape" viewBox="-8 -8 16 16" width="16" height="16" '
        'aria-hidden="true"><circle r="3.5" fill="#fff" stroke="#3d4550"/></svg> {}</li>',
        _("State border"),
        _("Province or district border"),
        _("Lakes and rivers"),
        _("Town"),
    )
