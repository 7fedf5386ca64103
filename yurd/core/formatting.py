"""Dates, numbers and money as people read them: one form per language, used everywhere.

Templates use the filters of the same names (`yurd.core.templatetags.yurd_format`, a
builtin: no `{% load %}` needed); letters, PDFs and exports for people call these
functions. Machine formats (CSV for other software, the API, `<time datetime>`) keep ISO.

    language  date         year-month  datetime          number      money
    en        2026-12-07   1951-03     2026-12-07 14:05  12,345.5    AZN 12,345.50
    az        07.12.2026   03.1951     07.12.2026 14:05  12 345,5    12 345,50 AZN
    ru        07.12.2026   03.1951     07.12.2026 14:05  12 345,5    12 345,50 AZN

The thousands separator of az and ru is a no-break space, so a figure never wraps.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language

from yurd.core.partial_dates import PartialDate, PartialDateError

NBSP = "\u00a0"
# Per language: date pattern for day / month / year precision, grouping, decimal mark,
# and whether a currency code goes before the figure.
_DMY = {"day": "{d:02d}.{m:02d}.{y:04d}", "month": "{m:02d}.{y:04d}"}
_STYLES: dict[str, dict[str, Any]] = {
    "en": {
        "day": "{y:04d}-{m:02d}-{d:02d}",
        "month": "{y:04d}-{m:02d}",
        "group": ",",
        "decimal": ".",
        "code_first": True,
    },
    "az": {**_DMY, "group": NBSP, "decimal": ",", "code_first": False},
    "ru": {**_DMY, "group": NBSP, "decimal": ",", "code_first": False},
}
# What a date input shows as its hint, in the page's language (translated words, fixed order).
DATE_HINTS = {
    "en": "YYYY-MM-DD, YYYY-MM or YYYY",
    "az": "GG.AA.İİİİ, AA.İİİİ və ya İİİİ",
    "ru": "ДД.ММ.ГГГГ, ММ.ГГГГ или ГГГГ",
}
_APPROXIMATE = {"en": "c. ", "az": "təqr. ", "ru": "ок. "}


def _language(language: str | None) -> str:
    code = (language or get_language() or "en")[:2]
    return code if code in _STYLES else "en"


def format_date(value: Any, language: str | None = None) -> str:
    """A date, a datetime (its local calendar day) or a PartialDate; "" for None/""."""
    if value is None or value == "":
        return ""
    style = _STYLES[_language(language)]
    if isinstance(value, str):
        try:
            value = PartialDate.parse(value)
        except PartialDateError:
            return value
    if isinstance(value, PartialDate):
        text = (
            style["day"].format(y=value.year, m=value.month, d=value.day)
            if value.day is not None
            else style["month"].format(y=value.year, m=value.month)
            if value.month is not None
            else f"{value.year:04d}"
        )
        return _APPROXIMATE[_language(language)] + text if value.approximate else text
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    if isinstance(value, dt.date):
        return str(style["day"].format(y=value.year, m=value.month, d=value.day))
    return str(value)


def format_datetime(value: Any, language: str | None = None, *, seconds: bool = False) -> str:
    """A moment in the server's time zone: the language's date, then 24-hour time."""
    if value is None or value == "":
        return ""
    if not isinstance(value, dt.datetime):
        return format_date(value, language)
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    clock = local.strftime("%H:%M:%S" if seconds else "%H:%M")
    return f"{format_date(local.date(), language)} {clock}"


def parse_date(text: str) -> PartialDate:
    """Read a date typed in any language's form (07.12.2026, 2026-12-07, 12.2026, 2026)."""
    return PartialDate.parse(text)


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def format_number(value: Any, places: int | None = None, language: str | None = None) -> str:
    """Group thousands and mark decimals as the language does.

    `places` None keeps an integer whole and a fraction as it is (trailing zeros dropped);
    a number rounds half up to that many places. Anything not a number is returned as text.
    """
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    style = _STYLES[_language(language)]
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        text = f"{abs(number):.{places}f}"
    else:
        text = format(abs(number), "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
    whole, _, fraction = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = style["group"].join(groups) + (style["decimal"] + fraction if fraction else "")
    return ("-" if number < 0 else "") + text


def format_money(value: Any, currency: str = "AZN", language: str | None = None, places: int = 2) -> str:
    """A sum with its currency code where the language puts it: "AZN 1,595.00", "1 595,00 AZN"."""
    figure = format_number(value, places, language)
    if not figure or not currency:
        return figure
    if _STYLES[_language(language)]["code_first"]:
        return f"{currency}{NBSP}{figure}"
    return f"{figure}{NBSP}{currency}"


def format_percent(value: Any, places: int = 0, language: str | None = None) -> str:
    figure = format_number(value, places, language)
    return f"{figure}{NBSP}%" if figure and _language(language) != "en" else f"{figure}%" if figure else ""


def date_hint(language: str | None = None) -> str:
    return DATE_HINTS[_language(language)]
