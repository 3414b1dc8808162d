import datetime
import json

import pytest
from django.utils import timezone

from fumin.activities.models import Activity, Attendance, HoursCorrection
from fumin.activities.services import activity_create, activity_publish, personal_code, signup
from fumin.activities.tests.helpers import own_person, volunteer


def post(client, url, body=None, **headers):
    return client.post(url, json.dumps(body or {}), content_type="application/json", **headers)


def running(world, **fields) -> Activity:
    """A published activity of community A that started ten minutes ago: check-in is open."""
    now = timezone.now()
    activity = activity_create(
        actor=None,
        title="垃圾分类宣传",
        kind="volunteer",
        community=world.community_a,
        starts_at=now - datetime.timedelta(minutes=10),
        ends_at=now + datetime.timedelta(hours=2),
        signup_closes_at=now + datetime.timedelta(hours=1),
        **fields,
    )
    return activity_publish(actor=None, activity=activity)


def upcoming(world) -> Activity:
    now = timezone.now()
    activity = activity_create(
        actor=None,
        title="结对共建座谈",
        kind="pairing",
        community=world.community_a,
        starts_at=now + datetime.timedelta(days=2),
        ends_at=now + datetime.timedelta(days=2, hours=2),
        capacity=1,
    )
    return activity_publish(actor=None, activity=activity)


def signed_up(activity, name="李四", mobile="13600000021", world=None):
    person = volunteer(world, name, mobile)
    signup(actor=None, activity=activity, person=person)
    return person


def test_staff_create_and_publish_members_browse_and_only_staff_see_the_code(client, world):
    client.force_login(world.secretary_a)
    now = timezone.now()
    body = {
        "title": "为老服务日",
        "kind": "pairing",
        "community_id": str(world.community_a.public_id),
        "host_unit_ids": [str(world.unit_a.public_id)],
        "starts_at": (now + datetime.timedelta(days=3)).isoformat(),
        "ends_at": (now + datetime.timedelta(days=3, hours=2)).isoformat(),
        "capacity": 20,
    }
    created = post(client, "/api/activities", body)
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["status"] == "draft" and data["host_units"][0]["name"] == "上海市作家协会"
    assert len(data["checkin_code"]) == 8 and data["counts"]["places_left"] == 20
    published = post(client, f"/api/activities/{data['id']}/publish")
    assert published.json()["status"] == "published"
    patched = client.patch(
        f"/api/activities/{data['id']}", json.dumps({"capacity": 30}), "application/json"
    )
    assert patched.status_code == 200 and patched.json()["capacity"] == 30

    client.force_login(world.member)
    listed = client.get("/api/activities", {"kind": "pairing"}).json()
    assert listed["count"] == 1 and listed["items"][0]["checkin_code"] is None
    assert client.get(f"/api/activities/{data['id']}").json()["manageable"] is False
    assert post(client, f"/api/activities/{data['id']}/publish").status_code == 403


