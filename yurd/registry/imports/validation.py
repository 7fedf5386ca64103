"""Row validation for imports: every rule yields (column, message); nothing is guessed."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from yurd.accounts.models import ScopeBasis
from yurd.core.partial_dates import PartialDate, PartialDateError
from yurd.names import search_key
from yurd.places.models import Place
from yurd.places.selectors import place_with_district
from yurd.registry.imports.reading import COLUMNS
from yurd.registry.models import HouseholdRole, Sex, Wave

INDEX = {column: position for position, column in enumerate(COLUMNS)}
HOUSEHOLD_COLUMNS = ("origin_place", "wave", "displacement_date", "current_place")
SEX_WORDS = {
    "m": Sex.MALE,
    "male": Sex.MALE,
    "man": Sex.MALE,
    "м": Sex.MALE,
    "муж": Sex.MALE,
    "мужской": Sex.MALE,
    "k": Sex.MALE,
    "kişi": Sex.MALE,
    "f": Sex.FEMALE,
    "female": Sex.FEMALE,
    "woman": Sex.FEMALE,
    "ж": Sex.FEMALE,
    "жен": Sex.FEMALE,
    "женский": Sex.FEMALE,
    "q": Sex.FEMALE,
    "qadın": Sex.FEMALE,
}
ROLE_WORDS = {
    **{role.value: role.value for role in HouseholdRole},
    "başçı": HouseholdRole.HEAD,
    "ailə başçısı": HouseholdRole.HEAD,
    "глава": HouseholdRole.HEAD,
    "həyat yoldaşı": HouseholdRole.SPOUSE,
    "супруг": HouseholdRole.SPOUSE,
    "супруга": HouseholdRole.SPOUSE,
    "wife": HouseholdRole.SPOUSE,
    "husband": HouseholdRole.SPOUSE,
    "son": HouseholdRole.CHILD,
    "daughter": HouseholdRole.CHILD,
    "övlad": HouseholdRole.CHILD,
    "oğul": HouseholdRole.CHILD,
    "qız": HouseholdRole.CHILD,
    "сын": HouseholdRole.CHILD,
    "дочь": HouseholdRole.CHILD,
    "father": HouseholdRole.PARENT,
    "mother": HouseholdRole.PARENT,
    "ata": HouseholdRole.PARENT,
    "ana": HouseholdRole.PARENT,
    "отец": HouseholdRole.PARENT,
    "мать": HouseholdRole.PARENT,
    "nəvə": HouseholdRole.GRANDCHILD,
    "внук": HouseholdRole.GRANDCHILD,
    "внучка": HouseholdRole.GRANDCHILD,
    "brother": HouseholdRole.SIBLING,
    "sister": HouseholdRole.SIBLING,
    "qardaş": HouseholdRole.SIBLING,
    "bacı": HouseholdRole.SIBLING,
    "брат": HouseholdRole.SIBLING,
    "сестра": HouseholdRole.SIBLING,
}
MAX_LENGTH = {"surname": 100, "given_name": 100, "patronymic": 100, "household_ref": 100, "person_ref": 100}


@dataclass(slots=True)
class ParsedRow:
    number: int
    cells: list[str]
    errors: list[dict[str, str]] = field(default_factory=list)
    # Parsed values in storage form (dates as storage text, places and waves as ids, no
    # empty values) plus the cells the commit needs: what ImportRow.values holds.
    values: dict[str, Any] = field(default_factory=dict)

    def error(self, column: str, message: str) -> None:
        self.errors.append({"column": column, "message": message})

    def cell(self, column: str) -> str:
        return self.cells[INDEX[column]]


@functools.lru_cache(maxsize=4096)
def _folded(text: str) -> str:
    return search_key(text)


def person_source_ref(cells: list[str]) -> str:
    """The row's own person_ref, or a stable key from household, name and birth date."""
    ref = cells[INDEX["person_ref"]]
    if ref:
        return ref
    name = " ".join(cells[INDEX[column]] for column in ("surname", "given_name", "patronymic", "full_name"))
    basis = "|".join([cells[INDEX["household_ref"]], search_key(name), cells[INDEX["birth_date"]]])
    return "~" + hashlib.sha1(basis.encode(), usedforsecurity=False).hexdigest()[:24]


def split_full_name(full_name: str) -> tuple[str, str, str]:
    """ "SURNAME, Given Patronymic" or "Surname Given Patronymic" (registry order)."""
    if "," in full_name:
        surname, rest = (part.strip() for part in full_name.split(",", 1))
        words = rest.split()
        return surname, words[0] if words else "", " ".join(words[1:])
    words = full_name.split()
    if len(words) == 1:
        return "", words[0], ""
    return words[0], words[1], " ".join(words[2:])


