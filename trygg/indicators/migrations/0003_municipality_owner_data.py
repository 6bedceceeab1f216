"""Existing local indicators and import jobs belong to the installation's default municipality
(TRYGG_MUNICIPALITY_CODE): before this change an installation held one municipality. National indicators stay
shared (municipality NULL). Kept apart from the schema changes that follow: PostgreSQL refuses ALTER TABLE
while this migration's updates have pending trigger events."""

from django.conf import settings
from django.db import migrations


def default_municipality(apps):
    from trygg.lib.sweden import county_names, municipalities

    Municipality = apps.get_model("places", "Municipality")
    code = settings.TRYGG_MUNICIPALITY_CODE
    row = municipalities().get(code)
    if row is None:
        raise RuntimeError(f"TRYGG_MUNICIPALITY_CODE={code!r} är ingen kommunkod (fyra siffror, t.ex. 1482).")
    county = row["county_code"].zfill(2)
    municipality, _ = Municipality.objects.get_or_create(
        code=code,
        defaults={
            "name": row["municipality_name_short"],
            "county_code": county,
            "county_name": county_names().get(county, ""),
        },
    )
    return municipality


def forwards(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    ImportJob = apps.get_model("indicators", "ImportJob")
    local = Indicator.objects.filter(is_local=True, municipality__isnull=True)
    jobs = ImportJob.objects.filter(municipality__isnull=True)
    if not local.exists() and not jobs.exists():
        return
    municipality = default_municipality(apps)
    local.update(municipality=municipality)
    jobs.update(municipality=municipality)


class Migration(migrations.Migration):
    dependencies = [("indicators", "0002_municipality_owner")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
