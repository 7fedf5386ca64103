"""Each year's last case number moves from claims' own counter to registry's code sequences.

Numbers go on from where they stood (CL-2026-000041 is followed by CL-2026-000042); the
reverse copies them back, so migrating backwards loses no number.
"""

from django.db import migrations


def _name(year: int) -> str:
    return f"claim_case_{year}"


def to_code_sequences(apps, schema_editor):
    CaseNumberSequence = apps.get_model("claims", "CaseNumberSequence")
    CodeSequence = apps.get_model("registry", "CodeSequence")
    for counter in CaseNumberSequence.objects.all():
        sequence, _created = CodeSequence.objects.get_or_create(name=_name(counter.year))
        if sequence.last < counter.last:
            sequence.last = counter.last
            sequence.save(update_fields=["last"])


def to_case_number_sequences(apps, schema_editor):
    CaseNumberSequence = apps.get_model("claims", "CaseNumberSequence")
    CodeSequence = apps.get_model("registry", "CodeSequence")
    for sequence in CodeSequence.objects.filter(name__startswith="claim_case_"):
        year = int(sequence.name.removeprefix("claim_case_"))
        CaseNumberSequence.objects.update_or_create(year=year, defaults={"last": sequence.last})
    CodeSequence.objects.filter(name__startswith="claim_case_").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0009_letters_sent"),
        ("registry", "0001_initial"),
    ]

    operations = [migrations.RunPython(to_code_sequences, to_case_number_sequences)]
