"""The nine default loss categories (UNCC mass-claims categories, adapted); data, not code."""

from django.db import migrations

CATEGORIES = [
    # code, English, Azerbaijani, Russian, default unit, fixed sum eligible
    ("dwelling", "Dwelling", "Yaşayış evi", "Жилой дом", "m2", False),
    ("land", "Land plot", "Torpaq sahəsi", "Земельный участок", "ha", False),
    ("other_real_property", "Other real property", "Digər daşınmaz əmlak", "Иное недвижимое имущество", "m2", False),
    ("livestock", "Livestock", "Mal-qara", "Скот", "head", False),
    ("movable_property", "Movable property", "Daşınar əmlak", "Движимое имущество", "item", False),
    ("death", "Death of a family member", "Ailə üzvünün ölümü", "Гибель члена семьи", "person", True),
    ("injury", "Injury", "Xəsarət", "Телесное повреждение", "person", False),
    ("income", "Loss of income", "Gəlir itkisi", "Утрата дохода", "month", False),
    ("departure", "Departure and relocation costs", "Köçmə və yerləşmə xərcləri", "Расходы на выезд и переселение", "lump", True),
]


def add_categories(apps, schema_editor):
    LossCategory = apps.get_model("claims", "LossCategory")
    for order, (code, name, name_az, name_ru, unit, fixed) in enumerate(CATEGORIES, start=1):
        LossCategory.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_az": name_az,
                "name_ru": name_ru,
                "default_unit": unit,
                "fixed_sum_eligible": fixed,
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial")]
    operations = [migrations.RunPython(add_categories, migrations.RunPython.noop)]
