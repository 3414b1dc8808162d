"""Check-ins racing each other stay idempotent: the same person checked in from several desks at
the same moment has one attendance, checked in once, audited once; a walk-up raced the same way
is inserted once (the unique constraint and the savepoint catch the loser).

Only PostgreSQL proves the row locks (``FOR SHARE`` on the activity, ``FOR UPDATE`` on the
attendance); SQLite serialises every write anyway.
"""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from fumin.activities.models import Attendance
from fumin.activities.services import (
    activity_create,
    activity_publish,
    check_in,
    check_in_by_ids,
    signup,
)
from fumin.audit.models import AuditEntry
from fumin.registry.services import person_create

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are only proven on PostgreSQL (set DATABASE_URL to a PostgreSQL database)",
)

PEOPLE = 8
DESKS = 3  # each person is checked in from this many threads at once


@pytest.mark.parametrize("by_ids", [False, True], ids=["check_in", "check_in_by_ids"])
def test_racing_check_ins_count_each_person_once(transactional_db, by_ids):
    """Both entry points: ``check_in`` with loaded rows, ``check_in_by_ids`` (the API's) with
    public ids, read and locked in one statement."""
    from conftest import build_world

    world = build_world()
    now = timezone.now()
    activity = activity_create(
        actor=None,
        title="并发签到",
        kind="volunteer",
        community=world.community_a,
        starts_at=now - datetime.timedelta(minutes=10),
        ends_at=now + datetime.timedelta(hours=2),
        signup_closes_at=now + datetime.timedelta(hours=1),
    )
    activity = activity_publish(actor=None, activity=activity)
    people = [
        person_create(
            actor=None,
            name=f"志愿者{i}",
            mobile=f"1368800{i:04d}",
            home_community=world.community_a,
        )
        for i in range(PEOPLE)
    ]
    for person in people[:-1]:  # the last one walks up
        signup(actor=None, activity=activity, person=person)
    jobs = [(person, person is people[-1]) for person in people for _ in range(DESKS)]
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []
    fresh: list[int] = []
    lock = threading.Lock()

    def desk(person, walk_up):
        try:
            barrier.wait(timeout=30)
            if by_ids:
                attendance = check_in_by_ids(
                    actor=world.secretary_a,
                    activity_id=activity.public_id,
                    person_id=person.public_id,
                    walk_up=walk_up,
                )
            else:
                attendance = check_in(
                    actor=world.secretary_a,
                    method=Attendance.Method.STAFF,
                    activity=activity,
                    person=person,
                    walk_up=walk_up,
                )
            if attendance.checked_in_now:
                with lock:
                    fresh.append(person.pk)
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=desk, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(fresh) == sorted(p.pk for p in people)  # one fresh check-in per person
    attendances = Attendance.objects.filter(activity=activity)
    assert attendances.count() == PEOPLE == attendances.filter(status="attended").count()
    assert attendances.get(person=people[-1]).walk_up is True
    assert AuditEntry.objects.filter(note="check-in").count() == PEOPLE
