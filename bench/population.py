"""A synthetic displaced population written by many hands, with ground truth (see NAMES.md).

Households with kin (head, wife, children, a grandparent; twins; a son named after his
grandfather), several sources per person, each in its own script, order and date format:
Soviet registers in Russian, Azerbaijani Cyrillic lists, Latin lists, passport
transliterations, an online form with US dates, Armenian-script archives. Then what hands do:
typos, swapped names, year-only and swapped dates, 01.01 for unknown, years off by one,
missing patronymics, maiden names in old documents, villages under their later names.

    python -m bench.population --households 2000 --output /tmp/pop.csv --places /tmp/places.csv

Every record carries `person_id` (the truth) next to the columns `yurd link` reads.
All data is synthetic.
"""

from __future__ import annotations

import argparse
import csv
import random
from dataclasses import dataclass, field
from pathlib import Path

# Surnames weighted like the real distribution: a few very common ones cover a large share.
SURNAMES = [
    ("Məmmədov", 14), ("Əliyev", 12), ("Hüseynov", 9), ("Həsənov", 8), ("Quliyev", 7), ("İsmayılov", 5),
    ("Abbasov", 4), ("Cəfərov", 4), ("Rzayev", 3), ("Kərimov", 3), ("Qasımov", 3), ("İbrahimov", 3),
    ("Hacıyev", 3), ("Babayev", 3), ("Nəsirov", 2), ("Orucov", 2), ("Süleymanov", 2), ("Bağırov", 2),
    ("Mustafayev", 2), ("Sadıqov", 2), ("Vəliyev", 2), ("Xəlilov", 2), ("Zeynalov", 2), ("Əhmədov", 2),
    ("Musayev", 2), ("Əsgərov", 1), ("Allahverdiyev", 1), ("Şükürov", 1), ("Qurbanov", 2), ("Tağıyev", 1),
    ("Məmmədli", 1), ("Hüseynzadə", 1), ("Cəbrayılov", 1), ("Nəbiyev", 1), ("Səfərov", 1), ("Rəhimov", 1),
]  # fmt: skip
MALE = [
    ("Məmməd", 8), ("Əli", 8), ("Hüseyn", 6), ("Həsən", 6), ("İbrahim", 4), ("Rəşid", 3), ("Vüqar", 3),
    ("Elçin", 3), ("Fərid", 2), ("Namiq", 3), ("Tofiq", 3), ("Rauf", 2), ("Hacı", 2), ("Qasım", 3),
    ("Ələsgər", 2), ("Məhəmməd", 2), ("Vəli", 2), ("Musa", 2), ("Kamil", 2), ("Yusif", 2), ("Şahin", 2),
    ("Oqtay", 2), ("Zaur", 2), ("Rövşən", 2), ("Elşən", 2), ("Mehdi", 2), ("Cavid", 2), ("Xəlil", 1),
    ("Bəhram", 1), ("İlqar", 2), ("Səməd", 1), ("Arif", 2), ("Nadir", 1), ("Ceyhun", 1), ("Allahverdi", 1),
]  # fmt: skip
FEMALE = [
    ("Gülnarə", 4), ("Fatma", 4), ("Aygün", 3), ("Səkinə", 3), ("Leyla", 3), ("Zərifə", 2), ("Sevinc", 3),
    ("Nərgiz", 3), ("Könül", 3), ("Gülşən", 2), ("Xədicə", 2), ("Tamilla", 2), ("Şəhla", 2), ("Rəna", 2),
    ("Aynur", 3), ("Məryəm", 2), ("Zəhra", 2), ("Gülbəniz", 1), ("Ülviyyə", 2), ("Yeganə", 2), ("Səbinə", 2),
    ("Sona", 2), ("Tükəzban", 1), ("Validə", 1), ("Minayə", 1), ("Dilarə", 1), ("Afət", 1), ("Mehriban", 2),
]  # fmt: skip
# Russian traditional forms that the letter rules do not produce.
RUSSIAN_FORMS = {
    "Həsən": "Гасан", "Hüseyn": "Гусейн", "İbrahim": "Ибрагим", "Hacı": "Гаджи", "Məmməd": "Мамед",
    "Məhəmməd": "Магомед", "Əli": "Али", "Vəli": "Вели", "Ələsgər": "Алескер", "Mehdi": "Мехти",
    "Qasım": "Касум", "Xədicə": "Хадиджа", "Fatma": "Фатма", "Səkinə": "Сакина", "Zəhra": "Захра",
    "Məmmədov": "Мамедов", "Həsənov": "Гасанов", "Hüseynov": "Гусейнов", "İbrahimov": "Ибрагимов",
    "Hacıyev": "Гаджиев", "Qasımov": "Касумов", "Əhmədov": "Ахмедов", "Əsgərov": "Аскеров",
}  # fmt: skip
# Villages: Azerbaijani name, Soviet Russian form, later Armenian name (romanised, Armenian script).
VILLAGES = [
    ("Qarabulaq", "Карабулак", "Yernjatap", "Երնջատափ"), ("Qızılşəfəq", "Кзылшафак", "Karmrashen", "Կարմրաշեն"),
    ("Bəhrəmli", "Бахрамли", "Bahramli", "Բահրամլի"), ("Ağbulaq", "Агбулаг", "Spitakajur", "Սպիտակաջուր"),
    ("Daşkənd", "Дашкенд", "Kartashen", "Քարաշեն"), ("Qaraqoyunlu", "Гарагоюнлу", "Sevkar", "Սևքար"),
    ("Güllüdərə", "Гюлюдере", "Vardadzor", "Վարդաձոր"), ("Şəkərbəy", "Шакарбек", "Shaghik", "Շաղիկ"),
    ("Təzəkənd", "Тазакенд", "Nor Gyugh", "Նոր Գյուղ"), ("Çaykənd", "Чайкенд", "Getashen", "Գետաշեն"),
    ("Əzizbəyov", "Азизбеков", "Zaritap", "Զառիթափ"), ("Yuxarı Qaranlıq", "Юхары Гаранлыг", "Verin Mut", "Վերին Մութ"),
    ("Kolanı", "Колани", "Kolani", "Կոլանի"), ("Ərəbkənd", "Арабкенд", "Arabkend", "Արաբկենդ"),
    ("Mollaqasımlı", "Моллагасымлы", "Getik", "Գետիկ"), ("Saraclı", "Сараджлы", "Sarachli", "Սարաճլու"),
    ("Keşişkənd", "Кешишкенд", "Yeghegnadzor", "Եղեգնաձոր"),
    ("Bala Qarakilsə", "Бала Гаракилса", "Pokr Karakilisa", "Փոքր Ղարաքիլիսա"),
    ("Zod", "Зод", "Sotk", "Սոթք"), ("Basarkeçər", "Басаркечар", "Vardenis", "Վարդենիս"),
]  # fmt: skip

