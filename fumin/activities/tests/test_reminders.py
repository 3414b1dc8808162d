"""Reminders before the start: confirmed participants are told once per sign-up, N hours ahead,
through ``notify`` (inbox and SMS); running the command again sends nothing new."""

from io import StringIO

import pytest
from django.core.management import call_command

from conftest import make_user
from fumin.accounts.models import Role
from fumin.activities.models import Attendance
from fumin.activities.services import (
    activity_reminders_send,
    person_of,
    signup,
    signup_cancel,
)
from fumin.notifications.models import Delivery, Notification
from fumin.registration.services import member_register

from .helpers import make_activity, volunteer

pytestmark = pytest.mark.usefixtures("clock")


def resident(world, name, mobile):
    user = make_user(name, mobile, Role.MEMBER, area=world.community_a)
    member_register(actor=user, channel="self", name=name, community=world.community_a)
    return user


def test_confirmed_people_are_reminded_once(world, clock):
    activity = make_activity(world, capacity=1)  # Saturday 2020-09-12 09:00
    confirmed = resident(world, "王芳", "13600000001")
    waiting = resident(world, "李明", "13600000002")
    signup(actor=confirmed, activity=activity)
    signup(actor=waiting, activity=activity)
    signup(
        actor=None,
        activity=make_activity(world, title="另一个"),
        person=volunteer(world, "无账号", "13600000003"),
    )
    reminders = Notification.objects.filter(title__contains="垃圾分类宣传")
    clock.set("2020-09-11 08:00")  # 25 hours before: not yet
    assert activity_reminders_send() == 0
    clock.set("2020-09-11 09:30")  # 23.5 hours before
    assert activity_reminders_send() == 1
    note = reminders.get()
    assert note.recipient == confirmed
    assert note.url == f"/portal/activities/{activity.public_id}/"
    assert list(note.deliveries.values_list("channel", flat=True)) == ["sms"]
    attendance = Attendance.objects.get(activity=activity, person__user=confirmed)
    assert attendance.reminded_at == clock.now
    # Again, and again later: nothing new.
    assert activity_reminders_send() == 0
    clock.set("2020-09-12 08:00")
    assert activity_reminders_send() == 0
    assert (
        reminders.count() == 1 and Delivery.objects.filter(notification__in=reminders).count() == 1
    )


def test_someone_promoted_from_the_waiting_list_is_reminded_later(world, clock):
    activity = make_activity(world, capacity=1)
    first = resident(world, "王芳", "13600000001")
    second = resident(world, "李明", "13600000002")
    signup(actor=first, activity=activity)
    signup(actor=second, activity=activity)
    clock.set("2020-09-11 10:00")
    assert activity_reminders_send() == 1
    signup_cancel(actor=first, activity=activity)  # the place goes to the second
    assert activity_reminders_send() == 1
    reminded = Notification.objects.filter(title__contains="垃圾分类宣传").values_list(
        "recipient", flat=True
    )
    assert sorted(reminded) == sorted([first.pk, second.pk])


def test_drafts_and_past_activities_get_no_reminder(world, clock):
    draft = make_activity(world, publish=False, title="草稿")
    assert draft.status == "draft"
    clock.set("2020-09-12 10:00")  # the published one has started
    activity = make_activity(world, starts="2020-09-12 09:00", ends="2020-09-12 12:00")
    person = resident(world, "王芳", "13600000001")
    Attendance.objects.create(
        activity=activity, person=person_of(person), status="confirmed", signed_up_at=clock.now
    )
    assert activity_reminders_send() == 0


def test_the_command_takes_the_hours_and_the_setting(world, clock, settings):
    activity = make_activity(world)
    signup(actor=resident(world, "王芳", "13600000001"), activity=activity)
    clock.set("2020-09-10 09:30")  # 47.5 hours before
    out = StringIO()
    call_command("send_activity_reminders", stdout=out)
    assert out.getvalue().startswith("0 participants reminded (activities starting within 24 h)")
    settings.FUMIN_ACTIVITY_REMINDER_HOURS = 48
    out = StringIO()
    call_command("send_activity_reminders", stdout=out)
    assert out.getvalue().startswith("1 participants reminded")
    out = StringIO()
    call_command("send_activity_reminders", "--hours", "72", stdout=out)
    assert out.getvalue().startswith("0 participants reminded")
