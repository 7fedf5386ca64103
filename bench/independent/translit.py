"""Script conversions for the independent data set, written from NAMES.md's letter table.

Everything starts from the Azerbaijani Latin spelling (the canonical form of a name in
this generator) and is rendered the way a given register would write it:

* ``az_to_cyrl``: Soviet Azerbaijani Cyrillic (ј from 1958, й before);
* ``az_to_ru``: rule-based Russian transcription (the traditional forms such as Гасан,
  Мамедов are looked up in ``names.py``, not derived here);
* ``ru_to_latin``: Russian to Latin as passports and foreign documents wrote it, by scheme;
* ``az_to_en``: English-style Latin (Mammadov, Guliyev), with per-record variants;
* ``az_to_mrz``: machine-readable-zone folding (Ç→C, Ö→OE, Ü→UE, Ə→A);
* ``az_to_hy`` / ``ru_to_hy``: Armenian script; ``hy_to_latn``: BGN/PCGN romanisation.
"""

from __future__ import annotations

AZ_VOWELS = set("aəeıioöuü")
RU_VOWELS = set("аеёиоуыэюя")


def az_lower(s: str) -> str:
    return s.replace("İ", "i").replace("I", "ı").lower()


def az_upper(s: str) -> str:
    return s.replace("i", "İ").replace("ı", "I").upper()


