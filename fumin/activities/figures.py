"""The activity KPIs of DESIGN.md ("KPIs of the article"), as plain queries over the records.

Each figure counts activities whose start falls in the period [start, end] (dates, both days
included), the days decided in Asia/Shanghai: an activity starting at 2021-01-01 07:30 in Shanghai
(still 2020 in UTC) belongs to 2021. ``area`` limits the figure to the activities of the
residential communities under it (default: everywhere).

- ``pairing_activities_held``: activities of kind pairing held in the period (status held or
  closed; drafts and published-but-not-held activities do not count). Article, 2020: 64.
- ``volunteer_person_times``: attendances checked in at volunteer activities (人次: a person at
  two activities counts twice; sign-ups, waiting lists, cancellations and no-shows do not count).
  Article, 2020: 667.
- ``beneficiary_person_times``: the sum of the beneficiaries (person-times) recorded on held or
  closed activities of any kind. Article, 2020: 6,443.
"""

import datetime
from zoneinfo import ZoneInfo

from django.db.models import QuerySet, Sum

from fumin.registry.models import Area

from .models import Activity, Attendance

SHANGHAI = ZoneInfo("Asia/Shanghai")
HELD_STATUSES = (Activity.Status.HELD, Activity.Status.CLOSED)


def _bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, ...]:
    """The period as [first moment, moment after the last day) in Shanghai."""
    first = datetime.datetime.combine(start, datetime.time(), tzinfo=SHANGHAI)
    after = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time())
    return first, after.replace(tzinfo=SHANGHAI)


def activities_in(
    start: datetime.date, end: datetime.date, area: Area | None = None
) -> QuerySet[Activity]:
    """Activities starting in the period (Shanghai days), in the communities under ``area``."""
    first, after = _bounds(start, end)
    found = Activity.objects.filter(starts_at__gte=first, starts_at__lt=after)
    if area is not None:
        found = found.filter(community__path__startswith=area.path)
    return found


def pairing_activities_held(
    start: datetime.date, end: datetime.date, area: Area | None = None
) -> int:
    return (
        activities_in(start, end, area)
        .filter(kind=Activity.Kind.PAIRING, status__in=HELD_STATUSES)
        .count()
    )


def volunteer_person_times(
    start: datetime.date, end: datetime.date, area: Area | None = None
) -> int:
    activities = activities_in(start, end, area).filter(kind=Activity.Kind.VOLUNTEER)
    return Attendance.objects.filter(
        activity__in=activities.values("pk"), checked_in_at__isnull=False
    ).count()


def beneficiary_person_times(
    start: datetime.date, end: datetime.date, area: Area | None = None
) -> int:
    total = (
        activities_in(start, end, area)
        .filter(status__in=HELD_STATUSES)
        .aggregate(total=Sum("beneficiaries"))["total"]
    )
    return total or 0
