"""Birth dates as sources write them, compared as evidence rather than as strings."""

from __future__ import annotations

import re
from dataclasses import dataclass

_MONTHS = {
    # English, Azerbaijani, Russian (nominative and genitive stems)
    "jan": 1, "yan": 1, "янв": 1,
    "feb": 2, "fev": 2, "фев": 2,
    "mar": 3, "мар": 3,
    "apr": 4, "апр": 4,
    "may": 5, "mai": 5, "май": 5, "мая": 5,
    "jun": 6, "iyun": 6, "июн": 6,
    "jul": 7, "iyul": 7, "июл": 7,
    "aug": 8, "avq": 8, "авг": 8,
    "sep": 9, "sen": 9, "сен": 9,
    "oct": 10, "okt": 10, "окт": 10,
    "nov": 11, "ноя": 11,
    "dec": 12, "dek": 12, "дек": 12,
}  # fmt: skip
_NUMBERS = re.compile(r"\d+")
_APPROXIMATE = re.compile(r"^(ок|ca|c\.|circa|təx|прибл|about)|[~?]")
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class BirthDate:
    """What a source says about a birth date. Missing parts are None."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    # The source's order is ambiguous (03/04/1951) or day and month may have been swapped.
    swappable: bool = False
    approximate: bool = False

    @property
    def is_known(self) -> bool:
        return self.year is not None

    @property
    def month_day(self) -> str | None:
        if self.month is None or self.day is None:
            return None
        return f"{self.month:02d}-{self.day:02d}"

    @property
    def month_day_swapped(self) -> str | None:
        if self.month is None or self.day is None or self.day > 12:
            return None
        return f"{self.day:02d}-{self.month:02d}"

    def display(self) -> str:
        if self.year is None:
            return ""
        if self.month is None:
            return str(self.year)
        if self.day is None:
            return f"{self.year}-{self.month:02d}"
        return f"{self.year}-{self.month:02d}-{self.day:02d}"


def _year(value: str) -> int | None:
    number = int(value)
    if len(value) == 2:
        number += 1900
    if 1800 <= number <= 2100:
        return number
    return None


def _valid(year: int | None, month: int | None, day: int | None, *, swappable: bool = False) -> BirthDate:
    if year is None:
        return BirthDate()
    if month is None or not 1 <= month <= 12 or day is None or not 1 <= day <= 31:
        return BirthDate(year=year, month=month if month and 1 <= month <= 12 and day is None else None)
    if month == 1 and day == 1:
        # 01.01.YYYY stands for "unknown" in many registers.
        return BirthDate(year=year)
    return BirthDate(year=year, month=month, day=day, swappable=swappable and day <= 12 and day != month)


def parse_birth_date(text: str | None) -> BirthDate:  # noqa: PLR0912 - one branch per written form
    """Parse 12.03.1951, 1951-03-12, 03/12/1951, 19510312, 12 марта 1951, 1951, "ок. 1950" ..."""
    text = (text or "").strip().lower()
    if not text:
        return BirthDate()
    approximate = bool(_APPROXIMATE.search(text))
    numbers = _NUMBERS.findall(text)
    month_word = None
    for word in _WORD.findall(text):
        for prefix, month in _MONTHS.items():
            if word.startswith(prefix) and len(word) >= 3:
                month_word = month
                break
        if month_word:
            break
    result = BirthDate()
    if len(numbers) == 1 and len(numbers[0]) == 8:
        digits = numbers[0]
        if 1800 <= int(digits[:4]) <= 2100:
            result = _valid(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        else:
            result = _valid(_year(digits[4:]), int(digits[2:4]), int(digits[:2]))
    elif len(numbers) == 1 and len(numbers[0]) in (2, 4):
        result = BirthDate(year=_year(numbers[0]))
    elif month_word and len(numbers) >= 1:
        year = next((_year(n) for n in numbers if len(n) == 4), None)
        day = next((int(n) for n in numbers if len(n) <= 2), None)
        result = _valid(year, month_word, day)
    elif len(numbers) == 2:
        first, second = numbers
        if len(first) == 4:
            result = BirthDate(year=_year(first), month=int(second) if 1 <= int(second) <= 12 else None)
        else:
            result = BirthDate(year=_year(second), month=int(first) if 1 <= int(first) <= 12 else None)
    elif len(numbers) >= 3:
        first, second, third = numbers[:3]
        if len(first) == 4:  # ISO order
            result = _valid(_year(first), int(second), int(third))
        elif ("/" in text and int(first) <= 12 < int(second)) or int(second) > 12 >= int(first):
            # Month first: US order from online forms, or a "day" above 12.
            result = _valid(_year(third), int(first), int(second))
        else:
            result = _valid(_year(third), int(second), int(first), swappable=True)
    if approximate and result.year is not None:
        return BirthDate(year=result.year, approximate=True)
    return result


@dataclass(frozen=True)
class DateAgreement:
    level: str  # exact, swapped, year_only, same_year, one_year, few_years, different, unknown
    words: str


def compare_birth_dates(first: BirthDate, second: BirthDate) -> DateAgreement:  # noqa: PLR0911
    """How far two birth dates agree, in the words the explanation uses."""
    if first.year is None or second.year is None:
        return DateAgreement("unknown", "birth date unknown on one side")
    gap = abs(first.year - second.year)
    if gap == 0:
        if first.month_day and first.month_day == second.month_day:
            return DateAgreement("exact", "birth date agrees exactly")
        if first.month_day and first.month_day == second.month_day_swapped:
            return DateAgreement("swapped", "birth date agrees with day and month swapped")
        if first.month_day is None or second.month_day is None:
            return DateAgreement("year_only", "birth date agrees to the year")
        return DateAgreement("same_year", "birth year agrees, day and month differ")
    if gap == 1:
        return DateAgreement("one_year", "birth years one apart")
    if gap <= 3:
        return DateAgreement("few_years", f"birth years {gap} apart")
    return DateAgreement("different", f"birth years differ ({first.year} and {second.year})")