# Villages beyond the named ones are composed from common parts, so that a large population has
# villages of realistic size (about a hundred households each) rather than a few enormous ones.
_VILLAGE_FIRST = [
    "Qara",
    "Ağ",
    "Sarı",
    "Göy",
    "Qızıl",
    "Daş",
    "Təzə",
    "Köhnə",
    "Yuxarı",
    "Aşağı",
    "Orta",
    "Böyük",
    "Kiçik",
    "Dəmir",
    "Çay",
    "Bağ",
    "Gül",
    "Alma",
    "Qoşa",
    "Şirin",
    "Dərin",
    "Uzun",
    "Əyri",
    "Qum",
]
_VILLAGE_SECOND = [
    "bulaq",
    "kənd",
    "dərə",
    "təpə",
    "yurd",
    "qala",
    "arx",
    "oba",
    "qışlaq",
    "dağ",
    "göl",
    "çinar",
    "söyüd",
    "meşə",
    "düz",
    "yal",
    "qaya",
    "kəhriz",
    "bağlar",
    "lı",
    "çay",
    "su",
]
_ARMENIAN_PARTS = [
    "Nor",
    "Ver",
    "Mets",
    "Pokr",
    "Kar",
    "Get",
    "Sar",
    "Jur",
    "Vard",
    "Dzor",
    "Ashen",
    "Ahovit",
    "Tsov",
    "Mut",
    "Tap",
    "Aghbyur",
    "Shen",
    "Hovit",
    "Berd",
    "Kert",
    "Blur",
    "Gegh",
]


