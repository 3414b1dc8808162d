"""The check-in's statements, pinned (issue #6 and since): what a check-in reads and writes,
through the API and the portal, with the session and the login included. bench/README.md has the
figures.

Counts include the transaction's SAVEPOINT/RELEASE (BEGIN/COMMIT in a live server). The API's
staff check-in by ``person_id`` reads the activity, its community, the person and the attendance
in one statement (``fumin.activities.checkin_read``), which on PostgreSQL also takes the
activity's shared lock and the attendance's row lock. The self check-in takes the locks in one
statement on PostgreSQL, two queries on SQLite. The viewer's scope (role assignments) is read
once per process and change of roles (``fumin.accounts.scope``), here by the console's page.
"""

import json
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fumin.activities.models import Attendance
from fumin.activities.services import hours_correct
from fumin.activities.tests.helpers import own_person, volunteer
from fumin.api.tests.test_activities_api import running, signed_up
from fumin.audit.models import AuditEntry


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def statements(client, method, url, body=None):
    with CaptureQueriesContext(connection) as captured:
        if method == "post":
            response = post(client, url, body)
        elif method == "form":
            response = client.post(url, body or {})
        else:
            response = client.get(url)
    return response, [q["sql"] for q in captured.captured_queries]


def is_the_read(sql):
    """The statement of ``fumin.activities.checkin_read``."""
    return "registry_person AS per" in sql.replace('"', "")


def tables(sqls):
    """The tables the statements touch, in order (transaction statements as themselves)."""
    found = []
    for sql in sqls:
        words = sql.replace('"', "").split()
        if words[0] in ("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT", "ROLLBACK"):
            found.append(words[0])
            continue
        if words[0] == "WITH":  # fumin.audit.services.update_audited on PostgreSQL
            updated = re.search(r"\(UPDATE (\S+)", sql.replace('"', "")).group(1)
            inserted = re.search(r"INSERT INTO (\S+)", sql.replace('"', "")).group(1)
            found.append(f"UPDATE {updated} + INSERT {inserted}")
            continue
        if is_the_read(sql):
            found.append("READ activity, community, person, attendance")
            continue
        if "LEFT JOIN LATERAL" in sql:
            found.append("LOCK activities_activity, activities_attendance")
            continue
        keyword = {"SELECT": "FROM", "UPDATE": "UPDATE", "INSERT": "INTO"}[words[0]]
        found.append(f"{words[0]} {words[words.index(keyword) + 1]}")
    return found


@pytest.fixture
def desk(client, world):
    """The secretary of community A logged in (the session's first save already done), and an
    activity going on with two people signed up."""
    activity = running(world)
    first = signed_up(activity, world=world)
    second = signed_up(activity, "王五", "13600000022", world)
    client.force_login(world.secretary_a)
    client.get(reverse("console:home"))  # the session's timestamp and the scope, once, here
    return activity, first, second


# The activity FOR SHARE (reading status, times and community), then the attendance FOR UPDATE.
LOCKS = (
    ["LOCK activities_activity, activities_attendance"]
    if connection.vendor == "postgresql"
    else ["SELECT activities_activity", "SELECT activities_attendance"]
)
# The session is a row in the database, or (with REDIS_URL) an entry in the cache.
SESSION = ["SELECT django_session"] if settings.SESSION_ENGINE.endswith("backends.db") else []
READ = "READ activity, community, person, attendance"
THE_READ = [
    *SESSION,
    "SELECT accounts_user",
    "SAVEPOINT",
    READ,  # the activity (FOR SHARE), its community, the person, the attendance (FOR UPDATE)
]
# The update and its audit entry: one statement on PostgreSQL (``update_audited``), two on SQLite.
UPDATE_AUDITED = (
    ["UPDATE activities_attendance + INSERT audit_auditentry"]
    if connection.vendor == "postgresql"
    else ["UPDATE activities_attendance", "INSERT audit_auditentry"]
)
STAFF_FIRST = [*THE_READ, *UPDATE_AUDITED, "RELEASE"]


