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

from fumin.kpis.definitions import KPIS
from fumin.kpis.periods import Period
from fumin.registry.models import Area


def _value(code: str, start: datetime.date, end: datetime.date, area: Area | None) -> int:
    """Counted by the KPI's one definition in ``fumin.kpis.definitions``."""
    return KPIS[code].value(Period(start, end), area)


def pairing_activities_held(
    start: datetime.date, end: datetime.date, area: Area | None = None
) -> int:
    return _value("pairing_activities", start, end, area)


def volunteer_person_times(
    start: datetime.date, end: datetime.date, area: Area | None = None
) -> int:
    return _value("volunteer_person_times", start, end, area)


def beneficiary_person_times(
    start: datetime.date, end: datetime.date, area: Area | None = None
) -> int:
    return _value("beneficiary_person_times", start, end, area)
