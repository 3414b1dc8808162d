"""Recorded service: what a member did in a community, the raw material of dual reporting.

Everything downstream (reports, documents, the "members who have not served" list) reads service
through ``service_records`` only, so the source can change without touching them.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class ServiceRecord:
    """One attendance: a person served at one activity in one community."""

    person_id: int
    community_id: int  # the community (``Area``) the activity was held for
    activity_id: str  # a stable key of the activity (its public id once activities exist)
    activity_title: str
    held_on: datetime.date  # the day it was held, in Asia/Shanghai
    hours: Decimal  # service hours from check-in and check-out
    kind: str = ""  # activity kind: pairing, volunteer, study, event…


def service_records(
    person_ids: Iterable[int], start: datetime.date, end: datetime.date
) -> list[ServiceRecord]:
    """The service the given people did between ``start`` and ``end`` (Shanghai days, both
    included), one record per attendance, ordered by day.

    Activities and attendance do not exist yet, so today this returns an empty list: the report
    structure, period logic and delivery are complete and tested with sample records. Issue 6
    (activities and volunteering) fills it from ``Attendance``: checked-in attendances of these
    people at activities held in the period, with hours computed from check-in and check-out
    (plus audited manual corrections).
    """
    del person_ids, start, end  # no attendance records exist yet
    return []
