"""Parsing a person's name written in any script, order and register (see NAMES.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from yurd.names.folding import fold_token, latin
from yurd.names.scripts import Script, detect_script, script_of, scripts_in

# Honorifics that old lists put before a name; they are not part of it.
HONORIFICS = {"garbalai", "masadi", "molla", "mola", "sagid", "sait", "galfa", "bai", "bag", "ganim", "ganum"}
# Hacı / Гаджи is a title before a name, but also a given name of its own.
AMBIGUOUS_TITLES = {"gaji"}
MARKERS = {"oglu", "gizi"}
# Folded surname endings: -ov/-ev (-ova/-eva already folded), -li/-lu, -zadə, Armenian -yan.
_SURNAME_ENDING = re.compile(r"(ov|av|iv|li|lu|zada|ian)$")
_STEM_ENDING = re.compile(r"(ov|av|iv|li|lu|zada|ian)$")
_STEM_VOWEL = re.compile(r"[aiou]$")
# Endings that only surnames carry; -li/-lu also end given names (Vəli, Qulu).
_STRONG_SURNAME_ENDING = re.compile(r"(ov|av|iv|zada|ian)$")
_FEMALE_SURNAME_RAW = re.compile(r"(ova|eva|ova|ова|ева|օվա|եվա)$")
_FEMALE_PATRONYMIC_RAW = re.compile(r"(ovna|evna|овна|евна|ична)$")
_MALE_PATRONYMIC_RAW = re.compile(r"(ovich|evich|ович|евич|ич)$")


@dataclass(frozen=True)
class ParsedName:
    """A name split into its parts, each as a folded key (see normalize.fold_token)."""

    given: str = ""
    surname: str = ""
    patronymic: str = ""
    sex_hint: str = ""  # "m" or "f" when the name itself tells (oğlu/qızı, -ova, -ovna)
    script: Script = Script.NONE
    surname_certain: bool = False  # the surname was identified by its column, comma or ending

    @property
    def surname_stem(self) -> str:
        return surname_stem(self.surname)


def surname_stem(surname_key: str) -> str:
    """The family stem of a folded surname: Məmmədov, Məmmədova, Məmmədli, Məmmədzadə -> mamad.

    A vowel before the ending is dropped too: it is the name's last vowel or a linking vowel that
    the scripts write differently or not at all (Quluyev / Кулиев, Əlizadə / Əliyev, Мирзоев)."""
    stem = _STEM_ENDING.sub("", surname_key)
    if len(stem) >= 3 and stem != surname_key:
        stem = _STEM_VOWEL.sub("", stem)
    return stem if len(stem) >= 2 else surname_key


def looks_like_surname(folded: str) -> bool:
    return len(folded) >= 4 and bool(_SURNAME_ENDING.search(folded))


def _surname_likeness(folded: str) -> int:
    """2 for an ending only surnames carry (-ov, -zadə, -yan), 1 for -li/-lu (Məmmədli, but also Vəli)."""
    if not looks_like_surname(folded):
        return 0
    return 2 if _STRONG_SURNAME_ENDING.search(folded) else 1


def _sex_from_raw_words(words: list[str]) -> str:
    for word in words:
        lowered = word.lower()
        if lowered in {"qızı", "qizi", "кызы", "гызы", "kyzy", "gyzy", "gizi", "kizi", "ҝызы"}:
            return "f"
        if lowered in {"oğlu", "oglu", "оглы", "ogly", "oghlu", "оғлу", "ogli"}:
            return "m"
        if _FEMALE_PATRONYMIC_RAW.search(lowered):
            return "f"
        if _MALE_PATRONYMIC_RAW.search(lowered) and len(lowered) > 5:
            return "m"
    return ""


_IOTATED_INITIALS = {"yu": "u", "ya": "a", "yo": "o", "ye": "a"}


def _fold_words(text: str) -> list[str]:
    return list(_folded_words(text))


@lru_cache(maxsize=100_000)
def _folded_words(text: str) -> tuple[str, ...]:
    tokens: list[str] = []
    for word in latin(text).split():
        if word in _IOTATED_INITIALS:
            # An initial of an iotated letter (Ю. Yu., Я. Ya., Ё.; no name is just these letters) is
            # the first letter of a name that folds without its glide (Юсиф usif, Яшар asar).
            tokens.append(_IOTATED_INITIALS[word])
            continue
        tokens.extend(fold_token(word))
    return tuple(tokens)


def _first_name_token(tokens: list[str]) -> str:
    for token in tokens:
        if token not in MARKERS and token not in HONORIFICS:
            return token
    return ""


def _strip_titles(tokens: list[str], *, honorifics: bool = True) -> list[str]:
    """Drop honorifics (unless `honorifics` is False) and a leading Hacı before a longer name."""
    if honorifics:
        tokens = [token for token in tokens if token not in HONORIFICS]
    plain = [token for token in tokens if token not in MARKERS]
    if len(plain) >= 4 or (len(plain) >= 3 and not any(t in MARKERS for t in tokens)):
        for title in AMBIGUOUS_TITLES:
            if title in plain[:-2] or (plain and plain[0] == title and len(plain) >= 4):
                tokens.remove(title)
                break
    return tokens


def parse_name(
    *,
    full_name: str = "",
    given_name: str = "",
    surname: str = "",
    patronymic: str = "",
) -> ParsedName:
    """Split a name into given name, surname and patronymic keys.

    The split columns win when present; otherwise `full_name` is parsed whatever its
    order ("SURNAME, Given", "Given Surname", "Surname Given Father oğlu", "Гасанович").
    """
    # What each word says (its script, a sex it marks) is read once per distinct word: a list
    # repeats the same few thousand names, but its full-name column is nearly unique per row.
    scripts: set[Script] = set()
    sex_hint = ""
    female_surname = False
    for word in _WORD_SEPARATORS.split(" ".join([full_name, given_name, surname, patronymic])):
        word_scripts, word_sex, word_female_surname = _word_signals(word)
        scripts |= word_scripts
        sex_hint = sex_hint or word_sex
        female_surname = female_surname or word_female_surname
    script = script_of(frozenset(scripts))
    if not sex_hint and female_surname:
        sex_hint = "f"
    if given_name.strip() or surname.strip():
        return _parse_split(
            given_name=given_name,
            surname=surname,
            patronymic=patronymic,
            full_name=full_name,
            script=script,
            sex_hint=sex_hint,
        )
    return _parse_full(_armenian_full_name(full_name), script, sex_hint, patronymic)


_WORD_SEPARATORS = re.compile(r"[\s,.\-]+")


@lru_cache(maxsize=100_000)
def _word_signals(word: str) -> tuple[frozenset[Script], str, bool]:
    """One word of a name: the scripts of its letters, the sex it marks (oğlu, -ovna), and whether
    it has a woman's surname ending (-ova)."""
    female_surname = len(word) >= 6 and bool(_FEMALE_SURNAME_RAW.search(word.lower()))
    return scripts_in(word), _sex_from_raw_words([word]), female_surname


