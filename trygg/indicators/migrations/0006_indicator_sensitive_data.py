"""Existing indicators: local ones hold the municipality's own (often sensitive) figures, so small counts are
protected; national ones are published by their source (Brå, Kolada, SCB) and are not."""

from django.db import migrations


def set_sensitive(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    Indicator.objects.filter(is_local=True).update(sensitive=True)
    Indicator.objects.filter(is_local=False).update(sensitive=False)


class Migration(migrations.Migration):
    dependencies = [("indicators", "0005_indicator_sensitive")]

    operations = [migrations.RunPython(set_sensitive, migrations.RunPython.noop)]
