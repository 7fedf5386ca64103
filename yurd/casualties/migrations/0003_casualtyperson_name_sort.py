"""The register's people in Azerbaijani alphabetical order (issue 19): name_sort, the key
of surname and given name (yurd.names.collation.sort_text), filled here for the people
already in the register. Going back drops the column."""

from django.db import migrations

import yurd.core.fields
from yurd.names.collation import sort_text

BATCH = 2000


def fill_name_sort(apps, schema_editor):
    person = apps.get_model("casualties", "CasualtyPerson")
    batch = []
    for row in person.objects.only("pk", "surname", "given_name").order_by("pk").iterator(chunk_size=BATCH):
        row.name_sort = sort_text(row.surname, row.given_name)
        batch.append(row)
        if len(batch) >= BATCH:
            person.objects.bulk_update(batch, ["name_sort"])
            batch = []
    person.objects.bulk_update(batch, ["name_sort"])


class Migration(migrations.Migration):
    dependencies = [
        ("casualties", "0002_match_registry_person"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="casualtyperson",
            options={
                "ordering": ["name_sort", "code"],
                "verbose_name": "person in the register",
                "verbose_name_plural": "people in the register",
            },
        ),
        migrations.AddField(
            model_name="casualtyperson",
            name="name_sort",
            field=yurd.core.fields.SortKeyField(sources=("surname", "given_name")),
        ),
        migrations.RunPython(fill_name_sort, migrations.RunPython.noop, elidable=True),
    ]
