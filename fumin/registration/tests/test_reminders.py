"""The yearly re-confirmation: reminders to community secretaries and members, once a cycle."""

import datetime
import io

from django.core.management import call_command
from django.test import override_settings

from fumin.notifications.models import Delivery, Notification
from fumin.registration.models import MemberRegistration, OrgRegistration
from fumin.registration.report_models import ReconfirmationReminder
from fumin.registration.reporting import registration_send_reconfirmation_reminders
from fumin.registration.services import org_registration_submit, registration_confirm

from .test_reporting import at, register

SPRING_2021 = datetime.date(2021, 3, 1)


def overdue_world(world):
    """In community A: a member with an account and an organisation, both confirmed in 2020;
    in community B: one member confirmed in 2020 and one confirmed in 2021 (not overdue)."""
    own = register(world, "王建国", "13600000001", confirmed_on="2020-03-01")
    own.person.user = world.member
    own.person.save(update_fields=["user"])
    (org, _created), *_ = org_registration_submit(
        actor=world.liaison,
        party_org=world.party_org_a,
        communities=[world.community_a],
        contact_name="顾文静",
        contact_phone="13900000005",
    )
    registration_confirm(actor=None, registration=org)
    OrgRegistration.objects.update(
        last_confirmed_at=at("2020-05-01"), confirmed_at=at("2020-05-01")
    )
    register(world, "赵敏", "13600000003", world.community_b, confirmed_on="2020-02-01")
    register(world, "钱进", "13600000004", world.community_b, confirmed_on="2021-02-01")
    Notification.objects.all().delete()
    Delivery.objects.all().delete()
    return own


def test_secretaries_get_one_reminder_per_community_with_the_count(world, sms_outbox):
    overdue_world(world)
    result = registration_send_reconfirmation_reminders(today=SPRING_2021)

    assert result.cycle_start == datetime.date(2021, 1, 1)
    assert result.communities == 2
    note_a = Notification.objects.get(recipient=world.secretary_a)
    assert "2" in note_a.title and "华业居民区" in note_a.title
    note_b = Notification.objects.get(recipient=world.secretary_b)
    assert "1" in note_b.title and "威海居民区" in note_b.title
    assert Delivery.objects.filter(notification=note_a, channel="sms").exists()


def test_members_are_reminded_of_their_own_overdue_registration(world):
    own = overdue_world(world)
    result = registration_send_reconfirmation_reminders(today=SPRING_2021)

    assert result.members == 1  # the others have no account to tell
    note = Notification.objects.get(recipient=world.member)
    assert "华业居民区" in note.title
    assert ReconfirmationReminder.objects.filter(registration=own).count() == 1


def test_nobody_is_reminded_twice_in_one_cycle(world):
    overdue_world(world)
    registration_send_reconfirmation_reminders(today=SPRING_2021)
    again = registration_send_reconfirmation_reminders(today=SPRING_2021 + datetime.timedelta(30))

    assert (again.communities, again.members) == (0, 0)
    assert Notification.objects.filter(recipient=world.secretary_a).count() == 1
    assert Notification.objects.filter(recipient=world.member).count() == 1


def test_the_next_cycle_reminds_again(world):
    overdue_world(world)
    registration_send_reconfirmation_reminders(today=SPRING_2021)
    next_year = registration_send_reconfirmation_reminders(today=datetime.date(2022, 1, 1))
    assert next_year.cycle_start == datetime.date(2022, 1, 1)
    assert next_year.communities == 2
    assert Notification.objects.filter(recipient=world.secretary_a).count() == 2


def test_a_reconfirmed_registration_is_not_overdue(world):
    overdue_world(world)
    MemberRegistration.objects.update(last_confirmed_at=at("2021-01-02"))
    OrgRegistration.objects.update(last_confirmed_at=at("2021-01-02"))
    result = registration_send_reconfirmation_reminders(today=SPRING_2021)
    assert (result.communities, result.members) == (0, 0)
    assert not Notification.objects.exists()


@override_settings(REGISTRATION_RECONFIRM_ON="07-01")
def test_the_reconfirmation_date_is_configurable(world):
    overdue_world(world)
    # On 1 March 2021 the cycle began on 1 July 2020: only what was confirmed before is overdue.
    result = registration_send_reconfirmation_reminders(today=SPRING_2021)
    assert result.cycle_start == datetime.date(2020, 7, 1)
    assert result.communities == 2  # A: member and organisation; B: 赵敏
    assert "2" in Notification.objects.get(recipient=world.secretary_a).title


def test_the_command_sends_reminders(world):
    overdue_world(world)
    out = io.StringIO()
    call_command("send_reconfirmation_reminders", "--today", "2021-03-01", stdout=out)
    assert "2 communities and 1 members reminded" in out.getvalue()