def village_table(count: int, seed: int = 3) -> list[tuple[str, str, str, str]]:
    rng = random.Random(seed)
    villages = list(VILLAGES)
    seen = {village[0] for village in villages}
    while len(villages) < count:
        azerbaijani = rng.choice(_VILLAGE_FIRST) + rng.choice(_VILLAGE_SECOND)
        if rng.random() < 0.3:
            azerbaijani += rng.choice(["", "lı", "li"])
        if azerbaijani in seen:
            continue
        armenian_latin = "".join(rng.choice(_ARMENIAN_PARTS) for _ in range(rng.choice((2, 3)))).capitalize()
        if armenian_latin in seen:
            continue  # renamed villages have names of their own
        seen.update((azerbaijani, armenian_latin))
        villages.append((azerbaijani, to_russian(azerbaijani), armenian_latin, to_armenian_from_latin(armenian_latin)))
    return villages


AZ_CYRILLIC = dict(zip("abcçdeəfgğhxıijkqlmnoöprsştuüvyz", "абҹчдеәфҝғһхыижкглмноөпрсштуүвјз", strict=True))
ARMENIAN = dict(zip("abcçdeəfgğhxıijkqlmnoöprsştuüvyz", "աբջչդեաֆգղհխըիժկղլմնօօպրսշտուվյզ", strict=True))
ARMENIAN["u"] = "ու"
ARMENIAN["ü"] = "յու"
ENGLISH = {
    "ə": "a",
    "ç": "ch",
    "ş": "sh",
    "x": "kh",
    "q": "g",
    "ğ": "gh",
    "c": "j",
    "ı": "i",
    "ö": "o",
    "ü": "u",
    "j": "zh",
}
PASSPORT_RU = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ы": "y", "ь": "", "ъ": "ie",
    "э": "e", "ю": "iu", "я": "ia",
}  # fmt: skip
_AFTER_HARD = set("cçfhxjqş")
_VOWELS = set("aeəıioöuü")


def to_russian(word: str) -> str:
    """Azerbaijani Latin to the Russian spelling of the Soviet registers (NAMES.md rules)."""
    if word in RUSSIAN_FORMS:
        return RUSSIAN_FORMS[word]
    if word.endswith(("ov", "ev")) and word[:-2] in RUSSIAN_FORMS:
        return RUSSIAN_FORMS[word[:-2]] + "ов"
    lower = word.lower().replace("i̇", "i")
    out = []
    for index, char in enumerate(lower):
        before = lower[index - 1] if index else ""
        after = lower[index + 1] if index + 1 < len(lower) else ""
        if char == "ə":
            out.append("а" if not before or before in _AFTER_HARD else "я" if before in "gkl" else "е")
        elif char == "y" and after in ("a", "u", "e", "ə"):
            out.append("")  # the next vowel carries the y (я, ю, е)
        elif char in "aueə" and before == "y":
            out.append({"a": "я", "u": "ю", "e": "е", "ə": "я"}[char])
        elif char == "e":
            out.append("э" if not before or before in _VOWELS else "е")
        elif char == "ö":
            out.append("о" if not before else "ё")
        elif char == "ü":
            out.append("у" if not before else "ю")
        elif char == "ı":
            out.append("и" if before in "cçjşy" else "ы")
        elif char == "q":
            out.append("к" if after in "əüio" else "г")
        else:
            out.append(
                {
                    "a": "а", "b": "б", "c": "дж", "ç": "ч", "d": "д", "f": "ф", "g": "г", "ğ": "г", "h": "х",
                    "x": "х", "i": "и", "j": "ж", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п",
                    "r": "р", "s": "с", "ş": "ш", "t": "т", "u": "у", "v": "в", "y": "й", "z": "з",
                }.get(char, char)
            )  # fmt: skip
    result = "".join(out)
    return result[:1].upper() + result[1:]


def _map(word: str, table: dict[str, str]) -> str:
    lower = word.lower().replace("i̇", "i")
    result = "".join(table.get(char, char) for char in lower)
    return result[:1].upper() + result[1:]


def to_az_cyrillic(word: str) -> str:
    return _map(word, AZ_CYRILLIC)


def to_english(word: str) -> str:
    return _map(word, ENGLISH)


def to_armenian(word: str) -> str:
    return _map(word, ARMENIAN).lower()


