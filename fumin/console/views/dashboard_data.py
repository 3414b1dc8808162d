"""What the dashboard pages show, worked out from the KPI selectors: the filters (period and area),
the tables behind the charts (each cell with the link to its drill-down), the columns of each
drill-down list and the Excel workbooks. No number is computed here: every value comes from
``fumin.kpis.selectors``, so the page, its exports and the big screen cannot disagree.
"""

import datetime
import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fumin.activities.models import Activity, Attendance
from fumin.core.errors import error_lines as core_error_lines
from fumin.core.masking import mask_id_number, mask_mobile
from fumin.kpis.definitions import KPIS, Kpi
from fumin.kpis.periods import SHANGHAI, Period
from fumin.kpis.selectors import kpi_breakdown
from fumin.lists.models import Programme, Project, Sector
from fumin.registry.models import Area, PartyOrg, Person, Unit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TOP_UNITS = 10

BREAKDOWN_LABELS = {
    "grid": gettext_lazy("by grid"),
    "community": gettext_lazy("by residential community"),
    "unit": gettext_lazy("by unit"),
    "sector": gettext_lazy("by sector"),
    "month": gettext_lazy("by month"),
}
GROUP_LABELS = {
    "grid": gettext_lazy("grid"),
    "community": gettext_lazy("residential community"),
    "unit": gettext_lazy("unit"),
    "sector": gettext_lazy("sector"),
    "month": gettext_lazy("month"),
}
NO_GROUP = {
    "grid": gettext_lazy("(no grid)"),
    "community": gettext_lazy("(no community)"),
    "unit": gettext_lazy("(no unit)"),
    "sector": gettext_lazy("(no sector)"),
    "month": gettext_lazy("(no month)"),
}
# Person-times run into the thousands; counts of organisations, people and activities are drawn
# on their own chart so the smaller lines stay readable.
PERSON_TIMES = ("volunteer_person_times", "beneficiary_person_times", "people_reached")
# In the charts by area these two dwarf the rest: drawn once picked in the legend (the table
# below the chart always has them).
LARGE = ("members_registered", "beneficiary_person_times")


def today() -> datetime.date:
    return timezone.localtime(timezone.now(), SHANGHAI).date()


# Filters ----------------------------------------------------------------------------------------


@dataclass
class Filters:
    """The period and area asked for, as typed (to show them again) and as understood."""

    start: str = ""
    end: str = ""
    area_id: str = ""
    period: Period | None = None
    area: Area | None = None
    errors: list[str] = field(default_factory=list)

    def params(self, **extra) -> dict[str, str]:
        params = {"start": self.start, "end": self.end, "area": self.area_id, **extra}
        if self.period is not None:
            params.update(self.period.as_query())
        return {key: value for key, value in params.items() if value}

    def query(self, **extra) -> str:
        return urlencode(self.params(**extra))


FIELD_LABELS = {"start": gettext_lazy("from"), "end": gettext_lazy("to")}


def error_lines(error: ValidationError) -> list[str]:
    """``field: message`` lines naming the field by its label."""
    return core_error_lines(error, FIELD_LABELS)


def read_filters(request) -> Filters:
    """The period (default: this year in Shanghai) and area of the request.

    A date that is not a date gives ``errors`` naming the field; an area that does not exist is
    404; an area outside the viewer's scope is refused by the KPI selectors (403)."""
    filters = Filters(
        start=request.GET.get("start", "").strip(),
        end=request.GET.get("end", "").strip(),
        area_id=request.GET.get("area", "").strip(),
    )
    try:
        filters.period = Period.parse(filters.start, filters.end, default_year=today().year)
    except ValidationError as error:
        filters.errors = error_lines(error)
    if filters.area_id:
        try:
            public_id = uuid.UUID(filters.area_id)
        except ValueError as error:
            raise Http404 from error
        filters.area = Area.objects.filter(public_id=public_id).first()
        if filters.area is None:
            raise Http404
    return filters


