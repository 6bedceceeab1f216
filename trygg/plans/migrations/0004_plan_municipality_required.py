import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0003_plan_municipality_fk"),
    ]

    operations = [
        migrations.RemoveField(model_name="plan", name="municipality_name"),
        migrations.RenameField(model_name="plan", old_name="municipality_ref", new_name="municipality"),
        migrations.AlterField(
            model_name="plan",
            name="municipality",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="plans",
                to="places.municipality",
                verbose_name="kommun",
            ),
        ),
    ]
