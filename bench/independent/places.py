"""Synthetic gazetteer: origin villages in present-day Armenia, districts, Azerbaijani towns.

Village names are invented from common Turkic place-name parts (Qara + bulaq, Ağ + kilsə,
Yuxarı / Aşağı pairs, -lı names); most villages were renamed to an Armenian name in one of
three periods (1935-50, 1967-78, 1991-2006), composed from Armenian place-name parts
(Vard-, Arev-, -avan, -ashen, -adzor). A few names repeat in different districts, as real
ones do. Each place carries every form a record may use:

``name_az_latn`` historical Azerbaijani name, ``name_az_cyrl`` the same in Soviet
Azerbaijani Cyrillic, ``name_ru`` its Soviet Russian form, ``name_en`` English-style Latin,
``name_hy_old`` the old name in Armenian script, ``name_hy`` the current Armenian name,
``name_hy_latn`` its BGN/PCGN romanisation, ``name_ru_new`` the current name in Russian.
Towns in Azerbaijan (where heirs were born) carry their Soviet-era Russian name too.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .names import li_suffix
from .translit import az_to_cyrl, az_to_en, az_to_hy, az_to_ru, hy_to_latn

ADJ = [
    "Qara",
    "Ağ",
    "Sarı",
    "Yeni",
    "Köhnə",
    "Böyük",
    "Kiçik",
    "Qızıl",
    "Göy",
    "Daş",
    "Dəvə",
    "Təzə",
    "Orta",
    "Şor",
    "Ala",
    "Çal",
    "Qoşa",
    "Uzun",
    "Dəmir",
    "Qum",
]
NOUN = [
    "bulaq",
    "kilsə",
    "kənd",
    "qala",
    "təpə",
    "dərə",
    "yurd",
    "qışlaq",
    "quyu",
    "arx",
    "bağ",
    "yol",
    "oba",
    "qaya",
    "çay",
    "göl",
    "dağ",
    "çınar",
    "söyüd",
    "qamış",
    "zəmi",
    "düz",
    "bel",
    "burun",
    "tala",
    "bəyli",
    "yazı",
    "qovaq",
]
LI_BASES = [
    "Dəvə",
    "Qamış",
    "Söyüd",
    "Çınar",
    "Şor",
    "Ulaş",
    "Şıx",
    "Qaraqoyun",
    "Alagöz",
    "Çobankərə",
    "Ağbaba",
    "Təkə",
    "Qazan",
    "Kəlbə",
    "Toxmax",
    "Arpa",
    "Dəmirçi",
    "Zəngi",
    "Ayrım",
    "Kəngər",
]
HY_ROOT = [
    ("Վարդ", "Вард"),
    ("Արև", "Арев"),
    ("Այգ", "Айг"),
    ("Լեռն", "Лерн"),
    ("Ծաղկ", "Цахк"),
    ("Խաչ", "Хач"),
    ("Գետ", "Гет"),
    ("Քար", "Кар"),
    ("Դաշտ", "Дашт"),
    ("Ձոր", "Дзор"),
    ("Բերդ", "Берд"),
    ("Ջուր", "Джур"),
    ("Ոսկ", "Воск"),
    ("Ծով", "Цов"),
    ("Մեղր", "Мегр"),
    ("Լուս", "Лус"),
    ("Արփ", "Арп"),
    ("Հով", "Ов"),
    ("Զով", "Зов"),
    ("Սար", "Сар"),
    ("Երնջ", "Ерндж"),
    ("Շող", "Шох"),
    ("Կաթն", "Катн"),
    ("Աղբյուր", "Ахбюр"),
]
HY_SUFFIX = [
    ("ավան", "аван"),
    ("աշեն", "ашен"),
    ("աձոր", "адзор"),
    ("աբեր", "абер"),
    ("ահովիտ", "аовит"),
    ("ակերտ", "акерт"),
    ("ատափ", "атап"),
    ("ասար", "асар"),
    ("աշատ", "ашат"),
    ("աբերդ", "аберд"),
    ("ագյուղ", "агюх"),
    ("ադաշտ", "адашт"),
]
HY_PREFIX = [("Նոր ", "Нор "), ("Մեծ ", "Мец "), ("Վերին ", "Верин "), ("Ներքին ", "Неркин ")]

# Towns in Azerbaijan: (Azerbaijani Latin, Russian, Soviet-era Russian name or "")
TOWNS = [
    ("Bakı", "Баку", ""),
    ("Gəncə", "Гянджа", "Кировабад"),
    ("Sumqayıt", "Сумгаит", ""),
    ("Mingəçevir", "Мингечевир", "Мингечаур"),
    ("Şirvan", "Ширван", "Али-Байрамлы"),
    ("Lənkəran", "Ленкорань", ""),
    ("Şəki", "Шеки", "Нуха"),
    ("Naxçıvan", "Нахичевань", ""),
    ("Yevlax", "Евлах", ""),
    ("Bərdə", "Барда", ""),
    ("Ağdam", "Агдам", ""),
    ("Qazax", "Газах", ""),
    ("Tovuz", "Товуз", ""),
    ("Saatlı", "Саатлы", ""),
    ("Sabirabad", "Сабирабад", ""),
    ("Xaçmaz", "Хачмаз", ""),
    ("Quba", "Куба", ""),
    ("Şəmkir", "Шамкир", ""),
]


@dataclass(eq=False)
class Place:
    place_id: str
    kind: str  # village, district, town
    az: str
    cyrl: str
    ru: str
    en: str
    hy_old: str = ""
    hy: str = ""
    hy_latn: str = ""
    ru_new: str = ""
    ru_old: str = ""  # Soviet-era Russian name of a town (Кировабад)
    renamed: int | None = None
    district: Place | None = field(default=None, repr=False)

    def columns(self) -> dict[str, str]:
        return {
            "place_id": self.place_id,
            "name_az_latn": self.az,
            "name_az_cyrl": self.cyrl,
            "name_ru": self.ru,
            "name_en": self.en,
            "name_hy_old": self.hy_old,
            "name_hy": self.hy,
            "name_hy_latn": self.hy_latn,
            "name_ru_new": self.ru_new,
            "name_ru_soviet": self.ru_old,
        }


PLACE_COLUMNS = [
    "place_id",
    "name_az_latn",
    "name_az_cyrl",
    "name_ru",
    "name_en",
    "name_hy_old",
    "name_hy",
    "name_hy_latn",
    "name_ru_new",
    "name_ru_soviet",
]


def _hy_name(rng: random.Random) -> tuple[str, str]:
    root_hy, root_ru = rng.choice(HY_ROOT)
    suf_hy, suf_ru = rng.choice(HY_SUFFIX)
    hy, ru = root_hy + suf_hy, root_ru + suf_ru
    if rng.random() < 0.12:
        p_hy, p_ru = rng.choice(HY_PREFIX)
        hy, ru = p_hy + hy, p_ru + ru
    return hy, ru


def _az_village_name(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.6:
        adj = rng.choice(ADJ)
        noun = rng.choice(NOUN)
        return adj + noun
    if r < 0.85:
        base = rng.choice(LI_BASES)
        return base + li_suffix(base)
    base = rng.choice(ADJ) + rng.choice(NOUN)
    return base + li_suffix(base)


def build_gazetteer(seed: int, villages: int = 240, districts: int = 16) -> list[Place]:
    """Deterministic gazetteer: districts, villages (with a few repeated names), towns."""
    rng = random.Random(f"gazetteer:{seed}")
    places: list[Place] = []
    used: set[str] = set()

    def fresh_az() -> str:
        for _ in range(200):
            name = _az_village_name(rng)
            if name not in used:
                used.add(name)
                return name
        raise RuntimeError("village names exhausted")

    district_list: list[Place] = []
    for i in range(districts):
        az = fresh_az()
        d = Place(f"D{i + 1:02d}", "district", az, az_to_cyrl(az), az_to_ru(az, place=True), az_to_en(az))
        hy, ru_new = _hy_name(rng)
        d.hy, d.ru_new, d.hy_latn = hy, ru_new, hy_to_latn(hy)
        d.hy_old = az_to_hy(az)
        district_list.append(d)
    places.extend(district_list)

    names: list[str] = []
    for i in range(villages):
        if names and rng.random() < 0.05:
            az = rng.choice(names)  # the same name in another district
        elif names and rng.random() < 0.08:
            base = rng.choice(names)
            az = ("Yuxarı " if rng.random() < 0.5 else "Aşağı ") + base.split(" ")[-1]
            if az in used:
                az = fresh_az()
            used.add(az)
        else:
            az = fresh_az()
        names.append(az)
        v = Place(f"V{i + 1:04d}", "village", az, az_to_cyrl(az), az_to_ru(az, place=True), az_to_en(az))
        v.hy_old = az_to_hy(az)
        v.district = district_list[i % districts] if rng.random() < 0.3 else rng.choice(district_list)
        r = rng.random()
        if r < 0.12:
            v.renamed = None
            v.hy, v.ru_new = v.hy_old, v.ru
        else:
            v.renamed = (
                rng.randint(1935, 1950)
                if r < 0.35
                else (rng.randint(1967, 1978) if r < 0.55 else rng.randint(1991, 2006))
            )
            v.hy, v.ru_new = _hy_name(rng)
        v.hy_latn = hy_to_latn(v.hy)
        places.append(v)

    for j, (az, ru, ru_old) in enumerate(TOWNS):
        places.append(Place(f"T{j + 1:02d}", "town", az, az_to_cyrl(az), ru, az_to_en(az), ru_old=ru_old))
    return places
