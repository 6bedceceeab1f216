"""Incidents, meetings, focus areas, actions and camera sites belong to a municipality.

The column is added nullable and existing rows are assigned to the installation's default municipality
(TRYGG_MUNICIPALITY_CODE, created from the bundled list of kommuner when missing); 0005 then makes it
required. The two steps are separate migrations because PostgreSQL refuses ALTER TABLE while the data
migration's trigger events are pending.
"""

import django.db.models.deletion
from django.db import migrations, models

MODELS = ("incident", "meeting", "focusarea", "action", "camerasite")


def assign_default_municipality(apps, schema_editor):
    models_with_rows = [apps.get_model("situation", name) for name in MODELS]
    if not any(model.objects.exists() for model in models_with_rows):
        return
    default_municipality = _load_default()
    municipality = default_municipality(apps)
    for model in models_with_rows:
        model.objects.filter(municipality__isnull=True).update(municipality=municipality)


def _load_default():
    import importlib

    return importlib.import_module(
        "trygg.accounts.migrations.0003_memberships_unit_municipality"
    ).default_municipality


def _fk(related_name):
    return models.ForeignKey(
        null=True,
        on_delete=django.db.models.deletion.PROTECT,
        related_name=related_name,
        to="places.municipality",
        verbose_name="kommun",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("situation", "0003_joint_record_creator"),
        ("places", "0002_municipality_geometry_optional"),
        ("accounts", "0003_memberships_unit_municipality"),
    ]

    operations = [
        migrations.AddField(model_name="incident", name="municipality", field=_fk("incidents")),
        migrations.AddField(model_name="meeting", name="municipality", field=_fk("+")),
        migrations.AddField(model_name="focusarea", name="municipality", field=_fk("+")),
        migrations.AddField(model_name="action", name="municipality", field=_fk("+")),
        migrations.AddField(model_name="camerasite", name="municipality", field=_fk("camera_sites")),
        migrations.RunPython(assign_default_municipality, migrations.RunPython.noop),
    ]