def _within(paths: dict[str, str], basis: str, scope_path: str) -> bool:
    """Whether a household with these place paths lies in the scope (basis, path)."""
    place_path = paths.get("origin_place" if basis == ScopeBasis.ORIGIN else "current_place")
    return place_path is not None and place_path.startswith(scope_path)


class RowValidator:
    """Validates rows one at a time, remembering what households and refs it has seen."""

    def __init__(
        self,
        *,
        source: str,
        resolve_place: Callable[[str, str | None], Any],
        existing_refs: set[str],
        scopes: list[tuple[str, str]] | None = None,
    ):
        """`scopes`: the importer's scopes as (basis, place path), None for one who sees all
        places; a row whose household would lie outside all of them is rejected."""
        self.source = source
        self.scopes = scopes
        self.resolve_place = resolve_place
        self.existing_refs = existing_refs
        self.waves = list(Wave.objects.all())
        self._dates: dict[str, tuple[PartialDate, str] | str] = {}
        self._places: dict[tuple[str, str | None], Place | str] = {}
        self._waves: dict[str, Wave | str] = {}
        self.households: dict[str, dict[str, tuple[int, str]]] = {}
        self.household_paths: dict[str, dict[str, str]] = {}
        self.refs: dict[str, int] = {}

    # --- cached cell parsers: a 250,000-row file repeats the same few thousand values ---

    def _date(self, text: str) -> tuple[PartialDate, str] | str:
        """(the date, its storage form), or the message saying why it is not a date."""
        if text not in self._dates:
            try:
                parsed = PartialDate.parse(text)
                self._dates[text] = (parsed, parsed.to_storage())
            except PartialDateError:
                # PartialDateError's own words are English: the reason names the value instead.
                self._dates[text] = _("%(value)r is not a date (use 12.03.1951, 03.1951, 1951 or 1951-03-12)") % {
                    "value": text
                }
        return self._dates[text]

    def _place(self, text: str, kind: str | None) -> Place | str:
        key = (text, kind)
        if key not in self._places:
            found = self.resolve_place(text, kind)
            if found is None:
                self._places[key] = _("unknown place %(name)r: add it to the gazetteer first") % {"name": text}
            elif isinstance(found, list):
                self._places[key] = _(
                    "ambiguous place %(name)r: write one of %(candidates)s (the district in parentheses)"
                ) % {"name": text, "candidates": "; ".join(place_with_district(found[:5]))}
            else:
                self._places[key] = found
        return self._places[key]

    def _wave(self, text: str) -> Wave | str:
        if text not in self._waves:
            lowered = text.lower().replace("–", "-").replace(" ", "")
            found = next(
                (wave for wave in self.waves if lowered in {wave.code.lower(), wave.name.lower().replace("–", "-")}),
                None,
            )
            if found is None and lowered.isdigit():
                year = int(lowered)
                found = next((wave for wave in self.waves if wave.year_from <= year <= wave.year_to), None)
            self._waves[text] = found or _("unknown wave %(name)r") % {"name": text}
        return self._waves[text]

    def wave_for_year(self, year: int) -> Wave | None:
        return next((wave for wave in self.waves if wave.year_from <= year <= wave.year_to), None)

    # --- the rules ---

    def validate(self, row: ParsedRow) -> ParsedRow:  # noqa: PLR0912, PLR0915 - the rules, in column order
        values = row.values
        (
            household_ref,
            _person_ref,
            surname,
            given_name,
            patronymic,
            full_name,
            sex_text,
            birth_text,
            birth_place,
            death_text,
            role_text,
            father_ref,
            mother_ref,
            spouse_ref,
            origin_text,
            wave_text,
            displacement_text,
            current_text,
        ) = row.cells
        if not household_ref:
            row.error("household_ref", _("required"))
        for column, limit in MAX_LENGTH.items():
            if len(row.cells[INDEX[column]]) > limit:
                row.error(column, _("longer than %(limit)d characters") % {"limit": limit})
        if not (surname or given_name) and full_name:
            surname, given_name, extra = split_full_name(full_name)
            patronymic = patronymic or extra
        if not (surname or given_name):
            row.error("surname", _("a name is required (surname, given_name or full_name)"))
        if surname:
            values["surname"] = surname[:100]
        if given_name:
            values["given_name"] = given_name[:100]
        if patronymic:
            values["patronymic"] = patronymic[:100]

        sex = SEX_WORDS.get(sex_text.lower()) if sex_text else Sex.UNKNOWN
        if sex is None:
            row.error("sex", _("unknown sex %(value)r (use m or f)") % {"value": sex_text})
        values["sex"] = str(sex or Sex.UNKNOWN)

        birth = death = displaced = None
        for column, text in (
            ("birth_date", birth_text),
            ("death_date", death_text),
            ("displacement_date", displacement_text),
        ):
            if text:
                parsed = self._dates.get(text) or self._date(text)
                if isinstance(parsed, str):
                    row.error(column, parsed)
                    continue
                values[column] = parsed[1]
                if column == "birth_date":
                    birth = parsed[0]
                elif column == "death_date":
                    death = parsed[0]
                else:
                    displaced = parsed[0]
        if birth and death and death.as_range()[1] < birth.as_range()[0]:
            row.error("death_date", _("death date before birth date"))

        role = ROLE_WORDS.get(role_text.lower()) if role_text else HouseholdRole.OTHER
        if role is None:
            row.error("role", _("unknown role %(value)r") % {"value": role_text})
        values["household_role"] = str(role or HouseholdRole.OTHER)

        paths: dict[str, str] = {}
        for column, text, kind in (
            ("origin_place", origin_text, "settlement"),
            ("current_place", current_text, None),
            ("birth_place", birth_place, None),
        ):
            if text:
                place = self._places.get((text, kind)) or self._place(text, kind)
                if isinstance(place, str):
                    row.error(column, place)
                else:
                    values[column] = place.pk
                    paths[column] = place.path
        if household_ref:
            known = self.household_paths.setdefault(household_ref, {})
            for column in ("origin_place", "current_place"):
                if column in paths:
                    known.setdefault(column, paths[column])

        if wave_text:
            wave = self._wave(wave_text)
            if isinstance(wave, str):
                row.error("wave", wave)
            else:
                values["wave"] = wave.pk
        elif displaced is not None:
            found = self.wave_for_year(displaced.year)
            if found is not None:
                values["wave"] = found.pk

        if household_ref:
            self._check_household(row, household_ref)
        ref = person_source_ref(row.cells)
        values["source_ref"] = ref
        # What the commit needs besides the parsed values, so it reads one column only.
        if household_ref:
            values["household_ref"] = household_ref
        if father_ref:
            values["father_ref"] = father_ref
        if mother_ref:
            values["mother_ref"] = mother_ref
        if spouse_ref:
            values["spouse_ref"] = spouse_ref
        if birth_place:
            values["birth_place_text"] = birth_place[:200]
        if ref in self.refs:
            row.error("person_ref", _("the same person_ref is on row %(row)d") % {"row": self.refs[ref]})
        else:
            self.refs[ref] = row.number
        return row

    def check_scopes(self, rows: list[ParsedRow]) -> None:
        """Reject every row of a household the importer could not see once registered (the
        rule of scope_q): its origin within one of her origin scopes, or its residence within
        one of her residence scopes. Places may stand on any row of the household."""
        if self.scopes is None:
            return
        bases = {basis for basis, _path in self.scopes}
        column = "origin_place" if ScopeBasis.ORIGIN in bases or not bases else "current_place"
        message = _("outside your scope: you may not register a household in this place")
        for row in rows:
            household_ref = row.cell("household_ref")
            if row.errors or not household_ref:
                continue
            paths = self.household_paths.get(household_ref, {})
            if not any(_within(paths, basis, path) for basis, path in self.scopes):
                row.error(column, message)

    def _check_household(self, row: ParsedRow, household_ref: str) -> None:
        seen = self.households.setdefault(household_ref, {})
        cells = row.cells
        for column in HOUSEHOLD_COLUMNS:
            text = cells[INDEX[column]]
            if not text:
                continue
            previous = seen.get(column)
            if previous is None:
                seen[column] = (row.number, text)
            elif previous[1] != text and _folded(previous[1]) != _folded(text):
                row.error(
                    column,
                    _("differs from row %(row)d of the same household (%(value)r)")
                    % {"row": previous[0], "value": previous[1]},
                )

    def check_references(self, rows: list[ParsedRow]) -> None:
        """Relatives must be rows of this file or people already imported from the source;
        a row whose relative was rejected is rejected too, until nothing changes.
        """
        by_ref = {row.values["source_ref"]: row for row in rows}
        for row in rows:
            for column in ("father_ref", "mother_ref", "spouse_ref"):
                ref = row.cell(column)
                if not ref:
                    continue
                if ref == row.values["source_ref"]:
                    row.error(column, _("a person cannot be their own relative"))
                elif ref not in by_ref and ref not in self.existing_refs:
                    row.error(column, _("no person with person_ref %(ref)r in this file or source") % {"ref": ref})
        changed = True
        while changed:
            changed = False
            for row in rows:
                if row.errors:
                    continue
                for column in ("father_ref", "mother_ref", "spouse_ref"):
                    target = by_ref.get(row.cell(column)) if row.cell(column) else None
                    if target is not None and target.errors:
                        row.error(column, _("refers to rejected row %(row)d") % {"row": target.number})
                        changed = True
                        break
