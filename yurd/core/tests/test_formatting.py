"""One date, number and money form per language: the functions, the filters, the inputs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from yurd.core.formatting import NBSP, format_date, format_datetime, format_money, format_number
from yurd.core.forms import AccessLogSearchForm, LocalDateField
from yurd.core.partial_dates import PartialDate

YURD = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("language", "day", "month", "year"),
    [
        ("en", "2026-12-07", "1951-03", "1951"),
        ("az", "07.12.2026", "03.1951", "1951"),
        ("ru", "07.12.2026", "03.1951", "1951"),
    ],
)
def test_one_date_form_per_language_for_days_and_partial_dates(language: str, day: str, month: str, year: str) -> None:
    assert format_date(dt.date(2026, 12, 7), language) == day
    assert format_date(PartialDate(2026, 12, 7), language) == day
    assert format_date(PartialDate(1951, 3), language) == month
    assert format_date(PartialDate(1951), language) == year
    assert format_date("1951-03", language) == month  # stored text of a partial date


def test_approximate_dates_say_so_in_the_language() -> None:
    assert format_date(PartialDate(1950, approximate=True), "ru") == "ок. 1950"
    assert format_date(PartialDate(1950, approximate=True), "az") == "təqr. 1950"


def test_a_moment_is_shown_in_local_time_with_a_24_hour_clock() -> None:
    moment = dt.datetime(2026, 12, 7, 10, 5, 9, tzinfo=dt.UTC)  # 14:05 in Baku
    with timezone.override("Asia/Baku"):
        assert format_datetime(moment, "az") == "07.12.2026 14:05"
        assert format_datetime(moment, "en", seconds=True) == "2026-12-07 14:05:09"


@pytest.mark.parametrize(
    ("language", "whole", "fraction", "money"),
    [
        ("en", "1,595", "8,874.5", "AZN\u00a08,874.00"),
        ("az", f"1{NBSP}595", f"8{NBSP}874,5", f"8{NBSP}874,00{NBSP}AZN"),
        ("ru", f"1{NBSP}595", f"8{NBSP}874,5", f"8{NBSP}874,00{NBSP}AZN"),
    ],
)
def test_numbers_and_money_group_and_mark_decimals_per_language(
    language: str, whole: str, fraction: str, money: str
) -> None:
    assert format_number(1595, language=language) == whole
    assert format_number(Decimal("8874.50"), language=language) == fraction
    assert format_money(Decimal("8874"), "AZN", language) == money
    assert format_number(-2003, language=language).startswith("-2")
    assert format_number("0.125", 2, language) in ("0.13", "0,13")  # half up, not to even


def test_template_filters_need_no_load_and_follow_the_page_language() -> None:
    template = Template("{{ when|ydate }} {{ n|ynumber }} {{ share|ynumber:1 }} {{ total|ymoney:'AZN' }}")
    context = Context({"when": dt.date(2026, 12, 7), "n": 2003, "share": 12.345, "total": Decimal("1595")})
    with translation.override("ru"):
        assert template.render(context) == f"07.12.2026 2{NBSP}003 12,3 1{NBSP}595,00{NBSP}AZN"
    with translation.override("en"):
        assert template.render(context) == "2026-12-07 2,003 12.3 AZN\u00a01,595.00"


def test_django_own_formats_agree_with_ours() -> None:
    # A date or number a template prints without a filter reads the same as through one.
    template = Template("{{ when }} {{ amount }}")
    with translation.override("az"):
        assert template.render(Context({"when": dt.date(2026, 12, 7), "amount": Decimal("8874.00")})) == (
            "07.12.2026 8874,00"
        )


def test_date_inputs_are_text_with_a_hint_in_the_page_language_and_read_its_form() -> None:
    with translation.override("ru"):
        html = str(AccessLogSearchForm()["date_from"])
        assert 'type="text"' in html and "ДД.ММ.ГГГГ" in html and 'type="date"' not in html
        form = AccessLogSearchForm({"date_from": "07.12.2026", "date_to": "2026-12-08"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["date_from"] == dt.date(2026, 12, 7)
        bound = AccessLogSearchForm(initial={"date_from": dt.date(2026, 12, 7)})
        assert 'value="07.12.2026"' in str(bound["date_from"])
    with translation.override("az"):
        assert "GG.AA.İİİİ" in str(AccessLogSearchForm()["date_from"])


def test_a_whole_date_field_refuses_part_of_a_date_with_an_example_in_the_language() -> None:
    field = LocalDateField()
    with translation.override("ru"):
        with pytest.raises(Exception) as error:
            field.clean("12.2026")
        assert "23.11.1988" in str(error.value)


def test_no_template_uses_a_fixed_date_pattern_or_django_number_filters() -> None:
    # Machine forms stay allowed: <time datetime="…|date:'c'"> and a date in a query string.
    offenders: list[str] = []
    for path in YURD.glob("*/templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        needles = ('|date:"', "intcomma", "|floatformat:0", "|floatformat:1", "|floatformat:2", "|floatformat:3")
        offenders.extend(f"{path.relative_to(YURD)}: {needle}" for needle in needles if needle in text)
        if 'type="date"' in text:
            offenders.append(f"{path.relative_to(YURD)}: browser date picker")
    assert offenders == []
