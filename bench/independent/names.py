"""Name stock: common Azerbaijani given names and surname stems, composed for this data set.

Each given name is listed in Azerbaijani Latin with its traditional Russian form (the form
Soviet documents used: Гасан for Həsən, Гусейн for Hüseyn, Мамед for Məmməd), its period
(``o`` born before ~1930, ``m`` 1920-1970, ``n`` after ~1955; a name may carry several) and
its lexical variants (Hüseyn / Hüseyin, Məmməd / Məhəmməd). Surnames are built from a stem
plus an ending (-ov/-yev, -lı/-li/-lu/-lü, -zadə, or none); the stems carry their
traditional Russian stem (Мамед-, Гусейн-, Касум-) and a weight, so that a few surnames
(Məmmədov, Əliyev, Hüseynov, Həsənov, Quliyev) cover a large share of people.
"""

from __future__ import annotations

import functools

from .translit import az_to_ru

# (Azerbaijani Latin, traditional Russian, periods, lexical variants)
MALE: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("Məmməd", "Мамед", "om", ("Məhəmməd",)),
    ("Əli", "Али", "omn", ()),
    ("Həsən", "Гасан", "omn", ()),
    ("Hüseyn", "Гусейн", "omn", ("Hüseyin",)),
    ("İbrahim", "Ибрагим", "omn", ()),
    ("Hacı", "Гаджи", "o", ()),
    ("Vəli", "Вели", "om", ()),
    ("Qulu", "Кули", "o", ()),
    ("Əhməd", "Ахмед", "om", ()),
    ("Rəhim", "Рагим", "om", ()),
    ("Kərim", "Керим", "om", ()),
    ("İsmayıl", "Исмаил", "omn", ("İsmail",)),
    ("İsa", "Иса", "om", ()),
    ("Musa", "Муса", "om", ()),
    ("Yusif", "Юсиф", "omn", ("Yusuf",)),
    ("Süleyman", "Сулейман", "om", ()),
    ("Cəfər", "Джафар", "om", ()),
    ("Qasım", "Касум", "om", ("Qasim",)),
    ("Abbas", "Аббас", "om", ()),
    ("Heydər", "Гейдар", "om", ()),
    ("Rza", "Рза", "om", ("Rıza",)),
    ("Nadir", "Надир", "mn", ()),
    ("Fərhad", "Фархад", "mn", ()),
    ("Elçin", "Эльчин", "n", ()),
    ("Elşən", "Эльшан", "n", ()),
    ("Vüqar", "Вугар", "n", ()),
    ("Rəşad", "Рашад", "n", ()),
    ("Tofiq", "Тофик", "m", ()),
    ("Vaqif", "Вагиф", "m", ()),
    ("Zaur", "Заур", "n", ()),
    ("Ramil", "Рамиль", "n", ()),
    ("Anar", "Анар", "n", ()),
    ("Namiq", "Намик", "mn", ()),
    ("Elnur", "Эльнур", "n", ()),
    ("Orxan", "Орхан", "n", ()),
    ("Tural", "Турал", "n", ()),
    ("Nicat", "Ниджат", "n", ()),
    ("Kamil", "Камиль", "mn", ()),
    ("Səməd", "Самед", "om", ()),
    ("Bəhram", "Бахрам", "om", ()),
    ("Qəzənfər", "Газанфар", "om", ()),
    ("Allahverdi", "Аллахверди", "o", ()),
    ("Novruz", "Новруз", "om", ()),
    ("Mirzə", "Мирза", "o", ()),
    ("Şahin", "Шахин", "mn", ()),
    ("Emin", "Эмин", "n", ()),
    ("Ağa", "Ага", "o", ()),
    ("Bayram", "Байрам", "om", ()),
    ("İlham", "Ильхам", "mn", ()),
    ("Rauf", "Рауф", "mn", ()),
    ("Sabir", "Сабир", "m", ()),
    ("Hikmət", "Хикмет", "m", ()),
    ("Ceyhun", "Джейхун", "n", ()),
    ("Elvin", "Эльвин", "n", ()),
    ("Fuad", "Фуад", "mn", ()),
    ("Əziz", "Азиз", "omn", ()),
    ("Ələkbər", "Алекпер", "o", ()),
    ("Əsgər", "Аскер", "om", ()),
    ("Mehdi", "Мехти", "om", ()),
    ("Səfər", "Сафар", "om", ()),
    ("Qurban", "Курбан", "om", ()),
    ("Xəlil", "Халил", "om", ()),
    ("Camal", "Джамал", "mn", ()),
    ("Kamran", "Камран", "n", ()),
    ("Rövşən", "Ровшан", "n", ()),
    ("Pərviz", "Парвиз", "n", ()),
    ("Vasif", "Васиф", "m", ()),
    ("Zakir", "Закир", "m", ()),
    ("Arif", "Ариф", "m", ()),
    ("Mübariz", "Мубариз", "n", ()),
    ("Şirin", "Ширин", "o", ()),
    ("Oruc", "Орудж", "o", ()),
    ("Nəbi", "Наби", "o", ()),
]

