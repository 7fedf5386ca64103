from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from yurd.core.templatetags.yurd_maps import map_swatch
from yurd.heritage.condition import SHAPES, UNKNOWN, Condition
from yurd.heritage.models import PhysicalState

register = template.Library()


def condition_label(state: str) -> str:
    if state == "unknown":
        return _("no published observation")
    return str(dict(PhysicalState.choices).get(state, state))


@register.simple_tag
def condition_badge(condition: Condition) -> str:
    label = condition_label(condition.state)
    if condition.is_disputed:
        label = _("%(state)s (disputed)") % {"state": label}
    # The map's symbol (colour and shape), so a badge reads the same as the map.
    return format_html(
        '<span class="condition-badge condition-{}">{} {}</span>',
        condition.state,
        map_swatch(condition.colour, SHAPES.get(condition.state, SHAPES[UNKNOWN])),
        label,
    )


@register.filter
def state_label(state: str) -> str:
    return condition_label(state)
