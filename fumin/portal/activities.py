"""The resident's activity pages, phone first: browse and sign up, check in by the activity's
code (the URL the sign-in desk's QR code encodes, or typed), check out, my activities with hours,
points and my personal code, and the volunteer service record as a document.

Every write goes through ``fumin.activities.services``; these views only translate its errors
into messages and form errors.
"""

from decimal import Decimal

import segno
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fumin.activities import selectors, services
from fumin.activities.documents import DOCX, service_record_docx, service_record_file_name
from fumin.activities.geo import parse_position
from fumin.activities.models import CODE_LENGTH, Activity, Attendance, normalize_code

PORTAL_STATUSES = selectors.PUBLIC_STATUSES


def _portal_activities(user):
    """What a resident may browse: published (and held or closed) activities, never drafts, also
    for staff whose selector would show their drafts."""
    return selectors.activity_list(viewer=user).filter(status__in=PORTAL_STATUSES)


def _get_activity(user, public_id) -> Activity:
    activity = _portal_activities(user).filter(public_id=public_id).first()
    if activity is None:
        raise Http404
    return activity


def _error_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _my_community(person):
    """The community I live in, or else the one I am registered with (双报到)."""
    if person is None:
        return None
    if person.home_community_id:
        return person.home_community
    registration = (
        person.registrations.filter(status="confirmed").select_related("community").first()
    )
    return registration.community if registration else None


def activity_list(request):
    """Published activities: upcoming first (soonest on top), then recent ones that took place.
    ``?scope=all`` shows every community; by default my own community when I have one."""
    person = services.person_of(request.user)
    community = _my_community(person)
    scope = request.GET.get("scope") or ("mine" if community else "all")
    if community is None:
        scope = "all"
    activities = _portal_activities(request.user)
    if scope == "mine":
        activities = activities.filter(community=community)
    now = timezone.now()
    upcoming = activities.filter(status=Activity.Status.PUBLISHED, ends_at__gte=now).order_by(
        "starts_at", "pk"
    )
    past = activities.filter(Q(ends_at__lt=now) | ~Q(status=Activity.Status.PUBLISHED)).order_by(
        "-starts_at", "-pk"
    )[:20]
    upcoming = list(upcoming[:50])
    mine = {}
    if person is not None:
        mine = dict(
            Attendance.objects.filter(person=person, activity__in=upcoming).values_list(
                "activity_id", "status"
            )
        )
    for activity in upcoming:
        activity.my_status = mine.get(activity.pk)
    context = {
        "scope": scope,
        "community": community,
        "upcoming": upcoming,
        "past": past,
        "status_labels": dict(Attendance.Status.choices),
    }
    return render(request, "portal/activities/list.html", context)


def _waitlist_position(attendance: Attendance) -> int:
    ahead = Attendance.objects.filter(
        activity_id=attendance.activity_id, status=Attendance.Status.WAITLISTED
    ).filter(
        Q(signed_up_at__lt=attendance.signed_up_at)
        | Q(signed_up_at=attendance.signed_up_at, pk__lt=attendance.pk)
    )
    return ahead.count() + 1


def activity_detail(request, public_id):
    activity = _get_activity(request.user, public_id)
    person = services.person_of(request.user)
    attendance = None
    position = None
    if person is not None:
        attendance = (
            Attendance.objects.filter(activity=activity, person=person)
            .prefetch_related("corrections")
            .first()
        )
        if attendance is not None and attendance.status == Attendance.Status.WAITLISTED:
            position = _waitlist_position(attendance)
    now = timezone.now()
    closes = activity.signup_closes_at or activity.starts_at
    signup_open = (
        activity.status == Activity.Status.PUBLISHED
        and (activity.signup_opens_at is None or now >= activity.signup_opens_at)
        and now < closes
    )
    active = attendance is not None and attendance.status != Attendance.Status.CANCELLED
    context = {
        "activity": activity,
        "counts": selectors.attendance_counts(activity=activity),
        "person": person,
        "attendance": attendance,
        "position": position,
        "signup_open": signup_open,
        "can_sign_up": person is not None and signup_open and not active,
        "can_cancel": active
        and attendance.status in (Attendance.Status.CONFIRMED, Attendance.Status.WAITLISTED)
        and activity.status == Activity.Status.PUBLISHED
        and now < activity.starts_at,
        "can_check_out": attendance is not None
        and attendance.checked_in_at is not None
        and attendance.checked_out_at is None
        and activity.status != Activity.Status.CLOSED,
    }
    return render(request, "portal/activities/detail.html", context)


@require_POST
def activity_signup(request, public_id):
    activity = _get_activity(request.user, public_id)
    try:
        attendance = services.signup(actor=request.user, activity=activity, request=request)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        if attendance.status == Attendance.Status.CONFIRMED:
            messages.success(request, _("You are signed up. See you there!"))
        else:
            messages.info(
                request,
                _("The activity is full: you are on the waiting list, number %(n)s.")
                % {"n": _waitlist_position(attendance)},
            )
    return redirect("portal:activity_detail", public_id=activity.public_id)


