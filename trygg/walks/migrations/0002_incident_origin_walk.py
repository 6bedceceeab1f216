"""The incidents that walks' findings created before Incident.Origin.WALK existed were "manual"; they are
relabelled (a label only: no text, place or time changes, so no audit row per incident)."""

from django.db import migrations


def relabel(apps, schema_editor):
    Finding = apps.get_model("walks", "Finding")
    Incident = apps.get_model("situation", "Incident")
    ids = Finding.objects.exclude(incident=None).values("incident_id")
    Incident.objects.filter(pk__in=ids, origin="manual").update(origin="trygghetsvandring")


def unlabel(apps, schema_editor):
    Incident = apps.get_model("situation", "Incident")
    Incident.objects.filter(origin="trygghetsvandring").update(origin="manual")


class Migration(migrations.Migration):
    dependencies = [
        ("walks", "0001_initial"),
        ("situation", "0008_incident_origin_walk"),
    ]

    operations = [migrations.RunPython(relabel, unlabel)]
