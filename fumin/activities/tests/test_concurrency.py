"""Capacity is never oversold, also when many people sign up at the same moment.

The sign-up locks the activity's row (``select_for_update``), so concurrent sign-ups queue up
behind each other. SQLite serialises every write anyway, so only PostgreSQL proves the lock.
"""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from fumin.activities.models import Attendance
from fumin.activities.services import activity_create, activity_publish, signup
from fumin.registry.services import person_create

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks are only proven on PostgreSQL (set DATABASE_URL to a PostgreSQL database)",
)

SIGNUPS = 50
CAPACITY = 10


def test_fifty_concurrent_sign_ups_fill_ten_places_exactly(transactional_db):
    from conftest import build_world

    world = build_world()
    starts = timezone.now() + datetime.timedelta(days=2)
    activity = activity_create(
        actor=None,
        title="并发报名",
        kind="volunteer",
        community=world.community_a,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        capacity=CAPACITY,
    )
    activity = activity_publish(actor=None, activity=activity)
    people = [
        person_create(
            actor=None, name=f"志愿者{i}", mobile=f"136{i:08d}", home_community=world.community_a
        )
        for i in range(SIGNUPS)
    ]
    barrier = threading.Barrier(SIGNUPS)
    errors: list[BaseException] = []

    def sign_up(person):
        try:
            barrier.wait(timeout=30)
            signup(actor=None, activity=activity, person=person)
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=sign_up, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    attendances = Attendance.objects.filter(activity=activity)
    assert attendances.filter(status="confirmed").count() == CAPACITY
    assert attendances.filter(status="waitlisted").count() == SIGNUPS - CAPACITY
    assert attendances.values("person").distinct().count() == SIGNUPS == attendances.count()