@require_POST
def activity_cancel(request, public_id):
    activity = _get_activity(request.user, public_id)
    try:
        services.signup_cancel(actor=request.user, activity=activity, request=request)
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(request, _("Your sign-up is cancelled."))
    return redirect("portal:activity_detail", public_id=activity.public_id)


@require_POST
def activity_checkout(request, public_id):
    """Check myself out. Checking in proved I was there with the activity's code, so the page
    passes that code on for me."""
    activity = _get_activity(request.user, public_id)
    try:
        attendance = services.check_out(
            actor=request.user,
            method=Attendance.Method.QR,
            activity=activity,
            activity_code=activity.checkin_code,
            request=request,
        )
    except ValidationError as error:
        _error_messages(request, error)
    else:
        messages.success(
            request,
            _("Checked out. %(hours)s hours of service.") % {"hours": attendance.effective_hours},
        )
    return redirect("portal:activity_detail", public_id=activity.public_id)


def _check_in(request, code: str, method: str, activity: Activity | None = None, position=None):
    """(attendance, None) or (None, ValidationError) for a self check-in with ``code``
    (``activity``: the one the page already read by that code, so it is not read again)."""
    try:
        attendance = services.check_in(
            actor=request.user,
            method=method,
            activity=activity,
            activity_code=code,
            position=position,
            request=request,
        )
    except ValidationError as error:
        return None, error
    except PermissionDenied:
        return None, ValidationError({"person": _("You cannot check this person in.")})
    return attendance, None


def activity_checkin_code(request, code):
    """The URL the sign-in desk's QR code encodes. Opening it shows the activity and one button:
    the tap (a POST) checks me in, so a link preview or prefetch never does. Opening it once
    checked in shows that check-in. Someone not logged in is sent to log in and back here."""
    activity = (
        Activity.objects.select_related("community")
        .filter(checkin_code=normalize_code(code))
        .first()
    )
    if activity is None or activity.status not in PORTAL_STATUSES:
        context = {"error": _("No activity has this check-in code."), "code": code}
        return render(request, "portal/activities/checkin_result.html", context, status=404)
    if request.method != "POST":
        done = Attendance.objects.filter(
            activity=activity, person__user=request.user, checked_in_at__isnull=False
        ).first()
        context = {"activity": activity, "attendance": done, "code": code}
        template = "checkin_result.html" if done else "checkin_confirm.html"
        return render(request, f"portal/activities/{template}", context)
    # The page's script may send the phone's position for the geofence (optional): it is only
    # compared with the activity's, never stored.
    position = parse_position(request.POST.get("latitude"), request.POST.get("longitude"))
    attendance, error = _check_in(request, code, Attendance.Method.QR, activity, position)
    context = {"activity": activity, "attendance": attendance, "code": code}
    if error is not None:
        context["error"] = " ".join(error.messages)
        return render(request, "portal/activities/checkin_result.html", context, status=400)
    return render(request, "portal/activities/checkin_result.html", context)


class CheckinCodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("check-in code"),
        max_length=20,
        help_text=gettext_lazy("The 8 letters and digits shown at the sign-in desk."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "class": "mono"}
        ),
    )

    def clean_code(self):
        code = normalize_code(self.cleaned_data["code"])
        if len(code) != CODE_LENGTH:
            raise ValidationError(_("A check-in code has 8 letters and digits."))
        return code


def activity_checkin(request):
    """Type the activity's 8-character code to check in."""
    form = CheckinCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # The page's script may send the phone's position for the geofence (optional): it is
        # only compared with the activity's, never stored.
        position = parse_position(request.POST.get("latitude"), request.POST.get("longitude"))
        attendance, error = _check_in(
            request, form.cleaned_data["code"], Attendance.Method.TYPED_CODE, position=position
        )
        if error is None:
            messages.success(
                request,
                _("Checked in to %(title)s.") % {"title": attendance.activity.title},
            )
            return redirect("portal:activity_detail", public_id=attendance.activity.public_id)
        for field, errors in error.message_dict.items():
            form.add_error("code" if field == "activity_code" else None, errors)
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/activities/checkin.html", {"form": form}, status=status)


def my_activities(request):
    """My sign-ups and attendance, hours, points and my personal code (text and QR)."""
    person = services.person_of(request.user)
    context = {"person": person}
    if person is not None:
        attendances = list(selectors.my_attendances(viewer=request.user))
        attended = [a for a in attendances if a.status == Attendance.Status.ATTENDED]
        code = services.personal_code(person=person)
        context.update(
            attendances=attendances,
            attended_count=len(attended),
            total_hours=sum((a.effective_hours for a in attended), Decimal(0)),
            balance=selectors.points_balance(person=person),
            ledger=selectors.points_ledger(person=person).order_by("-created_at", "-pk")[:50],
            personal_code=code,
            personal_qr=segno.make(code, error="m").svg_inline(
                scale=5, omitsize=True, dark="#1f2328"
            ),
        )
    return render(request, "portal/activities/mine.html", context)


def service_record(request):
    """志愿服务记录证明 as .docx: my attended service with hours; the ID number masked."""
    person = services.person_of(request.user)
    if person is None:
        raise Http404
    document = service_record_docx(person)
    response = HttpResponse(document.getvalue(), content_type=DOCX)
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{service_record_file_name(person, quoted=True)}"
    )
    return response
