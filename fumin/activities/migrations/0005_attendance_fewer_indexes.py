"""Attendances lose two indexes every check-in paid for (fumin/activities/models.py says why): the
activity's (the unique (activity, person) and (activity, status, signed_up_at) lead with it) and
the checking-in user's (nothing searches by it).

They are dropped in the database directly: ``AlterField`` would rebuild the table on SQLite and
lose its triggers (``fumin.core.schema``).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from fumin.core.schema import create_column_indexes, drop_column_indexes

TABLE = "activities_attendance"
COLUMNS = ["activity_id", "checked_in_by_id"]


def drop_indexes(apps, schema_editor):
    drop_column_indexes(schema_editor, TABLE, COLUMNS)


def restore_indexes(apps, schema_editor):
    create_column_indexes(schema_editor, TABLE, COLUMNS)


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0004_activity_project"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="attendance",
                    name="activity",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="attendances",
                        to="activities.activity",
                        verbose_name="activity",
                    ),
                ),
                migrations.AlterField(
                    model_name="attendance",
                    name="checked_in_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="checked in by",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop_indexes, restore_indexes)],
        ),
    ]
