"""Sign-up: capacity, waiting list, promotion on cancel, idempotence, window and status."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import make_user
from fumin.accounts.models import Role
from fumin.activities.models import Attendance
from fumin.activities.selectors import attendance_counts
from fumin.activities.services import signup, signup_cancel
from fumin.notifications.models import Notification

from .helpers import make_activity, own_person, sh, volunteer

pytestmark = pytest.mark.usefixtures("clock")


def test_places_fill_then_the_waiting_list_takes_the_rest(world):
    activity = make_activity(world, capacity=2)
    people = [volunteer(world, f"志愿者{i}", f"1360000000{i}") for i in range(4)]
    statuses = [signup(actor=world.secretary_a, activity=activity, person=p).status for p in people]
    assert statuses == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    counts = attendance_counts(activity=activity)
    assert (counts.confirmed, counts.waitlisted, counts.places_left) == (2, 2, 0)


def test_unlimited_capacity_confirms_everyone(world):
    activity = make_activity(world)
    for i in range(5):
        person = volunteer(world, f"志愿者{i}", f"1360000000{i}")
        assert signup(actor=None, activity=activity, person=person).status == "confirmed"


def test_cancelling_promotes_the_first_waitlisted_person_and_tells_them(
    world, django_capture_on_commit_callbacks
):
    activity = make_activity(world, capacity=1)
    first = volunteer(world, "王芳", "13600000001")
    member = own_person(world, world.member)
    later = volunteer(world, "李强", "13600000002")
    signup(actor=None, activity=activity, person=first)
    signup(actor=world.member, activity=activity)  # the member signs themself up
    signup(actor=None, activity=activity, person=later)

    with django_capture_on_commit_callbacks(execute=True):
        cancelled = signup_cancel(actor=world.secretary_a, activity=activity, person=first)

    assert cancelled.status == "cancelled"
    status = dict(Attendance.objects.filter(activity=activity).values_list("person", "status"))
    assert status == {first.pk: "cancelled", member.pk: "confirmed", later.pk: "waitlisted"}
    told = Notification.objects.get(recipient=world.member)
    assert activity.title in told.title


def test_signing_up_twice_returns_the_same_attendance(world):
    activity = make_activity(world, capacity=5)
    own_person(world, world.member)
    first = signup(actor=world.member, activity=activity)
    again = signup(actor=world.member, activity=activity)
    assert again.pk == first.pk
    assert Attendance.objects.filter(activity=activity).count() == 1


def test_signing_up_again_after_cancelling_goes_to_the_back_of_the_queue(world, clock):
    activity = make_activity(world, capacity=1)
    a, b = volunteer(world, "王芳", "13600000001"), volunteer(world, "李强", "13600000002")
    signup(actor=None, activity=activity, person=a)
    signup_cancel(actor=None, activity=activity, person=a)
    assert signup(actor=None, activity=activity, person=b).status == "confirmed"
    clock.set("2020-09-10 10:00")
    again = signup(actor=None, activity=activity, person=a)
    assert (again.status, again.signed_up_at) == ("waitlisted", sh("2020-09-10 10:00"))


def test_draft_activities_refuse_sign_up_naming_the_status(world):
    activity = make_activity(world, publish=False)
    person = volunteer(world, "王芳", "13600000001")
    with pytest.raises(ValidationError) as error:
        signup(actor=None, activity=activity, person=person)
    assert "status" in error.value.message_dict


def test_sign_up_outside_its_window_is_refused_naming_the_field(world, clock):
    activity = make_activity(
        world, signup_opens_at=sh("2020-09-10 12:00"), signup_closes_at=sh("2020-09-11 18:00")
    )
    person = volunteer(world, "王芳", "13600000001")
    with pytest.raises(ValidationError) as early:
        signup(actor=None, activity=activity, person=person)
    assert "signup_opens_at" in early.value.message_dict
    clock.set("2020-09-11 18:00")
    with pytest.raises(ValidationError) as late:
        signup(actor=None, activity=activity, person=person)
    assert "signup_closes_at" in late.value.message_dict
    clock.set("2020-09-11 09:00")
    assert signup(actor=None, activity=activity, person=person).status == "confirmed"


def test_without_a_closing_time_sign_up_closes_when_the_activity_starts(world, clock):
    activity = make_activity(world)
    clock.set("2020-09-12 09:00")
    with pytest.raises(ValidationError) as error:
        signup(actor=None, activity=activity, person=volunteer(world, "王芳", "13600000001"))
    assert "signup_closes_at" in error.value.message_dict


def test_a_person_cannot_sign_up_somebody_else(world):
    activity = make_activity(world)
    own_person(world, world.member)
    other = volunteer(world, "王芳", "13600000001")
    with pytest.raises(PermissionDenied):
        signup(actor=world.member, activity=activity, person=other)


def test_the_secretary_of_another_community_cannot_sign_people_up(world):
    activity = make_activity(world)
    other = volunteer(world, "王芳", "13600000001")
    with pytest.raises(PermissionDenied):
        signup(actor=world.secretary_b, activity=activity, person=other)


def test_an_account_without_a_person_is_told_so(world):
    activity = make_activity(world)
    with pytest.raises(ValidationError) as error:
        signup(actor=world.outsider, activity=activity)
    assert "person" in error.value.message_dict


def test_people_cancel_their_own_sign_up(world):
    activity = make_activity(world, capacity=3)
    user = make_user("赵敏", "13500000009", Role.MEMBER, area=world.community_a)
    own_person(world, user)
    signup(actor=user, activity=activity)
    assert signup_cancel(actor=user, activity=activity).status == "cancelled"
    assert signup_cancel(actor=user, activity=activity).status == "cancelled"  # idempotent
