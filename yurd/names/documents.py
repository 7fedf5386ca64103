"""Keys for identity document numbers and postal addresses, in any script.

A passport number is copied by hand from documents in Latin or Cyrillic: "АВ 123456" typed with
Cyrillic letters and "AB-123456" typed with Latin ones are one number. Letters that look alike in
the two alphabets (А/A, В/B, С/C, Н/H, Р/P …) fold onto the Latin letter they look like, not the
one they sound like (a series is copied by eye); the letter O and the digit 0 are one character;
spaces, dashes, dots and a leading "№" or "No." say nothing.

An address is compared as a set of folded words: "ул. Низами, д. 12" and "Nizami küç. 12" share
"nizami" and "12"; the words for street, house and flat (in Azerbaijani, Russian and English) are
dropped, since every address has them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from yurd.names.folding import fold_token, latin, search_tokens

# Cyrillic capitals that look like Latin ones, as a clerk copying a series by eye would type them.
_CYRILLIC_LOOKALIKES = str.maketrans(
    {
        "А": "A",
        "В": "B",
        "Е": "E",
        "Ё": "E",
        "К": "K",
        "М": "M",
        "Н": "H",
        "О": "O",
        "Р": "P",
        "С": "C",
        "Т": "T",
        "У": "Y",
        "Х": "X",
        "І": "I",
        "Ј": "J",
        "Ѕ": "S",
    }
)
_NUMBER_SIGN = re.compile(r"^\s*(?:№|N[oO°º]\.|N[°º]|No\s)\s*")
_NOT_ALPHANUMERIC = re.compile(r"[^0-9A-Z]+")


@lru_cache(maxsize=100_000)
def document_key(number: str | None) -> str:
    """A document number folded to upper-case Latin letters and digits; "" when it has none."""
    text = unicodedata.normalize("NFKC", (number or "").strip())
    if not text:
        return ""
    text = _NUMBER_SIGN.sub("", text).upper().translate(_CYRILLIC_LOOKALIKES)
    # Any other letter (Cyrillic Ж, Azerbaijani Ə, Armenian) by its transliteration.
    text = "".join(char if char.isascii() else latin(char).upper() or char for char in text)
    text = "".join(unicodedata.normalize("NFD", char)[0] for char in text)
    return _NOT_ALPHANUMERIC.sub("", text).replace("O", "0")


def document_authority_key(authority: str | None) -> str:
    """The issuing authority as folded words (a department's name in any script)."""
    return " ".join(token for word in latin(authority or "").split() for token in fold_token(word))


# Words every address has, folded (fold_token's output): street, avenue, lane, house, flat,
# building, settlement, district, in Azerbaijani, Russian and English, full and abbreviated.
_FILLER_WORDS = (
    "küç küçə küçəsi prospekt prospekti pr döngə döngəsi dalan dalanı ev mənzil mən bina "
    "qəs qəsəbə qəsəbəsi r rayon rayonu mikrorayon mkr "
    "ул улица пр проспект пер переулок д дом кв квартира корп корпус стр пос поселок посёлок район "
    "street st road rd avenue ave lane ln drive dr place pl court crt ct crescent cres "
    "unit flat apartment apt house no"
)
_ADDRESS_FILLER = frozenset(token for word in _FILLER_WORDS.split() for token in search_tokens(word))
_DIGITS = re.compile(r"\d+")


@lru_cache(maxsize=300_000)
def address_tokens(text: str | None) -> tuple[str, ...]:
    """The distinctive words and numbers of an address, folded, each once, in order."""
    text = unicodedata.normalize("NFKC", text or "")
    if not text.strip():
        return ()
    tokens: list[str] = []
    # Numbers are kept as written ("12", "12a" -> "12"); words are folded as names are.
    for chunk in re.split(r"[\s,;/]+", text):
        numbers = _DIGITS.findall(chunk)
        tokens.extend(str(int(number)) for number in numbers)
        for word in latin(chunk).split():
            tokens.extend(folded for folded in fold_token(word) if folded and folded not in _ADDRESS_FILLER)
    return tuple(dict.fromkeys(tokens))