def quick_periods() -> list[dict]:
    """The period buttons: this year, last year, the article's year, and August to December 2020
    (the article's "since August", which it reported in December)."""
    now = today()
    years = [now.year, now.year - 1, 2020]
    buttons = [
        {"label": str(year), "start": f"{year}-01-01", "end": f"{year}-12-31"}
        for year in dict.fromkeys(years)
        if year >= 2020
    ]
    buttons.append({"label": _("Since August 2020"), "start": "2020-08-01", "end": "2020-12-31"})
    return buttons


# Links ------------------------------------------------------------------------------------------


def records_url(kpi: Kpi, filters: Filters, by: str = "", key: str = "") -> str:
    extra = {"by": by, "key": key} if by else {}
    query = urlencode({**filters.params(), **extra})
    return f"{reverse('console:dashboard_records', args=[kpi.code])}?{query}"


def breakdown_url(kpi: Kpi, filters: Filters, by: str = "") -> str:
    query = filters.query(**({"by": by} if by else {}))
    return f"{reverse('console:dashboard_kpi', args=[kpi.code])}?{query}"


# Tables of the charts ---------------------------------------------------------------------------


@dataclass
class Table:
    """KPIs (columns) by the groups of one breakdown (rows); every cell links to its records."""

    slug: str
    title: str
    group_label: str
    chart: str  # line | bar | hbar
    kpis: list[Kpi]
    rows: list[dict]  # {"label": …, "cells": [{"value": n, "url": …}, …]}
    hidden: tuple[str, ...] = ()  # KPIs drawn only once picked in the chart's legend

    def chart_data(self) -> dict:
        return {
            "slug": self.slug,
            "title": str(self.title),
            "chart": self.chart,
            "empty": _("Nothing in this period."),
            "categories": [row["label"] for row in self.rows],
            "series": [
                {
                    "code": kpi.code,
                    "name": str(kpi.label),
                    "shown": kpi.code not in self.hidden,
                    "data": [row["cells"][index]["value"] for row in self.rows],
                    "urls": [row["cells"][index]["url"] for row in self.rows],
                }
                for index, kpi in enumerate(self.kpis)
            ],
        }


def group_label(by: str, row: dict) -> str:
    return row["label"] or str(NO_GROUP[by])


def table_by(
    *,
    viewer,
    filters: Filters,
    by: str,
    kpis: list[Kpi],
    slug: str,
    title: str,
    chart: str = "bar",
    months: list[str] | None = None,
    hidden: tuple[str, ...] = (),
) -> Table:
    """One table of ``kpis`` by ``by``; groups in the selectors' order, months all shown."""
    groups: dict[str, str] = {}
    values: dict[str, dict[str, int]] = {}
    for kpi in kpis:
        rows = kpi_breakdown(
            viewer=viewer, kpi=kpi, by=by, period=filters.period, area=filters.area
        )
        for row in rows:
            groups.setdefault(row["key"], group_label(by, row))
            values.setdefault(kpi.code, {})[row["key"]] = row["value"]
    if months is not None:
        groups = {month: month for month in months} | groups
        groups = dict(sorted(groups.items()))
    rows = [
        {
            "key": key,
            "label": label,
            "cells": [
                {
                    "value": values.get(kpi.code, {}).get(key, 0),
                    "url": records_url(kpi, filters, by, key),
                }
                for kpi in kpis
            ],
        }
        for key, label in groups.items()
    ]
    return Table(slug, title, str(GROUP_LABELS[by]), chart, kpis, rows, hidden)


def top_units_table(*, viewer, filters: Filters) -> Table:
    """The units whose people checked in most often at volunteer activities (person-times)."""
    kpi = KPIS["volunteer_person_times"]
    rows = [
        row
        for row in kpi_breakdown(
            viewer=viewer, kpi=kpi, by="unit", period=filters.period, area=filters.area
        )
        if row["key"] and row["value"]
    ]
    rows.sort(key=lambda row: -row["value"])  # stable: ties stay in pinyin order
    return Table(
        "units",
        _("Top units by volunteer participation"),
        str(GROUP_LABELS["unit"]),
        "hbar",
        [kpi],
        [
            {
                "key": row["key"],
                "label": row["label"],
                "cells": [
                    {"value": row["value"], "url": records_url(kpi, filters, "unit", row["key"])}
                ],
            }
            for row in rows[:TOP_UNITS]
        ],
    )


