"""People in Azerbaijani alphabetical order (issue 19): name_sort, the key of surname and
given name (yurd.names.collation.sort_text), filled here for the people already registered,
and the list indexes rebuilt on it once it is filled. History rows written before keep an
empty key (nothing reads history in name order). Going back drops the column and restores
the indexes on the names."""

from django.db import migrations, models

import yurd.core.fields
from yurd.names.collation import sort_text

BATCH = 2000


def fill_name_sort(apps, schema_editor):
    person = apps.get_model("registry", "Person")
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
        ("places", "0004_place_name_sort"),
        ("registry", "0010_population_figure_and_estimates"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="person",
            options={"ordering": ["name_sort", "code"], "verbose_name": "person", "verbose_name_plural": "people"},
        ),
        migrations.RemoveIndex(
            model_name="person",
            name="person_name_idx",
        ),
        migrations.RemoveIndex(
            model_name="person",
            name="person_deceased_idx",
        ),
        migrations.AddField(
            model_name="historicalperson",
            name="name_sort",
            field=yurd.core.fields.SortKeyField(sources=("surname", "given_name")),
        ),
        migrations.AddField(
            model_name="person",
            name="name_sort",
            field=yurd.core.fields.SortKeyField(sources=("surname", "given_name")),
        ),
        migrations.RunPython(fill_name_sort, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["name_sort", "code"], name="person_name_idx"),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["is_deceased", "name_sort", "code"], name="person_deceased_idx"),
        ),
    ]
