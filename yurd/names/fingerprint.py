"""A fingerprint of the rules whose output Yurd stores: search keys, search tokens, sort keys.

Those columns are derived data. When the folding or the alphabetical order changes, keys
stored before the change no longer meet the keys the new code computes for a search, and
lists sort by the old order; `yurd migrate` compares this fingerprint with the one the stored
keys were computed with and recomputes them when they differ (yurd.core.derived).

The fingerprint is a digest of the functions' output on the sample below: names and places
in every script and transliteration the registry meets. A change of the rules that alters
none of them would go unnoticed, so whoever changes a rule adds a word it changes.
"""

from __future__ import annotations

import hashlib

from yurd.names.collation import sort_text
from yurd.names.folding import search_key, search_tokens

SAMPLE = (
    # Azerbaijani Latin, Azerbaijani Cyrillic, Russian, old passport spellings.
    "Məmmədov Əli Həsən oğlu",
    "Мәммәдов Әли Һәсән оғлу",
    "Мамедов Али Гасанович",
    "Mamedov Ali Gasanovich",
    "MAMMADOV ALI HASAN OGLU",
    "Hüseynova Gülnarə qızı",
    "Гусейнова Гюльнара Ибрагимовна",
    "Gusejnov Ajten Mjubariz",
    "Quluyev Кулиев Guliyev Guluev",
    "Мехтиев Алекперов Юсуф Риза Касум Аллахкули",
    "Мусаевич Musaevich Мусаевна",
    "Şükürova Çimnaz Ağaxan qızı",
    "Ismayil İsmayıl Ismail Исмаил",
    "Xanım Ханум Khanum",
    "Əlizadə Əliyev Vəliyev",
    "Гасанова С. Т.",
    # Armenian script: archives' spellings and genitive patronymics.
    "Հասանի Նաբիյի Մամեդով",
    # Villages and towns: historical, Soviet and current names.
    "Təzəsöyüdlü TEZESEYYUDLYU Тазасоюдлу",
    "Qarabulaq (Masis) Qarabulaq k. (Vedi r-nu)",
    "Ağbulaq Агбулаг Aghbulag",
    "Gəncə Гянджа Ganja",
    # Alphabetical order: C Ç, E Ə, G Ğ, I İ, O Ö, S Ş, U Ü.
    "Cəfər",
    "Çələbi",
    "Dadaş",
    "Eldar",
    "Əliyev",
    "Ördəkli",
    "Şəki",
    "Üzeyir",
    "Ağa",
)


def rules_fingerprint() -> str:
    """A short digest of what search_key, search_tokens and sort_text give for the sample."""
    digest = hashlib.sha256()
    for text in SAMPLE:
        for part in (search_key(text), "|".join(search_tokens(text)), sort_text(text), sort_text(*text.split())):
            digest.update(part.encode("utf-8"))
            digest.update(b"\x00")
    return digest.hexdigest()[:16]
