"""Indexes for the KPIs at scale (docs/scale.md, bench/dashboard.py).

The KPI app has no tables of its own: these are partial indexes on the attendances, created with
the same SQL on SQLite and PostgreSQL (both support ``CREATE INDEX … WHERE``).

- check-ins by activity: person-time KPIs count the checked-in attendances of a scope's
  activities from the index alone;
- check-ins by person: "participating units" asks, unit by unit, whether one of its people
  checked in during the period.
"""

from django.db import migrations

INDEXES = {
    "kpis_attendance_checkin_activity": "activities_attendance (activity_id)",
    "kpis_attendance_checkin_person": "activities_attendance (person_id, activity_id)",
}


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} ON {target} WHERE checked_in_at IS NOT NULL",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, target in INDEXES.items()
    ]
