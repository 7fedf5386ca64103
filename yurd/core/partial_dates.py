"""Partial dates: year, year-month or full date, possibly approximate. Pure Python.

Stored as EDTF-style text ("1951", "1951-03", "1951-03-12", with "~" for approximate),
which sorts chronologically as text on every database and filters with plain
string comparisons ("born in the 1950s": >= "1950" and < "1960").
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_APPROXIMATE = re.compile(r"^(?:c\.|c(?=\s)|ca\.?|circa|approx\.?|около|ок\.|təqribən|təqr\.?|~)\s*|\s*(?:\?|~)$", re.I)
# "1951 г.", "1951 года", "1951-ci il": a word for "year", not a sign of doubt.
_YEAR_WORD = re.compile(r"\s*(?:-?(?:ci|cı|cu|cü)\s+)?(?:г\.?|гг\.?|года?|il|ildə)$", re.I)
_DMY = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")
_MY = re.compile(r"^(\d{1,2})[./-](\d{4})$")
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


class PartialDateError(ValueError):
    """The text is not a date in any form Yurd understands."""


@dataclass(frozen=True, order=False)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None
    approximate: bool = False

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise PartialDateError(f"year {self.year} is out of range")
        if self.month is None and self.day is not None:
            raise PartialDateError("a day needs a month")
        if self.month is not None and not 1 <= self.month <= 12:
            raise PartialDateError(f"month {self.month} does not exist")
        if self.day is not None and self.month is not None:
            last = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= last:
                raise PartialDateError(f"day {self.day} does not exist in {self.year}-{self.month:02d}")

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def as_range(self) -> tuple[dt.date, dt.date]:
        """The first and last calendar day this date may stand for."""
        if self.day is not None and self.month is not None:
            day = dt.date(self.year, self.month, self.day)
            return day, day
        if self.month is not None:
            return dt.date(self.year, self.month, 1), dt.date(
                self.year, self.month, calendar.monthrange(self.year, self.month)[1]
            )
        return dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)

    def to_storage(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text + ("~" if self.approximate else "")

    def __str__(self) -> str:
        if self.day is not None and self.month is not None:
            text = f"{self.day:02d}.{self.month:02d}.{self.year:04d}"
        elif self.month is not None:
            text = f"{self.month:02d}.{self.year:04d}"
        else:
            text = f"{self.year:04d}"
        return f"c. {text}" if self.approximate else text

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read 12.03.1951, 03.1951, 1951, 1951-03-12, c. 1951 and similar forms."""
        raw = (text or "").strip()
        if not raw:
            raise PartialDateError("empty date")
        approximate = False
        raw = _YEAR_WORD.sub("", raw).strip()
        while True:
            stripped = _APPROXIMATE.sub("", raw, count=1).strip()
            if stripped == raw:
                break
            approximate = True
            raw = stripped
        try:
            if match := _ISO.match(raw):
                year, month, day = match.groups()
                return cls(int(year), int(month) if month else None, int(day) if day else None, approximate)
            if match := _DMY.match(raw):
                day, month, year = match.groups()
                return cls(int(year), int(month), int(day), approximate)
            if match := _MY.match(raw):
                month, year = match.groups()
                return cls(int(year), int(month), None, approximate)
        except PartialDateError as error:
            raise PartialDateError(f"{text!r}: {error}") from None
        raise PartialDateError(f"{text!r} is not a date (use 12.03.1951, 03.1951, 1951 or 1951-03-12)")

    @classmethod
    def from_storage(cls, value: str) -> PartialDate:
        approximate = value.endswith("~")
        core = value.rstrip("~")
        match = _ISO.match(core)
        if not match:
            raise PartialDateError(f"stored partial date {value!r} is malformed")
        year, month, day = match.groups()
        return cls(int(year), int(month) if month else None, int(day) if day else None, approximate)
