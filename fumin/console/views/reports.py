"""Console pages for dual reporting (双报告): the service reports and their downloads, the members
who have not served, and a unit's members' service across communities."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fumin.accounts.access import require_capability
from fumin.accounts.scope import Capability, scope_of
from fumin.audit.services import audit_record
from fumin.core.paging import paginate, query_without_page
from fumin.registration import documents
from fumin.registration.periods import (
    HALF_YEAR,
    YEAR,
    Period,
    last_completed_period,
    parse_period,
    period_containing,
    recent_periods,
    report_period_kind,
)
from fumin.registration.report_models import ServiceReport
from fumin.registration.report_selectors import (
    communities_for_not_served,
    members_not_served,
    report_periods,
    service_report_get,
    service_report_list,
    unit_member_service,
    units_for_member_service,
)
from fumin.registration.reporting import service_reports_generate


def _period_or_none(code: str) -> Period | None:
    try:
        return parse_period(code) if code else None
    except ValueError:
        return None


def _period_choices(selected: Period | None = None) -> list[Period]:
    """Recent half-years and years (and the selected period), newest first, for the filters."""
    choices = {*recent_periods(HALF_YEAR, 6), *recent_periods(YEAR, 3)}
    if selected is not None:
        choices.add(selected)
    return sorted(choices, reverse=True)


def _report_or_404(request, public_id) -> ServiceReport:
    report = service_report_get(viewer=request.user, public_id=public_id)
    if report is None:
        raise Http404
    return report


@require_capability(Capability.CONSOLE)
def report_index(request):
    kind = request.GET.get("kind", "")
    kind = kind if kind in ServiceReport.Kind.values else ""
    period = _period_or_none(request.GET.get("period", ""))
    reports = paginate(
        request,
        service_report_list(viewer=request.user, kind=kind, period=period).order_by(
            "-period_start", "kind", "pk"
        ),
    )
    can_generate = scope_of(request.user).can(Capability.MANAGE_USERS)
    context = {
        "reports": reports,
        "kind": kind,
        "kinds": ServiceReport.Kind.choices,
        "period": period.code if period else "",
        "periods": report_periods(viewer=request.user),
        "query": query_without_page(request),
        "can_generate": can_generate,
        "generate_periods": _period_choices() if can_generate else [],
        "default_member_period": last_completed_period(report_period_kind("member")).code,
        "can_view_areas": scope_of(request.user).can(Capability.VIEW_AREAS),
    }
    template = "console/reports/_table.html" if request.htmx else "console/reports/index.html"
    return render(request, template, context)


@require_capability(Capability.CONSOLE)
def report_detail(request, public_id):
    report = _report_or_404(request, public_id)
    context = {
        "report": report,
        "layout": documents.report_layout(report),
        "communities": report.communities.order_by("path"),
    }
    return render(request, "console/reports/detail.html", context)


def _download(request, public_id, extension: str):
    report = _report_or_404(request, public_id)
    if extension == "docx":
        output, content_type = documents.report_docx(report), documents.DOCX
    else:
        output, content_type = documents.report_xlsx(report), documents.XLSX
    # The report names people (masked): handing it out as a file is an export of personal data.
    audit_record(
        actor=request.user,
        action="export",
        target=report,
        request=request,
        after={"format": extension, "period": report.period.code},
    )
    return FileResponse(
        output,
        as_attachment=True,
        filename=documents.file_name(report, extension),
        content_type=content_type,
    )


@require_capability(Capability.CONSOLE)
def report_docx(request, public_id):
    return _download(request, public_id, "docx")


@require_capability(Capability.CONSOLE)
def report_xlsx(request, public_id):
    return _download(request, public_id, "xlsx")


@require_POST
@require_capability(Capability.MANAGE_USERS)
def report_generate(request):
    """Generate (or regenerate) one kind of report for one period, for the staff's scope."""
    kind = request.POST.get("kind", "")
    period = _period_or_none(request.POST.get("period", ""))
    if period is None or kind not in ServiceReport.Kind.values:
        messages.error(request, _("Choose a kind of report and a period."))
        return redirect("console:report_index")
    try:
        result = service_reports_generate(
            actor=request.user,
            kind=kind,
            period_start=period.start,
            period_end=period.end,
            request=request,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("console:report_index")
    messages.success(
        request,
        _("%(count)d reports for %(period)s generated; %(told)d recipients notified.")
        % {"count": result.reports, "period": period.label, "told": result.notified},
    )
    return redirect(f"{reverse('console:report_index')}?kind={kind}&period={period.code}")


@require_capability(Capability.VIEW_AREAS)
def report_not_served(request):
    """Registered, confirmed members of the viewer's communities with no service in a period."""
    period = _period_or_none(request.GET.get("period", "")) or period_containing(
        timezone.now(), report_period_kind("member")
    )
    communities = communities_for_not_served(viewer=request.user)
    community = None
    if request.GET.get("community"):
        community = communities.filter(public_id=_uuid_or_none(request.GET["community"])).first()
    rows = members_not_served(request.user, community, period.start, period.end)
    context = {
        "rows": paginate(request, rows),
        "period": period,
        "periods": _period_choices(period),
        "communities": communities,
        "community": community,
        "query": query_without_page(request),
    }
    return render(request, "console/reports/not_served.html", context)


@require_capability(Capability.CONSOLE)
def report_unit_members(request):
    """A unit's registered members and their service across communities in a period."""
    period = _period_or_none(request.GET.get("period", "")) or period_containing(
        timezone.now(), report_period_kind("member")
    )
    units = units_for_member_service(viewer=request.user)
    unit = None
    if request.GET.get("unit"):
        unit = units.filter(public_id=_uuid_or_none(request.GET["unit"])).first()
    elif scope_of(request.user).unit_ids:
        unit = units.filter(pk__in=scope_of(request.user).unit_ids).first()
    rows = unit_member_service(request.user, unit, period.start, period.end) if unit else []
    totals = {
        "members": len(rows or []),
        "served": sum(1 for row in rows or [] if row.person_times),
        "person_times": sum(row.person_times for row in rows or []),
        "hours": sum((row.hours for row in rows or []), 0),
    }
    context = {
        "unit": unit,
        "units": units,
        "rows": paginate(request, rows or [], per_page=50),
        "query": query_without_page(request),
        "totals": totals,
        "period": period,
        "periods": _period_choices(period),
    }
    return render(request, "console/reports/unit_members.html", context)


def _uuid_or_none(value: str):
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
