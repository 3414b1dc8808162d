"""Recorded service for dual reporting now comes from real attendance."""

import datetime
from decimal import Decimal

import pytest

from fumin.activities.services import activity_mark_held, check_in, check_out, signup
from fumin.registration.periods import parse_period
from fumin.registration.report_models import ServiceReport
from fumin.registration.reporting import service_reports_generate
from fumin.registration.service_records import ServiceRecord, service_records
from fumin.registration.services import member_register, registration_confirm

from .helpers import make_activity, volunteer

pytestmark = pytest.mark.usefixtures("clock")

H2_2020 = parse_period("2020H2")


def attend(world, clock, activity, person, came, left=None):
    clock.set("2020-09-10 09:00")
    signup(actor=None, activity=activity, person=person)
    clock.set(came)
    check_in(actor=world.secretary_a, method="staff", activity=activity, person=person)
    if left:
        clock.set(left)
        check_out(actor=world.secretary_a, method="staff", activity=activity, person=person)


def test_service_records_are_the_checked_in_attendances_of_the_period(world, clock):
    person = volunteer(world, "王芳", "13600000001")
    other = volunteer(world, "李强", "13600000002")
    new_year_eve = make_activity(  # 15:30 UTC: the Shanghai day decides, and it is 12-31
        world, title="结对共建", kind="pairing", starts="2020-12-31 23:30", ends="2021-01-01 01:00"
    )
    saturday = make_activity(world)
    absent = make_activity(world, title="没来", starts="2020-09-13 09:00", ends="2020-09-13 10:00")
    attend(world, clock, saturday, person, "2020-09-12 09:00", "2020-09-12 11:30")
    attend(world, clock, saturday, other, "2020-09-12 09:00")  # never checked out: 0 hours
    attend(world, clock, new_year_eve, person, "2020-12-31 23:30", "2021-01-01 00:30")
    clock.set("2020-09-10 09:00")
    signup(actor=None, activity=absent, person=person)
    clock.set("2020-09-13 11:00")
    activity_mark_held(actor=world.secretary_a, activity=absent)  # a no-show, not service

    records = service_records([person.pk, other.pk], H2_2020.start, H2_2020.end)

    assert records == [
        ServiceRecord(
            person_id=person.pk,
            community_id=world.community_a.pk,
            activity_id=str(saturday.public_id),
            activity_title="垃圾分类宣传",
            held_on=datetime.date(2020, 9, 12),
            hours=Decimal("2.50"),
            kind="volunteer",
        ),
        ServiceRecord(
            person_id=other.pk,
            community_id=world.community_a.pk,
            activity_id=str(saturday.public_id),
            activity_title="垃圾分类宣传",
            held_on=datetime.date(2020, 9, 12),
            hours=Decimal("0.00"),
            kind="volunteer",
        ),
        ServiceRecord(
            person_id=person.pk,
            community_id=world.community_a.pk,
            activity_id=str(new_year_eve.public_id),
            activity_title="结对共建",
            held_on=datetime.date(2020, 12, 31),
            hours=Decimal("1.00"),
            kind="pairing",
        ),
    ]
    assert service_records([person.pk], datetime.date(2021, 1, 1), datetime.date(2021, 6, 30)) == []
    assert service_records([], H2_2020.start, H2_2020.end) == []


def test_a_member_report_shows_the_hours_served(world, clock):
    registration, _ = member_register(
        actor=None,
        channel="community",
        name="王建国",
        mobile="13600000011",
        community=world.community_a,
        work_unit=world.unit_a,
        party_org=world.party_org_a,
    )
    registration_confirm(actor=None, registration=registration)
    activity = make_activity(world)
    attend(world, clock, activity, registration.person, "2020-09-12 08:50", "2020-09-12 11:15")

    clock.set("2021-01-05 09:00")
    service_reports_generate(
        actor=None, kind="member", period_start=H2_2020.start, period_end=H2_2020.end
    )

    report = ServiceReport.objects.get(kind="member", person=registration.person)
    assert report.content["totals"] == {"activities": 1, "person_times": 1, "hours": 2.42}
    [row] = report.content["communities"]
    assert row["records"] == [
        {"date": "2020-09-12", "activity": "垃圾分类宣传", "kind": "volunteer", "hours": 2.42}
    ]
