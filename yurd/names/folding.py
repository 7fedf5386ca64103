"""Script-independent search keys for names (see NAMES.md).

`search_key("Мамедов")`, `search_key("Məmmədov")` and `search_key("Mammadov")` are equal:
every script is transliterated to Latin, the letters that transliterations confuse are
folded together, doubled letters collapse, women's surname endings fold onto the men's,
and patronymic markers take one form ("oğlu", "оглы", "ogly" -> "oglu").

The places and registry apps store these keys in indexed columns, so the signatures of
`search_key` and `search_tokens` are stable; their output may improve (stored keys are
recomputed on save).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Azerbaijani Cyrillic and Russian letters to Azerbaijani-style Latin.
CYRILLIC_TO_LATIN = {
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
    "ѣ": "e",
    "ѳ": "f",
    "ѵ": "i",
}
# Armenian letters (BGN/PCGN-like) to Latin; "ու" is one vowel, handled first.
ARMENIAN_TO_LATIN = {
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
_ARMENIAN_DIGRAPHS = [("յու", "yu"), ("ու", "u"), ("յո", "yo")]
# Multi-letter Latin spellings from passports, French and English-style lists.
_DIGRAPHS = [
    ("dzh", "c"),
    ("dj", "c"),
    ("tch", "ç"),
    ("kh", "x"),
    ("gh", "ğ"),
    ("sh", "ş"),
    ("ch", "ç"),
    ("zh", "j"),
    ("ts", "s"),
    ("tc", "s"),
    ("ue", "ü"),  # machine-readable zones write Ü as UE and Ö as OE
    ("oe", "ö"),
]
# Letters transliterations confuse, folded to one representative. The velars and h share
# one letter because Russian writes Azerbaijani h as г in established names (Гасан for
# Həsən, Гусейн for Hüseyn, Ибрагим for İbrahim) and as х elsewhere, and q as г or к.
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
        "x": "g",
        "h": "g",
        "c": "j",
        "ç": "j",
        "ş": "s",
        "w": "v",
    }
)
_NON_LETTER = re.compile(r"[^a-zəıöüğşçäw ]+")
# French-style passports write у as "ou" (Iousif, Moussa); Azerbaijani Latin has no "ou".
_FRENCH_OU = re.compile(r"ou")
_DOUBLE = re.compile(r"(.)\1+")
# Russian writes ə after g k l as я and ü after a consonant as ю ("Кямиль", "Гюльнара");
# dropping the i glide between a consonant and a vowel makes both spellings meet.
_GLIDE = re.compile(r"(?<=[bdfgjlmnprstvz])i(?=[aou])")
# y between vowels or before a vowel at the start is written or dropped at will (Musayev / Мусаев,
# Yeganə / Егане): drop it everywhere so both spellings meet.
_Y_GLIDE = re.compile(r"(?:(?<=[aou])|^)i(?=[aou])")

# Patronymic markers after folding: oğlu/оглы/ogly/oghlu and qızı/кызы/гызы/kyzy/gyzy.
PATRONYMIC_MARKERS = {"oglu": "oglu", "ogli": "oglu", "ogl": "oglu", "gizi": "gizi", "gisi": "gizi"}
# Russian patronymics (Гасанович / Гасановна) become the father's name plus the marker.
_RUSSIAN_PATRONYMIC = re.compile(r"^(?P<stem>[a-z]{2,}?)(?:ovij|avij|ij|ovna|avna|ovn|avn)$")
_WOMAN_SURNAME = re.compile(r"(ov|av)a$")
_PATRONYMIC_GLIDE = re.compile(r"(?<=[aou])i$")

# Russian е after a vowel written "e" in Latin (Musaevich, Guluev, Babaeva, Mirzoev) is "ye", as
# in Cyrillic (see _to_latin): before the surname and patronymic endings only, so that the
# passport zone's UE for Ü (HUESEYNOVA) still reads as Ü.
_LATIN_YE = re.compile(r"(?<=[aeiouy])e(?=v(?:a|ich|itch|na|ych)?$)")
# Russian й written "j" (GOST and German-style schemes: Gusejn, Ajten, Gajdar, Lajla) after a vowel
# and before a consonant or at the end; ю and ё written "ju", "jo" after a consonant (Mjubariz,
# Gjulnara). Elsewhere j is Azerbaijani j or c (Jafar, Eljan) and stays. Checked on folded letters
# (c, ç and j are one letter there), so that a key folds to itself.
_J_GLIDE = re.compile(r"(?<=[aiou])j(?=[^aiou]|$)")
_J_IOTATED = re.compile(r"(?<=[bdfglmnprstvz])j(?=[uo])")
# Traditional Russian forms of names that folding alone does not bring together, within words
# (Мехтиев for Mehdiyev, Алекперов for Ələkbərov, Юсуфов for Yusifov, Касумзаде, Ризаев):
# rewritten to the Azerbaijani form's folded letters.
_RUSSIAN_FORMS = (
    (re.compile(r"magt"), "magd"),  # Мехти, Мехтиев: Mehdi
    (re.compile(r"agpar"), "agbar"),  # Акпер, Алекпер: Əkbər, Ələkbər
    (re.compile(r"usuf"), "usif"),  # Юсуф: Yusif
    (re.compile(r"gasum"), "gasim"),  # Касум: Qasım
    (re.compile(r"^riza"), "rza"),  # Риза: Rza
    (re.compile(r"guli$"), "gulu"),  # Кули, Аллахкули: Qulu, Allahqulu
)
# Given-name variants that folding alone does not join, mapped to one folded form.
# Keys and values are already folded.
GIVEN_NAME_VARIANTS = {
    "magamad": "mamad",  # Məhəmməd
    "magomad": "mamad",  # Магомед
    "mugamad": "mamad",  # Muhammad
    "mogamad": "mamad",  # Mohammed
    "fatma": "fatima",
    "ismaiil": "ismail",
    "laili": "laila",  # Leyli, Leyla
}


_CYRILLIC_VOWELS = set("аеёәиоөуүыэюяі")


def _to_latin(text: str) -> str:
    lowered = text.lower().replace("@", "ə")  # an ASCII folder's ə
    for digraph, letter in _ARMENIAN_DIGRAPHS:
        lowered = lowered.replace(digraph, letter)
    out = []
    previous = ""
    for char in lowered:
        if char == "е" and previous in _CYRILLIC_VOWELS:
            # Russian е after a vowel is "ye" (Гулуев = Quluyev), not a vowel that fuses with the one
            # before it (u + e read as the passport zone's Ü).
            out.append("ye")
        elif char in CYRILLIC_TO_LATIN:
            out.append(CYRILLIC_TO_LATIN[char])
        else:
            out.append(ARMENIAN_TO_LATIN.get(char, char))
        previous = char
    return "".join(out)


@lru_cache(maxsize=300_000)
def latin(text: str) -> str:
    """Any script to lower-case Azerbaijani-style Latin, letters and spaces only (unfolded)."""
    text = unicodedata.normalize("NFC", text or "")
    result = _to_latin(text).replace("i̇", "i")  # Turkish İ lower-cases to i + combining dot
    result = unicodedata.normalize("NFC", result)
    # Accents other than Azerbaijani letters (é, ô, ā) fall back to their base letter.
    result = "".join(char if char in "əıöüğşçä" else unicodedata.normalize("NFD", char)[0] for char in result)
    return " ".join(_NON_LETTER.sub(" ", result).split())


def fold_token(token: str) -> list[str]:
    """Fold one Latin token; a Russian patronymic yields two tokens (name, marker)."""
    return list(_fold_token(token))


# Lists repeat the same few hundred names: caching makes normalising a large file cheap.
@lru_cache(maxsize=300_000)
def _fold_token(token: str) -> tuple[str, ...]:
    token = _LATIN_YE.sub("ye", token)
    token = _FRENCH_OU.sub("u", token)
    for digraph, letter in _DIGRAPHS:
        token = token.replace(digraph, letter)
    folded = token.translate(_FOLD)
    # Letters that fold into a digraph's letters (d + c, t + ş) read as that digraph the next time.
    folded = folded.replace("dj", "j").replace("ts", "s")
    folded = _DOUBLE.sub(r"\1", folded)
    if not folded:
        return ()
    if folded in PATRONYMIC_MARKERS:
        return (PATRONYMIC_MARKERS[folded],)
    match = _RUSSIAN_PATRONYMIC.match(folded)
    if match and len(folded) >= 6:
        marker = "gizi" if folded.endswith(("na", "n")) else "oglu"
        # A father's name ending in a vowel takes -yevich (Musa: Мусаевич): the y is not the name's.
        return (_finish(_PATRONYMIC_GLIDE.sub("", match.group("stem"))), marker)
    folded = _WOMAN_SURNAME.sub(r"\1", folded)
    return (_finish(folded),)


def _finish(folded: str) -> str:
    folded = _J_IOTATED.sub("i", _J_GLIDE.sub("i", folded))
    folded = _DOUBLE.sub(r"\1", _GLIDE.sub("", folded))
    if len(folded) > 3:
        folded = _DOUBLE.sub(r"\1", _Y_GLIDE.sub("", folded))
    # Folding (ü to u) and dropped glides can make a new "ou": fold it too, so that a key
    # folds to itself (search_key(search_key(x)) == search_key(x)).
    folded = _DOUBLE.sub(r"\1", _FRENCH_OU.sub("u", folded))
    for form, letters in _RUSSIAN_FORMS:
        folded = form.sub(letters, folded)
    return GIVEN_NAME_VARIANTS.get(folded, folded)


def search_tokens(text: str) -> list[str]:
    """Folded Latin tokens of a name in any script, in their original order."""
    tokens: list[str] = []
    for token in latin(text).split():
        tokens.extend(fold_token(token))
    return tokens


def search_key(text: str) -> str:
    """One folded key for a whole name or place name: tokens joined by single spaces."""
    return " ".join(search_tokens(text))
