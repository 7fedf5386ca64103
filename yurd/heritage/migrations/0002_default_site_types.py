"""The site types of DOMAIN.md as data, editable afterwards by administrators."""

from django.db import migrations

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


def add_site_types(apps, schema_editor):
    SiteType = apps.get_model("heritage", "SiteType")
    for order, (code, name_en, name_az, name_ru) in enumerate(SITE_TYPES, start=1):
        SiteType.objects.update_or_create(
            code=code, defaults={"name_en": name_en, "name_az": name_az, "name_ru": name_ru, "order": order * 10}
        )


def remove_site_types(apps, schema_editor):
    apps.get_model("heritage", "SiteType").objects.filter(code__in=[row[0] for row in SITE_TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("heritage", "0001_initial")]

    operations = [migrations.RunPython(add_site_types, remove_site_types)]
