"""Check-in and check-out: idempotent, by code or by staff, in scope only; hours computed."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fumin.activities.models import CODE_ALPHABET, Attendance
from fumin.activities.selectors import attendance_counts
from fumin.activities.services import (
    activity_mark_held,
    check_in,
    check_out,
    person_by_personal_code,
    personal_code,
    signup,
)

from .helpers import make_activity, own_person, volunteer

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def activity(world):
    return make_activity(world, capacity=10)


def staff_check_in(world, activity, person, **kwargs):
    return check_in(
        actor=world.secretary_a, method="staff", activity=activity, person=person, **kwargs
    )


def test_checking_in_twice_is_one_attendance(world, clock, activity):
    person = volunteer(world, "王芳", "13600000001")
    signup(actor=None, activity=activity, person=person)
    clock.set("2020-09-12 08:50")
    first = staff_check_in(world, activity, person)
    clock.set("2020-09-12 09:10")
    again = staff_check_in(world, activity, person)
    assert again.pk == first.pk
    assert again.checked_in_at == first.checked_in_at  # the first check-in stands
    assert (first.status, first.checkin_method, first.checked_in_by) == (
        "attended",
        "staff",
        world.secretary_a,
    )
    assert Attendance.objects.filter(activity=activity).count() == 1
    assert attendance_counts(activity=activity).checked_in == 1


def test_the_secretary_of_another_community_cannot_check_people_in(world, clock, activity):
    person = volunteer(world, "王芳", "13600000001")
    signup(actor=None, activity=activity, person=person)
    clock.set("2020-09-12 09:00")
    with pytest.raises(PermissionDenied):
        check_in(actor=world.secretary_b, method="staff", activity=activity, person=person)
    with pytest.raises(PermissionDenied):
        check_in(actor=world.member, method="staff", activity=activity, person=person)


def test_a_person_checks_in_by_typing_the_activity_code(world, clock, activity):
    person = own_person(world, world.member)
    signup(actor=world.member, activity=activity)
    clock.set("2020-09-12 09:05")
    typed = activity.checkin_code.lower()[:4] + " " + activity.checkin_code.lower()[4:]
    attendance = check_in(
        actor=world.member, method="typed_code", activity_code=typed, geofence_passed=True
    )
    assert (attendance.activity, attendance.person) == (activity, person)
    assert (attendance.checkin_method, attendance.geofence_passed) == ("typed_code", True)
    assert attendance.checked_in_by is None


def test_a_wrong_code_is_refused_naming_the_field(world, clock, activity):
    own_person(world, world.member)
    signup(actor=world.member, activity=activity)
    clock.set("2020-09-12 09:05")
    with pytest.raises(ValidationError) as error:
        check_in(actor=world.member, method="qr", activity=activity, activity_code="ABCDEFGH")
    assert "activity_code" in error.value.message_dict


def test_activity_codes_avoid_look_alike_characters(world):
    codes = {make_activity(world, title=f"活动{i}", publish=False).checkin_code for i in range(20)}
    assert len(codes) == 20
    for code in codes:
        assert len(code) == 8 and set(code) <= set(CODE_ALPHABET)
        assert not set(code) & set("0O1IL")


def test_staff_check_a_person_in_by_their_personal_code(world, clock, activity):
    person = volunteer(world, "王芳", "13600000001")
    code = personal_code(person=person)
    assert personal_code(person=person) == code  # stable
    assert len(code) == 8 and not set(code) & set("0O1IL")
    assert person_by_personal_code(code.lower()) == person
    signup(actor=None, activity=activity, person=person)
    clock.set("2020-09-12 09:00")
    attendance = check_in(
        actor=world.secretary_a, method="personal_code", activity=activity, personal_code=code
    )
    assert (attendance.person, attendance.checkin_method) == (person, "personal_code")
    with pytest.raises(ValidationError) as error:
        check_in(
            actor=world.secretary_a,
            method="personal_code",
            activity=activity,
            personal_code="22222222",
        )
    assert "personal_code" in error.value.message_dict


def test_personal_codes_differ_between_people(world):
    a, b = volunteer(world, "王芳", "13600000001"), volunteer(world, "李强", "13600000002")
    assert personal_code(person=a) != personal_code(person=b)


def test_someone_who_did_not_sign_up_is_checked_in_only_as_a_walk_up(world, clock, activity):
    person = volunteer(world, "王芳", "13600000001")
    clock.set("2020-09-12 09:00")
    with pytest.raises(ValidationError) as error:
        staff_check_in(world, activity, person)
    assert "person" in error.value.message_dict
    attendance = staff_check_in(world, activity, person, walk_up=True)
    assert (attendance.status, attendance.walk_up) == ("attended", True)
    assert attendance_counts(activity=activity).walk_up == 1


def test_check_in_opens_an_hour_before_the_start(world, clock, activity):
    person = volunteer(world, "王芳", "13600000001")
    signup(actor=None, activity=activity, person=person)
    clock.set("2020-09-12 07:59")
    with pytest.raises(ValidationError):
        staff_check_in(world, activity, person)
    clock.set("2020-09-12 08:00")
    assert staff_check_in(world, activity, person).status == "attended"


def test_hours_run_from_check_in_to_check_out_capped_at_the_activity_length(world, clock, activity):
    early, late = volunteer(world, "王芳", "13600000001"), volunteer(world, "李强", "13600000002")
    for person in (early, late):
        signup(actor=None, activity=activity, person=person)
    clock.set("2020-09-12 08:15")
    staff_check_in(world, activity, early)
    clock.set("2020-09-12 09:20")
    staff_check_in(world, activity, late)
    assert Attendance.objects.get(person=late).hours == Decimal("0.00")  # not checked out yet
    clock.set("2020-09-12 12:30")
    out_early = check_out(actor=world.secretary_a, method="staff", activity=activity, person=early)
    clock.set("2020-09-12 11:00")  # a clock that went back does not make negative hours
    out_late = check_out(actor=world.secretary_a, method="staff", activity=activity, person=late)
    assert out_early.hours == Decimal("3.00")  # 4h15m present, the activity lasts 3 hours
    assert out_late.hours == Decimal("1.67")  # 1h40m
    clock.set("2020-09-12 13:00")
    again = check_out(actor=world.secretary_a, method="staff", activity=activity, person=late)
    assert again.checked_out_at == out_late.checked_out_at  # checking out twice changes nothing


def test_a_person_checks_out_with_the_activity_code(world, clock, activity):
    own_person(world, world.member)
    signup(actor=world.member, activity=activity)
    clock.set("2020-09-12 09:00")
    check_in(
        actor=world.member, method="qr", activity=activity, activity_code=activity.checkin_code
    )
    clock.set("2020-09-12 10:30")
    attendance = check_out(
        actor=world.member, method="qr", activity=activity, activity_code=activity.checkin_code
    )
    assert attendance.hours == Decimal("1.50")


def test_marking_held_turns_confirmed_people_who_never_came_into_no_shows(world, clock, activity):
    came, stayed_away = (
        volunteer(world, "王芳", "13600000001"),
        volunteer(world, "李强", "13600000002"),
    )
    for person in (came, stayed_away):
        signup(actor=None, activity=activity, person=person)
    clock.set("2020-09-12 09:00")
    staff_check_in(world, activity, came)
    with pytest.raises(PermissionDenied):
        activity_mark_held(actor=world.secretary_b, activity=activity)
    activity_mark_held(actor=world.secretary_a, activity=activity)
    status = dict(Attendance.objects.filter(activity=activity).values_list("person", "status"))
    assert status == {came.pk: "attended", stayed_away.pk: "no_show"}
    # A no-show who did come is checked in by staff afterwards; people cannot check in any more.
    assert staff_check_in(world, activity, stayed_away).status == "attended"


def test_held_too_early_is_refused(world, activity):
    with pytest.raises(ValidationError) as error:
        activity_mark_held(actor=world.secretary_a, activity=activity)
    assert "status" in error.value.message_dict
