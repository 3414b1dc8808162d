"""The tally tables lose their foreign key constraints (fumin/kpis/models.py says why), and the
triggers are installed again in their current form.

SQLite alters a column by rebuilding the table, which its triggers on other tables would stop
(they name the table), so the triggers are dropped first and installed again after.
"""

import django.db.models.deletion
from django.db import migrations, models

from fumin.kpis import tallies


def drop_triggers(apps, schema_editor):
    tallies.drop_triggers(schema_editor)


def install_triggers(apps, schema_editor):
    tallies.install_triggers(schema_editor)


def without_constraint(to: str, verbose_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        db_constraint=False,
        db_index=False,
        on_delete=django.db.models.deletion.CASCADE,
        related_name="+",
        to=to,
        verbose_name=verbose_name,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("kpis", "0002_activity_tallies"),
        ("registry", "0002_alter_alliance_members"),
    ]

    operations = [
        migrations.RunPython(drop_triggers, install_triggers),
        migrations.AlterField(
            model_name="activitytally",
            name="area",
            field=without_constraint("registry.area", "area"),
        ),
        migrations.AlterField(
            model_name="activitytallychange",
            name="area",
            field=without_constraint("registry.area", "area"),
        ),
        migrations.AlterField(
            model_name="unitcheckintally",
            name="unit",
            field=without_constraint("registry.unit", "unit"),
        ),
        migrations.AlterField(
            model_name="unitcheckintallychange",
            name="unit",
            field=without_constraint("registry.unit", "unit"),
        ),
        migrations.RunPython(install_triggers, drop_triggers),
    ]
