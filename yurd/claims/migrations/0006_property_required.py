import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("claims", "0005_properties_for_loss_items")]

    operations = [
        migrations.AlterField(
            model_name="lossitem",
            name="property",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="loss_items",
                to="claims.property",
                verbose_name="property",
            ),
        ),
        migrations.AlterField(
            model_name="compensation",
            name="property",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="compensations", to="claims.property"
            ),
        ),
    ]
