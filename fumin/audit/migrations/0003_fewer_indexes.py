"""The audit log keeps only the indexes it is searched by (fumin/audit/models.py says why).

The single-column indexes of ``db_index`` (and their ``_like`` twins on PostgreSQL) on action,
target type, target id and scope path are dropped in the database directly: ``AlterField`` would
rebuild the table on SQLite and lose its append-only triggers (``fumin.core.schema``).
"""

from django.db import migrations, models

from fumin.core.schema import create_column_indexes, drop_column_indexes

TABLE = "audit_auditentry"
COLUMNS = ["action", "target_type", "target_id", "scope_path"]


def drop_indexes(apps, schema_editor):
    drop_column_indexes(schema_editor, TABLE, COLUMNS)


def restore_indexes(apps, schema_editor):
    create_column_indexes(schema_editor, TABLE, COLUMNS)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="auditentry",
                    name="action",
                    field=models.CharField(
                        choices=[
                            ("create", "created"),
                            ("update", "changed"),
                            ("archive", "archived"),
                            ("delete", "deleted"),
                            ("login", "logged in"),
                            ("login_failed", "failed login"),
                            ("locked_out", "locked out"),
                            ("logout", "logged out"),
                            ("password_change", "changed password"),
                            ("password_reset", "reset password"),
                            ("role_grant", "granted role"),
                            ("role_revoke", "revoked role"),
                            ("view_unmasked", "viewed personal data unmasked"),
                            ("export", "exported"),
                        ],
                        max_length=30,
                        verbose_name="action",
                    ),
                ),
                migrations.AlterField(
                    model_name="auditentry",
                    name="scope_path",
                    field=models.CharField(blank=True, max_length=255, verbose_name="scope"),
                ),
                migrations.AlterField(
                    model_name="auditentry",
                    name="target_id",
                    field=models.CharField(blank=True, max_length=64, verbose_name="record id"),
                ),
                migrations.AlterField(
                    model_name="auditentry",
                    name="target_type",
                    field=models.CharField(
                        blank=True, max_length=100, verbose_name="record type"
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop_indexes, restore_indexes)],
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["action"], name="audit_action"),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["target_type", "target_id"], name="audit_target"),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(
                fields=["scope_path"], name="audit_scope_path", opclasses=["varchar_pattern_ops"]
            ),
        ),
    ]
