"""Partial dates: parsing every accepted form, refusing bad ones, sorting and filtering."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from yurd.core.fields import PartialDateField
from yurd.core.partial_dates import PartialDate, PartialDateError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.03.1951", PartialDate(1951, 3, 12)),
        ("03.1951", PartialDate(1951, 3)),
        ("1951", PartialDate(1951)),
        ("1951-03-12", PartialDate(1951, 3, 12)),
        ("1951-03", PartialDate(1951, 3)),
        ("c. 1951", PartialDate(1951, approximate=True)),
        ("c 1951", PartialDate(1951, approximate=True)),
        ("ca. 03.1951", PartialDate(1951, 3, approximate=True)),
        ("около 1951", PartialDate(1951, approximate=True)),
        ("təqribən 1951", PartialDate(1951, approximate=True)),
        ("1951?", PartialDate(1951, approximate=True)),
        ("~1951-03-12", PartialDate(1951, 3, 12, approximate=True)),
        ("  12/03/1951 ", PartialDate(1951, 3, 12)),
        ("1951 г.", PartialDate(1951)),
        ("1951-ci il", PartialDate(1951)),
        ("1.3.1951", PartialDate(1951, 3, 1)),
    ],
)
def test_parse_accepts_every_documented_form(text: str, expected: PartialDate) -> None:
    assert PartialDate.parse(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "soon", "31.02.1951", "13.1951", "1951-13", "0000", "12.03.51", "c."])
def test_parse_refuses_what_is_not_a_date(text: str) -> None:
    with pytest.raises(PartialDateError):
        PartialDate.parse(text)


def test_storage_round_trip_keeps_precision_and_approximation() -> None:
    for text in ["1951", "1951-03", "1951-03-12", "1951~", "1951-03-12~"]:
        assert PartialDate.from_storage(text).to_storage() == text


def test_display_uses_day_month_year_and_marks_approximate() -> None:
    assert str(PartialDate(1951, 3, 12)) == "12.03.1951"
    assert str(PartialDate(1951, 3)) == "03.1951"
    assert str(PartialDate(1951, approximate=True)) == "c. 1951"


def test_range_covers_every_day_the_date_may_stand_for() -> None:
    assert PartialDate(1952, 2).as_range() == (dt.date(1952, 2, 1), dt.date(1952, 2, 29))
    assert PartialDate(1951).as_range() == (dt.date(1951, 1, 1), dt.date(1951, 12, 31))
    assert PartialDate(1951, 3, 12).precision == "day"


def test_storage_text_sorts_chronologically() -> None:
    dates = ["1952", "1951-03-12", "1951", "1950~", "1951-03", "1951-11-02", "1949-12-31"]
    ordered = sorted(PartialDate.parse(text).to_storage() for text in dates)
    assert ordered == ["1949-12-31", "1950~", "1951", "1951-03", "1951-03-12", "1951-11-02", "1952"]


def test_field_cleans_text_and_reports_bad_dates() -> None:
    field = PartialDateField()
    assert field.clean("c. 1951", None) == PartialDate(1951, approximate=True)
    assert field.clean("", None) is None
    with pytest.raises(ValidationError):
        field.clean("31.02.1951", None)
    assert field.get_prep_value(PartialDate(1951, 3)) == "1951-03"
    assert field.get_prep_value(None) == ""
