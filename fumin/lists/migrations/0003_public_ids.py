"""Public UUIDs for sectors, programmes and milestones, so the API never names internal ids."""

import uuid

from django.db import migrations, models


def fill(apps, schema_editor):
    for name in ("Sector", "Programme", "Milestone"):
        model = apps.get_model("lists", name)
        for row in model.objects.filter(public_id__isnull=True).only("pk"):
            row.public_id = uuid.uuid4()
            row.save(update_fields=["public_id"])


class Migration(migrations.Migration):
    dependencies = [("lists", "0002_categories")]

    operations = [
        *(
            migrations.AddField(
                model_name=name,
                name="public_id",
                field=models.UUIDField(editable=False, null=True, verbose_name="public id"),
            )
            for name in ("sector", "programme", "milestone")
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        *(
            migrations.AlterField(
                model_name=name,
                name="public_id",
                field=models.UUIDField(
                    default=uuid.uuid4, editable=False, unique=True, verbose_name="public id"
                ),
            )
            for name in ("sector", "programme", "milestone")
        ),
    ]
