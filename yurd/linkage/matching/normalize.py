"""Script-independent search keys for names (first version; see NAMES.md).

`search_key("Мамедов")`, `search_key("Məmmədov")` and `search_key("Mammadov")` are equal:
every script is transliterated to Latin, then the letters that transliterations confuse
are folded together and doubled letters collapse.
"""

from __future__ import annotations

import re
import unicodedata

# Azerbaijani Cyrillic and Russian letters to Azerbaijani-style Latin.
_CYRILLIC = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "ғ": "ğ",
    "д": "d",
    "е": "e",
    "ё": "yo",
    "ә": "ə",
    "ж": "j",
    "з": "z",
    "и": "i",
    "й": "y",
    "ј": "y",
    "к": "k",
    "ҝ": "g",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "ө": "ö",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ү": "ü",
    "ф": "f",
    "х": "x",
    "һ": "h",
    "ц": "ts",
    "ч": "ç",
    "ҹ": "c",
    "ш": "ş",
    "щ": "şç",
    "ъ": "",
    "ы": "ı",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
    "і": "i",
}
# Armenian letters (BGN/PCGN-like) to Latin.
_ARMENIAN = {
    "ա": "a",
    "բ": "b",
    "գ": "g",
    "դ": "d",
    "ե": "e",
    "զ": "z",
    "է": "e",
    "ը": "ı",
    "թ": "t",
    "ժ": "j",
    "ի": "i",
    "լ": "l",
    "խ": "x",
    "ծ": "ts",
    "կ": "k",
    "հ": "h",
    "ձ": "dz",
    "ղ": "ğ",
    "ճ": "ç",
    "մ": "m",
    "յ": "y",
    "ն": "n",
    "շ": "ş",
    "ո": "o",
    "չ": "ç",
    "պ": "p",
    "ջ": "c",
    "ռ": "r",
    "ս": "s",
    "վ": "v",
    "տ": "t",
    "ր": "r",
    "ց": "ts",
    "ւ": "v",
    "փ": "p",
    "ք": "k",
    "օ": "o",
    "ֆ": "f",
    "և": "ev",
}
# Multi-letter Latin spellings from passports and English-style lists.
_DIGRAPHS = [("dzh", "c"), ("kh", "x"), ("gh", "ğ"), ("sh", "ş"), ("ch", "ç"), ("zh", "j"), ("ts", "s")]
# Letters transliterations confuse, folded to one representative.
_FOLD = str.maketrans(
    {
        "ə": "a",
        "ä": "a",
        "e": "a",
        "ı": "i",
        "y": "i",
        "ö": "o",
        "ü": "u",
        "q": "g",
        "ğ": "g",
        "k": "g",
        "x": "h",
        "c": "j",
        "ç": "j",
        "ş": "s",
        "w": "v",
    }
)
_NON_LETTER = re.compile(r"[^a-zəıöüğşç ]+")
_DOUBLE = re.compile(r"(.)\1+")


def _to_latin(text: str) -> str:
    out = []
    for char in text.lower():
        out.append(_CYRILLIC.get(char) or _ARMENIAN.get(char) or char)
    return "".join(out)


def search_tokens(text: str) -> list[str]:
    """Folded Latin tokens of a name in any script, in their original order."""
    latin = _to_latin(unicodedata.normalize("NFC", text or ""))
    latin = latin.replace("i̇", "i")  # Turkish dotted capital I lower-cases to i + combining dot
    for digraph, letter in _DIGRAPHS:
        latin = latin.replace(digraph, letter)
    latin = _NON_LETTER.sub(" ", latin)
    tokens = []
    for token in latin.split():
        folded = _DOUBLE.sub(r"\1", token.translate(_FOLD))
        if folded:
            tokens.append(folded)
    return tokens


def search_key(text: str) -> str:
    """One folded key for a whole name or place name: tokens joined by single spaces."""
    return " ".join(search_tokens(text))
