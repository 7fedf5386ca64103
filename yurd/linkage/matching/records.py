"""One input record (any script, any format) to the normalised fields the linker compares."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter

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
        return {name: value(self) for name, value in model_columns(identifiers)}


def _or_none(attribute: str) -> Callable[[NormalisedRecord], object]:
    getter = attrgetter(attribute)
    return lambda record: getter(record) or None


# The columns of the model's input: name -> value of a record (empty values are NULL).
_BASE_COLUMNS: tuple[tuple[str, Callable[[NormalisedRecord], object]], ...] = (
    ("unique_id", attrgetter("record_id")),
    ("source", _or_none("source")),
    ("given_key", _or_none("given_key")),
    ("surname_key", _or_none("surname_key")),
    ("surname_stem", _or_none("surname_stem")),
    ("patronymic_key", _or_none("patronymic_key")),
    ("given_latin", _or_none("given_latin")),
    ("surname_latin", _or_none("surname_latin")),
    ("sex", _or_none("sex")),
    ("birth_year", lambda record: record.birth.year),
    ("birth_md", lambda record: record.birth.month_day),
    ("birth_md_swapped", lambda record: record.birth.month_day_swapped),
    ("birth_date_key", lambda record: record.birth.display() if record.birth.month_day else None),
    ("birth_digits", _or_none("birth_digits")),
    ("place_key", _or_none("place_key")),
    ("place_alt", _or_none("birth_place_key")),
    ("household", _or_none("household")),
)
_IDENTIFIER_COLUMNS = {
    "document": (("document_key", _or_none("document_key")), ("document_authority", _or_none("document_authority"))),
    "address": (("address_key", _or_none("address_key")),),
}
INTEGER_COLUMNS = frozenset({"birth_year"})


def model_columns(identifiers: tuple[str, ...] = ()) -> tuple[tuple[str, Callable[[NormalisedRecord], object]], ...]:
    """The input columns (name, value of a record), with those of the optional comparisons named."""
    extra = [column for name in ("document", "address") if name in identifiers for column in _IDENTIFIER_COLUMNS[name]]
    return (*_BASE_COLUMNS, *extra)


# A village name several villages share resolves to all of them ("#12|#40"); a record that names
# one of them by a unique name ("#40") must still meet it in the blocking rules. Places that some
# record may mean together are one blocking key (the smallest id of the group). Names shared by
# more villages than this say too little to widen every village's block with them.
MAX_SHARED_PLACES = 4


def place_blocks(place_keys: Iterable[str]) -> dict[str, str]:
    """Place key -> blocking key: the ids that one ambiguous place key lists ("#12|#40"), and every
    key that lists one of them, get one blocking key; other keys are their own."""
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    keys = set(place_keys)
    for key in sorted(keys):
        ids = key.split("|") if key.startswith("#") else []
        if 1 < len(ids) <= MAX_SHARED_PLACES:
            for other in ids[1:]:
                one, two = find(ids[0]), find(other)
                if one != two:
                    parent[max(one, two)] = min(one, two)
    blocks = {}
    for key in keys:
        ids = key.split("|") if key.startswith("#") else []
        blocks[key] = find(ids[0]) if ids and len(ids) <= MAX_SHARED_PLACES else key
    return blocks


_NO_GAZETTEER = Gazetteer()


def _display(record: Mapping[str, str]) -> str:
    parts = [record.get("surname", ""), record.get("given_name", ""), record.get("patronymic", "")]
    split = " ".join(part.strip() for part in parts if part and part.strip())
    return split or (record.get("full_name") or "").strip()


@lru_cache(maxsize=100_000)
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


@lru_cache(maxsize=100_000)
def _birth(text: str | None) -> tuple[BirthDate, str]:
    """A written birth date parsed, and its digits when it has a day (a list repeats its dates)."""
    birth = parse_birth_date(text)
    return birth, birth.display().replace("-", "") if birth.month_day else ""


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
    birth, birth_digits = _birth(record.get("birth_date"))
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
        birth_digits=birth_digits,
        place_key=place_key,
        household=f"{source}/{household}" if household else "",
        display_name=_display(record),
        birth_place_key=birth_place_key,
        document_key=document_key(record.get("document_number")),
        document_authority=document_authority_key(record.get("document_authority")),
        address_key=" ".join(address_tokens(record.get("address"))),
    )
