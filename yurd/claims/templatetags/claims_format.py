"""`{{ item.valuation|valuation_lines }}`: a valuation's arithmetic in the page's language.

The decision stores its arithmetic as English lines ("SUR to AZN …", "m2"); pages rebuild it
from the structured valuation as letters do (yurd.claims.letters.arithmetic_lines).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

from yurd.claims.letters import arithmetic_lines

register = template.Library()


@register.filter
def valuation_lines(valuation: Any) -> list[str]:
    if not isinstance(valuation, dict):
        return []
    english = (get_language() or "en")[:2] == "en"
    return arithmetic_lines(valuation, english_labels=english) or list(valuation.get("lines", []) if english else [])
