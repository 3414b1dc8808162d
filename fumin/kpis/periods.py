"""Periods of the KPIs: whole days in Asia/Shanghai, both ends included.

An activity starting at 2021-01-01 07:30 in Shanghai (still 2020 in UTC) belongs to 2021; a
registration confirmed at 23:59 on 31 December in Shanghai belongs to that year.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _month_after(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1)


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    def __post_init__(self):
        if self.end < self.start:
            raise ValidationError({"end": _("The end of the period is before its start.")})

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @classmethod
    def parse(cls, start: str | None, end: str | None, *, default_year: int) -> "Period":
        """A period from two ISO dates as typed in a form or a query string; either may be
        missing (the default year's first or last day)."""
        try:
            first = datetime.date.fromisoformat(start) if start else None
        except ValueError as error:
            raise ValidationError({"start": _("Enter a date like 2020-08-01.")}) from error
        try:
            last = datetime.date.fromisoformat(end) if end else None
        except ValueError as error:
            raise ValidationError({"end": _("Enter a date like 2020-12-31.")}) from error
        whole = cls.year(default_year)
        return cls(first or whole.start, last or whole.end)

    @property
    def first_instant(self) -> datetime.datetime:
        return datetime.datetime.combine(self.start, datetime.time(), tzinfo=SHANGHAI)

    @property
    def after_instant(self) -> datetime.datetime:
        """The first moment after the period (an exclusive upper bound)."""
        day_after = self.end + datetime.timedelta(days=1)
        return datetime.datetime.combine(day_after, datetime.time(), tzinfo=SHANGHAI)

    @property
    def years(self) -> range:
        return range(self.start.year, self.end.year + 1)

    def months(self) -> list[datetime.date]:
        """The first day of every month the period touches."""
        months, month = [], self.start.replace(day=1)
        while month <= self.end:
            months.append(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        return months

    def whole_months(self) -> tuple[list[datetime.date], list["Period"]]:
        """The first days of the months lying wholly in the period, and the periods of the days
        left at either end (at most two)."""
        months = [
            month
            for month in self.months()
            if month >= self.start and _month_after(month) - datetime.timedelta(days=1) <= self.end
        ]
        if not months:
            return [], [self]
        ends = []
        if self.start < months[0]:
            ends.append(Period(self.start, months[0] - datetime.timedelta(days=1)))
        after = _month_after(months[-1])
        if after <= self.end:
            ends.append(Period(after, self.end))
        return months, ends

    def as_query(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}

    def __str__(self):
        return f"{self.start.isoformat()} – {self.end.isoformat()}"
