"""Repeating activities: a series from an RFC 5545 rule over Shanghai wall time, generated
idempotently (never one occurrence twice), in the console and through the API."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from fumin.activities.models import Activity
from fumin.activities.services import (
    activity_create,
    activity_update,
    recurrence_rule,
    series_create,
    series_generate,
)

from .helpers import sh

pytestmark = pytest.mark.usefixtures("clock")


def saturdays(world, **fields):
    values = {
        "title": "周六垃圾分类",
        "kind": "volunteer",
        "community": world.community_a,
        "rrule": "FREQ=WEEKLY;BYDAY=SA;COUNT=4",
        "starts_on": datetime.date(2020, 9, 12),
        "start_time": datetime.time(9, 0),
        "duration_minutes": 180,
        "place": "华业居民区活动室",
        "capacity": 10,
    }
    values.update(fields)
    return series_create(actor=world.secretary_a, **values)


def test_weekly_occurrences_are_shanghai_wall_time_stored_in_utc(world):
    series = saturdays(world)
    created = series_generate(actor=world.secretary_a, series=series)
    starts = [a.starts_at for a in created]
    assert starts == [sh(f"2020-09-{d:02d} 09:00") for d in (12, 19, 26)] + [sh("2020-10-03 09:00")]
    first = Activity.objects.get(pk=created[0].pk)
    assert first.starts_at.utcoffset() == datetime.timedelta(0)  # read back as UTC
    assert first.starts_at.hour == 1  # 09:00 in Shanghai is 01:00 UTC
    assert first.ends_at - first.starts_at == datetime.timedelta(hours=3)
    assert {a.status for a in created} == {"draft"}
    assert {(a.series_id, a.place, a.capacity, a.community_id) for a in created} == {
        (series.pk, "华业居民区活动室", 10, world.community_a.pk)
    }


def test_generating_twice_creates_nothing(world):
    series = saturdays(world)
    assert len(series_generate(actor=world.secretary_a, series=series)) == 4
    assert series_generate(actor=world.secretary_a, series=series) == []
    assert series.activities.count() == 4


def test_a_moved_occurrence_is_not_brought_back_and_cannot_land_on_another(world):
    series = saturdays(world)
    first, second, *_ = series_generate(actor=world.secretary_a, series=series)
    activity_update(
        actor=world.secretary_a,
        activity=first,
        starts_at=sh("2020-09-13 09:00"),
        ends_at=sh("2020-09-13 12:00"),
    )
    assert series_generate(actor=world.secretary_a, series=series) == []
    with pytest.raises(ValidationError) as error:
        activity_update(
            actor=world.secretary_a,
            activity=second,
            starts_at=sh("2020-09-13 09:00"),
            ends_at=sh("2020-09-13 12:00"),
        )
    assert "starts_at" in error.value.message_dict


def test_the_database_refuses_a_duplicate_occurrence(world):
    series = saturdays(world)
    (first, *_) = series_generate(actor=world.secretary_a, series=series)
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.create(
            title="重复",
            kind="volunteer",
            community=world.community_a,
            starts_at=first.starts_at,
            ends_at=first.ends_at,
            series=series,
            checkin_code="ZZZZ2222",
        )


def test_every_other_week_on_two_days_until_a_date(world):
    rule = recurrence_rule(
        frequency="weekly", interval=2, weekdays=[5, 1], until=datetime.date(2020, 10, 6)
    )
    assert rule == "FREQ=WEEKLY;BYDAY=TU,SA;INTERVAL=2;UNTIL=20201006T235959"
    series = saturdays(world, rrule=rule, starts_on=datetime.date(2020, 9, 12))
    days = [
        a.starts_at.astimezone(sh("2020-01-01 00:00").tzinfo).date()
        for a in series_generate(actor=None, series=series)
    ]
    # Weeks of 09-07 and 09-21 and 10-05; the first day is Saturday 09-12, so Tuesday 09-08 is
    # before the start, and 10-06 (Tuesday) is the last day.
    assert days == [datetime.date(2020, 9, d) for d in (12, 22, 26)] + [datetime.date(2020, 10, 6)]


def test_monthly_on_a_day_skips_months_without_it(world):
    rule = recurrence_rule(frequency="monthly", month_day=31, count=3)
    series = saturdays(world, rrule=rule, starts_on=datetime.date(2020, 9, 1))
    days = [a.starts_at.date() for a in series_generate(actor=None, series=series)]
    assert [d.month for d in days] == [10, 12, 1]


def test_generate_until_stops_early_and_past_occurrences_are_skipped(world, clock):
    series = saturdays(world)
    assert len(series_generate(actor=None, series=series, until=datetime.date(2020, 9, 20))) == 2
    clock.set("2020-09-27 08:00")  # the 26th is over
    created = series_generate(actor=None, series=series)
    assert [a.starts_at for a in created] == [sh("2020-10-03 09:00")]


def test_published_series_publish_their_occurrences(world):
    series = saturdays(world, publish=True, rrule="FREQ=WEEKLY;BYDAY=SA;COUNT=2")
    assert {a.status for a in series_generate(actor=None, series=series)} == {"published"}


def test_bad_rules_are_named(world):
    for rule, field in [
        ("FREQ=WEEKLY;BYDAY=SA", "rrule"),  # never ends
        ("FREQ=DAILY;COUNT=3", "rrule"),
        ("FREQ=WEEKLY;BYDAY=XX;COUNT=3", "rrule"),
        ("DTSTART:20200101T000000\nRRULE:FREQ=WEEKLY;COUNT=2", "rrule"),
    ]:
        with pytest.raises(ValidationError) as error:
            saturdays(world, rrule=rule)
        assert field in error.value.message_dict, rule
    for kwargs, field in [
        ({"frequency": "weekly", "weekdays": [], "count": 2}, "weekdays"),
        ({"frequency": "monthly", "month_day": 32, "count": 2}, "month_day"),
        ({"frequency": "weekly", "weekdays": [1]}, "until"),
        ({"frequency": "weekly", "weekdays": [1], "count": 500}, "count"),
        ({"frequency": "yearly", "count": 2}, "frequency"),
    ]:
        with pytest.raises(ValidationError) as error:
            recurrence_rule(**kwargs)
        assert field in error.value.message_dict, kwargs


def test_series_only_in_scope(world):
    with pytest.raises(PermissionDenied):
        saturdays(world, community=world.community_b)
    series = saturdays(world)
    with pytest.raises(PermissionDenied):
        series_generate(actor=world.secretary_b, series=series)


def test_a_plain_activity_has_no_series(world):
    activity = activity_create(
        actor=None,
        title="单次活动",
        kind="event",
        community=world.community_a,
        starts_at=sh("2020-09-12 09:00"),
        ends_at=sh("2020-09-12 10:00"),
    )
    assert activity.series is None and activity.series_slot is None


def test_the_console_makes_a_series_and_shows_it_on_each_occurrence(client, world):
    client.force_login(world.secretary_a)
    data = {
        "title": "双周二学习",
        "kind": "study",
        "community": world.community_a.pk,
        "starts_on": "2020-09-15",
        "start_time": "19:00",
        "duration_minutes": "90",
        "frequency": "weekly",
        "interval": "2",
        "weekdays": ["1"],
        "count": "3",
    }
    response = client.post("/console/activities/series/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "RRULE:FREQ=WEEKLY;BYDAY=TU;INTERVAL=2;COUNT=3" in page.content.decode()
    occurrences = list(Activity.objects.filter(title="双周二学习").order_by("starts_at"))
    assert [a.starts_at for a in occurrences] == [
        sh("2020-09-15 19:00"),
        sh("2020-09-29 19:00"),
        sh("2020-10-13 19:00"),
    ]
    detail = client.get(f"/console/activities/{occurrences[0].public_id}/").content.decode()
    assert 'data-testid="activity-series"' in detail and "双周二学习" in detail
    again = client.post(f"/console/activities/series/{occurrences[0].series.public_id}/generate/")
    assert again.status_code == 302
    assert Activity.objects.filter(title="双周二学习").count() == 3


def test_the_console_form_names_the_bad_fields(client, world):
    client.force_login(world.secretary_a)
    response = client.post(
        "/console/activities/series/new/",
        {
            "title": "坏规则",
            "kind": "study",
            "community": world.community_a.pk,
            "starts_on": "2020-09-15",
            "start_time": "19:00",
            "duration_minutes": "90",
            "frequency": "weekly",
            "interval": "1",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "weekdays" in errors and "until" in errors


def test_the_api_creates_and_generates_idempotently(client, world):
    client.force_login(world.secretary_a)
    body = {
        "title": "每月读书会",
        "kind": "study",
        "community_id": str(world.community_a.public_id),
        "rrule": "RRULE:FREQ=MONTHLY;BYMONTHDAY=15;COUNT=3",
        "starts_on": "2020-09-01",
        "start_time": "19:00",
        "duration_minutes": 90,
        "publish": True,
    }
    created = client.post("/api/activity-series", json.dumps(body), "application/json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["rrule"] == "FREQ=MONTHLY;BYMONTHDAY=15;COUNT=3"
    assert len(data["generated"]) == 3 and data["occurrences"] == 3
    again = client.post(f"/api/activity-series/{data['id']}/generate", "{}", "application/json")
    assert again.status_code == 200 and again.json()["generated"] == []
    one = client.get(f"/api/activities/{data['generated'][0]['id']}").json()
    assert one["series_id"] == data["id"] and one["status"] == "published"
    bad = client.post(
        "/api/activity-series",
        json.dumps({**body, "rrule": "FREQ=WEEKLY;BYDAY=SA"}),
        "application/json",
    )
    assert bad.status_code == 400 and "rrule" in bad.content.decode()
