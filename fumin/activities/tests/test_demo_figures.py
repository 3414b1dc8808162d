"""The demo's activities add up to the article's 2020 figures, counted by ``figures``."""

import io
from datetime import date

import pytest
from django.core.management import call_command

from fumin.activities.figures import (
    beneficiary_person_times,
    pairing_activities_held,
    volunteer_person_times,
)
from fumin.activities.models import Activity, Attendance
from fumin.registry.models import Area

YEAR_2020 = {"start": date(2020, 1, 1), "end": date(2020, 12, 31)}


def seed():
    call_command("seed_demo", stdout=io.StringIO())


def figures(**period):
    subdistrict = Area.objects.get(name="南京西路街道")
    return (
        pairing_activities_held(**period, area=subdistrict),
        volunteer_person_times(**period, area=subdistrict),
        beneficiary_person_times(**period, area=subdistrict),
    )


def counts():
    return (
        Activity.objects.count(),
        Attendance.objects.count(),
        Activity.host_units.through.objects.count(),
    )


@pytest.mark.django_db
def test_the_demo_activities_are_the_articles_figures_and_seeding_twice_adds_nothing():
    seed()
    # "主动开展结对共建活动64场 … 667人次参与社区公益志愿服务，受益对象达6443人次"
    assert figures(**YEAR_2020) == (64, 667, 6443)

    pairing = Activity.objects.filter(kind="pairing", status="closed", starts_at__year=2020)
    # Every pairing activity of 2020 has a host unit; all 12 communities hold some.
    assert not pairing.filter(host_units__isnull=True).exists()
    assert pairing.values("community").distinct().count() == 12
    # Records that must not count are there: a draft, a no-show, activities of 2021.
    assert Activity.objects.filter(status="draft", starts_at__year=2020).exists()
    assert Attendance.objects.filter(status="no_show").exists()
    assert figures(start=date(2021, 1, 1), end=date(2021, 12, 31))[0] >= 1
    assert Activity.objects.filter(status__in=("draft", "published"), starts_at__year=2021)
    # Hours come from check-in and check-out: positive and capped by the activity's length.
    attended = Attendance.objects.filter(checked_in_at__isnull=False).select_related("activity")
    assert attended.count() > 667
    for attendance in attended:
        assert 0 < attendance.hours <= attendance.activity.length_hours
        assert attendance.status == "attended"

    before = counts()
    seed()
    assert counts() == before
    assert figures(**YEAR_2020) == (64, 667, 6443)


@pytest.mark.django_db
def test_a_figure_is_decided_by_the_start_in_shanghai(world):
    from fumin.activities.tests.helpers import make_activity

    make_activity(world, kind="pairing", starts="2021-01-01 07:30", ends="2021-01-01 09:00")
    make_activity(world, kind="pairing", starts="2020-12-31 23:00", ends="2021-01-01 01:00")
    Activity.objects.update(status="held")
    assert pairing_activities_held(**YEAR_2020) == 1
    assert pairing_activities_held(**YEAR_2020, area=world.community_b) == 0
    assert pairing_activities_held(start=date(2021, 1, 1), end=date(2021, 1, 1)) == 1
