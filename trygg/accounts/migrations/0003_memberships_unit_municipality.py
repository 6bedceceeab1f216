"""Roles per municipality, and units owned by a municipality.

Existing roles (User.role) become a membership in the installation's default municipality
(TRYGG_MUNICIPALITY_CODE), and existing units belong to it. The municipality row is created from the bundled
list of kommuner when it is missing (its boundary is loaded later by `manage.py load_municipality`).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


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
    User = apps.get_model("accounts", "User")
    Unit = apps.get_model("accounts", "Unit")
    Membership = apps.get_model("accounts", "Membership")
    users = list(User.objects.exclude(role=""))
    if not users and not Unit.objects.exists():
        return
    municipality = default_municipality(apps)
    Unit.objects.update(municipality=municipality)
    Membership.objects.bulk_create(
        [Membership(user=u, municipality=municipality, role=u.role) for u in users]
    )


def backwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for membership in apps.get_model("accounts", "Membership").objects.all():
        User.objects.filter(pk=membership.user_id).update(role=membership.role)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_audit_event"),
        ("places", "0002_municipality_geometry_optional"),
    ]

    operations = [
        migrations.CreateModel(
            name="Membership",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "role",
                    models.CharField(
                        choices=[
                            ("admin", "Administratör"),
                            ("coordinator", "Samordnare"),
                            ("unit_editor", "Enhetsredaktör"),
                            ("partner", "Samverkanspart"),
                            ("reader", "Läsare"),
                        ],
                        max_length=20,
                        verbose_name="roll",
                    ),
                ),
                (
                    "municipality",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="memberships",
                        to="places.municipality",
                        verbose_name="kommun",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="memberships",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "behörighet",
                "verbose_name_plural": "behörigheter",
                "ordering": ["user", "municipality"],
                "constraints": [
                    models.UniqueConstraint(fields=("user", "municipality"), name="one_role_per_user_municipality")
                ],
            },
        ),
        migrations.AddField(
            model_name="unit",
            name="municipality",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="units",
                to="places.municipality",
                verbose_name="kommun",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
