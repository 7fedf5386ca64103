import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_worker_heartbeat"),
        ("registry", "0006_lighter_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="importbatch",
            name="job",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="core.job",
                verbose_name="job",
            ),
        ),
    ]