def _parse_patronymic(text: str) -> str:
    return _first_name_token(_fold_words(_armenian_nominative(text)))


_ARMENIAN_GENITIVE = re.compile(r"(յի|ի)$")
_ARMENIAN_LETTER = re.compile("[\u0531-\u0587]")


def _armenian_nominative(word: str) -> str:
    """Armenian archives write the father's name in the genitive (Հասանի, Նաբիյի, Ալիի): the name
    itself is Հասան, Նաբի, Ալի."""
    if len(word) > 3 and _ARMENIAN_LETTER.search(word) and detect_script(word) == Script.ARMENIAN:
        return _ARMENIAN_GENITIVE.sub("", word.strip())
    return word


def _armenian_full_name(full_name: str) -> str:
    """The third word of an Armenian-script "Surname Given Father's" is the father's name in the genitive."""
    words = full_name.split()
    if len(words) == 3 and _ARMENIAN_LETTER.search(full_name) and detect_script(full_name) == Script.ARMENIAN:
        words[2] = _armenian_nominative(words[2])
        return " ".join(words)
    return full_name


def _parse_split(
    *, given_name: str, surname: str, patronymic: str, full_name: str, script: Script, sex_hint: str
) -> ParsedName:
    given_tokens = _strip_titles(_fold_words(given_name))
    if not given_tokens:
        # Xanım, Bəy: an honorific after a name, and a name of its own when it stands alone.
        given_tokens = _strip_titles(_fold_words(given_name), honorifics=False)
    surname_tokens = _fold_words(surname)
    patronymic_key = _parse_patronymic(patronymic)
    # A given-name cell sometimes carries the patronymic too ("Али Гасан оглы", "Али Гасанович").
    plain_given = [token for token in given_tokens if token not in MARKERS]
    if len(plain_given) >= 2 and not patronymic_key:
        patronymic_key = plain_given[1]
    # Older women's records fuse the patronymic into the surname ("Мамедова Гасан кызы").
    plain_surname = [token for token in surname_tokens if token not in MARKERS]
    if len(plain_surname) >= 2 and not patronymic_key and any(token in MARKERS for token in surname_tokens):
        patronymic_key = plain_surname[-1]
    if not given_tokens and not surname_tokens and full_name:
        return _parse_full(full_name, script, sex_hint, patronymic)
    if (
        plain_given
        and plain_surname
        and looks_like_surname(plain_given[0])
        and not looks_like_surname(plain_surname[0])
    ):
        # Columns filled the wrong way round ("given_name: Zeynalova, surname: Minayə").
        plain_given, plain_surname = plain_surname, plain_given
    return ParsedName(
        given=plain_given[0] if plain_given else "",
        surname=plain_surname[0] if plain_surname else "",
        patronymic=patronymic_key,
        sex_hint=sex_hint,
        script=script,
        surname_certain=bool(plain_surname),
    )


