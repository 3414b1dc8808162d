"""Make the database itself refuse to rewrite hours corrections and the points ledger.

As for the audit log (``audit/0002``): UPDATE is refused on both databases; DELETE on PostgreSQL
only, because the test runner empties tables with DELETE on SQLite (TRUNCATE on PostgreSQL, which
row triggers don't see). A mistake is put right by a further entry, never an edit.
"""

from django.db import migrations

TABLES = ("activities_hourscorrection", "activities_pointsentry")


def _sqlite_forward(table):
    return (
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;"
    )


def _sqlite_backward(table):
    return f"DROP TRIGGER IF EXISTS {table}_no_update;"


def _postgres_forward(table):
    return f"""
CREATE OR REPLACE FUNCTION {table}_refuse() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION '{table} is append-only'; END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table}
FOR EACH ROW EXECUTE FUNCTION {table}_refuse();
"""


def _postgres_backward(table):
    return f"""
DROP TRIGGER IF EXISTS {table}_no_change ON {table};
DROP FUNCTION IF EXISTS {table}_refuse();
"""


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "sqlite":
            schema_editor.execute(_sqlite_forward(table))
        elif vendor == "postgresql":
            schema_editor.execute(_postgres_forward(table))


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "sqlite":
            schema_editor.execute(_sqlite_backward(table))
        elif vendor == "postgresql":
            schema_editor.execute(_postgres_backward(table))


class Migration(migrations.Migration):
    dependencies = [("activities", "0002_series_geofence_reminders_photos")]
    operations = [migrations.RunPython(forward, backward)]
