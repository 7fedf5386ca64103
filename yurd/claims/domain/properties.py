"""Folding a property's address so one house written in three scripts meets at one key.

"ул. Ленина 12", "Lenin küç. 12" and "12 Lenin St." fold to the same token set
{"12", "lenin"}: each word goes through the linkage engine's transliteration and
folding (yurd.names.folding), street-type words are dropped in every
script, a Russian genitive ending is cut, and the tokens are sorted, so word order
does not matter. Numbers are kept as they are written.
"""

from __future__ import annotations

import re
import unicodedata

from yurd.names.folding import search_tokens

# Street types, house and number words in Azerbaijani, Russian and English, as written.
_STREET_WORDS = """
küç küçə küçəsi kuc kuce kucesi döngə döngəsi dalan dalanı prospekt prospekti pr pr-t prosp
meydan meydanı məhəllə məhəlləsi kənd kəndi qəsəbə qəsəbəsi ev evi mənzil
ул улица пер переулок пр-т просп проспект пл площадь бул бульвар туп тупик дом д кв квартира пос посёлок
село с мкр микрорайон
st str street rd road ave avenue lane ln sq square blvd boulevard house no nr number apt flat village
"""


def _fold_word(word: str) -> list[str]:
    # Russian street names are genitive ("улица Ленина"): Lenina and Lenin are one name.
    return [
        token[:-1] if len(token) > 4 and token.endswith("a") else token
        for token in search_tokens(word.replace("-", " "))
    ]


_STOP = {token for word in _STREET_WORDS.split() for token in _fold_word(word)} | {
    word.casefold() for word in _STREET_WORDS.split()
}


def address_tokens(text: str) -> list[str]:
    """The folded, order-independent tokens of an address or property name."""
    text = unicodedata.normalize("NFKC", text or "").replace("№", " ")
    tokens: set[str] = set()
    for match in re.finditer(r"\d+[^\W\d_]?(?![^\W\d_])|[^\W\d_]+(?:-[^\W\d_]+)*", text):
        word = match.group(0)
        if word[0].isdigit():
            tokens.add(_fold_number(word))
            continue
        if word.casefold() in _STOP:
            continue
        tokens.update(token for token in _fold_word(word) if token not in _STOP)
    return sorted(tokens)


def _fold_number(number: str) -> str:
    """12, 12a and 12А are written the same way in every script."""
    letters = {"а": "a", "б": "b", "в": "v"}
    return "".join(letters.get(char, char) for char in number.casefold())


def address_key(text: str) -> str:
    return " ".join(address_tokens(text))


def similar(first: list[str], second: list[str]) -> bool:
    """Proposed as one property: the same token set (scripts, order and street words aside)."""
    return bool(first) and set(first) == set(second)