def dashboard_tables(*, viewer, filters: Filters) -> list[Table]:
    """The tables (and charts) of the dashboard and the big screen."""
    with_ = {by: [k for k in KPIS.values() if by in k.breakdowns] for by in BREAKDOWN_LABELS}
    months = [month.strftime("%Y-%m") for month in filters.period.months()]
    common = {"viewer": viewer, "filters": filters}
    return [
        table_by(
            **common,
            by="month",
            kpis=[k for k in with_["month"] if k.code in PERSON_TIMES],
            slug="trend-person-times",
            title=_("Monthly trend: person-times"),
            chart="line",
            months=months,
        ),
        table_by(
            **common,
            by="month",
            kpis=[k for k in with_["month"] if k.code not in PERSON_TIMES],
            slug="trend-counts",
            title=_("Monthly trend: registrations, activities and projects"),
            chart="line",
            months=months,
        ),
        table_by(
            **common,
            by="grid",
            kpis=with_["grid"],
            slug="grid",
            title=_("By grid"),
            hidden=LARGE,
        ),
        table_by(
            **common,
            by="community",
            kpis=with_["community"],
            slug="community",
            title=_("By residential community"),
            hidden=LARGE,
        ),
        table_by(**common, by="sector", kpis=with_["sector"], slug="sector", title=_("By sector")),
        top_units_table(**common),
    ]


# Drill-down lists -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    label: str
    value: Callable[[Model], object]
    link: Callable[[Model], str] | None = None
    num: bool = False


def _local(moment) -> str:
    return timezone.localtime(moment, SHANGHAI).strftime("%Y-%m-%d %H:%M") if moment else ""


def _name(thing) -> str:
    return thing.name if thing is not None else ""


def _url(record) -> str:
    return record.get_absolute_url()


def _activity_url(activity) -> str:
    return reverse("console:activity_detail", args=[activity.public_id])


def _columns(model: type[Model]) -> tuple[tuple[str, ...], list[Column]]:
    """``select_related`` paths and the columns of a drill-down list of ``model``.

    People are shown with their mobile and ID numbers masked, here and in the export."""
    if model is PartyOrg:
        return ("unit", "community"), [
            Column(_("name"), lambda o: o.name, _url),
            Column(_("kind"), lambda o: o.get_kind_display()),
            Column(_("unit"), lambda o: _name(o.unit)),
            Column(_("residential community"), lambda o: _name(o.community)),
        ]
    if model is Person:
        return ("home_community", "work_unit"), [
            Column(_("name"), lambda p: p.name, _url),
            Column(_("Mobile number"), lambda p: mask_mobile(p.mobile or "")),
            Column(_("resident ID number"), lambda p: mask_id_number(p.id_number_masked)),
            Column(_("home community"), lambda p: _name(p.home_community)),
            Column(_("work unit"), lambda p: _name(p.work_unit)),
        ]
    if model is Activity:
        return ("community",), [
            Column(_("title"), lambda a: a.title, _activity_url),
            Column(_("kind"), lambda a: a.get_kind_display()),
            Column(_("starts at"), lambda a: _local(a.starts_at)),
            Column(_("residential community"), lambda a: _name(a.community)),
            Column(_("status"), lambda a: a.get_status_display()),
        ]
    if model is Attendance:
        return ("person", "activity", "activity__community"), [
            Column(_("name"), lambda t: t.person.name, lambda t: t.person.get_absolute_url()),
            Column(_("Mobile number"), lambda t: mask_mobile(t.person.mobile or "")),
            Column(_("activity"), lambda t: t.activity.title, lambda t: _activity_url(t.activity)),
            Column(_("starts at"), lambda t: _local(t.activity.starts_at)),
            Column(_("residential community"), lambda t: _name(t.activity.community)),
            Column(_("checked in at"), lambda t: _local(t.checked_in_at)),
        ]
    if model is Project:
        return ("programme", "programme__sector", "owner_area"), [
            Column(_("name"), lambda p: p.name),
            Column(_("year"), lambda p: p.year),
            Column(_("level"), lambda p: p.get_level_display()),
            Column(_("sector"), lambda p: _name(p.programme.sector) if p.programme else ""),
            Column(_("programme"), lambda p: _name(p.programme)),
            Column(_("area"), lambda p: _name(p.owner_area)),
            Column(_("status"), lambda p: p.get_status_display()),
        ]
    if model is Unit:
        return ("area",), [
            Column(_("name"), lambda u: u.name, _url),
            Column(_("kind"), lambda u: u.get_kind_display()),
            Column(_("area"), lambda u: _name(u.area)),
        ]
    if model is Programme:
        return ("sector",), [
            Column(_("name"), lambda p: p.name),
            Column(_("sector"), lambda p: _name(p.sector)),
        ]
    if model is Sector:
        return (), [Column(_("name"), lambda s: s.name)]
    raise ValueError(f"no drill-down columns for {model.__name__}")