FEMALE: list[tuple[str, str, str, tuple[str, ...]]] = [
    ("Fatma", "Фатма", "om", ("Fatimə",)),
    ("Zeynəb", "Зейнаб", "om", ("Zeynab",)),
    ("Gülnarə", "Гюльнара", "mn", ("Gülnara",)),
    ("Səkinə", "Сакина", "om", ()),
    ("Xədicə", "Хадиджа", "om", ()),
    ("Ayşə", "Айша", "o", ()),
    ("Məryəm", "Марьям", "om", ()),
    ("Sona", "Сона", "om", ()),
    ("Gülsüm", "Гюльсум", "o", ()),
    ("Tükəzban", "Тукезбан", "o", ()),
    ("Züleyxa", "Зулейха", "om", ()),
    ("Pəri", "Пери", "om", ()),
    ("Xanım", "Ханым", "o", ()),
    ("Telli", "Телли", "o", ()),
    ("Nərgiz", "Наргиз", "mn", ()),
    ("Sevil", "Севиль", "mn", ()),
    ("Aygün", "Айгюн", "n", ()),
    ("Gülşən", "Гюльшан", "mn", ()),
    ("Könül", "Кёнуль", "n", ()),
    ("Mehriban", "Мехрибан", "mn", ()),
    ("Nailə", "Наиля", "mn", ()),
    ("Rəna", "Рена", "m", ()),
    ("Tamilla", "Тамилла", "m", ()),
    ("Şəhla", "Шахла", "n", ()),
    ("Aynur", "Айнур", "n", ()),
    ("Leyla", "Лейла", "mn", ("Leyli",)),
    ("Günay", "Гюнай", "n", ()),
    ("Nigar", "Нигяр", "mn", ()),
    ("Səbinə", "Сабина", "n", ()),
    ("Ülviyyə", "Ульвия", "n", ()),
    ("Vüsalə", "Вусала", "n", ()),
    ("Aytən", "Айтен", "n", ()),
    ("Kəmalə", "Кямаля", "m", ()),
    ("Xatirə", "Хатира", "mn", ()),
    ("Zərifə", "Зарифа", "m", ()),
    ("Firuzə", "Фируза", "m", ()),
    ("Raziyə", "Разия", "om", ()),
    ("Solmaz", "Солмаз", "m", ()),
    ("Sürəyya", "Сурея", "m", ()),
    ("Həcər", "Хаджар", "om", ()),
    ("Səadət", "Саадат", "om", ()),
    ("Nazilə", "Назиля", "mn", ()),
    ("Türkan", "Туркан", "n", ()),
    ("Ləman", "Ляман", "n", ()),
    ("Aysel", "Айсель", "n", ()),
    ("Nərmin", "Нармин", "n", ()),
    ("Fidan", "Фидан", "n", ()),
    ("Lalə", "Ляля", "n", ()),
    ("Zəhra", "Захра", "omn", ()),
    ("Bənövşə", "Бановша", "om", ()),
]

