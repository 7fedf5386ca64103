"""Alphabetical order of names as Azerbaijani and Russian readers expect it. Pure Python.

Python's default order puts every letter with a diacritic after z (Ç, Ə, Ş after Z) and
compares capitals before small letters. `sort_key(text, language)` returns a key that
sorts by the language's alphabet instead:

    az  a b c ç d e ə f g ğ h x ı i j k q l m n o ö p r s ş t u ü v y z
    ru  а б в г д е ё ж з и й к л м н о п р с т у ф х ц ч ш щ ъ ы ь э ю я

Case is ignored first (I/ı and İ/i are two letters in Azerbaijani, ı before i) and only
breaks ties, so "Ağdam" and "ağdam" sit together. Digits come before letters; letters of
another alphabet follow the language's own in the other alphabet's order (an az page lists
Cyrillic names after the Latin ones; a ru page Latin after Cyrillic), and punctuation and
spaces count as a space, so "Ağ Bulaq" sorts before "Ağbulaq" as in a phone book.
"""

from __future__ import annotations

import functools
import unicodedata

AZ_ALPHABET = "abcçdeəfgğhxıijkqlmnoöprsştuüvyz"
RU_ALPHABET = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
EN_ALPHABET = "abcdefghijklmnopqrstuvwxyz"
_ALPHABETS = {"az": AZ_ALPHABET, "ru": RU_ALPHABET, "en": EN_ALPHABET}
# Other Latin letters (ä, é, w in an az text) are placed by their base letter.
_LATIN_EXTRA = {"w": "v", "ä": "ə"}


def _lower(char: str, language: str) -> str:
    if language in {"az", "en"}:
        if char == "I":
            return "ı" if language == "az" else "i"
        if char == "İ":
            return "i"
    return char.lower()


def _rank_table(language: str) -> dict[str, int]:
    own = _ALPHABETS.get(language, EN_ALPHABET)
    others = [AZ_ALPHABET, RU_ALPHABET] if language == "en" else [RU_ALPHABET if own != RU_ALPHABET else AZ_ALPHABET]
    table: dict[str, int] = {}
    position = 100
    for alphabet in (own, *others):
        for letter in alphabet:
            if letter not in table:
                table[letter] = position
                position += 1
    return table


_TABLES = {language: _rank_table(language) for language in ("az", "ru", "en")}


def _letter_rank(letter: str, table: dict[str, int]) -> int:
    if letter in table:
        return table[letter]
    if letter in _LATIN_EXTRA:
        return table[_LATIN_EXTRA[letter]]
    base = unicodedata.normalize("NFD", letter)[0]
    if base in table:
        return table[base]
    return 10_000 + ord(letter)


def sort_key(text: str, language: str = "az") -> tuple[tuple[int, ...], tuple[int, ...]]:
    """A key for sorted(): alphabetical in the language, case only as a tie-breaker."""
    language = (language or "az")[:2]
    table = _TABLES.get(language, _TABLES["en"])
    primary: list[int] = []
    case: list[int] = []
    for char in unicodedata.normalize("NFC", text or ""):
        if char.isdigit():
            primary.append(10 + int(char) if char.isascii() else 10)
        elif char.isalpha():
            primary.append(_letter_rank(_lower(char, language), table))
        elif not primary or primary[-1] != 1:
            primary.append(1)  # a space or punctuation: one separator, however many
        case.append(1 if char.isupper() else 0)
    return tuple(primary), tuple(case)


def sorted_names(items: list[str], language: str = "az") -> list[str]:
    return sorted(items, key=lambda item: sort_key(item, language))


# --- the same order as a text column ------------------------------------------------------
# Lists paged by the database (people, places) are ordered by a stored key, `sort_text`,
# the primary part of sort_key written as digits: three per letter ("101" to "899"), or
# "9" and seven more for a character outside the alphabets, so that comparing the texts
# compares the keys. Digits, because they compare alike under every collation (SQLite's
# binary one, PostgreSQL's C, en_US or ICU collations, which ignore punctuation and case
# at first); a part ends with "0", below every letter, so "Əli" sorts before "Əliyev" and
# a surname is compared whole before the given name is looked at. Case is not in the key:
# the list's next column (the code) breaks ties.

SORT_TEXT_LENGTH = 255
_SEPARATOR = "0"


def _rank_text(rank: int) -> str:
    return f"{rank + 100:03d}" if rank < 800 else f"9{rank:07d}"


@functools.lru_cache(maxsize=65_536)
def _part_text(text: str, language: str) -> str:
    primary, _case = sort_key(text, language)
    return "".join(map(_rank_text, primary))


def sort_text(*parts: str, language: str = "az") -> str:
    """A text that sorts, byte by byte, as `parts` (say surname, given name) do by sort_key
    one after the other; cut at SORT_TEXT_LENGTH (names alike that far sort by the next column).
    Names repeat, so each part's key is kept (an import of 250,000 people computes a few
    thousand)."""
    language = (language or "az")[:2]
    return _SEPARATOR.join(_part_text(part or "", language) for part in parts)[:SORT_TEXT_LENGTH]