def _parse_full(
    full_name: str, script: Script, sex_hint: str, patronymic: str, *, honorifics: bool = True
) -> ParsedName:
    surname_first = False
    surname = ""
    surname_certain = False
    if "," in full_name:
        before, _, after = full_name.partition(",")
        head = [token for token in _fold_words(before) if token not in MARKERS]
        if head:
            surname = head[0]
            surname_certain = True
        tokens = _strip_titles(_fold_words(after), honorifics=honorifics)
    else:
        tokens = _strip_titles(_fold_words(full_name), honorifics=honorifics)
    patronymic_key = _parse_patronymic(patronymic)
    # "Father oğlu" / "Father qızı": the token before a marker is the father's name.
    rest: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if index + 1 < len(tokens) and tokens[index + 1] in MARKERS:
            if not patronymic_key:
                patronymic_key = token
            index += 2
            continue
        if token not in MARKERS:
            rest.append(token)
        index += 1
    if not surname:
        candidates = [i for i, token in enumerate(rest) if looks_like_surname(token)]
        if candidates:
            # "Vali Babayev": the -ov ending wins over the -li that Vəli happens to end in.
            position = max(candidates, key=lambda i: (_surname_likeness(rest[i]), len(rest[i]) >= 6, -i))
            surname = rest.pop(position)
            surname_first = position == 0
            surname_certain = True
        elif len(rest) >= 2:
            # No ending tells: Cyrillic registers write the surname first, Latin lists the given name.
            surname_first = script in (Script.CYRILLIC, Script.ARMENIAN)
            surname = rest.pop(0) if surname_first else rest.pop(1)
    given = rest[0] if rest else ""
    if not given and honorifics and any(token in HONORIFICS for token in _fold_words(full_name)):
        # "Hüseynova Xanım Musa qızı": Xanım (Bəy) is the name itself when nothing else can be.
        return _parse_full(full_name, script, sex_hint, patronymic, honorifics=False)
    if len(rest) >= 2 and not patronymic_key:
        patronymic_key = rest[1]
    return ParsedName(
        given=given,
        surname=surname,
        patronymic=patronymic_key,
        sex_hint=sex_hint,
        script=script,
        surname_certain=surname_certain,
    )