# (Azerbaijani stem, traditional Russian stem, weight)
SURNAME_STEMS: list[tuple[str, str, int]] = [
    ("Məmməd", "Мамед", 60),
    ("Əli", "Али", 55),
    ("Hüseyn", "Гусейн", 45),
    ("Həsən", "Гасан", 42),
    ("Qulu", "Кули", 35),
    ("İsmayıl", "Исмаил", 20),
    ("Cəfər", "Джафар", 18),
    ("Abbas", "Аббас", 16),
    ("Rəhim", "Рагим", 14),
    ("Kərim", "Керим", 14),
    ("Əhməd", "Ахмед", 14),
    ("Vəli", "Вели", 14),
    ("Baba", "Баба", 13),
    ("Nəbi", "Наби", 11),
    ("Novruz", "Новруз", 10),
    ("Bayram", "Байрам", 10),
    ("Qasım", "Касум", 12),
    ("İbrahim", "Ибрагим", 12),
    ("Musa", "Муса", 11),
    ("Süleyman", "Сулейман", 9),
    ("Heydər", "Гейдар", 9),
    ("Allahverdi", "Аллахверди", 8),
    ("Mehdi", "Мехти", 8),
    ("Əsgər", "Аскер", 9),
    ("Səfər", "Сафар", 8),
    ("Qurban", "Курбан", 9),
    ("Xəlil", "Халил", 8),
    ("Yusif", "Юсиф", 8),
    ("Nağı", "Наги", 8),
    ("Tağı", "Таги", 8),
    ("Şükür", "Шукюр", 6),
    ("Rüstəm", "Рустам", 7),
    ("Sadıq", "Садых", 7),
    ("Əkbər", "Акпер", 6),
    ("Zeynal", "Зейнал", 6),
    ("Hacı", "Гаджи", 9),
    ("Mirzə", "Мирзо", 8),
    ("Cabbar", "Джаббар", 5),
    ("Bağır", "Багир", 5),
    ("Kazım", "Казым", 5),
    ("Ağa", "Ага", 6),
    ("Salman", "Салман", 5),
    ("Məlik", "Мелик", 4),
    ("Osman", "Осман", 4),
    ("Eyvaz", "Эйваз", 4),
    ("Qəhrəman", "Кахраман", 4),
    ("Şirin", "Ширин", 4),
    ("Oruc", "Орудж", 5),
    ("Hümbət", "Гумбат", 4),
    ("Nəsib", "Насиб", 4),
    ("Səmədi", "Самеди", 2),
    ("Zülfüqar", "Зульфугар", 3),
    ("İsgəndər", "Искендер", 4),
    ("Fərzəli", "Фарзали", 3),
    ("Alı", "Алы", 3),
    ("Murad", "Мурад", 4),
    ("Talıb", "Талыб", 4),
    ("Əmir", "Амир", 4),
    ("Bəşir", "Башир", 3),
    ("Teymur", "Теймур", 4),
]

HONORIFICS_RU = ("Кербалай", "Мешади", "Гаджи")
HONORIFICS_AZ = ("Kərbəlayı", "Məşədi", "Hacı")

_MALE_BY = {m[0]: m for m in MALE}
_FEMALE_BY = {f[0]: f for f in FEMALE}
_STEM_BY = {s[0]: s for s in SURNAME_STEMS}


def given_ru(name: str, traditional: bool = True) -> str:
    """Russian form of a given name: traditional (Гасан) or by rule (Хасан)."""
    entry = _MALE_BY.get(name) or _FEMALE_BY.get(name)
    if entry is not None and traditional:
        return entry[1]
    return az_to_ru(name)


def given_variants(name: str) -> tuple[str, ...]:
    entry = _MALE_BY.get(name) or _FEMALE_BY.get(name)
    return entry[3] if entry else ()


@functools.cache
def names_for(sex: str, period: str) -> list[str]:
    pool = MALE if sex == "m" else FEMALE
    return [e[0] for e in pool if period in e[2]]


def li_suffix(stem: str) -> str:
    """Vowel harmony of -lı/-li/-lu/-lü after the stem's last vowel."""
    for c in reversed(stem.lower()):
        if c in "aı":
            return "lı"
        if c in "eəi":
            return "li"
        if c in "ou":
            return "lu"
        if c in "öü":
            return "lü"
    return "li"


def surname_az(stem: str, ending: str, sex: str) -> str:
    """Azerbaijani Latin surname from stem and ending (ov, li, zade, none, qizi-fused)."""
    if ending == "ov":
        base = stem + ("yev" if stem[-1].lower() in "aəeıioöuü" else "ov")
        return base + ("a" if sex == "f" else "")
    if ending == "li":
        return stem + li_suffix(stem)
    if ending == "zade":
        return stem + "zadə"
    return stem


def surname_ru(stem: str, ending: str, sex: str, traditional: bool = True, q_as_k: bool = False) -> str:
    """Russian surname: traditional stem (Мамед-) or by rule, with -ов/-ев, -лы/-ли, -заде."""
    entry = _STEM_BY.get(stem)
    ru_stem = entry[1] if (entry and traditional) else az_to_ru(stem, q_as_k=q_as_k)
    if ending == "ov":
        vowel_final = stem[-1].lower() in "aəeıioöuü"
        base = ru_stem + ("ев" if vowel_final else "ов")
        return base + ("а" if sex == "f" else "")
    if ending == "li":
        return ru_stem + ("лы" if li_suffix(stem) in ("lı", "lu") else "ли")
    if ending == "zade":
        return ru_stem + "заде"
    return ru_stem


def patronymic_ru(father_ru: str, sex: str) -> str:
    """Russian-form patronymic: Гасанович / Гасановна, Алиевич / Алиевна, Мусаевич."""
    if father_ru[-1] in "аяеиоуыэю":
        base = father_ru[:-1] + "аев" if father_ru[-1] == "а" else father_ru + "ев"
    elif father_ru[-1] in "ьй":
        base = father_ru[:-1] + "ев"
    else:
        base = father_ru + "ов"
    return base + ("ич" if sex == "m" else "на")
