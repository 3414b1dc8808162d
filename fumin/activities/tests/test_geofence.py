"""The optional geofence: a self check-in may send the phone's position; only whether it was
inside is kept (never the coordinates), and outside still checks in, recorded as a fail."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import make_user
from fumin.accounts.models import Role
from fumin.activities.geo import haversine_m, inside_geofence, parse_position
from fumin.activities.models import Attendance
from fumin.activities.services import check_in, signup
from fumin.audit.models import AuditEntry
from fumin.registration.services import member_register

from .helpers import make_activity

pytestmark = pytest.mark.usefixtures("clock")

# 华业居民区 (Nanjing West Road): the activity room, and a point ~1.1 km east of it.
ROOM = (Decimal("31.229000"), Decimal("121.455000"))
NEAR = (31.2291, 121.4551)  # about 14 m away
FAR = (31.2290, 121.4665)  # about 1.1 km away


def fenced(world, **fields):
    return make_activity(
        world, latitude=ROOM[0], longitude=ROOM[1], geofence_radius_m=200, **fields
    )


def resident(world, name="王芳", mobile="13600000001"):
    user = make_user(name, mobile, Role.MEMBER, area=world.community_a)
    member_register(actor=user, channel="self", name=name, community=world.community_a)
    return user


def test_haversine_distances():
    assert haversine_m(31.2290, 121.4550, 31.2290, 121.4550) == 0
    # One degree of latitude is about 111.2 km everywhere.
    assert abs(haversine_m(31.0, 121.0, 32.0, 121.0) - 111_195) < 50
    assert abs(haversine_m(*map(float, ROOM), *FAR) - 1_084) < 10
    assert parse_position("31.2", "121.4") == (31.2, 121.4)
    for bad in [("", ""), ("north", "1"), ("91", "0"), ("0", "181"), ("nan", "0"), (None, "1")]:
        assert parse_position(*bad) is None


def test_inside_passes_outside_fails_and_no_position_is_unknown(world, clock):
    activity = fenced(world)
    assert inside_geofence(activity, NEAR) is True
    assert inside_geofence(activity, FAR) is False
    assert inside_geofence(activity, None) is None
    plain = make_activity(world, title="无围栏")
    assert inside_geofence(plain, FAR) is None


def test_a_self_check_in_outside_is_still_checked_in_and_recorded_as_failed(world, clock):
    activity = fenced(world)
    near, far, unknown = (
        resident(world),
        resident(world, "李明", "13600000002"),
        resident(world, "赵六", "13600000003"),
    )
    for user in (near, far, unknown):
        signup(actor=user, activity=activity)
    clock.set("2020-09-12 08:55")
    code = activity.checkin_code
    inside = check_in(actor=near, method="qr", activity_code=code, position=NEAR)
    outside = check_in(actor=far, method="typed_code", activity_code=code, position=FAR)
    silent = check_in(actor=unknown, method="qr", activity_code=code)
    assert (inside.status, inside.geofence_passed) == (Attendance.Status.ATTENDED, True)
    assert (outside.status, outside.geofence_passed) == (Attendance.Status.ATTENDED, False)
    assert silent.geofence_passed is None
    # A repeat with another position changes nothing.
    again = check_in(actor=far, method="qr", activity_code=code, position=NEAR)
    assert again.geofence_passed is False
    # Nothing of the coordinates is kept, also not in the audit log.
    logged = " ".join(json.dumps(vars(e), default=str) for e in AuditEntry.objects.all())
    assert "121.4665" not in logged and "121.4551" not in logged


def test_staff_check_ins_have_no_geofence_result(world, clock):
    activity = fenced(world)
    person = resident(world)
    signup(actor=person, activity=activity)
    clock.set("2020-09-12 09:00")
    attendance = check_in(
        actor=world.secretary_a,
        method="staff",
        activity=activity,
        person=attendance_person(activity),
        position=FAR,
    )
    assert attendance.geofence_passed is None


def attendance_person(activity):
    return activity.attendances.get().person


def test_the_portal_form_sends_the_position_and_the_console_shows_the_result(world, client, clock):
    activity = fenced(world)
    user = resident(world)
    signup(actor=user, activity=activity)
    clock.set("2020-09-12 09:00")
    client.force_login(user)
    page = client.get(reverse("portal:activity_checkin")).content.decode()
    assert "navigator.geolocation" in page and 'name="latitude"' in page
    response = client.post(
        reverse("portal:activity_checkin"),
        {"code": activity.checkin_code, "latitude": str(FAR[0]), "longitude": str(FAR[1])},
    )
    assert response.status_code == 302
    assert Attendance.objects.get(activity=activity).geofence_passed is False
    client.force_login(world.secretary_a)
    sheet = client.get(reverse("console:activity_detail", args=[activity.public_id]))
    assert 'data-testid="geofence-fail"' in sheet.content.decode()
    assert 'data-testid="geofence"' in sheet.content.decode()  # the fence among the facts


def test_a_broken_position_from_the_page_is_ignored(world, client, clock):
    activity = fenced(world)
    user = resident(world)
    signup(actor=user, activity=activity)
    clock.set("2020-09-12 09:00")
    client.force_login(user)
    response = client.post(
        reverse("portal:activity_checkin"),
        {"code": activity.checkin_code, "latitude": "here", "longitude": "999"},
    )
    assert response.status_code == 302
    assert Attendance.objects.get(activity=activity).geofence_passed is None


def test_the_api_takes_a_position_and_names_bad_values(world, client, clock):
    activity = fenced(world)
    user = resident(world)
    signup(actor=user, activity=activity)
    clock.set("2020-09-12 09:00")
    client.force_login(user)
    url = f"/api/activities/{activity.public_id}/checkins"
    bad = client.post(
        url,
        json.dumps({"code": activity.checkin_code, "latitude": 95, "longitude": 121}),
        "application/json",
    )
    assert bad.status_code == 422 and "latitude" in bad.content.decode()
    done = client.post(
        url,
        json.dumps({"code": activity.checkin_code, "latitude": NEAR[0], "longitude": NEAR[1]}),
        "application/json",
    )
    assert done.status_code == 201
    assert Attendance.objects.get(activity=activity).geofence_passed is True


def test_a_geofence_needs_all_three_values(world, client, clock):
    client.force_login(world.secretary_a)
    response = client.post(
        reverse("console:activity_create"),
        {
            "title": "半个围栏",
            "kind": "volunteer",
            "community": world.community_a.pk,
            "starts_at": "2020-09-20T09:00",
            "ends_at": "2020-09-20T11:00",
            "latitude": "31.229",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "longitude" in errors and "geofence_radius_m" in errors


def test_the_qr_code_page_sends_the_position_with_the_tap(world, client, clock):
    activity = fenced(world)
    user = resident(world)
    signup(actor=user, activity=activity)
    clock.set("2020-09-12 09:00")
    client.force_login(user)
    url = reverse("portal:activity_checkin_code", args=[activity.checkin_code])
    page = client.get(url).content.decode()
    assert "navigator.geolocation" in page and 'name="latitude"' in page
    client.post(url, {"latitude": str(FAR[0]), "longitude": str(FAR[1])})
    attendance = Attendance.objects.get(activity=activity)
    assert attendance.checkin_method == "qr" and attendance.geofence_passed is False
