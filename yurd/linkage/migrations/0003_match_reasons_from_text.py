# Data: the pairs stored before 0002 get their reasons (schema and data apart, see 0002).

from django.db import migrations

from yurd.linkage.matching.reasons import parse


def reasons_from_text(apps, schema_editor):
    """Pairs queued before reasons existed: their English explanation read back into reasons
    (a phrase no template knows is kept verbatim), so they too show in the reader's language."""
    candidate = apps.get_model("linkage", "MatchCandidate")
    changed = []
    for pair in candidate.objects.exclude(explanation="").only("pk", "explanation").iterator(chunk_size=2000):
        pair.reasons = parse(pair.explanation)
        changed.append(pair)
        if len(changed) >= 2000:
            candidate.objects.bulk_update(changed, ["reasons"])
            changed = []
    candidate.objects.bulk_update(changed, ["reasons"])


class Migration(migrations.Migration):
    dependencies = [
        ("linkage", "0002_match_reasons"),
    ]

    # Going back, 0002's reverse drops the column: nothing to undo here.
    operations = [
        migrations.RunPython(reasons_from_text, migrations.RunPython.noop),
    ]
