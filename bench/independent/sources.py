"""The seven sources: who each one lists, when, and how it writes names, dates and places.

=================  ==========  ===========================================================
source             years       script and habits
=================  ==========  ===========================================================
registry_az        2006-2024   today's registry, Azerbaijani Latin, "Həsən oğlu", ISO dates
                               (1950-00-00 for unknown), kişi/qadın, -lı/-zadə surnames
household_book     1939-1987   Soviet household books in Azerbaijani Cyrillic (й before
                               1958, ј after), whole extended family per book, dd.mm.yyyy
russian_docs       1919-1991   Russian documents: 1918-20 refugee lists in pre-reform
                               spelling without surname ("Али Гасанъ-оглы"), 1948-53
                               resettlement lists ("Мамедов Али Гасан оглы"), 1988-91 lists
                               and Soviet documents (Гасанович / Гасановна, initials)
passport_latin     1992-2014   passports: Latin from the Russian form (Mamedov, Gusein,
                               Kh/Dzh, by scheme of the decade) or MRZ-folded Azerbaijani
archive_hy         1935-1987   village archives in Armenian script (Armenian genitive as
                               patronymic, the village's name in force at the time)
community_list     2010-2023   a community memory list: full_name only, word order varies,
                               some entries in Russian Cyrillic or ASCII
aid_list           1989-1999   humanitarian-aid distribution lists: English-style Latin,
                               typos, US-order dates, family cards, many duplicates
=================  ==========  ===========================================================
"""

from __future__ import annotations

import random

from .names import HONORIFICS_AZ, HONORIFICS_RU, given_ru, given_variants, patronymic_ru, surname_az, surname_ru
from .people import Family, Person
from .places import Place
from .translit import (
    az_lower,
    az_to_cyrl,
    az_to_en,
    az_to_hy,
    az_to_mrz,
    az_upper,
    en_variant,
    fold_at,
    fold_e,
    ru_prereform,
    ru_to_hy,
    ru_to_latin,
)

SOURCES = [
    "registry_az",
    "household_book",
    "russian_docs",
    "passport_latin",
    "archive_hy",
    "community_list",
    "aid_list",
]
FIELDS = [
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
    "household_id",
]
# probability that a listed person is listed a second time in the same source
DUPLICATE = {
    "registry_az": 0.015,
    "household_book": 0.01,
    "russian_docs": 0.03,
    "passport_latin": 0.06,
    "archive_hy": 0.02,
    "community_list": 0.06,
    "aid_list": 0.09,
}