def test_creating_names_the_bad_field(client, world):
    client.force_login(world.secretary_a)
    now = timezone.now()
    body = {
        "title": "倒着的活动",
        "kind": "volunteer",
        "community_id": str(world.community_a.public_id),
        "starts_at": now.isoformat(),
        "ends_at": (now - datetime.timedelta(hours=1)).isoformat(),
    }
    response = post(client, "/api/activities", body, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "ends_at"
    body["community_id"] = str(world.community_b.public_id)  # outside secretary A's scope
    assert post(client, "/api/activities", body).json()["detail"][0]["field"] == "community_id"
    missing = post(client, "/api/activities", {"title": "缺字段"})
    assert missing.status_code == 422
    assert {e["field"] for e in missing.json()["detail"]} >= {
        "payload.kind",
        "payload.community_id",
    }


def test_staff_check_in_is_idempotent_201_then_200_with_the_same_body(client, world):
    activity = running(world)
    person = signed_up(activity, world=world)
    client.force_login(world.secretary_a)
    url = f"/api/activities/{activity.public_id}/checkins"
    first = post(client, url, {"person_id": str(person.public_id)}, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201, first.content
    assert first["Idempotency-Key"] == "k-1"
    again = post(client, url, {"person_id": str(person.public_id)}, HTTP_IDEMPOTENCY_KEY="k-1")
    third = post(client, url, {"person_id": str(person.public_id)})
    assert (again.status_code, third.status_code) == (200, 200)
    assert again.json() == first.json() == third.json()
    assert first.json()["status"] == "attended" and first.json()["checkin_method"] == "staff"
    assert Attendance.objects.filter(activity=activity, checked_in_at__isnull=False).count() == 1

    # By the personal code the person shows.
    other = signed_up(activity, "王五", "13600000022", world)
    code = personal_code(person=other)
    by_code = post(client, url, {"personal_code": code.lower()})
    assert by_code.status_code == 201 and by_code.json()["person"]["name"] == "王五"
    assert post(client, url, {"personal_code": code}).status_code == 200


def test_self_check_in_with_the_activitys_code(client, world):
    activity = running(world)
    own_person(world, world.member)
    client.force_login(world.member)
    url = f"/api/activities/{activity.public_id}/checkins"
    assert post(client, f"/api/activities/{activity.public_id}/signup").status_code == 200
    wrong = post(client, url, {"code": "ZZZZZZZZ"}, HTTP_ACCEPT_LANGUAGE="en")
    assert wrong.status_code == 400
    assert wrong.json()["detail"] == [
        {"field": "code", "message": "No activity has this check-in code."}
    ]
    first = post(client, url, {"code": activity.checkin_code})
    assert first.status_code == 201 and first.json()["checkin_method"] == "typed_code"
    again = post(client, url, {"code": activity.checkin_code})
    assert again.status_code == 200 and again.json() == first.json()
    # A member cannot check somebody else in.
    other = signed_up(activity, "王五", "13600000022", world)
    assert post(client, url, {"person_id": str(other.public_id)}).status_code == 403
    mine = client.get("/api/me/attendances").json()
    assert mine["count"] == 1 and mine["items"][0]["status"] == "attended"
    assert client.get("/api/me/points").json() == {"balance": 0, "count": 0, "items": []}


def test_check_in_errors_name_the_field(client, world):
    activity = running(world)
    stranger = volunteer(world, "路人", "13600000023")
    client.force_login(world.secretary_a)
    url = f"/api/activities/{activity.public_id}/checkins"
    none = post(client, url, {})
    assert none.status_code == 400 and none.json()["detail"][0]["field"] == "person_id"
    both = post(client, url, {"person_id": str(stranger.public_id), "code": "ABCDEFGH"})
    assert {e["field"] for e in both.json()["detail"]} == {"person_id", "code"}
    not_signed_up = post(client, url, {"person_id": str(stranger.public_id)})
    assert not_signed_up.status_code == 400
    assert not_signed_up.json()["detail"][0]["field"] == "person"
    walk_up = post(client, url, {"person_id": str(stranger.public_id), "walk_up": True})
    assert walk_up.status_code == 201 and walk_up.json()["walk_up"] is True
    bad_key = post(client, url, {"person_id": str(stranger.public_id)}, HTTP_IDEMPOTENCY_KEY="")
    assert bad_key.json()["detail"][0]["field"] == "Idempotency-Key"
    assert post(client, url, {"person_id": "not-a-uuid"}).status_code == 422


def test_attendance_list_masks_mobiles_and_is_for_the_staff_who_run_it(client, world):
    activity = running(world)
    signed_up(activity, world=world)
    client.force_login(world.secretary_a)
    rows = client.get(f"/api/activities/{activity.public_id}/attendances").json()
    assert rows["count"] == 1 and rows["items"][0]["mobile_masked"] == "136****0021"
    assert "13600000021" not in json.dumps(rows)
    client.force_login(world.secretary_b)
    assert client.get(f"/api/activities/{activity.public_id}/attendances").status_code == 403


def test_check_out_hours_correction_held_and_close(client, world):
    activity = running(world)
    person = signed_up(activity, world=world)
    client.force_login(world.secretary_a)
    base = f"/api/activities/{activity.public_id}"
    post(client, f"{base}/checkins", {"person_id": str(person.public_id)})
    out = post(client, f"{base}/checkouts", {"person_id": str(person.public_id)})
    assert out.status_code == 200 and out.json()["checked_out_at"]
    url = f"{base}/attendances/{person.public_id}/corrections"
    no_reason = post(client, url, {"delta": "1.5", "reason": " "})
    assert no_reason.status_code == 400 and no_reason.json()["detail"][0]["field"] == "reason"
    corrected = post(client, url, {"delta": "1.5", "reason": "提前到场布置"})
    assert corrected.status_code == 201
    assert float(corrected.json()["attendance"]["effective_hours"]) >= 1.5
    assert HoursCorrection.objects.count() == 1
    assert post(client, f"{base}/attendances/{world.person_a.public_id}/corrections",
                {"delta": "1", "reason": "x"}).status_code == 404  # fmt: skip
    assert post(client, f"{base}/held").json()["status"] == "held"
    closed = post(client, f"{base}/close", {"beneficiaries": 35, "summary": "顺利完成"})
    assert closed.json()["status"] == "closed" and closed.json()["beneficiaries"] == 35
    negative = post(client, f"{base}/close", {"beneficiaries": -1})
    assert negative.status_code == 422


def test_sign_up_and_cancel_promote_the_waiting_list(client, world):
    activity = upcoming(world)  # one place
    first = signed_up(activity, world=world)
    own_person(world, world.member)
    client.force_login(world.member)
    url = f"/api/activities/{activity.public_id}/signup"
    waiting = post(client, url)
    assert waiting.status_code == 200 and waiting.json()["status"] == "waitlisted"
    cancelled = post(client, f"{url}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    assert Attendance.objects.get(person=first).status == "confirmed"
    client.force_login(world.outsider)  # no person linked to the account
    refused = post(client, url)
    assert refused.status_code == 400 and refused.json()["detail"][0]["field"] == "person"


@pytest.mark.parametrize("persona", ["secretary_b", "outsider"])
def test_drafts_are_not_found_outside_the_staff_scope(client, world, persona):
    draft = activity_create(
        actor=None,
        title="草稿",
        kind="study",
        community=world.community_a,
        starts_at=timezone.now() + datetime.timedelta(days=1),
        ends_at=timezone.now() + datetime.timedelta(days=1, hours=1),
    )
    client.force_login(getattr(world, persona))
    assert client.get(f"/api/activities/{draft.public_id}").status_code == 404
    assert client.get("/api/activities").json()["count"] == 0


# Records for the permission matrix (tests/test_permission_matrix.py) --------------------------


def _cached(world, key, make):
    if key not in world.__dict__:
        world.__dict__[key] = make()
    return world.__dict__[key]


def matrix_running(world) -> Activity:
    return _cached(world, "_api_running", lambda: running(world))


def matrix_ref(world) -> dict:
    return {"activity_id": matrix_running(world).public_id}


def matrix_draft_ref(world) -> dict:
    """A fresh draft per request, so publishing one does not change the next request."""
    draft = activity_create(
        actor=None,
        title="草稿活动",
        kind="study",
        community=world.community_a,
        starts_at=timezone.now() + datetime.timedelta(days=1),
        ends_at=timezone.now() + datetime.timedelta(days=1, hours=1),
    )
    return {"activity_id": draft.public_id}


def matrix_upcoming_ref(world) -> dict:
    """An upcoming activity the member (with a linked person) has signed up for."""

    def make():
        activity = upcoming(world)
        own_person(world, world.member)
        signup(actor=world.member, activity=activity)
        return activity

    return {"activity_id": _cached(world, "_api_upcoming", make).public_id}


def _fresh_person(world, check_in: bool = False):
    count = world.__dict__.setdefault("_api_people", [0])
    count[0] += 1
    activity = matrix_running(world)
    person = signed_up(activity, "签到人", f"1360100{count[0]:04d}", world)
    if check_in:
        from fumin.activities.services import check_in as service_check_in

        service_check_in(actor=None, method="staff", activity=activity, person=person)
    return person


def matrix_checkin_body(world) -> dict:
    return {"person_id": str(_fresh_person(world).public_id)}


def matrix_checkout_body(world) -> dict:
    return {"person_id": str(_fresh_person(world, check_in=True).public_id)}


def matrix_correction_ref(world) -> dict:
    return {**matrix_ref(world), "person_id": _fresh_person(world, check_in=True).public_id}


def matrix_new_activity(world) -> dict:
    now = timezone.now()
    return {
        "title": "新活动",
        "kind": "volunteer",
        "community_id": str(world.community_a.public_id),
        "starts_at": (now + datetime.timedelta(days=5)).isoformat(),
        "ends_at": (now + datetime.timedelta(days=5, hours=2)).isoformat(),
    }