def _recase(src: str, out: str, upper=str.upper) -> str:
    """Apply the case pattern of ``src`` (lower, Title or UPPER) to ``out``."""
    if not out:
        return out
    letters = [c for c in src if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return upper(out)
    if src[:1].isupper():
        return upper(out[0]) + out[1:]
    return out


def _words(s: str, fn) -> str:
    """Apply ``fn`` to each alphabetic run of ``s``, keeping spaces, hyphens and dots."""
    out: list[str] = []
    word: list[str] = []
    for ch in s:
        if ch.isalpha():
            word.append(ch)
        else:
            if word:
                out.append(fn("".join(word)))
                word = []
            out.append(ch)
    if word:
        out.append(fn("".join(word)))
    return "".join(out)


# -- Azerbaijani Latin -> Azerbaijani Cyrillic ---------------------------------------------

_AZ_CYRL = {
    "a": "а",
    "b": "б",
    "c": "ҹ",
    "ç": "ч",
    "d": "д",
    "e": "е",
    "ə": "ә",
    "f": "ф",
    "g": "ҝ",
    "ğ": "ғ",
    "h": "һ",
    "x": "х",
    "ı": "ы",
    "i": "и",
    "j": "ж",
    "k": "к",
    "q": "г",
    "l": "л",
    "m": "м",
    "n": "н",
    "o": "о",
    "ö": "ө",
    "p": "п",
    "r": "р",
    "s": "с",
    "ş": "ш",
    "t": "т",
    "u": "у",
    "ü": "ү",
    "v": "в",
    "y": "ј",
    "z": "з",
}


def az_to_cyrl(s: str, year: int = 1970) -> str:
    """Azerbaijani Cyrillic as written in ``year`` (й for y before the 1958 reform)."""
    table = dict(_AZ_CYRL)
    if year < 1958:
        table["y"] = "й"

    def word(w: str) -> str:
        low = az_lower(w)
        return _recase(w, "".join(table.get(c, c) for c in low))

    return _words(s, word)


# -- Azerbaijani Latin -> Russian (rule-based practical transcription) ----------------------

_RU_PLAIN = {
    "a": "а",
    "b": "б",
    "d": "д",
    "f": "ф",
    "k": "к",
    "l": "л",
    "m": "м",
    "n": "н",
    "p": "п",
    "r": "р",
    "s": "с",
    "t": "т",
    "v": "в",
    "z": "з",
    "x": "х",
    "h": "х",
    "c": "дж",
    "ç": "ч",
    "ş": "ш",
    "j": "ж",
    "g": "г",
    "i": "и",
}
_AZ_CONS = set("bcçdfgğhxjkqlmnprsştvyz")


def az_to_ru(s: str, q_as_k: bool = False, drop_gh: bool = False, place: bool = False) -> str:
    """Russian transcription by NAMES.md's rules.

    ``q_as_k``: q before ə ü i o, and at word start, as к (Кулиев, Касумов) instead of г
    (Гулиев); ``drop_gh``: ğ dropped;
    ``place``: final q as х, the usual Soviet form of village names (Карабулах).
    """

    def word(w: str) -> str:
        low = az_lower(w)
        out: list[str] = []
        i = 0
        n = len(low)
        while i < n:
            c = low[i]
            prev = low[i - 1] if i else " "
            nxt = low[i + 1] if i + 1 < n else " "
            if c == "ə":
                if i == 0 or prev in "cçfhxjqş":
                    out.append("а")
                elif prev in "gkl":
                    out.append("я")
                else:
                    out.append("е")
            elif c == "q":
                if place and i == n - 1:
                    out.append("х")
                elif q_as_k and (nxt in ("ə", "ü", "i", "o") or (i == 0 and nxt in AZ_VOWELS)):
                    out.append("к")
                else:
                    out.append("г")
            elif c == "ğ":
                out.append("" if drop_gh else "г")
            elif c == "ı":
                out.append("и" if prev in "cçjşy" else "ы")
            elif c == "ö":
                out.append("ё" if prev in _AZ_CONS else "о")
            elif c == "ü":
                out.append("ю" if prev in _AZ_CONS else "у")
            elif c == "o":
                out.append("ё" if prev in "kg" else "о")
            elif c == "u":
                out.append("у")
            elif c == "e":
                out.append("э" if i == 0 or prev in AZ_VOWELS else "е")
            elif c == "y":
                if nxt == "a":
                    out.append("я")
                    i += 1
                elif nxt == "u":
                    out.append("ю")
                    i += 1
                elif nxt in ("e", "ə"):
                    out.append("е")
                    i += 1
                else:
                    out.append("й")
            elif c == "l" and nxt in _AZ_CONS and nxt not in "ly":
                out.append("ль")
            else:
                out.append(_RU_PLAIN.get(c, c))
            i += 1
        return _recase(w, "".join(out))

    return _words(s, word)


# -- Russian -> Latin (passport and document schemes) --------------------------------------

_RU_BASE = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
    "і": "i",
}
RU_SCHEMES: dict[str, dict[str, str]] = {
    # ICAO 9303 (Russian passports since 2014)
    "icao": {**_RU_BASE, "ъ": "ie"},
    # MVD-310-1997, English variant
    "mvd_en": {**_RU_BASE, "й": "y", "ю": "yu", "я": "ya"},
    # MVD-310-1997, French variant
    "mvd_fr": {**_RU_BASE, "й": "i", "ж": "j", "у": "ou", "ч": "tch", "ш": "ch", "ю": "iou", "я": "ia", "х": "kh"},
    # GOST 7.79 system B, without diacritics
    "gost": {**_RU_BASE, "й": "j", "х": "x", "ц": "c", "ю": "ju", "я": "ja", "ы": "y"},
    # BGN/PCGN
    "bgn": {**_RU_BASE, "й": "y", "ю": "yu", "я": "ya", "ё": "yo"},
    # Soviet-era consular English with h for х
    "soviet_h": {**_RU_BASE, "й": "y", "х": "h", "ю": "yu", "я": "ya"},
}


def ru_to_latin(s: str, scheme: str = "icao") -> str:
    table = RU_SCHEMES[scheme]

    def word(w: str) -> str:
        low = w.lower()
        out: list[str] = []
        for i, c in enumerate(low):
            prev = low[i - 1] if i else ""
            if c == "е" and scheme == "bgn" and (i == 0 or prev in RU_VOWELS or prev in "ъь"):
                out.append("ye")
            else:
                out.append(table.get(c, c))
        return _recase(w, "".join(out))

    return _words(s, word)


# -- Azerbaijani Latin -> English-style Latin and MRZ ---------------------------------------

