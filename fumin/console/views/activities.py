"""Console pages for activities (活动): the list and month calendar, the form, publishing, marking
held and closing, the attendance list with check-in, check-out, hours corrections and its Excel
export, and the sign-in desk (签到台) at the door with its QR code, live count and name search.

Every page is for the staff who run the activity (the registry-editing right in its community):
anyone else gets 404 for an activity outside their scope. Writes go through
``fumin.activities.services``; errors come back naming the field, with status 400.
"""

import calendar
import datetime
import io
import uuid

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fumin.accounts.access import require_capability
from fumin.accounts.scope import Capability
from fumin.activities import services
from fumin.activities.forms import ActivityForm, CloseForm, HoursCorrectionForm
from fumin.activities.models import Activity, Attendance
from fumin.activities.selectors import (
    activity_get,
    activity_list,
    activity_manageable,
    attendance_counts,
    attendance_list,
    signup_candidates,
)
from fumin.audit.services import audit_record
from fumin.core.errors import error_lines
from fumin.core.masking import mask_mobile
from fumin.core.paging import paginate, query_without_page
from fumin.core.search import search_by_name
from fumin.lists.selectors import RUNNING_PROJECT_STATUSES, project_list
from fumin.registry.selectors import area_list, unit_list

from .forms import handle_form

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DESK_RESULTS = 20
PORTAL_CHECKIN_PATH = "/portal/activities/checkin/{code}/"


def _activity_or_404(request, public_id) -> Activity:
    """An activity the viewer runs; any other (also a published one elsewhere) is not found."""
    activity = activity_get(viewer=request.user, public_id=public_id)
    if activity is None or not activity_manageable(viewer=request.user, activity=activity):
        raise Http404
    return activity


def _communities(viewer):
    return area_list(viewer=viewer, kind="community").order_by("path")


def _error_lines(error: ValidationError, labels: dict | None = None) -> list[str]:
    """``field: message`` lines, with the field's label when known."""
    return error_lines(error, labels)


FIELD_LABELS = {
    "status": gettext_lazy("status"),
    "person": gettext_lazy("person"),
    "personal_code": gettext_lazy("personal code"),
    "activity": gettext_lazy("activity"),
    "delta": gettext_lazy("hours added (negative: removed)"),
    "reason": gettext_lazy("reason"),
    "attendance": gettext_lazy("attendance"),
    "beneficiaries": gettext_lazy("beneficiaries (person-times)"),
    "photos": gettext_lazy("photos"),
    "signup_opens_at": gettext_lazy("sign-up opens at"),
    "signup_closes_at": gettext_lazy("sign-up closes at"),
}


def _labels() -> dict:
    return {key: str(value) for key, value in FIELD_LABELS.items()}


# List and calendar ------------------------------------------------------------------------------


def _filters(request):
    scope_communities = _communities(request.user)
    community_id = request.GET.get("community", "")
    community = (
        scope_communities.filter(public_id=community_id).first() if _is_uuid(community_id) else None
    )
    return {
        "q": request.GET.get("q", "").strip(),
        "kind": request.GET.get("kind", "") if request.GET.get("kind") in Activity.Kind else "",
        "status": request.GET.get("status", "")
        if request.GET.get("status") in Activity.Status
        else "",
        "community": community,
        "community_id": community_id if community else "",
        "communities": scope_communities,
    }


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _with_figures(activities):
    places = Q(attendances__status__in=Attendance.PLACE_HOLDING)
    return activities.annotate(
        signed_up=Count("attendances", filter=places),
        checked_in=Count("attendances", filter=Q(attendances__checked_in_at__isnull=False)),
    ).order_by("-starts_at", "-pk")


@require_capability(Capability.EDIT_REGISTRY)
def activity_index(request):
    filters = _filters(request)
    activities = activity_list(
        viewer=request.user,
        text=filters["q"],
        kind=filters["kind"],
        status=filters["status"],
        community=filters["community"],
        manageable=True,
    )
    context = {
        **filters,
        "activities": paginate(request, _with_figures(activities)),
        "kinds": Activity.Kind.choices,
        "statuses": Activity.Status.choices,
        "query": query_without_page(request),
    }
    template = "console/activities/_table.html" if request.htmx else "console/activities/index.html"
    return render(request, template, context)


