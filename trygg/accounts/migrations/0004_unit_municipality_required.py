"""Second step of 0003, in its own transaction (PostgreSQL refuses to alter a table with pending trigger
events from the data migration)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_memberships_unit_municipality"),
    ]

    operations = [
        migrations.AlterField(
            model_name="unit",
            name="municipality",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="units",
                to="places.municipality",
                verbose_name="kommun",
            ),
        ),
        migrations.AlterField(
            model_name="unit",
            name="name",
            field=models.CharField(max_length=200, verbose_name="namn"),
        ),
        migrations.AddConstraint(
            model_name="unit",
            constraint=models.UniqueConstraint(fields=("municipality", "name"), name="unit_name_unique_in_municipality"),
        ),
        migrations.RemoveField(model_name="user", name="role"),
    ]
