from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from yurd.heritage.condition import Condition
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
    return format_html(
        '<span class="condition-badge condition-{}"><span class="swatch" style="background: {}" aria-hidden="true">'
        "</span> {}</span>",
        condition.state,
        condition.colour,
        label,
    )


@register.filter
def state_label(state: str) -> str:
    return condition_label(state)
