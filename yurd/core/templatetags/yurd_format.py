"""Template filters for dates, numbers and money (yurd.core.formatting), loaded as builtins.

{{ claim.created_at|ydatetime }}   {{ person.birth_date|ydate }}
{{ count|ynumber }}   {{ share|ynumber:1 }}   {{ decision.total|ymoney:decision.currency }}
{{ place|place_name }}   {{ places|az_sorted:"name" }}
{{ entry.username|actor_name }}   {{ entry.target_type|record_type }}
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext

from yurd.core import formatting
from yurd.core.actors import SYSTEM_USERNAME
from yurd.core.record_types import record_type_label

register = template.Library()


@register.filter
def ydate(value: Any) -> str:
    return formatting.format_date(value)


@register.filter
def ydatetime(value: Any, arg: str = "") -> str:
    return formatting.format_datetime(value, seconds=arg == "seconds")


@register.filter
def ynumber(value: Any, places: Any = None) -> str:
    return formatting.format_number(value, None if places in (None, "") else int(places))


@register.filter
def ymoney(value: Any, currency: Any = "AZN") -> str:
    return formatting.format_money(value, str(currency or ""))


@register.filter
def ypercent(value: Any, places: Any = 0) -> str:
    return formatting.format_percent(value, int(places or 0))


@register.simple_tag
def date_hint() -> str:
    """The forms a date input reads, in the page's language (its placeholder)."""
    return formatting.date_hint()


@register.filter
def actor_name(username: Any) -> str:
    """A log's user name; the system operator (logged as "system", or no user) in the page's language."""
    if username in (None, "", SYSTEM_USERNAME):
        return gettext("system")
    return str(username)


@register.filter
def reason_text(reason: Any) -> str:
    """A change's reason or a job's message: one the system wrote (a catalogue message,
    stored in the language of whoever acted, English at the command line) reads in the
    page's language; one that people typed shows as typed."""
    text = str(reason or "")
    return gettext(text) if text else text


@register.filter
def record_type(label: Any, plural: Any = "") -> str:
    """A record type stored as a model label ("registry.household"), named as people read it."""
    return record_type_label(str(label or ""), plural=bool(plural))
