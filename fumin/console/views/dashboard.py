"""The KPI dashboard (数据看板): the article's figures for a period and an area, their charts and
tables, the breakdown of each KPI, the records behind every number, Excel exports, and the big
screen for a wall display.

Only staff who see areas (``may_view_kpis``) get these pages; everyone else gets 403. An area
outside the viewer's scope is refused by the KPI selectors (403), an area that does not exist is
404, and a date that is not a date is named on the page (status 400). Every export is audited:
the drill-down lists name people (masked).
"""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from fumin.audit.services import audit_record
from fumin.core.paging import paginate, query_without_page
from fumin.kpis.definitions import KPIS, Kpi
from fumin.kpis.periods import SHANGHAI
from fumin.kpis.selectors import (
    kpi_areas,
    kpi_breakdown,
    kpi_figures,
    kpi_records,
    kpi_value,
    may_view_kpis,
)

from .dashboard_data import (
    BREAKDOWN_LABELS,
    GROUP_LABELS,
    XLSX,
    Filters,
    breakdown_url,
    dashboard_tables,
    filters_line,
    group_label,
    ordered_records,
    quick_periods,
    read_filters,
    record_columns,
    record_rows,
    records_url,
    workbook_of,
)


def _require_kpi_viewer(request) -> None:
    if not may_view_kpis(request.user):
        raise PermissionDenied


def _kpi_or_404(code: str) -> Kpi:
    if code not in KPIS:
        raise Http404
    return KPIS[code]


def _area_label(filters: Filters) -> str:
    return filters.area.name if filters.area is not None else _("all areas I see")


def _base_context(request, filters: Filters) -> dict:
    return {
        "filters": filters,
        "areas": kpi_areas(viewer=request.user).order_by("path"),
        "quick_periods": quick_periods(),
        "area_label": _area_label(filters),
    }


def _bad_filters(request, template: str, filters: Filters, **context):
    """The page with the filter form and the errors naming the fields; no figures. (Status 400,
    except to HTMX, which swaps in only successful answers.)"""
    status = 200 if request.htmx else 400
    return render(request, template, {**_base_context(request, filters), **context}, status=status)


def _figures(request, filters: Filters) -> list[dict]:
    return [
        {
            "kpi": figure.kpi,
            "value": figure.value,
            "url": records_url(figure.kpi, filters),
            "breakdown_url": breakdown_url(figure.kpi, filters),
        }
        for figure in kpi_figures(viewer=request.user, period=filters.period, area=filters.area)
    ]


def _export(request, output, *, name: str, list_name: str, rows: int):
    # Handing out the figures or a list of the records behind them is an export: audited.
    audit_record(
        actor=request.user,
        action="export",
        request=request,
        after={"format": "xlsx", "list": list_name, "rows": rows},
        note=request.GET.urlencode()[:500],
    )
    day = timezone.localdate().isoformat()
    return FileResponse(
        output, as_attachment=True, filename=f"{name}-{day}.xlsx", content_type=XLSX
    )


# The dashboard ----------------------------------------------------------------------------------


def dashboard(request):
    _require_kpi_viewer(request)
    filters = read_filters(request)
    partial = bool(request.htmx) and not request.htmx.boosted
    template = "console/dashboard/_body.html" if partial else "console/dashboard/index.html"
    if filters.errors:
        return _bad_filters(request, template, filters)
    tables = dashboard_tables(viewer=request.user, filters=filters)
    context = {
        **_base_context(request, filters),
        "figures": _figures(request, filters),
        "tables": tables,
        "charts": [table.chart_data() for table in tables],
    }
    return render(request, template, context)


def dashboard_export(request):
    """The figures and every table of the dashboard, one sheet each."""
    _require_kpi_viewer(request)
    filters = read_filters(request)
    if filters.errors:
        return _bad_filters(request, "console/dashboard/index.html", filters)
    figures = kpi_figures(viewer=request.user, period=filters.period, area=filters.area)
    heading = [_("Dashboard"), filters_line(filters, _area_label(filters))]
    sheets = [
        {
            "title": _("Figures"),
            "heading": heading,
            "columns": [_("KPI"), _("value"), _("counted in"), _("what is counted"), _("2020")],
            "rows": [
                [str(f.kpi.label), f.value, str(f.kpi.unit), str(f.kpi.counts), f.kpi.article_2020]
                for f in figures
            ],
        }
    ]
    for table in dashboard_tables(viewer=request.user, filters=filters):
        sheets.append(
            {
                "title": table.title,
                "heading": [table.title, heading[1]],
                "columns": [table.group_label, *(str(kpi.label) for kpi in table.kpis)],
                "rows": [
                    [row["label"], *(cell["value"] for cell in row["cells"])] for row in table.rows
                ],
            }
        )
    return _export(
        request,
        workbook_of(sheets),
        name=_("KPIs"),
        list_name="kpi figures",
        rows=len(figures),
    )


