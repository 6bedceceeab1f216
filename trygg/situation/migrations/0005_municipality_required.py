"""The municipality becomes required (0004 filled it), and a police event's id is unique per municipality:
one event becomes one incident in every hosted municipality it falls in."""

import django.db.models.deletion
from django.db import migrations, models


def _fk(related_name):
    return models.ForeignKey(
        on_delete=django.db.models.deletion.PROTECT,
        related_name=related_name,
        to="places.municipality",
        verbose_name="kommun",
    )


class Migration(migrations.Migration):
    dependencies = [("situation", "0004_municipality_owner")]

    operations = [
        migrations.AlterField(model_name="incident", name="municipality", field=_fk("incidents")),
        migrations.AlterField(model_name="meeting", name="municipality", field=_fk("+")),
        migrations.AlterField(model_name="focusarea", name="municipality", field=_fk("+")),
        migrations.AlterField(model_name="action", name="municipality", field=_fk("+")),
        migrations.AlterField(model_name="camerasite", name="municipality", field=_fk("camera_sites")),
        migrations.RemoveConstraint(model_name="incident", name="incident_external_id_unique"),
        migrations.AddConstraint(
            model_name="incident",
            constraint=models.UniqueConstraint(
                condition=models.Q(("external_id", ""), _negated=True),
                fields=("municipality", "external_id"),
                name="incident_external_id_unique_in_municipality",
            ),
        ),
    ]
