"""The activity and unit check-in tallies and the triggers that keep them (fumin/kpis/tallies.py)."""

import django.db.models.deletion
from django.db import migrations, models

from fumin.kpis import tallies


def forward(apps, schema_editor):
    tallies.install_triggers(schema_editor)
    tallies.rebuild()  # an existing installation's records


def backward(apps, schema_editor):
    tallies.drop_triggers(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('kpis', '0001_kpi_indexes'),
        ('activities', '0004_activity_project'),
        ('registry', '0002_alter_alliance_members'),
    ]

    operations = [
        migrations.CreateModel(
            name='ActivityTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(verbose_name='day')),
                ('kind', models.CharField(max_length=20, verbose_name='kind')),
                ('held', models.BooleanField(verbose_name='held')),
                ('in_project', models.BooleanField(verbose_name='in a project')),
                ('activities', models.BigIntegerField(default=0, verbose_name='activities held')),
                ('check_ins', models.BigIntegerField(default=0, verbose_name='check-ins')),
                ('beneficiaries', models.BigIntegerField(default=0, verbose_name='beneficiaries')),
                ('area', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='registry.area', verbose_name='area')),
            ],
            options={
                'verbose_name': 'activity tally',
                'verbose_name_plural': 'activity tallies',
                'constraints': [models.UniqueConstraint(fields=('area', 'day', 'kind', 'held', 'in_project'), name='kpis_tally_key')],
            },
        ),
        migrations.CreateModel(
            name='ActivityTallyChange',
            fields=[
                ('day', models.DateField(verbose_name='day')),
                ('kind', models.CharField(max_length=20, verbose_name='kind')),
                ('held', models.BooleanField(verbose_name='held')),
                ('in_project', models.BooleanField(verbose_name='in a project')),
                ('activities', models.BigIntegerField(default=0, verbose_name='activities held')),
                ('check_ins', models.BigIntegerField(default=0, verbose_name='check-ins')),
                ('beneficiaries', models.BigIntegerField(default=0, verbose_name='beneficiaries')),
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('area', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='registry.area', verbose_name='area')),
            ],
            options={
                'verbose_name': 'activity tally change',
                'verbose_name_plural': 'activity tally changes',
                'indexes': [models.Index(fields=['area', 'day'], name='kpis_tally_change_area_day')],
            },
        ),
        migrations.CreateModel(
            name='UnitCheckInTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(verbose_name='month')),
                ('check_ins', models.BigIntegerField(default=0, verbose_name='check-ins')),
                ('unit', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='registry.unit', verbose_name='unit')),
            ],
            options={
                'verbose_name': 'unit check-in tally',
                'verbose_name_plural': 'unit check-in tallies',
                'constraints': [models.UniqueConstraint(fields=('unit', 'month'), name='kpis_unit_tally_key')],
            },
        ),
        migrations.CreateModel(
            name='UnitCheckInTallyChange',
            fields=[
                ('month', models.DateField(verbose_name='month')),
                ('check_ins', models.BigIntegerField(default=0, verbose_name='check-ins')),
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('unit', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='registry.unit', verbose_name='unit')),
            ],
            options={
                'verbose_name': 'unit check-in tally change',
                'verbose_name_plural': 'unit check-in tally changes',
                'indexes': [models.Index(fields=['unit', 'month'], name='kpis_unit_change_key')],
            },
        ),
        migrations.RunPython(forward, backward),
    ]