def the_read(sqls):
    (sql,) = [s for s in sqls if is_the_read(s)]
    return sql


def test_a_staff_check_in_through_the_api(client, world, desk):
    activity, person, _ = desk
    url = f"/api/activities/{activity.public_id}/checkins"
    response, sqls = statements(client, "post", url, {"person_id": str(person.public_id)})
    assert response.status_code == 201, response.content
    assert tables(sqls) == STAFF_FIRST
    if connection.vendor == "postgresql":
        assert "FOR SHARE" in the_read(sqls) and "FOR UPDATE" in the_read(sqls)
    assert response.json()["effective_hours"] == "0.00"
    # A repeat reads the same and writes nothing; whether there are hours corrections comes
    # with the read.
    again, sqls = statements(client, "post", url, {"person_id": str(person.public_id)})
    assert again.status_code == 200 and again.json() == response.json()
    assert tables(sqls) == [*THE_READ, "RELEASE"]
    entry = AuditEntry.objects.get(note="check-in")
    assert entry.scope_path == activity.community.path and entry.actor == world.secretary_a
    assert entry.target_repr == f"{person.name} · {activity.title}"


def test_a_repeat_with_hours_corrections_reads_them(client, world, desk):
    activity, person, _ = desk
    url = f"/api/activities/{activity.public_id}/checkins"
    post(client, url, {"person_id": str(person.public_id)})
    attendance = Attendance.objects.select_related("activity__community").get(person=person)
    hours_correct(actor=world.secretary_a, attendance=attendance, delta="1.5", reason="布置场地")
    again, sqls = statements(client, "post", url, {"person_id": str(person.public_id)})
    assert again.status_code == 200 and again.json()["effective_hours"] == "1.50"
    assert tables(sqls) == [*THE_READ, "RELEASE", "SELECT activities_hourscorrection"]


def test_a_walk_up_through_the_api(client, world, desk):
    activity, _, _ = desk
    stranger = volunteer(world, "路人", "13600000023")
    url = f"/api/activities/{activity.public_id}/checkins"
    response, sqls = statements(
        client, "post", url, {"person_id": str(stranger.public_id), "walk_up": True}
    )
    assert response.status_code == 201 and response.json()["walk_up"] is True
    assert tables(sqls) == [
        *THE_READ,  # no attendance:
        "SELECT registry_person",  # is the person in the caller's scope?
        "SAVEPOINT",  # the insert may meet a concurrent one
        "INSERT activities_attendance",
        "RELEASE",
        "INSERT audit_auditentry",
        "RELEASE",
    ]


def test_a_self_check_in_by_the_desks_qr_url(client, world):
    activity = running(world)
    own_person(world, world.member)
    client.force_login(world.member)
    assert post(client, f"/api/activities/{activity.public_id}/signup", {}).status_code == 200
    client.get(reverse("portal:home"))
    url = reverse("portal:activity_checkin_code", args=[activity.checkin_code])
    response, sqls = statements(client, "form", url)  # the tap on the page the QR code opens
    assert response.status_code == 200, response.content
    attendance = Attendance.objects.get(activity=activity)
    assert attendance.checkin_method == "qr" and attendance.checked_in_at is not None
    checkin = tables(sqls)
    start = checkin.index("SAVEPOINT")
    assert checkin[: start + 1] == [
        *SESSION,
        "SELECT accounts_user",
        "SELECT activities_activity",  # by the code, with its community: read once
        "SAVEPOINT",
    ]
    assert checkin[start + 1 : checkin.index("RELEASE") + 1] == [
        "SELECT registry_person",  # the member's own person
        *LOCKS,
        *UPDATE_AUDITED,  # self check-ins are audited too (bench/README.md)
        "RELEASE",
    ]
    assert "SELECT activities_hourscorrection" not in checkin
    assert not any(t.startswith("UPDATE django_session") for t in checkin)