def to_armenian_from_latin(word: str) -> str:
    text = word.lower().replace("sh", "ş").replace("ch", "ç").replace("kh", "x").replace("gh", "ğ").replace("ts", "s")
    return "".join(ARMENIAN.get(char, char) for char in text).capitalize()


def russian_to_passport(word: str) -> str:
    return _map(word, PASSPORT_RU)


def feminine(surname: str) -> str:
    if surname.endswith(("ov", "ev", "ов", "ев", "ёв")):
        return surname + ("a" if surname[-1].isascii() or surname[-1] in "vəüöışçğ" else "а")
    return surname


@dataclass
class Person:
    person_id: str
    household: str
    given: str
    surname: str
    maiden_surname: str
    father: str
    sex: str
    year: int
    month: int
    day: int
    village: int
    married_year: int | None = None


@dataclass
class Population:
    villages: list[tuple[str, str, str, str]]
    people: list[Person] = field(default_factory=list)


def _choice(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    names, weights = zip(*weighted, strict=True)
    return rng.choices(names, weights)[0]


def make_population(households: int, seed: int = 1) -> Population:
    rng = random.Random(seed)
    population = Population(villages=village_table(max(len(VILLAGES), households // 100)))
    for number in range(households):
        code = f"H{number:06d}"
        village = rng.randrange(len(population.villages))
        surname = _choice(rng, SURNAMES)
        grandfather = _choice(rng, MALE)
        head_year = rng.randint(1925, 1975)
        head = Person(f"{code}-1", code, _choice(rng, MALE), surname, surname, grandfather, "m", head_year,
                      rng.randint(1, 12), rng.randint(1, 28), village)  # fmt: skip
        members = [head]
        if rng.random() < 0.85:
            wife_surname = _choice(rng, SURNAMES)
            members.append(
                Person(
                    f"{code}-2",
                    code,
                    _choice(rng, FEMALE),
                    surname,
                    wife_surname,
                    _choice(rng, MALE),
                    "f",
                    head_year + rng.randint(-2, 8),
                    rng.randint(1, 12),
                    rng.randint(1, 28),
                    village,
                    married_year=head_year + rng.randint(20, 28),
                )
            )
        children = rng.choice([0, 1, 2, 2, 3, 3, 4, 5])
        year = head_year + rng.randint(20, 30)
        for index in range(children):
            sex = rng.choice("mf")
            # A son is often named after his grandfather.
            if sex == "m" and index == 0 and rng.random() < 0.3:
                given = grandfather
            else:
                given = _choice(rng, MALE if sex == "m" else FEMALE)
            members.append(
                Person(
                    f"{code}-{len(members) + 1}",
                    code,
                    given,
                    surname,
                    surname,
                    head.given,
                    sex,
                    year,
                    rng.randint(1, 12),
                    rng.randint(1, 28),
                    village,
                )
            )
            if rng.random() < 0.03:  # twins: same birth date, another name
                twin_sex = rng.choice("mf")
                twin = _choice(rng, MALE if twin_sex == "m" else FEMALE)
                while twin == given:
                    twin = _choice(rng, MALE if twin_sex == "m" else FEMALE)
                previous = members[-1]
                members.append(
                    Person(
                        f"{code}-{len(members) + 1}",
                        code,
                        twin,
                        surname,
                        surname,
                        head.given,
                        twin_sex,
                        year,
                        previous.month,
                        previous.day,
                        village,
                    )
                )
            year += rng.randint(1, 4)
        if rng.random() < 0.25:  # the head's father lives with them
            members.append(
                Person(
                    f"{code}-{len(members) + 1}",
                    code,
                    grandfather,
                    surname,
                    surname,
                    _choice(rng, MALE),
                    "m",
                    head_year - rng.randint(20, 32),
                    rng.randint(1, 12),
                    rng.randint(1, 28),
                    village,
                )
            )
        population.people.extend(members)
    return population


# Sources: (name, weight of a person appearing in it, document year)
SOURCES = [
    ("soviet_register_1979", 0.55, 1979),
    ("az_cyrillic_list_1988", 0.45, 1988),
    ("refugee_list_1992", 0.6, 1992),
    ("passport_mrz_2005", 0.3, 2005),
    ("online_form_2019", 0.3, 2019),
    ("armenian_archive_1989", 0.2, 1989),
]

# Documents issued to one person; the others are lists of whole families.
INDIVIDUAL_SOURCES = {"passport_mrz_2005", "online_form_2019"}

_KEYBOARD_NEIGHBOURS = "qwertyuiopasdfghjklzxcvbnm"


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 4:
        return text
    position = rng.randrange(1, len(text) - 1)
    kind = rng.random()
    if kind < 0.35:
        return text[:position] + text[position + 1 :]
    if kind < 0.7:
        return text[:position] + text[position + 1] + text[position] + text[position + 2 :]
    letter = rng.choice(_KEYBOARD_NEIGHBOURS)
    if not text[position].isascii():
        letter = text[position - 1]
    return text[:position] + letter + text[position + 1 :]


def _date(rng: random.Random, person: Person, style: str) -> str:
    year, month, day = person.year, person.month, person.day
    roll = rng.random()
    if roll < 0.04:
        return ""
    if roll < 0.07:
        year += rng.choice((-1, 1))
    # Passports always carry a full date (01.01 when the day was unknown); lists often only the year.
    if style != "iso" and (rng.random() < 0.2 or person.year < 1935):
        return str(year)
    if rng.random() < 0.05:
        return f"01.01.{year}"
    if rng.random() < 0.04 and day <= 12:
        month, day = day, month
    if style == "iso":
        return f"{year}-{month:02d}-{day:02d}"
    if style == "us":
        return f"{month:02d}/{day:02d}/{year}"
    return f"{day:02d}.{month:02d}.{year}"


def _record(  # noqa: PLR0917
    rng: random.Random,
    villages: list[tuple[str, str, str, str]],
    person: Person,
    source: str,
    doc_year: int,
    number: int,
) -> dict[str, str]:
    village = villages[person.village]
    surname = (
        person.surname if person.married_year is None or doc_year >= person.married_year else person.maiden_surname
    )
    if person.sex == "f":
        surname = feminine(surname)
    given, father = person.given, person.father
    patronymic_word = "oğlu" if person.sex == "m" else "qızı"
    with_patronymic = rng.random() < 0.7
    row = {"record_id": "", "source": source, "full_name": "", "given_name": "", "surname": "", "patronymic": "",
           "sex": "", "birth_date": "", "birth_place": "", "origin_place": "", "record_date": str(doc_year),
           "household_id": person.household if rng.random() < 0.95 else ""}  # fmt: skip
    if source == "soviet_register_1979":
        ru_surname = to_russian(surname[:-1]) + "а" if surname.endswith("a") else to_russian(surname)
        ru_father = to_russian(father)
        if rng.random() < 0.5:
            patronymic = f"{ru_father} {'оглы' if person.sex == 'm' else rng.choice(['кызы', 'гызы'])}"
        else:
            patronymic = ru_father + ("ович" if person.sex == "m" else "овна")
        parts = [ru_surname, to_russian(given)] + ([patronymic] if with_patronymic else [])
        if rng.random() < 0.05:
            parts[0], parts[1] = parts[1], parts[0]
        row["full_name"] = " ".join(parts)
        row["sex"] = rng.choice(["муж", "м"] if person.sex == "m" else ["жен", "ж"])
        row["birth_date"] = _date(rng, person, "dmy")
        row["origin_place"] = rng.choice([f"с. {village[1]}", f"{village[1]}", f"с. {village[1]}, Арм. ССР"])
    elif source == "az_cyrillic_list_1988":
        row["surname"] = to_az_cyrillic(surname)
        row["given_name"] = to_az_cyrillic(given)
        if with_patronymic:
            row["patronymic"] = to_az_cyrillic(father) + (" оғлу" if person.sex == "m" else " гызы")
        row["sex"] = rng.choice(["киши", "m"] if person.sex == "m" else ["гадын", "f"])
        row["birth_date"] = _date(rng, person, "dmy")
        row["origin_place"] = f"{to_az_cyrillic(village[0])} к."
    elif source == "refugee_list_1992":
        row["surname"], row["given_name"] = surname, given
        if with_patronymic:
            row["patronymic"] = f"{father} {patronymic_word}"
        if rng.random() < 0.04:
            row["surname"], row["given_name"] = row["given_name"], row["surname"]
        row["sex"] = rng.choice(["kişi", "k"] if person.sex == "m" else ["qadın", "q"])
        row["birth_date"] = _date(rng, person, "dmy")
        row["origin_place"] = rng.choice([f"{village[0]} k.", f"{village[0]} kəndi", f"{village[0]} ({village[2]})"])
    elif source == "passport_mrz_2005":
        if rng.random() < 0.5:
            name_surname = russian_to_passport(to_russian(surname[:-1]) + ("а" if surname.endswith("a") else ""))
            name_surname = name_surname if surname.endswith("a") else russian_to_passport(to_russian(surname))
            name_given = russian_to_passport(to_russian(given))
        else:
            name_surname, name_given = to_english(surname), to_english(given)
        row["full_name"] = f"{name_surname.upper()}, {name_given.upper()}"
        row["sex"] = person.sex.upper()
        row["birth_date"] = _date(rng, person, "iso")
        row["birth_place"] = village[2].upper()
    elif source == "online_form_2019":
        parts = [to_english(given), to_english(surname)]
        if with_patronymic:
            parts.insert(1, f"{to_english(father)} {'oglu' if person.sex == 'm' else 'gizi'}")
        row["full_name"] = " ".join(parts)
        row["sex"] = rng.choice(["male", "m"] if person.sex == "m" else ["female", "f"])
        row["birth_date"] = _date(rng, person, "us" if rng.random() < 0.6 else "dmy")
        row["origin_place"] = rng.choice([village[0], to_english(village[0]), f"{village[2]} ({village[0]})"])
    else:  # armenian_archive_1989
        row["surname"] = to_armenian(surname)
        row["given_name"] = to_armenian(given)
        row["sex"] = "ա" if person.sex == "m" else "իգ"
        row["birth_date"] = str(person.year) if rng.random() < 0.6 else _date(rng, person, "dmy")
        row["origin_place"] = village[3]
    for column in ("full_name", "surname", "given_name"):
        if row[column] and rng.random() < 0.04:
            row[column] = _typo(rng, row[column])
    row["record_id"] = f"R{number:08d}"
    row["person_id"] = person.person_id
    return row


def make_records(population: Population, seed: int = 2) -> list[dict[str, str]]:
    rng = random.Random(seed)
    records: list[dict[str, str]] = []
    households: dict[str, list[Person]] = {}
    for person in population.people:
        households.setdefault(person.household, []).append(person)
    for members in households.values():
        for source, share, doc_year in SOURCES:
            family_list = source not in INDIVIDUAL_SOURCES
            if family_list and rng.random() >= share:
                continue
            for person in members:
                if doc_year < person.year:
                    continue  # not yet born when the document was written
                if (family_list and rng.random() < 0.1) or (not family_list and rng.random() >= share):
                    continue  # a family list misses a member now and then; individual documents are per person
                record = _record(rng, population.villages, person, source, doc_year, len(records))
                if not family_list:
                    record["household_id"] = ""
                records.append(record)
    rng.shuffle(records)
    return records


COLUMNS = ["record_id", "source", "full_name", "given_name", "surname", "patronymic", "sex", "birth_date",
           "birth_place", "origin_place", "record_date", "household_id", "person_id"]  # fmt: skip


def write_population(households: int, output: Path, places: Path | None = None, seed: int = 1) -> int:
    population = make_population(households, seed)
    records = make_records(population, seed + 1)
    with output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS)
        writer.writeheader()
        writer.writerows(records)
    if places:
        with places.open("w", encoding="utf-8", newline="") as handle:
            writer_places = csv.writer(handle)
            writer_places.writerow(["place_id", "az", "az_cyrillic", "ru", "hy_latin", "hy"])
            for index, (azerbaijani, russian, armenian_latin, armenian) in enumerate(population.villages, start=1):
                writer_places.writerow(
                    [index, azerbaijani, to_az_cyrillic(azerbaijani), russian, armenian_latin, armenian]
                )
    return len(records)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=2000)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--places", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    count = write_population(arguments.households, arguments.output, arguments.places, arguments.seed)
    print(f"{count} records of {arguments.households} households written to {arguments.output}")


if __name__ == "__main__":
    main()
