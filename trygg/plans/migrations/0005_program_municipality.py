import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0004_plan_municipality_required"),
        ("places", "0002_municipality_geometry_optional"),
    ]

    operations = [
        migrations.AddField(
            model_name="program",
            name="municipality",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="programs",
                to="places.municipality",
                verbose_name="kommun",
            ),
        ),
    ]
