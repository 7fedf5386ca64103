"""Template filters for dates, numbers and money (yurd.core.formatting), loaded as builtins.

{{ claim.created_at|ydatetime }}   {{ person.birth_date|ydate }}
{{ count|ynumber }}   {{ share|ynumber:1 }}   {{ decision.total|ymoney:decision.currency }}
{{ place|place_name }}   {{ places|az_sorted:"name" }}
"""

from __future__ import annotations

from typing import Any

from django import template

from yurd.core import formatting

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
