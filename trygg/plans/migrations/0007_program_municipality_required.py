import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("plans", "0006_program_municipality_data")]

    operations = [
        migrations.AlterField(
            model_name="program",
            name="municipality",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="programs",
                to="places.municipality",
                verbose_name="kommun",
            ),
        ),
    ]
