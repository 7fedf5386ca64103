"""The default site types (DOMAIN.md). Migration 0002 loads a frozen copy; tests and the demo
loader call ensure_site_types() because transactional tests flush migrated rows."""

from __future__ import annotations

from yurd.heritage.models import SiteType

SITE_TYPES = [
    ("mosque", "mosque", "məscid", "мечеть"),
    ("minaret", "minaret", "minarə", "минарет"),
    ("madrasa", "madrasa", "mədrəsə", "медресе"),
    ("cemetery", "cemetery", "qəbiristanlıq", "кладбище"),
    ("shrine", "shrine or tomb", "ziyarətgah və ya türbə", "святыня или гробница"),
    ("church", "church", "kilsə", "церковь"),
    ("school", "school", "məktəb", "школа"),
    ("caravanserai", "caravanserai", "karvansara", "караван-сарай"),
    ("bridge", "bridge", "körpü", "мост"),
    ("bath", "bath (hammam)", "hamam", "баня (хаммам)"),
    ("market", "market", "bazar", "рынок"),
    ("house", "house", "ev", "дом"),
    ("monument", "monument", "abidə", "памятник"),
    ("memorial", "memorial", "memorial", "мемориал"),
    ("spring", "spring or fountain", "bulaq və ya çeşmə", "родник или фонтан"),
    ("settlement", "settlement", "yaşayış məntəqəsi", "населённый пункт"),
]


def ensure_site_types() -> None:
    if SiteType.objects.exists():
        return
    for order, (code, name_en, name_az, name_ru) in enumerate(SITE_TYPES, start=1):
        SiteType.objects.get_or_create(
            code=code, defaults={"name_en": name_en, "name_az": name_az, "name_ru": name_ru, "order": order * 10}
        )