# One KPI by its breakdowns ----------------------------------------------------------------------


def _breakdown_rows(request, kpi: Kpi, by: str, filters: Filters) -> list[dict]:
    rows = kpi_breakdown(
        viewer=request.user, kpi=kpi, by=by, period=filters.period, area=filters.area
    )
    return [
        {**row, "label": group_label(by, row), "url": records_url(kpi, filters, by, row["key"])}
        for row in rows
    ]


def _chosen_breakdown(request, kpi: Kpi) -> str:
    by = request.GET.get("by", "")
    if by and by not in kpi.breakdowns:
        raise Http404
    return by or (kpi.breakdowns[0] if kpi.breakdowns else "")


def kpi_detail(request, code):
    _require_kpi_viewer(request)
    kpi = _kpi_or_404(code)
    by = _chosen_breakdown(request, kpi)
    filters = read_filters(request)
    context = {
        "kpi": kpi,
        "by": by,
        "tabs": [
            {"by": name, "label": BREAKDOWN_LABELS[name], "url": breakdown_url(kpi, filters, name)}
            for name in kpi.breakdowns
        ],
    }
    if filters.errors:
        return _bad_filters(request, "console/dashboard/kpi.html", filters, **context)
    value = kpi_value(viewer=request.user, kpi=kpi, period=filters.period, area=filters.area)
    rows = _breakdown_rows(request, kpi, by, filters) if by else []
    context |= {
        **_base_context(request, filters),
        "value": value,
        "value_url": records_url(kpi, filters),
        "rows": rows,
        "group_label": GROUP_LABELS.get(by, ""),
        "charts": [
            {
                "slug": f"{kpi.code}-{by}",
                "title": str(kpi.label),
                "chart": "line" if by == "month" else "bar",
                "categories": [row["label"] for row in rows],
                "series": [
                    {
                        "name": str(kpi.label),
                        "data": [row["value"] for row in rows],
                        "urls": [row["url"] for row in rows],
                    }
                ],
            }
        ],
        "export_query": filters.query(by=by),
    }
    return render(request, "console/dashboard/kpi.html", context)


def kpi_detail_export(request, code):
    _require_kpi_viewer(request)
    kpi = _kpi_or_404(code)
    by = _chosen_breakdown(request, kpi)
    if not by:
        raise Http404
    filters = read_filters(request)
    if filters.errors:
        return _bad_filters(request, "console/dashboard/kpi.html", filters, kpi=kpi, by=by)
    rows = _breakdown_rows(request, kpi, by, filters)
    value = kpi_value(viewer=request.user, kpi=kpi, period=filters.period, area=filters.area)
    sheet = {
        "title": f"{kpi.label} {BREAKDOWN_LABELS[by]}",
        "heading": [
            f"{kpi.label} {BREAKDOWN_LABELS[by]}",
            filters_line(filters, _area_label(filters)),
            str(kpi.counts),
        ],
        "columns": [GROUP_LABELS[by], f"{kpi.label} ({kpi.unit})"],
        "rows": [[row["label"], row["value"]] for row in rows],
        "total": [_("Total"), value],
    }
    return _export(
        request,
        workbook_of([sheet]),
        name=f"{kpi.label}-{BREAKDOWN_LABELS[by]}",
        list_name=f"kpi {kpi.code} by {by}",
        rows=len(rows),
    )


# The records behind a number --------------------------------------------------------------------


def _records(request, kpi: Kpi, filters: Filters):
    """The records and the group they were narrowed to (``by``, ``key``, its label)."""
    by, key = request.GET.get("by", ""), request.GET.get("key", "")
    if by and by not in kpi.breakdowns:
        raise Http404
    try:
        records = kpi_records(
            viewer=request.user,
            kpi=kpi,
            period=filters.period,
            area=filters.area,
            by=by,
            key=key,
        )
    except (ValueError, ValidationError) as error:
        raise Http404 from error
    group = ""
    if by:
        rows = kpi_breakdown(
            viewer=request.user, kpi=kpi, by=by, period=filters.period, area=filters.area
        )
        group = next((group_label(by, r) for r in rows if r["key"] == key), key)
    return records, by, group


