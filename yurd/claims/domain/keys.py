"""The normalised identity of a lost property, shared by every claim that names it.

Two claims for "House 12, Lenin st." and "house №12 lenin street" by the same
original owner in the same settlement must meet at one key, or the database cannot
refuse paying for it twice.
"""

from __future__ import annotations

import re
import unicodedata

_FOLD = str.maketrans({"ə": "e", "ı": "i", "ğ": "g", "ş": "s", "ç": "c", "ö": "o", "ü": "u", "ё": "е"})
_STOPWORDS = {"street", "st", "str", "kuc", "kucesi", "ul", "улица", "ул", "house", "ev", "дом", "д", "no", "n"}


def normalise_reference(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text.replace("№", " ")).casefold().translate(_FOLD)
    folded = "".join(ch for ch in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(ch))
    tokens = [token for token in re.split(r"[^\w]+", folded) if token and token not in _STOPWORDS]
    return "-".join(tokens)


def property_key(*, category: str, place: str, owner: str, reference: str) -> str:
    """category:place:owner:reference, each part normalised; owner is a person or household code."""
    return ":".join(
        [category.strip().lower(), place.strip().upper(), owner.strip().upper(), normalise_reference(reference)]
    )
