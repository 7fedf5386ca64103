"""Fill search_key (added by 0002 with an empty default) for the places and names that
existed before it: the search looks them up by it. Data only; going back, 0002's reverse
drops the column, so there is nothing to undo here."""

from django.db import migrations

from yurd.names import search_key as folded_search_key

BATCH = 2000


def fill_search_keys(apps, schema_editor):
    for model_name, source in (("Place", "name"), ("PlaceName", "text")):
        model = apps.get_model("places", model_name)
        stale = model.objects.filter(search_key="").exclude(**{source: ""}).only("pk", source)
        batch = []
        for row in stale.iterator(chunk_size=BATCH):
            row.search_key = folded_search_key(getattr(row, source))[:200]
            batch.append(row)
            if len(batch) >= BATCH:
                model.objects.bulk_update(batch, ["search_key"])
                batch = []
        model.objects.bulk_update(batch, ["search_key"])


class Migration(migrations.Migration):
    dependencies = [("places", "0002_place_search_key_and_import")]

    operations = [migrations.RunPython(fill_search_keys, migrations.RunPython.noop, elidable=True)]
