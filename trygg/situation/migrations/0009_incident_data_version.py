"""The lägesbild's data version kept by database triggers (situation.models.IncidentDataVersion).

SQLite has row triggers only: each inserted, updated or deleted incident bumps its municipality's row.
PostgreSQL uses statement triggers with transition tables: one upsert per statement and municipality, so a
bulk insert of thousands of incidents bumps the counter once per batch. The rows of municipalities that
already have incidents are created here. The (municipality, updated_at) index served the old data version
(a count and the latest change on every request) and is dropped."""

from django.db import migrations, models

UPSERT_SQLITE = """
    INSERT INTO situation_incidentdataversion (municipality_id, version, changed_at)
    SELECT {row}.municipality_id, 1, strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE {condition}
    ON CONFLICT (municipality_id) DO UPDATE SET version = version + 1, changed_at = excluded.changed_at;
"""

SQLITE = [
    "CREATE TRIGGER situation_incident_version_insert AFTER INSERT ON situation_incident BEGIN"
    + UPSERT_SQLITE.format(row="NEW", condition="1")
    + "END;",
    "CREATE TRIGGER situation_incident_version_update AFTER UPDATE ON situation_incident BEGIN"
    + UPSERT_SQLITE.format(row="NEW", condition="1")
    + UPSERT_SQLITE.format(row="OLD", condition="OLD.municipality_id <> NEW.municipality_id")
    + "END;",
    "CREATE TRIGGER situation_incident_version_delete AFTER DELETE ON situation_incident BEGIN"
    + UPSERT_SQLITE.format(row="OLD", condition="1")
    + "END;",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS situation_incident_version_insert;",
    "DROP TRIGGER IF EXISTS situation_incident_version_update;",
    "DROP TRIGGER IF EXISTS situation_incident_version_delete;",
]

# One upsert per statement and municipality; a municipality moved by an UPDATE bumps both. One function per
# event: a transition table exists only in the triggers that declare it.
UPSERT_POSTGRESQL = """
    CREATE FUNCTION situation_incident_version_{event}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO situation_incidentdataversion (municipality_id, version, changed_at)
      SELECT municipality_id, 1, clock_timestamp() FROM ({rows}) AS changed
      GROUP BY municipality_id ORDER BY municipality_id
      ON CONFLICT (municipality_id) DO UPDATE
      SET version = situation_incidentdataversion.version + 1, changed_at = excluded.changed_at;
      RETURN NULL;
    END
    $$;
"""
POSTGRESQL = [
    UPSERT_POSTGRESQL.format(event="insert", rows="SELECT municipality_id FROM new_rows"),
    UPSERT_POSTGRESQL.format(
        event="update", rows="SELECT municipality_id FROM new_rows UNION SELECT municipality_id FROM old_rows"
    ),
    UPSERT_POSTGRESQL.format(event="delete", rows="SELECT municipality_id FROM old_rows"),
    "CREATE TRIGGER situation_incident_version_insert AFTER INSERT ON situation_incident "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION situation_incident_version_insert();",
    "CREATE TRIGGER situation_incident_version_update AFTER UPDATE ON situation_incident "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION situation_incident_version_update();",
    "CREATE TRIGGER situation_incident_version_delete AFTER DELETE ON situation_incident "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION situation_incident_version_delete();",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS situation_incident_version_insert ON situation_incident;",
    "DROP TRIGGER IF EXISTS situation_incident_version_update ON situation_incident;",
    "DROP TRIGGER IF EXISTS situation_incident_version_delete ON situation_incident;",
    "DROP FUNCTION IF EXISTS situation_incident_version_insert();",
    "DROP FUNCTION IF EXISTS situation_incident_version_update();",
    "DROP FUNCTION IF EXISTS situation_incident_version_delete();",
]

SEED = """
    INSERT INTO situation_incidentdataversion (municipality_id, version, changed_at)
    SELECT DISTINCT municipality_id, 1, CURRENT_TIMESTAMP FROM situation_incident
"""


def _run(schema_editor, statements) -> None:
    for sql in statements:
        schema_editor.execute(sql, params=None)


def create_triggers(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise RuntimeError(f"no data version triggers for {vendor}")
    _run(schema_editor, [SEED, *(SQLITE if vendor == "sqlite" else POSTGRESQL)])


def drop_triggers(apps, schema_editor) -> None:
    _run(schema_editor, SQLITE_DROP if schema_editor.connection.vendor == "sqlite" else POSTGRESQL_DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("situation", "0008_incident_origin_walk"),
    ]

    operations = [
        migrations.CreateModel(
            name="IncidentDataVersion",
            fields=[
                ("municipality_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("version", models.BigIntegerField(default=0)),
                ("changed_at", models.DateTimeField(null=True)),
            ],
            options={
                "verbose_name": "lägesbildens dataversion",
                "verbose_name_plural": "lägesbildens dataversioner",
            },
        ),
        migrations.RemoveIndex(model_name="incident", name="incident_muni_updated"),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