EN_DEFAULT = {
    "ə": "a",
    "ı": "i",
    "ğ": "gh",
    "x": "kh",
    "c": "j",
    "ç": "ch",
    "ş": "sh",
    "ö": "o",
    "ü": "u",
    "q": "g",
    "j": "zh",
}
EN_CHOICES = {
    "ə": ("a", "a", "a", "e", "ä"),
    "ı": ("i", "i", "y"),
    "ğ": ("gh", "g", "gh"),
    "x": ("kh", "kh", "x", "h"),
    "c": ("j", "j", "c", "dj"),
    "q": ("g", "g", "g", "q"),
    "ö": ("o", "o", "yo"),
    "ü": ("u", "u", "yu"),
}


def az_to_en(s: str, variant: dict[str, str] | None = None) -> str:
    table = {**EN_DEFAULT, **(variant or {})}

    def word(w: str) -> str:
        low = az_lower(w)
        return _recase(w, "".join(table.get(c, c) for c in low))

    return _words(s, word)


def en_variant(rng) -> dict[str, str]:
    """One writer's habits for English-style Latin (used for a whole record)."""
    return {k: rng.choice(v) for k, v in EN_CHOICES.items()}


_MRZ = {"ə": "a", "ç": "c", "ş": "s", "ğ": "g", "ı": "i", "ö": "oe", "ü": "ue"}


def az_to_mrz(s: str) -> str:
    return "".join(_MRZ.get(c, c) for c in az_lower(s)).upper()


def fold_e(s: str) -> str:
    """A generic ASCII folder: ə→e (and Cyrillic ә→a), dropping other diacritics."""
    table = {
        "ə": "e",
        "Ə": "E",
        "ı": "i",
        "İ": "I",
        "ğ": "g",
        "Ğ": "G",
        "ç": "c",
        "Ç": "C",
        "ş": "s",
        "Ş": "S",
        "ö": "o",
        "Ö": "O",
        "ü": "u",
        "Ü": "U",
        "ә": "а",
        "Ә": "А",
    }
    return "".join(table.get(c, c) for c in s)


def fold_at(s: str) -> str:
    """Another folder: ə→@, the rest as ``fold_e``."""
    return fold_e(s.replace("ə", "@").replace("Ə", "@"))


# -- Armenian script ------------------------------------------------------------------------

_AZ_HY = {
    "a": "ա",
    "ə": "ա",
    "b": "բ",
    "c": "ջ",
    "ç": "չ",
    "d": "դ",
    "e": "ե",
    "f": "ֆ",
    "g": "գ",
    "ğ": "ղ",
    "h": "հ",
    "x": "խ",
    "ı": "ը",
    "i": "ի",
    "j": "ժ",
    "k": "կ",
    "q": "ղ",
    "l": "լ",
    "m": "մ",
    "n": "ն",
    "o": "ո",
    "ö": "յո",
    "p": "պ",
    "r": "ր",
    "s": "ս",
    "ş": "շ",
    "t": "տ",
    "u": "ու",
    "ü": "յու",
    "v": "վ",
    "y": "յ",
    "z": "զ",
}


def _hy_cap(src: str, out: str) -> str:
    if src[:1].isupper() and out:
        return out[0].upper() + out[1:]
    return out


def az_to_hy(s: str, q_as_g: bool = False) -> str:
    """Azerbaijani Latin in Armenian script by NAMES.md's table (q as ղ, or գ)."""

    def word(w: str) -> str:
        low = az_lower(w)
        out: list[str] = []
        for i, c in enumerate(low):
            if c == "q" and q_as_g:
                out.append("գ")
            elif c == "o" and i == 0:
                out.append("օ")
            elif c == "e" and i == 0:
                out.append("է")
            elif c == "ö" and i == 0:
                out.append("օ")
            elif c == "ü" and i == 0:
                out.append("ու")
            else:
                out.append(_AZ_HY.get(c, c))
        text = "".join(out)
        if text.endswith("յեվ"):
            text = text[:-3] + "և"
        elif text.endswith("յեվա"):
            text = text[:-4] + "ևա"
        return _hy_cap(w, text)

    return _words(s, word)


