"""The KPIs of the article as JSON: values, breakdowns and the records behind each number.

Only viewers who see areas get KPIs (403 for others); ``area`` narrows them to an area inside the
viewer's scope (403 outside it). Dates are Shanghai days, both ends included; by default the
current year.
"""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from fumin.kpis.definitions import KPIS, Kpi
from fumin.kpis.periods import Period
from fumin.kpis.selectors import kpi_breakdown, kpi_figures, kpi_records
from fumin.registry.models import Area

from .common import resolve

router = Router(tags=["kpis"])


class PeriodFilter(Schema):
    start: str = Field("", description="First day, YYYY-MM-DD (default: 1 January this year)")
    end: str = Field("", description="Last day, YYYY-MM-DD (default: 31 December this year)")
    area_id: UUID | None = Field(None, description="An area inside your scope")


class BreakdownFilter(PeriodFilter):
    by: str = Field(..., description="grid, community, unit, sector or month")


class RecordsFilter(PeriodFilter):
    by: str = ""
    key: str = Field("", description="A breakdown row's key, with ``by``")
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class KpiOut(Schema):
    code: str
    label: str
    unit: str
    measure: str = Field(..., description="distinct (things), rows (person-times, …) or sum")
    counts: str
    value: int
    breakdowns: list[str]
    article_2020: str


class FiguresOut(Schema):
    start: str
    end: str
    area_id: UUID | None
    kpis: list[KpiOut]


class BreakdownRow(Schema):
    key: str
    label: str
    value: int


class BreakdownOut(Schema):
    code: str
    by: str
    rows: list[BreakdownRow]


class RecordOut(Schema):
    id: str = Field(..., description="The record's public UUID (or its number if it has none)")
    name: str
    amount: int | None = Field(None, description="For a sum KPI: this record's part of it")


class RecordsOut(Schema):
    count: int
    items: list[RecordOut]


def _period_and_area(request, filters: PeriodFilter) -> tuple[Period, Area | None]:
    period = Period.parse(filters.start, filters.end, default_year=timezone.localdate().year)
    area = resolve("area_id", filters.area_id, Area.objects.all())
    return period, area


def _kpi(code: str) -> Kpi:
    if code not in KPIS:
        raise Http404
    return KPIS[code]


def _kpi_out(kpi: Kpi, value: int) -> dict:
    return {
        "code": kpi.code,
        "label": str(kpi.label),
        "unit": str(kpi.unit),
        "measure": kpi.measure,
        "counts": str(kpi.counts),
        "value": value,
        "breakdowns": list(kpi.breakdowns),
        "article_2020": kpi.article_2020,
    }


@router.get("/kpis", response=FiguresOut, url_name="kpis")
def kpis(request, filters: Query[PeriodFilter]):
    """Every KPI's value for the period, in your scope."""
    period, area = _period_and_area(request, filters)
    figures = kpi_figures(viewer=request.user, period=period, area=area)
    return {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "area_id": area.public_id if area else None,
        "kpis": [_kpi_out(f.kpi, f.value) for f in figures],
    }


@router.get("/kpis/{code}/breakdown", response=BreakdownOut, url_name="kpi_breakdown")
def breakdown(request, code: str, filters: Query[BreakdownFilter]):
    """One KPI split by a breakdown. For a KPI counting distinct things, a thing in two groups
    counts once in each."""
    kpi = _kpi(code)
    if filters.by not in kpi.breakdowns:
        raise ValidationError({"by": _("Choose one of: %s.") % ", ".join(kpi.breakdowns)})
    period, area = _period_and_area(request, filters)
    rows = kpi_breakdown(viewer=request.user, kpi=kpi, by=filters.by, period=period, area=area)
    return {"code": kpi.code, "by": filters.by, "rows": rows}


@router.get("/kpis/{code}/records", response=RecordsOut, url_name="kpi_records")
def records(request, code: str, filters: Query[RecordsFilter]):
    """The records behind a number: as many as the number (for a sum KPI, the records whose
    amounts add up to it)."""
    kpi = _kpi(code)
    if filters.by and filters.by not in kpi.breakdowns:
        raise ValidationError({"by": _("Choose one of: %s.") % ", ".join(kpi.breakdowns)})
    period, area = _period_and_area(request, filters)
    found = kpi_records(
        viewer=request.user, kpi=kpi, period=period, area=area, by=filters.by, key=filters.key
    ).order_by("pk")
    rows = found[filters.offset : filters.offset + filters.limit]
    return {"count": found.count(), "items": [_record_out(kpi, row) for row in rows]}


def _record_out(kpi: Kpi, record) -> dict:
    public_id = getattr(record, "public_id", None)
    return {
        "id": str(public_id) if public_id else str(record.pk),
        "name": str(record),
        "amount": getattr(record, kpi.sum_field) if kpi.sum_field else None,
    }