class HouseholdIds:
    """Per-source household numbers, drawn at random without repeats: ids leak no order."""

    def __init__(self, source: str, fmt: str, seed: int) -> None:
        self.fmt = fmt
        self.ids: dict[object, str] = {}
        self.used: set[int] = set()
        self.rng = random.Random(f"{seed}:household-ids:{source}")

    def get(self, key: object) -> str:
        hid = self.ids.get(key)
        if hid is None:
            n = self.rng.randrange(10_000_000)
            while n in self.used:
                n = self.rng.randrange(10_000_000)
            self.used.add(n)
            hid = self.fmt.format(n=n, a=n // 1000, b=n % 1000)
            self.ids[key] = hid
        return hid


# -- shared pieces --------------------------------------------------------------------------


def _typo(s: str, rng: random.Random) -> str:
    if len(s) < 4:
        return s
    i = rng.randrange(1, len(s) - 1)
    op = rng.random()
    if op < 0.3:
        return s[:i] + s[i + 1 :]
    if op < 0.55:
        return s[:i] + s[i] + s[i:]
    if op < 0.8:
        return s[: i - 1] + s[i] + s[i - 1] + s[i + 1 :]
    near = {
        "a": "s",
        "e": "r",
        "i": "u",
        "o": "i",
        "u": "y",
        "n": "m",
        "m": "n",
        "r": "t",
        "s": "a",
        "l": "k",
        "d": "f",
        "g": "h",
        "h": "g",
        "k": "l",
        "v": "b",
        "b": "v",
        "y": "u",
        "z": "x",
        "t": "r",
    }
    return s[:i] + near.get(s[i].lower(), s[i]) + s[i + 1 :]


def _date(p: Person, style: str, rng: random.Random, err: float = 0.04, unknown: str = "year") -> str:  # noqa: PLR0911
    """The person's birth date as a source writes it, with the usual errors."""
    y, m, d = p.by, p.bm, p.bd
    if m is not None and d is not None and rng.random() < err:
        r = rng.random()
        if r < 0.45 and d <= 12 and d != m:
            m, d = d, m  # day and month swapped
        elif r < 0.75:
            y += rng.choice((-1, 1))
        else:
            m = d = None  # only the year reached this source
    if style == "year" or m is None or d is None:
        if unknown == "iso0":
            return f"{y}-00-00"
        if unknown == "0101":
            return f"01.01.{y}"
        if unknown == "empty":
            return ""
        return str(y)
    if style == "iso":
        return f"{y}-{m:02d}-{d:02d}"
    if style == "dmy":
        return f"{d:02d}.{m:02d}.{y}"
    if style == "us":
        return f"{m:02d}/{d:02d}/{y}"
    if style == "my":
        return f"{m:02d}/{y}"
    return str(y)


def _given(p: Person, rng: random.Random, variant: float = 0.1) -> str:
    vs = given_variants(p.given)
    if vs and rng.random() < variant:
        return rng.choice(vs)
    return p.given


def _sex(p: Person, pair: tuple[str, str]) -> str:
    return pair[0] if p.sex == "m" else pair[1]


def _place_az(place: Place, rng: random.Random, with_hy: float = 0.15) -> str:
    if place.kind == "town":
        return place.az if rng.random() < 0.8 else f"{place.az} ş."
    r = rng.random()
    if r < with_hy and place.renamed is not None:
        return f"{place.az} ({place.hy_latn})"
    if r < 0.55:
        return place.az
    if r < 0.8:
        return f"{place.az} k."
    d = place.district
    return f"{place.az} kəndi, {d.az} rayonu" if d else f"{place.az} kəndi"


def _ru_place_name(place: Place, year: int) -> str:
    if place.kind == "town":
        return place.ru_old if (place.ru_old and year < 1991) else place.ru
    if place.renamed is not None and year >= place.renamed:
        return place.ru_new
    return place.ru


def _ru_district(place: Place, year: int) -> str:
    d = place.district
    if d is None:
        return ""
    name = d.ru_new if year >= 1991 else d.ru
    return f"{name}ский р-н" if name[-1] not in "аеиоуыэюяй" else f"р-н {name}"


def _place_ru(place: Place, year: int, rng: random.Random) -> str:
    name = _ru_place_name(place, year)
    if place.kind == "town":
        return name if rng.random() < 0.7 else f"г. {name}"
    r = rng.random()
    if r < 0.35:
        text = f"с. {name}"
    elif r < 0.6:
        text = f"с. {name}, {_ru_district(place, year)}"
    elif r < 0.8:
        text = f"с. {name} Арм. ССР" if year < 1991 else f"с. {name}, Армения"
    else:
        text = name
    if place.renamed is not None and year >= place.renamed and rng.random() < 0.15:
        text = f"{text} ({place.ru})"
    return text


def _place_hy(place: Place, year: int, rng: random.Random) -> str:
    if place.kind == "town":
        return az_to_hy(place.az)
    name = place.hy if (place.renamed is not None and year >= place.renamed) else place.hy_old
    return f"գ. {name}" if rng.random() < 0.5 else name


def _place_en(place: Place, variant: dict[str, str], rng: random.Random) -> str:
    name = az_to_en(place.az, variant)
    if place.kind == "town":
        return name
    r = rng.random()
    if r < 0.5:
        return name
    if r < 0.75:
        return f"{name} village, Armenia"
    if r < 0.9 and place.hy_latn:
        return f"{name} ({place.hy_latn})"
    return "Armenia"


def _row(  # noqa: PLR0917
    source: str,
    full: str,
    given: str,
    surname: str,
    patr: str,
    sex: str,
    bdate: str,
    bplace: str,
    origin: str,
    rdate: str,
    hid: str,
) -> list[str]:
    return [source, full, given, surname, patr, sex, bdate, bplace, origin, rdate, hid]


# -- the seven sources ----------------------------------------------------------------------


def registry_az(p: Person, fam: Family, year: int, hid: str, rng: random.Random) -> list[str]:
    given = _given(p, rng)
    stem, ending = p.surname_at(year)
    surname = surname_az(stem, ending, p.sex)
    patr = f"{p.father} {'oğlu' if p.sex == 'm' else 'qızı'}" if rng.random() < 0.9 else ""
    if rng.random() < 0.015:
        given = _typo(given, rng)
    if rng.random() < 0.01:
        surname = _typo(surname, rng)
    full = " ".join(x for x in (surname, given, patr) if x)
    dead = not p.alive(year)
    style = "year" if dead and rng.random() < 0.6 else "iso"
    bdate = _date(p, style, rng, unknown="iso0" if rng.random() < 0.5 else "year")
    sex = _sex(p, ("kişi", "qadın")) if rng.random() < 0.97 else ""
    return _row(
        "registry_az",
        full,
        given,
        surname,
        patr,
        sex,
        bdate,
        _place_az(p.birthplace, rng),
        _place_az(fam.village, rng),
        f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        hid,
    )


def household_book(  # noqa: PLR0917
    p: Person,
    fam: Family,
    year: int,
    hid: str,
    rng: random.Random,
    book_style: tuple[str, tuple[str, str]],
) -> list[str]:
    given = az_to_cyrl(_given(p, rng, 0.05), year)
    stem, ending = p.surname_at(year)
    patr_az = f"{p.father} {'oğlu' if p.sex == 'm' else 'qızı'}"
    surname_l = surname_az(stem, ending, p.sex)
    if p.sex == "f" and p.by < 1925 and rng.random() < 0.3:
        surname_l = "" if rng.random() < 0.5 else p.father + "qızı"
    surname = az_to_cyrl(surname_l, year)
    patr = az_to_cyrl(patr_az, year) if rng.random() < 0.92 else ""
    full = " ".join(x for x in (surname, given, patr) if x)
    date_style, sex_pair = book_style
    bdate = _date(p, date_style, rng, err=0.05, unknown="year")
    if p.birthplace.kind == "town":
        bplace = az_to_cyrl(p.birthplace.az, year)
    else:
        bplace = az_to_cyrl(p.birthplace.az, year) + (" к." if rng.random() < 0.4 else "")
    v = fam.village
    origin = az_to_cyrl(v.az, year)
    if v.renamed is not None and year >= v.renamed and rng.random() < 0.25:
        origin = v.ru_new
    return _row("household_book", full, given, surname, patr, _sex(p, sex_pair), bdate, bplace, origin, str(year), hid)


def russian_docs(p: Person, fam: Family, year: int, hid: str, rng: random.Random) -> list[str]:
    trad = rng.random() < 0.85
    given = given_ru(_given(p, rng, 0.05), trad)
    father = given_ru(p.father, trad or rng.random() < 0.5)
    if year < 1925:
        # refugee list of 1918-20: pre-reform spelling, no surname
        patr = ru_prereform(father) + ("-оглы" if p.sex == "m" else "-кызы")
        g = ru_prereform(given)
        full = f"{g} {patr}"
        if p.sex == "m" and p.by < 1885 and rng.random() < 0.2:
            full = f"{rng.choice(HONORIFICS_RU)} {full}"
        bdate = str(p.by) if rng.random() < 0.6 else ""
        if bdate and rng.random() < 0.3:
            bdate = str(p.by + rng.choice((-2, -1, 1, 2)))
        origin = f"сел. {ru_prereform(fam.village.ru)} Эриванской губ."
        sex = _sex(p, ("м.", "ж.")) if rng.random() < 0.5 else ""
        return _row("russian_docs", full, g, "", patr, sex, bdate, "", origin, str(year), hid)
    stem, ending = p.surname_at(year)
    surname = surname_ru(stem, ending, p.sex, traditional=trad, q_as_k=rng.random() < 0.5)
    if year < 1960 or rng.random() < 0.35:
        patr = f"{father} {'оглы' if p.sex == 'm' else rng.choice(('кызы', 'кызы', 'гызы'))}"
    else:
        patr = patronymic_ru(father, p.sex)
    if rng.random() < 0.08:
        patr = ""
    if rng.random() < 0.06 and patr:
        full = f"{surname} {given[0]}.{father[0]}."
        given, patr = given[0] + ".", father[0] + "."
    else:
        full = " ".join(x for x in (surname, given, patr) if x)
    if p.sex == "m" and p.by < 1900 and rng.random() < 0.15:
        full = f"{rng.choice(HONORIFICS_RU)} {full}"
    bdate = _date(p, "dmy" if rng.random() < 0.7 else "year", rng, err=0.05, unknown="year")
    if bdate and len(bdate) == 4 and rng.random() < 0.2:
        bdate += " г.р."
    sex = _sex(p, ("М", "Ж") if rng.random() < 0.6 else ("муж.", "жен."))
    return _row(
        "russian_docs",
        full,
        given,
        surname,
        patr,
        sex,
        bdate,
        _place_ru(p.birthplace, p.by, rng),
        _place_ru(fam.village, year, rng),
        str(year) if rng.random() < 0.5 else f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{year}",
        hid,
    )


def passport_latin(p: Person, fam: Family, year: int, rng: random.Random) -> list[str]:
    stem, ending = p.surname_at(year)
    if rng.random() < 0.25 and year >= 2000:
        # Azerbaijani passport: MRZ-style folding of the Azerbaijani spelling
        surname = az_to_mrz(surname_az(stem, ending, p.sex))
        given = az_to_mrz(_given(p, rng, 0.05))
        patr = az_to_mrz(f"{p.father} {'oğlu' if p.sex == 'm' else 'qızı'}") if rng.random() < 0.4 else ""
    else:
        scheme = (
            rng.choice(("soviet_h", "mvd_fr", "mvd_en"))
            if year < 1998
            else rng.choice(("mvd_en", "bgn", "mvd_en"))
            if year < 2010
            else rng.choice(("icao", "gost", "icao"))
        )
        trad = rng.random() < 0.9
        surname = ru_to_latin(surname_ru(stem, ending, p.sex, traditional=trad), scheme)
        given = ru_to_latin(given_ru(_given(p, rng, 0.05), trad), scheme)
        father = given_ru(p.father, trad)
        r = rng.random()
        if r < 0.45:
            patr = ru_to_latin(patronymic_ru(father, p.sex), scheme)
        elif r < 0.65:
            patr = (
                ru_to_latin(father, scheme)
                + " "
                + rng.choice(("ogly", "oglu", "oghlu") if p.sex == "m" else ("kyzy", "gyzy", "qizi"))
            )
        else:
            patr = ""
    if rng.random() < 0.7:
        surname, given, patr = surname.upper(), given.upper(), patr.upper()
    full = " ".join(x for x in (surname, given, patr) if x)
    if p.bm is None:
        bdate = f"01.01.{p.by}" if rng.random() < 0.7 else str(p.by)
    else:
        bdate = _date(p, "dmy" if rng.random() < 0.7 else "iso", rng, err=0.02)
    bp = p.birthplace
    if bp.kind == "town":
        bplace = ru_to_latin(_ru_place_name(bp, year), "mvd_en").upper()
    else:
        r = rng.random()
        bplace = (
            "ARMENIA"
            if r < 0.3
            else "ARM. SSR"
            if r < 0.4
            else "S. " + ru_to_latin(_ru_place_name(bp, p.by), "mvd_en").upper()
        )
    sex = _sex(p, ("M", "F"))
    return _row(
        "passport_latin",
        full,
        given,
        surname,
        patr,
        sex,
        bdate,
        bplace,
        "",
        f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "",
    )


def archive_hy(p: Person, fam: Family, year: int, hid: str, rng: random.Random) -> list[str]:
    stem, ending = p.surname_at(year)
    if rng.random() < 0.7:
        surname = ru_to_hy(surname_ru(stem, ending, p.sex), ev_ligature=rng.random() < 0.6)
        given = ru_to_hy(given_ru(_given(p, rng, 0.05)))
        father = ru_to_hy(given_ru(p.father))
    else:
        q = rng.random() < 0.4
        surname = az_to_hy(surname_az(stem, ending, p.sex), q_as_g=q)
        given = az_to_hy(_given(p, rng, 0.05), q_as_g=q)
        father = az_to_hy(p.father, q_as_g=q)
    patr = father + ("յի" if father[-1] in "աեէըիոօ" else "ի") if rng.random() < 0.85 else ""
    full = " ".join(x for x in (surname, given, patr) if x)
    bdate = _date(p, "year" if rng.random() < 0.6 else "dmy", rng, err=0.05)
    return _row(
        "archive_hy",
        full,
        given,
        surname,
        patr,
        _sex(p, ("ար.", "իգ.")) if rng.random() < 0.8 else "",
        bdate,
        _place_hy(p.birthplace, year, rng) if rng.random() < 0.7 else "",
        _place_hy(fam.village, year, rng),
        str(year),
        hid,
    )


def community_list(p: Person, fam: Family, year: int, hid: str, rng: random.Random) -> list[str]:
    stem, ending = p.surname_at(year)
    given = _given(p, rng, 0.12)
    surname = surname_az(stem, ending, p.sex)
    patr = f"{p.father} {'oğlu' if p.sex == 'm' else 'qızı'}"
    r = rng.random()
    if r < 0.15:
        trad = rng.random() < 0.8
        given, surname = given_ru(given, trad), surname_ru(stem, ending, p.sex, traditional=trad)
        patr = f"{given_ru(p.father, trad)} {'оглы' if p.sex == 'm' else 'кызы'}"
        fold = None
    else:
        fold = fold_e if r < 0.27 else fold_at if r < 0.29 else None
    o = rng.random()
    if o < 0.35:
        full = f"{surname} {given} {patr}"
    elif o < 0.65:
        full = f"{given} {surname}"
    elif o < 0.75:
        full = f"{given} {patr} {surname}"
    elif o < 0.85:
        full = f"{surname} {given}"
    else:
        full = f"{az_upper(surname)}, {az_upper(given)}"
    if fold is not None:
        full = fold(full)
    if p.sex == "m" and p.by < 1900 and rng.random() < 0.3 and r >= 0.15:
        full = f"{rng.choice(HONORIFICS_AZ)} {full}"
    b = rng.random()
    bdate = str(p.by) if b < 0.5 else "" if b < 0.85 else _date(p, "dmy", rng)
    v = fam.village
    pr = rng.random()
    origin = f"{v.az} ({v.hy_latn})" if pr < 0.3 and v.renamed else v.az if pr < 0.8 else v.hy_latn if pr < 0.9 else ""
    return _row(
        "community_list",
        full,
        "",
        "",
        "",
        "" if rng.random() < 0.8 else _sex(p, ("k", "q")),
        bdate,
        "",
        origin,
        str(year),
        hid,
    )


def aid_list(p: Person, fam: Family, year: int, hid: str, rng: random.Random) -> list[str]:
    var = en_variant(rng)
    stem, ending = p.surname_at(year)
    if rng.random() < 0.75:
        surname = az_to_en(surname_az(stem, ending, p.sex), var)
    else:
        surname = ru_to_latin(surname_ru(stem, ending, p.sex), "mvd_en")
    given = az_to_en(_given(p, rng, 0.1), var)
    patr = az_to_en(f"{p.father} {'oğlu' if p.sex == 'm' else 'qızı'}", var) if rng.random() < 0.3 else ""
    if rng.random() < 0.12:
        surname = _typo(surname, rng)
    if rng.random() < 0.1:
        given = _typo(given, rng)
    if rng.random() < 0.5:
        surname, given, patr = surname.upper(), given.upper(), patr.upper()
    full = f"{surname} {given}" if rng.random() < 0.6 else f"{given} {surname}"
    if rng.random() < 0.04:
        given, surname = surname, given  # fields swapped at data entry
    r = rng.random()
    bdate = _date(
        p,
        "us" if r < 0.4 else "dmy" if r < 0.65 else "my" if r < 0.72 else "year",
        rng,
        err=0.08,
        unknown="0101" if rng.random() < 0.5 else "year",
    )
    if rng.random() < 0.03 and len(bdate) > 4:
        i = rng.randrange(len(bdate))
        if bdate[i].isdigit():
            bdate = bdate[:i] + str(rng.randint(0, 9)) + bdate[i + 1 :]
    sex = _sex(p, ("M", "F") if rng.random() < 0.7 else ("male", "female"))
    return _row(
        "aid_list",
        full,
        given,
        surname,
        patr,
        sex,
        bdate,
        "",
        _place_en(fam.village, var, rng),
        f"{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}/{year}",
        hid,
    )


def script_of(text: str) -> str:
    for c in text:
        o = ord(c)
        if 0x0530 <= o <= 0x058F:
            return "armn"
        if 0x0400 <= o <= 0x04FF:
            return "cyrl"
    return "latn"


__all__ = [
    "FIELDS",
    "SOURCES",
    "HouseholdIds",
    "aid_list",
    "archive_hy",
    "az_lower",
    "community_list",
    "household_book",
    "passport_latin",
    "registry_az",
    "russian_docs",
    "script_of",
]
