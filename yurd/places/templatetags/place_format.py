"""`{{ place|place_name }}`: a place's name in the page's script (yurd.places.display); a builtin."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from yurd.names.collation import sort_key
from yurd.places.display import place_name as display_name

register = template.Library()


@register.filter
def place_name(place: Any) -> str:
    if place is None or place == "":
        return ""
    if not hasattr(place, "pk"):
        return str(place)
    return display_name(place)


@register.filter
def alphabetical(items: Any, attribute: str = "") -> list[Any]:
    """A list sorted in the page's alphabetical order, by an attribute's text when named."""
    language = (get_language() or "en")[:2]

    def text(item: Any) -> str:
        value = getattr(item, attribute, item) if attribute else item
        return display_name(value) if hasattr(value, "path") else str(value)

    return sorted(items, key=lambda item: sort_key(text(item), language))
