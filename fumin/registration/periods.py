"""Reporting periods of dual reporting (双报告): half-years and years, decided in Asia/Shanghai.

A half-year runs 1 Jan–30 Jun or 1 Jul–31 Dec; a year 1 Jan–31 Dec. A period's days are
Shanghai days, so 30 Jun 23:59 Shanghai (15:59 UTC) still belongs to the first half and 1 Jul 00:00
Shanghai (30 Jun 16:00 UTC) already to the second. Codes name a period in URLs and commands:
``2020H1``, ``2020H2``, ``2020``.
"""

import datetime
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

SHANGHAI = ZoneInfo("Asia/Shanghai")

HALF_YEAR = "half_year"
YEAR = "year"
KINDS = (HALF_YEAR, YEAR)

_CODE = re.compile(r"^(?P<year>\d{4})(?:H(?P<half>[12]))?$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Period:
    start: datetime.date  # first day, included
    end: datetime.date  # last day, included
    kind: str

    @property
    def code(self) -> str:
        if self.kind == YEAR:
            return str(self.start.year)
        return f"{self.start.year}H{1 if self.start.month == 1 else 2}"

    @property
    def label(self) -> str:
        """2020年上半年 / 2020年下半年 / 2020年度 (through the translation catalogue)."""
        year = self.start.year
        if self.kind == YEAR:
            return _("%(year)d, full year") % {"year": year}
        if self.start.month == 1:
            return _("%(year)d, first half") % {"year": year}
        return _("%(year)d, second half") % {"year": year}

    def __str__(self) -> str:
        return self.label

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The period as aware instants ``[since, until)``: Shanghai midnight to Shanghai
        midnight after the last day. Compare stored (UTC) times with ``since <= t < until``."""
        since = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=SHANGHAI)
        until = datetime.datetime.combine(
            self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=SHANGHAI
        )
        return since, until

    def contains(self, moment: datetime.date | datetime.datetime) -> bool:
        day = shanghai_date(moment)
        return self.start <= day <= self.end

    def previous(self) -> "Period":
        return period_containing(self.start - datetime.timedelta(days=1), self.kind)

    def next(self) -> "Period":
        return period_containing(self.end + datetime.timedelta(days=1), self.kind)


def _check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"Unknown period kind {kind!r}; expected one of {KINDS}")
    return kind


def shanghai_date(moment: datetime.date | datetime.datetime) -> datetime.date:
    """The Shanghai calendar day of ``moment`` (a date is taken as it is)."""
    if isinstance(moment, datetime.datetime):
        if timezone.is_naive(moment):
            raise ValueError("A naive datetime cannot be placed in a period.")
        return moment.astimezone(SHANGHAI).date()
    return moment


def period_containing(moment: datetime.date | datetime.datetime, kind: str) -> Period:
    """The half-year or year that ``moment`` (a date, or an aware datetime) falls in."""
    _check_kind(kind)
    day = shanghai_date(moment)
    if kind == YEAR:
        return Period(datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31), YEAR)
    if day.month <= 6:
        return Period(datetime.date(day.year, 1, 1), datetime.date(day.year, 6, 30), HALF_YEAR)
    return Period(datetime.date(day.year, 7, 1), datetime.date(day.year, 12, 31), HALF_YEAR)


def last_completed_period(kind: str, now: datetime.datetime | None = None) -> Period:
    """The latest period of ``kind`` that has fully ended by ``now`` (default: the present)."""
    return period_containing(now or timezone.now(), kind).previous()


def parse_period(code: str) -> Period:
    """``2020H1`` / ``2020H2`` (half-years) or ``2020`` (a year); ValueError otherwise."""
    found = _CODE.match((code or "").strip())
    if not found:
        raise ValueError(f"Not a period: {code!r} (write 2020H1, 2020H2 or 2020)")
    year = int(found["year"])
    if found["half"] is None:
        return period_containing(datetime.date(year, 1, 1), YEAR)
    return period_containing(datetime.date(year, 1 if found["half"] == "1" else 7, 1), HALF_YEAR)


def period_from_dates(start: datetime.date, end: datetime.date) -> Period:
    """The half-year or year with exactly these first and last days; ValueError otherwise."""
    for kind in KINDS:
        period = period_containing(start, kind)
        if period.start == start and period.end == end:
            return period
    raise ValueError(f"{start}–{end} is neither a half-year nor a year")


def report_period_kind(report_kind: str) -> str:
    """The period kind configured for member or unit reports (FUMIN_*_REPORT_PERIOD)."""
    name = "FUMIN_UNIT_REPORT_PERIOD" if report_kind == "unit" else "FUMIN_MEMBER_REPORT_PERIOD"
    default = YEAR if report_kind == "unit" else HALF_YEAR
    return _check_kind(getattr(settings, name, default))


def recent_periods(kind: str, count: int = 6, now: datetime.datetime | None = None) -> list[Period]:
    """The current period of ``kind`` and the ``count - 1`` before it, newest first."""
    period = period_containing(now or timezone.now(), kind)
    periods = []
    for _index in range(count):
        periods.append(period)
        period = period.previous()
    return periods
