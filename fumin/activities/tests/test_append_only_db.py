"""The database itself refuses to rewrite hours corrections and the points ledger: UPDATE on
SQLite and PostgreSQL, DELETE on PostgreSQL too (migration activities/0003)."""

import pytest
from django.db import DatabaseError, connection, transaction

from fumin.activities.models import HoursCorrection, PointsEntry, PointsRule
from fumin.activities.services import activity_close, check_in, check_out, hours_correct, signup

from .helpers import make_activity, volunteer

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def ledger(world, clock):
    PointsRule.objects.create(name="每次", basis="per_attendance", points=5)
    activity = make_activity(world)
    person = volunteer(world, "王芳", "13600000001")
    signup(actor=None, activity=activity, person=person)
    clock.set("2020-09-12 09:00")
    check_in(actor=world.secretary_a, method="staff", activity=activity, person=person)
    clock.set("2020-09-12 11:00")
    attendance = check_out(
        actor=world.secretary_a, method="staff", activity=activity, person=person
    )
    correction = hours_correct(
        actor=world.secretary_a, attendance=attendance, delta="0.5", reason="布置场地"
    )
    clock.set("2020-09-12 13:00")
    activity_close(actor=world.secretary_a, activity=activity, beneficiaries=10)
    return correction, PointsEntry.objects.get()


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("activities_hourscorrection", "reason", "'改写'"),
        ("activities_pointsentry", "points", "999"),
    ],
)
def test_the_database_refuses_updates_and_on_postgresql_deletes(ledger, table, column, value):
    correction, entry = ledger
    pk = correction.pk if table.endswith("hourscorrection") else entry.pk
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = {value} WHERE id = %s", [pk])  # noqa: S608
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [pk])  # noqa: S608
    assert HoursCorrection.objects.get(pk=correction.pk).reason == "布置场地"
    assert PointsEntry.objects.get(pk=entry.pk).points == 5


def test_adding_entries_still_works(ledger, world):
    correction, entry = ledger
    hours_correct(
        actor=world.secretary_a, attendance=correction.attendance, delta="-0.25", reason="早退"
    )
    PointsEntry.objects.create(person=entry.person, points=-5, reason="兑换")
    assert HoursCorrection.objects.count() == 2 and PointsEntry.objects.count() == 2
