"""Recorded service: what a member did in a community, the raw material of dual reporting.

Everything downstream (reports, documents, the "members who have not served" list) reads service
through ``service_records`` only, so the source can change without touching them.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from fumin.activities.models import Attendance

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class ServiceRecord:
    """One attendance: a person served at one activity in one community."""

    person_id: int
    community_id: int  # the community (``Area``) the activity was held for
    activity_id: str  # a stable key of the activity: its public id
    activity_title: str
    held_on: datetime.date  # the day it was held, in Asia/Shanghai
    hours: Decimal  # service hours from check-in and check-out, plus audited corrections
    kind: str = ""  # activity kind: pairing, volunteer, study, event…


def service_records(
    person_ids: Iterable[int], start: datetime.date, end: datetime.date
) -> list[ServiceRecord]:
    """The service the given people did between ``start`` and ``end`` (Shanghai days, both
    included), one record per attendance, ordered by day.

    An attendance counts when the person checked in (``Attendance`` with status attended) at an
    activity that started on one of those days. Its hours are the effective hours: check-in to
    check-out capped at the activity's length, plus the audited manual corrections, never below 0.
    """
    ids = list(dict.fromkeys(person_ids))
    if not ids:
        return []
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=SHANGHAI)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, SHANGHAI)
    attendances = (
        Attendance.objects.filter(
            person_id__in=ids,
            status=Attendance.Status.ATTENDED,
            checked_in_at__isnull=False,
            activity__starts_at__gte=since,
            activity__starts_at__lt=until,
        )
        .select_related("activity")
        .prefetch_related("corrections")
        .order_by("activity__starts_at", "activity_id", "person_id")
    )
    return [
        ServiceRecord(
            person_id=attendance.person_id,
            community_id=attendance.activity.community_id,
            activity_id=str(attendance.activity.public_id),
            activity_title=attendance.activity.title,
            held_on=attendance.activity.starts_at.astimezone(SHANGHAI).date(),
            hours=attendance.effective_hours,
            kind=attendance.activity.kind,
        )
        for attendance in attendances
    ]
