"""One input record (any script, any format) to the normalised fields the linker compares."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from yurd.names.dates import BirthDate, parse_birth_date
from yurd.names.documents import address_tokens, document_authority_key, document_key
from yurd.names.folding import latin, search_tokens
from yurd.names.personal import parse_name, surname_stem
from yurd.names.places import Gazetteer
from yurd.names.sexes import parse_sex

# The columns a source file may carry; every one but record_id may be empty or absent.
INPUT_COLUMNS = (
    "record_id",
    "source",
    "full_name",
    "given_name",
    "surname",
    "patronymic",
    "sex",
    "birth_date",
    "birth_place",
    "origin_place",
    "record_date",
    # Identifiers and addresses, where a source has them (FEBRL's soc_sec_id, a passport list).
    "document_number",
    "document_authority",
    "address",
)
# Optional household context: the household's id within its source.
CONTEXT_COLUMNS = ("household_id",)


@dataclass(frozen=True)
class NormalisedRecord:
    record_id: str
    source: str
    given_key: str
    surname_key: str
    surname_stem: str
    patronymic_key: str
    given_latin: str
    surname_latin: str
    sex: str
    birth: BirthDate
    place_key: str
    household: str
    birth_digits: str
    display_name: str
    # The birth place when `place_key` is the village of origin and the two differ (an heir born
    # in a town, whose passport names only the town).
    birth_place_key: str = ""
    # A passport or ID number folded (documents.document_key), its issuing authority's words, and
    # the address's distinctive words joined by spaces: "" where the source has none.
    document_key: str = ""
    document_authority: str = ""
    address_key: str = ""

    def as_row(self, identifiers: tuple[str, ...] = ()) -> dict[str, object]:
        """The row the Splink model reads; empty values become NULL. `identifiers` names the
        optional comparisons in use (model.IDENTIFIER_COMPARISONS): only their columns are added."""
        row = self._base_row()
        if "document" in identifiers:
            row["document_key"] = self.document_key or None
            row["document_authority"] = self.document_authority or None
        if "address" in identifiers:
            row["address_key"] = self.address_key or None
        return row

    def _base_row(self) -> dict[str, object]:
        return {
            "unique_id": self.record_id,
            "source": self.source or None,
            "given_key": self.given_key or None,
            "surname_key": self.surname_key or None,
            "surname_stem": self.surname_stem or None,
            "patronymic_key": self.patronymic_key or None,
            "given_latin": self.given_latin or None,
            "surname_latin": self.surname_latin or None,
            "sex": self.sex or None,
            "birth_year": self.birth.year,
            "birth_md": self.birth.month_day,
            "birth_md_swapped": self.birth.month_day_swapped,
            "birth_date_key": self.birth.display() if self.birth.month_day else None,
            "birth_digits": self.birth_digits or None,
            "place_key": self.place_key or None,
            "place_alt": self.birth_place_key or None,
            "household": self.household or None,
        }


_NO_GAZETTEER = Gazetteer()


def _display(record: Mapping[str, str]) -> str:
    parts = [record.get("surname", ""), record.get("given_name", ""), record.get("patronymic", "")]
    split = " ".join(part.strip() for part in parts if part and part.strip())
    return split or (record.get("full_name") or "").strip()


def _latin_spelling(key: str, *columns: str | None) -> str:
    """The exact Latin spelling of the column the parser took this part of the name from (columns
    filled the wrong way round are swapped back), so that spellings compare like with like."""
    if not key:
        return ""
    for text in columns:
        spelled = latin(text or "")
        tokens = search_tokens(spelled) if spelled else []
        if tokens and tokens[0] == key:
            return spelled
    return ""


def normalise_record(record: Mapping[str, str], gazetteer: Gazetteer | None = None) -> NormalisedRecord:
    name = parse_name(
        full_name=record.get("full_name") or "",
        given_name=record.get("given_name") or "",
        surname=record.get("surname") or "",
        patronymic=record.get("patronymic") or "",
    )
    sex = parse_sex(record.get("sex")) or name.sex_hint
    place_text = record.get("origin_place") or record.get("birth_place") or ""
    place_key = (gazetteer or _NO_GAZETTEER).place_key(place_text)
    birth_place_key = ""
    if record.get("origin_place") and record.get("birth_place"):
        birth_place_key = (gazetteer or _NO_GAZETTEER).place_key(record.get("birth_place") or "")
        birth_place_key = "" if birth_place_key == place_key else birth_place_key
    source = (record.get("source") or "").strip()
    household = (record.get("household_id") or "").strip()
    birth = parse_birth_date(record.get("birth_date"))
    return NormalisedRecord(
        record_id=str(record["record_id"]).strip(),
        source=source,
        given_key=name.given,
        surname_key=name.surname,
        surname_stem=surname_stem(name.surname) if name.surname else "",
        patronymic_key=name.patronymic,
        given_latin=_latin_spelling(name.given, record.get("given_name"), record.get("surname")),
        surname_latin=_latin_spelling(name.surname, record.get("surname"), record.get("given_name")),
        sex=sex,
        birth=birth,
        birth_digits=birth.display().replace("-", "") if birth.month_day else "",
        place_key=place_key,
        household=f"{source}/{household}" if household else "",
        display_name=_display(record),
        birth_place_key=birth_place_key,
        document_key=document_key(record.get("document_number")),
        document_authority=document_authority_key(record.get("document_authority")),
        address_key=" ".join(address_tokens(record.get("address"))),
    )
