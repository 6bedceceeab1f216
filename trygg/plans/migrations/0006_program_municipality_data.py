"""A program belongs to the municipality of the plans that carry it out; a program without plans belongs to the
installation's default municipality (TRYGG_MUNICIPALITY_CODE). A program shared by plans of two municipalities
cannot be assigned and stops the migration with a message naming it.

Data only: the column becomes required in 0007 (PostgreSQL refuses ALTER TABLE with pending trigger events)."""

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
    Program = apps.get_model("plans", "Program")
    Plan = apps.get_model("plans", "Plan")
    shared = []
    for program in Program.objects.all():
        owners = set(Plan.objects.filter(program=program).values_list("municipality_id", flat=True))
        if len(owners) > 1:
            shared.append(f"”{program.name}”")
            continue
        owner = owners.pop() if owners else default_municipality(apps).pk
        Program.objects.filter(pk=program.pk).update(municipality_id=owner)
    if shared:
        raise RuntimeError(
            "Programmet används av planer i flera kommuner och kan inte kopplas till en kommun: "
            + ", ".join(shared)
            + ". Skapa ett program per kommun och kör migreringen igen."
        )


class Migration(migrations.Migration):
    dependencies = [("plans", "0005_program_municipality")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
