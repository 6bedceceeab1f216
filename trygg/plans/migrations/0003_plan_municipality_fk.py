"""Plan.municipality: from free text ("Kungälvs kommun") to the municipality that owns the plan.

Each name is matched to its kommunkod with the bundled list of kommuner (trygg.lib.sweden); the municipality row
is created when missing (its boundary is loaded later). A name that matches no municipality stops the
migration with a message naming the plan, so nothing is guessed.
"""

import django.db.models.deletion
from django.db import migrations, models


def forwards(apps, schema_editor):
    from trygg.lib.sweden import code_for_name, county_names, municipalities

    Plan = apps.get_model("plans", "Plan")
    Municipality = apps.get_model("places", "Municipality")
    unmatched = []
    for plan in Plan.objects.all():
        code = code_for_name(plan.municipality_name)
        if code is None:
            unmatched.append(f"planen ”{plan.name}” ({plan.slug}): ”{plan.municipality_name}”")
            continue
        row = municipalities()[code]
        county = row["county_code"].zfill(2)
        municipality, _ = Municipality.objects.get_or_create(
            code=code,
            defaults={
                "name": row["municipality_name_short"],
                "county_code": county,
                "county_name": county_names().get(county, ""),
            },
        )
        Plan.objects.filter(pk=plan.pk).update(municipality_ref=municipality)
    if unmatched:
        raise RuntimeError(
            "Kommunnamnet kunde inte kopplas till en kommunkod för "
            + "; ".join(unmatched)
            + ". Rätta namnet (t.ex. ”Kungälvs kommun”) och kör migreringen igen."
        )


def backwards(apps, schema_editor):
    Plan = apps.get_model("plans", "Plan")
    for plan in Plan.objects.select_related("municipality_ref"):
        name = plan.municipality_ref.name
        Plan.objects.filter(pk=plan.pk).update(
            municipality_name=f"{name} kommun" if name.endswith("s") else f"{name}s kommun"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0002_date_order_constraints"),
        ("places", "0002_municipality_geometry_optional"),
    ]

    operations = [
        migrations.RenameField(model_name="plan", old_name="municipality", new_name="municipality_name"),
        migrations.AddField(
            model_name="plan",
            name="municipality_ref",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="places.municipality",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
