"""Staff sign a person of the activity's community up, in the console (search by name or pinyin)
and through the API; the same ``signup`` service, so capacity and waiting list hold alike."""

import json

import pytest
from django.urls import reverse

from fumin.activities.models import Attendance
from fumin.registration.services import member_register, registration_confirm

from .helpers import make_activity, volunteer

pytestmark = pytest.mark.usefixtures("clock")


def test_the_console_search_finds_people_of_the_community_by_pinyin(world, client):
    activity = make_activity(world)
    volunteer(world, "王小明", "13600000001")
    volunteer(world, "王大明", "13600000002", community=world.community_b)
    registration, _ = member_register(
        actor=None,
        channel="community",
        name="王芳",
        mobile="13600000009",
        community=world.community_a,
    )
    registration_confirm(actor=None, registration=registration)
    client.force_login(world.secretary_a)
    url = reverse("console:activity_people_search", args=[activity.public_id])
    found = client.get(url, {"q": "wang"}).content.decode()
    assert "王小明" in found and "王芳" in found and "王大明" not in found
    assert "王小明" in client.get(url, {"q": "wxm"}).content.decode()
    assert client.get(url, {"q": ""}).content.decode().strip() == ""


def test_the_console_signs_people_up_with_capacity_and_waiting_list(world, client):
    activity = make_activity(world, capacity=1)
    first = volunteer(world, "王小明", "13600000001")
    second = volunteer(world, "李明", "13600000002")
    client.force_login(world.secretary_a)
    url = reverse("console:activity_signup_person", args=[activity.public_id])
    assert client.post(url, {"person": str(first.public_id)}).status_code == 302
    assert client.post(url, {"person": str(second.public_id)}).status_code == 302
    statuses = dict(activity.attendances.values_list("person__name", "status"))
    assert statuses == {"王小明": Attendance.Status.CONFIRMED, "李明": Attendance.Status.WAITLISTED}
    # Signing up again changes nothing; the page says who is already in.
    assert client.post(url, {"person": str(first.public_id)}).status_code == 302
    assert activity.attendances.count() == 2
    found = client.get(
        reverse("console:activity_people_search", args=[activity.public_id]), {"q": "wxm"}
    )
    assert "已报名" in found.content.decode()  # "already signed up"


def test_the_console_refuses_someone_from_elsewhere_naming_the_field(world, client):
    activity = make_activity(world)
    elsewhere = volunteer(world, "王大明", "13600000002", community=world.community_b)
    client.force_login(world.secretary_a)
    url = reverse("console:activity_signup_person", args=[activity.public_id])
    response = client.post(url, {"person": str(elsewhere.public_id)})
    assert response.status_code == 400
    assert "person" in response.content.decode() or "人员" in response.content.decode()
    assert not activity.attendances.exists()
    draft = make_activity(world, publish=False, title="草稿")
    refused = client.post(
        reverse("console:activity_signup_person", args=[draft.public_id]),
        {"person": str(volunteer(world, "赵六", "13600000003").public_id)},
    )
    assert refused.status_code == 400 and not draft.attendances.exists()


def test_the_api_signs_up_for_staff_only(world, client):
    activity = make_activity(world, capacity=1)
    first = volunteer(world, "王小明", "13600000001")
    second = volunteer(world, "李明", "13600000002")
    elsewhere = volunteer(world, "王大明", "13600000003", community=world.community_b)
    url = f"/api/activities/{activity.public_id}/signups"

    def post(person):
        return client.post(
            url, json.dumps({"person_id": str(person.public_id)}), "application/json"
        )

    client.force_login(world.secretary_a)
    created = post(first)
    assert created.status_code == 201 and created.json()["status"] == "confirmed"
    assert post(first).status_code == 200  # already signed up: the same sign-up
    assert post(second).json()["status"] == "waitlisted"
    bad = post(elsewhere)
    assert bad.status_code == 400 and "person_id" in bad.content.decode()
    client.force_login(world.secretary_b)
    assert post(second).status_code == 403
    client.force_login(world.member)
    assert post(second).status_code == 403
