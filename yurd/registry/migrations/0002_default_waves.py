"""The three displacement waves of DOMAIN.md as default configuration data.

Another community running Yurd edits or replaces them; this migration only adds the
waves that are missing and, on reversal, removes only unused default waves.
"""

from django.db import migrations

DEFAULT_WAVES = [
    ("1918-1920", "1918–1920", 1918, 1920),
    ("1948-1953", "1948–1953", 1948, 1953),
    ("1987-1991", "1987–1991", 1987, 1991),
]


def add_default_waves(apps, schema_editor):
    wave_model = apps.get_model("registry", "Wave")
    for code, name, year_from, year_to in DEFAULT_WAVES:
        wave_model.objects.get_or_create(code=code, defaults={"name": name, "year_from": year_from, "year_to": year_to})


def remove_unused_default_waves(apps, schema_editor):
    wave_model = apps.get_model("registry", "Wave")
    wave_model.objects.filter(code__in=[code for code, *_rest in DEFAULT_WAVES], household__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(add_default_waves, remove_unused_default_waves)]
