"""Every import job has its municipality; indicator codes are unique nationally and per municipality, and a
local indicator always has its municipality (a national one never)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("indicators", "0003_municipality_owner_data")]

    operations = [
        migrations.AlterField(
            model_name="importjob",
            name="municipality",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="places.municipality",
                verbose_name="kommun",
            ),
        ),
        migrations.AlterField(
            model_name="indicator",
            name="code",
            field=models.CharField(db_index=True, max_length=80, verbose_name="kod"),
        ),
        migrations.AddConstraint(
            model_name="indicator",
            constraint=models.UniqueConstraint(
                condition=models.Q(("municipality__isnull", True)),
                fields=("code",),
                name="indicators_national_code_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="indicator",
            constraint=models.UniqueConstraint(
                fields=("municipality", "code"), name="indicators_local_code_unique_in_municipality"
            ),
        ),
        migrations.AddConstraint(
            model_name="indicator",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("is_local", True), ("municipality__isnull", False)),
                    models.Q(("is_local", False), ("municipality__isnull", True)),
                    _connector="OR",
                ),
                name="indicators_local_has_municipality",
            ),
        ),
    ]