ORDER = {
    PartyOrg: ("name_pinyin", "pk"),
    Person: ("name_pinyin", "pk"),
    Activity: ("-starts_at", "-pk"),
    Attendance: ("-activity__starts_at", "activity_id", "person__name_pinyin", "pk"),
    Project: ("-year", "name_pinyin", "pk"),
    Unit: ("name_pinyin", "pk"),
    Programme: ("sector__position", "position", "name", "pk"),
    Sector: ("position", "name", "pk"),
}


def record_columns(kpi: Kpi) -> tuple[tuple[str, ...], list[Column]]:
    related, columns = _columns(kpi.model)
    if kpi.measure == "sum":
        field_ = kpi.model._meta.get_field(kpi.sum_field)
        amount = Column(str(field_.verbose_name), lambda r: getattr(r, kpi.sum_field), num=True)
        columns = [*columns, amount]
    return related, columns


def ordered_records(kpi: Kpi, records):
    related = record_columns(kpi)[0]
    return records.select_related(*related).order_by(*ORDER[kpi.model])


def record_rows(columns: list[Column], records) -> list[list[dict]]:
    return [
        [
            {
                "value": column.value(record),
                "url": column.link(record) if column.link else "",
                "num": column.num,
            }
            for column in columns
        ]
        for record in records
    ]


# Workbooks --------------------------------------------------------------------------------------


def workbook_of(sheets: list[dict]) -> io.BytesIO:
    """A workbook of sheets ``{"title", "heading": [lines], "columns", "rows", "total"?}``: the
    heading lines first, a blank row, the bold column names, the rows and a bold total row."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet_spec in sheets:
        sheet = workbook.create_sheet(_sheet_title(sheet_spec["title"], workbook))
        for index, line in enumerate(sheet_spec.get("heading", [])):
            sheet.append([str(line)])
            if index == 0:
                sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
        sheet.append([])
        columns = [str(c) for c in sheet_spec["columns"]]
        sheet.append(columns)
        header_row = sheet.max_row
        for cell in sheet[header_row]:
            cell.font = Font(bold=True)
        for row in sheet_spec["rows"]:
            sheet.append(list(row))
        if sheet_spec.get("total"):
            sheet.append(list(sheet_spec["total"]))
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
        rows = sheet_spec["rows"][:200]
        for index, column in enumerate(columns, start=1):
            longest = max([len(column)] + [len(str(r[index - 1] or "")) for r in rows])
            sheet.column_dimensions[get_column_letter(index)].width = min(max(8, longest * 1.6), 50)
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    output = io.BytesIO()
    workbook.save(output)
    output.seek(0)
    return output


def _sheet_title(title: str, workbook) -> str:
    """A sheet name Excel accepts (31 characters, none of []:*?/\\) and not yet taken."""
    name = "".join(" " if char in "[]:*?/\\" else char for char in str(title))[:31] or "Sheet"
    base, number = name, 2
    while name in workbook.sheetnames:
        suffix = f" ({number})"
        name, number = base[: 31 - len(suffix)] + suffix, number + 1
    return name


def filters_line(filters: Filters, area_label: str) -> str:
    return f"{_('Period')}: {filters.period} · {_('Area')}: {area_label}"