def _month(request) -> datetime.date:
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in request.GET.get("month", "").split("-"))
        return datetime.date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


@require_capability(Capability.EDIT_REGISTRY)
def activity_calendar(request):
    filters = _filters(request)
    first = _month(request)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    start = timezone.make_aware(datetime.datetime.combine(weeks[0][0], datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(weeks[-1][-1] + datetime.timedelta(days=1), datetime.time.min)
    )
    activities = activity_list(
        viewer=request.user,
        text=filters["q"],
        kind=filters["kind"],
        status=filters["status"],
        community=filters["community"],
        manageable=True,
    ).filter(starts_at__gte=start, starts_at__lt=end)
    by_day: dict[datetime.date, list[Activity]] = {}
    for activity in activities.order_by("starts_at", "pk"):
        by_day.setdefault(timezone.localdate(activity.starts_at), []).append(activity)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    params = request.GET.copy()
    params.pop("month", None)
    context = {
        **filters,
        "month": first,
        "weeks": [[(day, by_day.get(day, [])) for day in week] for week in weeks],
        "weekdays": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
        "previous": previous.strftime("%Y-%m"),
        "next": following.strftime("%Y-%m"),
        "today": timezone.localdate(),
        "query": params.urlencode(),
        "kinds": Activity.Kind.choices,
        "statuses": Activity.Status.choices,
    }
    return render(request, "console/activities/calendar.html", context)


# Create and edit --------------------------------------------------------------------------------


def _form(request, **kwargs) -> ActivityForm:
    communities = _communities(request.user)
    if "initial" not in kwargs:  # a new activity
        kwargs["initial"] = {}
        if len(communities) == 1:
            kwargs["initial"]["community"] = communities[0]  # a secretary's own community
        if request.GET.get("project"):  # "add an activity" on a project's page
            kwargs["initial"]["project"] = request.GET["project"]
    return ActivityForm(
        request.POST or None,
        communities=communities,
        units=unit_list(viewer=request.user),
        projects=project_list(viewer=request.user).filter(status__in=RUNNING_PROJECT_STATUSES),
        **kwargs,
    )


@require_capability(Capability.EDIT_REGISTRY)
def activity_create(request):
    form = _form(request)
    return handle_form(
        request,
        form,
        save=lambda data: reverse(
            "console:activity_detail",
            args=[services.activity_create(actor=request.user, request=request, **data).public_id],
        ),
        success_message=_("Activity saved as a draft."),
        title=_("New activity"),
        breadcrumbs=[(capfirst(_("activities")), reverse("console:activity_index"))],
        cancel_url=reverse("console:activity_index"),
    )


@require_capability(Capability.EDIT_REGISTRY)
def activity_edit(request, public_id):
    activity = _activity_or_404(request, public_id)
    detail_url = reverse("console:activity_detail", args=[activity.public_id])
    form = _form(request, initial=ActivityForm.initial_for(activity))

    def save(data):
        host_units = data.pop("host_units")
        services.activity_update(
            actor=request.user,
            activity=activity,
            host_units=list(host_units),
            request=request,
            **data,
        )
        return detail_url

    return handle_form(
        request,
        form,
        save=save,
        success_message=_("Activity saved."),
        title=_("Edit activity"),
        breadcrumbs=[
            (capfirst(_("activities")), reverse("console:activity_index")),
            (activity.title, detail_url),
        ],
        cancel_url=detail_url,
    )


# Detail and status changes ----------------------------------------------------------------------


def _render_detail(request, activity, *, status=200, close_form=None, correction=None, errors=()):
    """The activity page. ``correction`` is ``(person public id, bound form)`` of a failed
    hours correction, shown on its row; ``errors`` are lines shown at the top."""
    attendances = attendance_list(viewer=request.user, activity=activity).order_by(
        "signed_up_at", "pk"
    )
    rows = []
    for attendance in attendances:
        form = None
        if correction and str(attendance.person.public_id) == correction[0]:
            form = correction[1]
        rows.append((attendance, form))
    context = {
        "activity": activity,
        "host_units": list(activity.host_units.all()),
        "counts": attendance_counts(activity=activity),
        "rows": rows,
        "close_form": close_form or CloseForm(),
        "errors": list(errors),
        "can_check_in": activity.status in (Activity.Status.PUBLISHED, Activity.Status.HELD),
        "can_sign_up_people": activity.status == Activity.Status.PUBLISHED,
        "photos": list(activity.photos.all()),
        "series": activity.series,
    }
    return render(request, "console/activities/detail.html", context, status=status)


@require_capability(Capability.EDIT_REGISTRY)
def activity_detail(request, public_id):
    return _render_detail(request, _activity_or_404(request, public_id))


def _status_action(request, public_id, action, success: str):
    activity = _activity_or_404(request, public_id)
    try:
        action(activity)
    except ValidationError as error:
        return _render_detail(request, activity, status=400, errors=_error_lines(error, _labels()))
    messages.success(request, success)
    return redirect("console:activity_detail", public_id=activity.public_id)


@require_POST
@require_capability(Capability.EDIT_REGISTRY)
def activity_publish(request, public_id):
    return _status_action(
        request,
        public_id,
        lambda a: services.activity_publish(actor=request.user, activity=a, request=request),
        _("Published: people can now sign up."),
    )


@require_POST
@require_capability(Capability.EDIT_REGISTRY)
def activity_mark_held(request, public_id):
    return _status_action(
        request,
        public_id,
        lambda a: services.activity_mark_held(actor=request.user, activity=a, request=request),
        _("Marked as held; people who never checked in are recorded as not having come."),
    )


@require_POST
@require_capability(Capability.EDIT_REGISTRY)
def activity_close(request, public_id):
    activity = _activity_or_404(request, public_id)
    form = CloseForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.activity_close(
                actor=request.user,
                activity=activity,
                beneficiaries=form.cleaned_data["beneficiaries"],
                summary=form.cleaned_data["summary"],
                photos=form.cleaned_data["photos"],
                request=request,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, field_errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, field_errors)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(request, _("Closed; points were awarded by the active rules."))
            return redirect("console:activity_detail", public_id=activity.public_id)
    return _render_detail(request, activity, status=400, close_form=form)


# Attendance: check in, check out, correct hours -------------------------------------------------


def _next_url(request, activity) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("console:activity_detail", args=[activity.public_id])


def _person_of_activity(request, activity):
    """The signed-up person named by the posted ``person`` public id, or None."""
    person_id = request.POST.get("person", "")
    if not _is_uuid(person_id):
        return None
    attendance = (
        attendance_list(viewer=request.user, activity=activity)
        .filter(person__public_id=person_id)
        .first()
    )
    return attendance.person if attendance else None


def _desk_row(request, activity, attendance, *, message="", error=""):
    return render(
        request,
        "console/activities/_desk_person.html",
        {"activity": activity, "attendance": attendance, "message": message, "error": error},
    )


def _attendance_action(request, public_id, *, checkout: bool):
    activity = _activity_or_404(request, public_id)
    personal_code = request.POST.get("personal_code", "").strip()
    walk_up = request.POST.get("walk_up") == "1"
    person = None if personal_code else _person_of_activity(request, activity)
    try:
        if not personal_code and person is None:
            raise ValidationError({"person": _("Choose a person.")})
        kwargs = {"actor": request.user, "activity": activity, "request": request}
        if personal_code:
            kwargs.update(method=Attendance.Method.PERSONAL_CODE, personal_code=personal_code)
        else:
            kwargs.update(method=Attendance.Method.STAFF, person=person)
        if checkout:
            attendance = services.check_out(**kwargs)
        else:
            attendance = services.check_in(walk_up=walk_up, **kwargs)
    except ValidationError as error:
        lines = _error_lines(error, _labels())
        if request.htmx:
            if person is not None:
                current = attendance_list(viewer=request.user, activity=activity).get(person=person)
                return _desk_row(request, activity, current, error=" ".join(lines))
            return render(
                request, "console/activities/_desk_feedback.html", {"error": " ".join(lines)}
            )
        return _render_detail(request, activity, status=400, errors=lines)
    if checkout:
        message = _("%(name)s checked out.") % {"name": attendance.person.name}
    else:
        message = _("%(name)s checked in at %(time)s.") % {
            "name": attendance.person.name,
            "time": timezone.localtime(attendance.checked_in_at).strftime("%H:%M"),
        }
    if request.htmx:
        fresh = attendance_list(viewer=request.user, activity=activity).get(pk=attendance.pk)
        if person is not None:
            response = _desk_row(request, activity, fresh, message=message)
        else:
            response = render(
                request,
                "console/activities/_desk_feedback.html",
                {"message": message, "attendance": fresh},
            )
        response["HX-Trigger"] = "attendance-changed"
        return response
    messages.success(request, message)
    return redirect(_next_url(request, activity))


@require_POST
@require_capability(Capability.EDIT_REGISTRY)
def activity_check_in(request, public_id):
    return _attendance_action(request, public_id, checkout=False)


@require_POST
@require_capability(Capability.EDIT_REGISTRY)
def activity_check_out(request, public_id):
    return _attendance_action(request, public_id, checkout=True)


@require_POST
@require_capability(Capability.EDIT_REGISTRY)
def activity_hours_correct(request, public_id):
    activity = _activity_or_404(request, public_id)
    person_id = request.POST.get("person", "")
    attendance = (
        attendance_list(viewer=request.user, activity=activity)
        .filter(person__public_id=person_id)
        .first()
        if _is_uuid(person_id)
        else None
    )
    if attendance is None:
        return _render_detail(
            request, activity, status=400, errors=[f"{_('person')}: {_('Choose a person.')}"]
        )
    form = HoursCorrectionForm(request.POST)
    if form.is_valid():
        try:
            services.hours_correct(
                actor=request.user,
                attendance=attendance,
                delta=form.cleaned_data["delta"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            messages.success(
                request,
                _("Hours of %(name)s corrected.") % {"name": attendance.person.name},
            )
            return redirect("console:activity_detail", public_id=activity.public_id)
    return _render_detail(request, activity, status=400, correction=(person_id, form))


# Staff sign someone up -------------------------------------------------------------------------


@require_capability(Capability.EDIT_REGISTRY)
def activity_people_search(request, public_id):
    """People of the activity's community (living there or registered with it) found by name,
    full pinyin or initials, each with a button to sign them up (an HTMX fragment)."""
    activity = _activity_or_404(request, public_id)
    text = request.GET.get("q", "").strip()
    people = []
    if text:
        found = signup_candidates(viewer=request.user, activity=activity, text=text)
        people = list(found[:DESK_RESULTS])
    signed = set(
        activity.attendances.exclude(status=Attendance.Status.CANCELLED)
        .filter(person__in=people)
        .values_list("person_id", flat=True)
    )
    return render(
        request,
        "console/activities/_people_results.html",
        {"activity": activity, "people": people, "signed": signed, "q": text},
    )


@require_POST
@require_capability(Capability.EDIT_REGISTRY)
def activity_signup_person(request, public_id):
    """Sign up the chosen person: the same ``signup`` service as a self sign-up, so the
    capacity and the waiting list work alike."""
    activity = _activity_or_404(request, public_id)
    person_id = request.POST.get("person", "")
    person = (
        signup_candidates(viewer=request.user, activity=activity)
        .filter(public_id=person_id)
        .first()
        if _is_uuid(person_id)
        else None
    )
    if person is None:
        return _render_detail(
            request,
            activity,
            status=400,
            errors=[f"{_('person')}: {_('Choose a person of this community.')}"],
        )
    try:
        attendance = services.signup(
            actor=request.user, activity=activity, person=person, request=request
        )
    except ValidationError as error:
        return _render_detail(request, activity, status=400, errors=_error_lines(error, _labels()))
    if attendance.status == Attendance.Status.CONFIRMED:
        messages.success(request, _("%(name)s is signed up.") % {"name": person.name})
    else:
        messages.info(
            request,
            _("The activity is full: %(name)s is on the waiting list.") % {"name": person.name},
        )
    return redirect("console:activity_detail", public_id=activity.public_id)


# Photos -----------------------------------------------------------------------------------------


@require_capability(Capability.EDIT_REGISTRY)
def activity_photo(request, public_id, photo_id):
    """One of the activity's photos, for the staff who run it (never a public media URL)."""
    activity = _activity_or_404(request, public_id)
    photo = activity.photos.filter(pk=photo_id).first()
    if photo is None:
        raise Http404
    try:
        handle = photo.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type=photo.content_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, max-age=3600"
    return response


# Export -----------------------------------------------------------------------------------------


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def attendance_xlsx(activity, attendances) -> io.BytesIO:
    """The attendance list as a workbook; mobile numbers masked."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Attendance")[:31]
    sheet.append([activity.title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(
        [f"{activity.community.name} · {_local(activity.starts_at)} – {_local(activity.ends_at)}"]
    )
    sheet.append([])
    columns = [
        _("Name"),
        _("Mobile number"),
        _("status"),
        _("signed up at"),
        _("checked in at"),
        _("checked out at"),
        _("check-in method"),
        _("walk-up"),
        _("Hours"),
        _("Corrections"),
        _("Effective hours"),
    ]
    sheet.append(columns)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for attendance in attendances:
        corrections = sum(c.delta for c in attendance.corrections.all())
        sheet.append(
            [
                attendance.person.name,
                mask_mobile(attendance.person.mobile),
                attendance.get_status_display(),
                _local(attendance.signed_up_at),
                _local(attendance.checked_in_at),
                _local(attendance.checked_out_at),
                attendance.get_checkin_method_display() if attendance.checkin_method else "",
                _("yes") if attendance.walk_up else "",
                float(attendance.hours),
                float(corrections) if corrections else "",
                float(attendance.effective_hours),
            ]
        )
    widths = (14, 15, 12, 18, 18, 18, 18, 8, 8, 10, 10)
    for letter, width in zip("ABCDEFGHIJK", widths, strict=True):
        sheet.column_dimensions[letter].width = width
    output = io.BytesIO()
    workbook.save(output)
    output.seek(0)
    return output


@require_capability(Capability.EDIT_REGISTRY)
def activity_export(request, public_id):
    activity = _activity_or_404(request, public_id)
    attendances = list(
        attendance_list(viewer=request.user, activity=activity).order_by("signed_up_at", "pk")
    )
    output = attendance_xlsx(activity, attendances)
    # The sheet names people (masked): handing it out as a file is an export of personal data.
    audit_record(
        actor=request.user,
        action="export",
        target=activity,
        request=request,
        after={"format": "xlsx", "list": "attendance", "rows": len(attendances)},
    )
    day = timezone.localdate(activity.starts_at).isoformat()
    return FileResponse(
        output,
        as_attachment=True,
        filename=f"{_('attendance')}-{activity.title[:40]}-{day}.xlsx",
        content_type=XLSX,
    )


# The sign-in desk -------------------------------------------------------------------------------


def checkin_url(request, activity) -> str:
    """The portal page a phone opens by scanning the desk's QR code."""
    return request.build_absolute_uri(PORTAL_CHECKIN_PATH.format(code=activity.checkin_code))


@require_capability(Capability.EDIT_REGISTRY)
def activity_desk(request, public_id):
    activity = _activity_or_404(request, public_id)
    url = checkin_url(request, activity)
    qr_svg = segno.make(url, error="m").svg_inline(
        scale=10, border=2, omitsize=True, dark="#1f2328", title=_("Check-in QR code")
    )
    context = {
        "activity": activity,
        "checkin_url": url,
        "qr_svg": qr_svg,
        "code_groups": (activity.checkin_code[:4], activity.checkin_code[4:]),
        "counts": attendance_counts(activity=activity),
        "open": activity.status in (Activity.Status.PUBLISHED, Activity.Status.HELD),
    }
    return render(request, "console/activities/desk.html", context)


@require_capability(Capability.EDIT_REGISTRY)
def activity_desk_count(request, public_id):
    activity = _activity_or_404(request, public_id)
    return render(
        request,
        "console/activities/_live_count.html",
        {"activity": activity, "counts": attendance_counts(activity=activity)},
    )


@require_capability(Capability.EDIT_REGISTRY)
def activity_desk_search(request, public_id):
    activity = _activity_or_404(request, public_id)
    text = request.GET.get("q", "").strip()
    attendances = []
    if text:
        found = search_by_name(
            attendance_list(viewer=request.user, activity=activity).exclude(
                status=Attendance.Status.CANCELLED
            ),
            text,
            prefix="person__",
        )
        attendances = list(found.order_by("person__name_pinyin", "pk")[:DESK_RESULTS])
    return render(
        request,
        "console/activities/_desk_results.html",
        {"activity": activity, "attendances": attendances, "q": text},
    )
