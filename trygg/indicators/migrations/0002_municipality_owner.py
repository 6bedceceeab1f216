"""Local indicators and import jobs get the municipality that owns them (nullable until the data migration
that follows has filled them in)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0001_initial"),
        ("places", "0002_municipality_geometry_optional"),
    ]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="municipality",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="local_indicators",
                to="places.municipality",
                verbose_name="kommun (lokalt nyckeltal)",
            ),
        ),
        migrations.AddField(
            model_name="importjob",
            name="municipality",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="places.municipality",
                verbose_name="kommun",
            ),
        ),
    ]
