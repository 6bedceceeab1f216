"""Seed the incident taxonomy from the reference report (editable afterwards)."""

from django.db import migrations

from trygg.situation.taxonomy import seed_categories


def seed(apps, schema_editor):
    seed_categories(apps.get_model("situation", "Category"))


class Migration(migrations.Migration):
    dependencies = [("situation", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