def _total(kpi: Kpi, records) -> int | None:
    if kpi.measure != "sum":
        return None
    return records.order_by().aggregate(total=Sum(kpi.sum_field))["total"] or 0


def kpi_records_page(request, code):
    _require_kpi_viewer(request)
    kpi = _kpi_or_404(code)
    filters = read_filters(request)
    context = {"kpi": kpi}
    if filters.errors:
        return _bad_filters(request, "console/dashboard/records.html", filters, **context)
    records, by, group = _records(request, kpi, filters)
    records = ordered_records(kpi, records)
    _related, columns = record_columns(kpi)
    page = paginate(request, records)
    context |= {
        **_base_context(request, filters),
        "by": by,
        "by_label": GROUP_LABELS.get(by, ""),
        "group": group,
        "columns": columns,
        "rows": record_rows(columns, page),
        "page": page,
        "total": _total(kpi, records),
        "query": query_without_page(request),
        "export_query": request.GET.urlencode(),
        "breakdown_url": breakdown_url(kpi, filters, by),
    }
    return render(request, "console/dashboard/records.html", context)


def kpi_records_export(request, code):
    _require_kpi_viewer(request)
    kpi = _kpi_or_404(code)
    filters = read_filters(request)
    if filters.errors:
        return _bad_filters(request, "console/dashboard/records.html", filters, kpi=kpi)
    records, by, group = _records(request, kpi, filters)
    records = ordered_records(kpi, records)
    _related, columns = record_columns(kpi)
    rows = [[cell["value"] for cell in row] for row in record_rows(columns, records)]
    total = _total(kpi, records)
    heading = [str(kpi.label), filters_line(filters, _area_label(filters)), str(kpi.counts)]
    if by:
        heading.insert(2, f"{GROUP_LABELS[by]}: {group}")
    sheet = {
        "title": str(kpi.label),
        "heading": heading,
        "columns": [c.label for c in columns],
        "rows": rows,
        "total": [_("Total"), *([""] * (len(columns) - 2)), total] if total is not None else None,
    }
    return _export(
        request,
        workbook_of([sheet]),
        name=f"{kpi.label}",
        list_name=f"kpi {kpi.code} records",
        rows=len(rows),
    )


# The big screen ---------------------------------------------------------------------------------

SCREEN_FIGURES = (
    "organisations_registered",
    "members_registered",
    "pairing_activities",
    "volunteer_projects_claimed",
    "volunteer_person_times",
    "beneficiary_person_times",
    "community_small_projects",
    "participating_units",
    "people_reached",
)
SCREEN_CHARTS = ("trend-person-times", "community", "sector", "units")


def _screen_data(request, filters: Filters) -> dict:
    figures = {
        f.kpi.code: f
        for f in kpi_figures(viewer=request.user, period=filters.period, area=filters.area)
    }
    tables = dashboard_tables(viewer=request.user, filters=filters)
    return {
        "period": str(filters.period),
        "area": _area_label(filters),
        "updated": timezone.localtime(timezone.now(), SHANGHAI).strftime("%H:%M"),
        "figures": [
            {
                "code": code,
                "label": str(figures[code].kpi.label),
                "value": figures[code].value,
                "unit": str(figures[code].kpi.unit),
            }
            for code in SCREEN_FIGURES
            if code in figures
        ],
        "charts": [table.chart_data() for table in tables if table.slug in SCREEN_CHARTS],
    }


def screen(request):
    _require_kpi_viewer(request)
    filters = read_filters(request)
    if filters.errors:
        return _bad_filters(request, "console/dashboard/index.html", filters)
    context = {
        "filters": filters,
        "data": _screen_data(request, filters),
        # Only what was asked for: without dates the screen follows the current year as it turns.
        "data_query": urlencode(
            {"start": filters.start, "end": filters.end, "area": filters.area_id}
        ),
    }
    return render(request, "console/dashboard/screen.html", context)


def screen_data(request):
    """The big screen's figures and charts as JSON; it fetches them again every minute."""
    _require_kpi_viewer(request)
    filters = read_filters(request)
    if filters.errors:
        return JsonResponse({"errors": filters.errors}, status=400)
    return JsonResponse(_screen_data(request, filters))