_RU_HY = {
    "а": "ա",
    "б": "բ",
    "в": "վ",
    "г": "գ",
    "д": "դ",
    "е": "ե",
    "ё": "յո",
    "ж": "ժ",
    "з": "զ",
    "и": "ի",
    "й": "յ",
    "к": "կ",
    "л": "լ",
    "м": "մ",
    "н": "ն",
    "о": "ո",
    "п": "պ",
    "р": "ր",
    "с": "ս",
    "т": "տ",
    "у": "ու",
    "ф": "ֆ",
    "х": "խ",
    "ц": "ց",
    "ч": "չ",
    "ш": "շ",
    "щ": "շչ",
    "ъ": "",
    "ы": "ը",
    "ь": "",
    "э": "է",
    "ю": "յու",
    "я": "յա",
}


def ru_to_hy(s: str, ev_ligature: bool = True) -> str:
    """Russian spelling in Armenian script (дж→ջ; -ев as և or եւ)."""

    def word(w: str) -> str:
        low = w.lower().replace("дж", "\x01")
        out: list[str] = []
        for i, c in enumerate(low):
            if c == "\x01":
                out.append("ջ")
            elif c == "о" and i == 0:
                out.append("օ")
            else:
                out.append(_RU_HY.get(c, c))
        text = "".join(out)
        for end, rep in (("իեվ", "իև"), ("իեվա", "իևա"), ("եվ", "և"), ("եվա", "ևա")):
            if text.endswith(end):
                text = text[: -len(end)] + rep
                break
        if not ev_ligature:
            text = text.replace("և", "եւ")
        return _hy_cap(w, text)

    return _words(s, word)


_HY_LATN = {
    "ա": "a",
    "բ": "b",
    "գ": "g",
    "դ": "d",
    "ե": "e",
    "զ": "z",
    "է": "e",
    "ը": "y",
    "թ": "t'",
    "ժ": "zh",
    "ի": "i",
    "լ": "l",
    "խ": "kh",
    "ծ": "ts",
    "կ": "k",
    "հ": "h",
    "ձ": "dz",
    "ղ": "gh",
    "ճ": "ch",
    "մ": "m",
    "յ": "y",
    "ն": "n",
    "շ": "sh",
    "ո": "o",
    "չ": "ch'",
    "պ": "p",
    "ջ": "j",
    "ռ": "r",
    "ս": "s",
    "վ": "v",
    "տ": "t",
    "ր": "r",
    "ց": "ts'",
    "փ": "p'",
    "ք": "k'",
    "օ": "o",
    "ֆ": "f",
    "և": "ev",
}


def hy_to_latn(s: str, apostrophes: bool = True) -> str:
    """BGN/PCGN romanisation of Armenian (ե→ye and ո→vo at word start, ու→u, և→yev/ev)."""

    def word(w: str) -> str:
        low = w.lower()
        out: list[str] = []
        i = 0
        while i < len(low):
            c = low[i]
            if c == "ո" and i + 1 < len(low) and low[i + 1] == "ւ":
                out.append("u")
                i += 2
                continue
            if i == 0 and c == "ե":
                out.append("ye")
            elif i == 0 and c == "ո":
                out.append("vo")
            elif c == "և":
                out.append("yev" if i == 0 else "ev")
            else:
                out.append(_HY_LATN.get(c, c))
            i += 1
        text = "".join(out)
        if not apostrophes:
            text = text.replace("'", "")
        return text[:1].upper() + text[1:] if w[:1].isupper() else text

    return _words(s, word)


# -- pre-reform Russian spelling ------------------------------------------------------------


def ru_prereform(s: str) -> str:
    """1918-era spelling: ъ after a final consonant, і before a vowel."""

    def word(w: str) -> str:
        chars = list(w)
        for i in range(len(chars) - 1):
            if chars[i] in "иИ" and chars[i + 1].lower() in RU_VOWELS | {"й"}:
                chars[i] = "і" if chars[i] == "и" else "І"
        text = "".join(chars)
        if text and text[-1].lower() not in RU_VOWELS | {"й", "ь"}:
            text += "ъ"
        return text

    return _words(s, word)
