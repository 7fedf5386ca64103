from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0010_case_numbers_to_code_sequences"),
    ]

    operations = [migrations.DeleteModel(name="CaseNumberSequence")]
