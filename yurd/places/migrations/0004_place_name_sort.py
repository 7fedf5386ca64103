"""Places in Azerbaijani alphabetical order (issue 19): name_sort, the key of the primary
name (yurd.names.collation.sort_text), filled here for the places already in the gazetteer.
Going back drops the column."""

from django.db import migrations

import yurd.core.fields
from yurd.names.collation import sort_text

BATCH = 2000


def fill_name_sort(apps, schema_editor):
    place = apps.get_model("places", "Place")
    batch = []
    for row in place.objects.only("pk", "name").order_by("pk").iterator(chunk_size=BATCH):
        row.name_sort = sort_text(row.name)
        batch.append(row)
        if len(batch) >= BATCH:
            place.objects.bulk_update(batch, ["name_sort"])
            batch = []
    place.objects.bulk_update(batch, ["name_sort"])


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0003_fill_search_keys"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="place",
            options={
                "ordering": ["name_sort", "code"],
                "permissions": [("import_places", "Can import places from files")],
                "verbose_name": "place",
                "verbose_name_plural": "places",
            },
        ),
        migrations.AddField(
            model_name="historicalplace",
            name="name_sort",
            field=yurd.core.fields.SortKeyField(sources=("name",)),
        ),
        migrations.AddField(
            model_name="place",
            name="name_sort",
            field=yurd.core.fields.SortKeyField(sources=("name",)),
        ),
        migrations.RunPython(fill_name_sort, migrations.RunPython.noop, elidable=True),
    ]
