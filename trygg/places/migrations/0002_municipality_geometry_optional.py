from django.db import migrations, models


class Migration(migrations.Migration):
    """A municipality can be hosted (own plans, users, statistics) before its boundary is loaded."""

    dependencies = [
        ("places", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="municipality",
            name="geometry",
            field=models.JSONField(blank=True, null=True, verbose_name="gräns (GeoJSON)"),
        ),
    ]
