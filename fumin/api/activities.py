"""Activities endpoints: browse, run (staff), sign up and check in, hours, points.

Reads go through ``fumin.activities.selectors`` (an activity the caller may not see is "not
found"); writes through ``fumin.activities.services``, so a call here is checked and audited like
the same step on a page. Attendances are addressed by their natural key, the activity and the
person (``/activities/{activity_id}/attendances/{person_id}``).

Check-in is idempotent by design: the natural key (activity, person) makes a repeat find the first
check-in, so ``POST /activities/{id}/checkins`` answers 201 the first time and 200 with the same
body on every repeat. An ``Idempotency-Key`` header is accepted (and echoed) for clients that send
one, but nothing needs to be stored for it.
"""

import datetime
from decimal import Decimal
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from fumin.activities import selectors, services
from fumin.activities.geo import parse_position
from fumin.activities.models import Activity, Attendance
from fumin.core.masking import mask_mobile
from fumin.registry.models import Area, Person, Unit
from fumin.registry.selectors import area_list, person_list

from .common import Ref, page, ref, resolve

router = Router(tags=["activities"])
IDEMPOTENCY_HEADER = "Idempotency-Key"


# Schemas ----------------------------------------------------------------------------------------


class ActivityRef(Schema):
    id: UUID
    title: str


class CountsOut(Schema):
    confirmed: int
    waitlisted: int
    checked_in: int
    checked_out: int
    places_left: int | None


class ActivityOut(Schema):
    id: UUID
    title: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    community: Ref
    host_units: list[Ref]
    project: Ref | None = None
    place: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    capacity: int | None
    signup_opens_at: datetime.datetime | None
    signup_closes_at: datetime.datetime | None
    description: str
    beneficiaries: int | None
    summary: str
    manageable: bool
    checkin_code: str | None = Field(None, description="Only for the staff who run it.")
    counts: CountsOut | None = None
    series_id: UUID | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    geofence_radius_m: int | None = None


class ActivityPage(Schema):
    count: int
    items: list[ActivityOut]


class ActivityFilter(Schema):
    q: str = ""
    kind: str = ""
    status: str = ""
    community_id: UUID | None = None
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class ActivityIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    kind: str
    community_id: UUID
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    host_unit_ids: list[UUID] = []
    project_id: UUID | None = Field(None, description="A published project it belongs to")
    place: str = ""
    capacity: int | None = Field(None, ge=1)
    signup_opens_at: datetime.datetime | None = None
    signup_closes_at: datetime.datetime | None = None
    description: str = ""
    latitude: Decimal | None = Field(None, ge=-90, le=90, max_digits=9, decimal_places=6)
    longitude: Decimal | None = Field(None, ge=-180, le=180, max_digits=9, decimal_places=6)
    geofence_radius_m: int | None = Field(None, ge=10, le=50_000)


class ActivityPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    kind: str | None = None
    community_id: UUID | None = None
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    host_unit_ids: list[UUID] | None = None
    project_id: UUID | None = None
    place: str | None = None
    capacity: int | None = Field(None, ge=1)
    signup_opens_at: datetime.datetime | None = None
    signup_closes_at: datetime.datetime | None = None
    description: str | None = None
    latitude: Decimal | None = Field(None, ge=-90, le=90, max_digits=9, decimal_places=6)
    longitude: Decimal | None = Field(None, ge=-180, le=180, max_digits=9, decimal_places=6)
    geofence_radius_m: int | None = Field(None, ge=10, le=50_000)


class CloseIn(Schema):
    beneficiaries: int = Field(..., ge=0)
    summary: str = ""


class AttendanceOut(Schema):
    activity: ActivityRef
    person: Ref
    mobile_masked: str
    status: str
    status_label: str
    signed_up_at: datetime.datetime
    checked_in_at: datetime.datetime | None
    checked_out_at: datetime.datetime | None
    walk_up: bool
    checkin_method: str
    hours: Decimal
    effective_hours: Decimal


class AttendancePage(Schema):
    count: int
    items: list[AttendanceOut]


class AttendanceFilter(Schema):
    status: str = ""
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class PageFilter(Schema):
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class CheckinIn(Schema):
    """Exactly one of: ``person_id`` (staff choose the person), ``personal_code`` (staff type
    the code the person shows), ``code`` (the person types the activity's code)."""

    person_id: UUID | None = None
    personal_code: str | None = Field(None, max_length=20)
    code: str | None = Field(None, max_length=20)
    walk_up: bool = False
    # A self check-in may send the phone's position for the activity's geofence: only whether
    # it was inside is kept, never the coordinates.
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)


class SignupIn(Schema):
    person_id: UUID


class CorrectionIn(Schema):
    delta: Decimal = Field(..., max_digits=6, decimal_places=2)
    reason: str = Field(..., max_length=500)


class CorrectionOut(Schema):
    attendance: AttendanceOut
    delta: Decimal
    reason: str
    created_at: datetime.datetime


class PointsEntryOut(Schema):
    points: int
    reason: str
    activity: ActivityRef | None
    created_at: datetime.datetime


class PointsOut(Schema):
    balance: int
    count: int
    items: list[PointsEntryOut]


# Helpers ----------------------------------------------------------------------------------------


def _activity_ref(activity: Activity) -> dict:
    return {"id": activity.public_id, "title": activity.title}


def _project(project_id, viewer):
    from fumin.lists.selectors import project_list

    return resolve("project_id", project_id, project_list(viewer=viewer))


def _activity_out(activity: Activity, viewer, detail: bool = False) -> dict:
    manageable = selectors.activity_manageable(viewer=viewer, activity=activity)
    out = {
        "id": activity.public_id,
        "title": activity.title,
        "kind": activity.kind,
        "kind_label": activity.get_kind_display(),
        "status": activity.status,
        "status_label": activity.get_status_display(),
        "community": ref(activity.community),
        "host_units": [ref(u) for u in activity.host_units.all()],
        "project": ref(activity.project) if activity.project_id else None,
        "place": activity.place,
        "starts_at": activity.starts_at,
        "ends_at": activity.ends_at,
        "capacity": activity.capacity,
        "signup_opens_at": activity.signup_opens_at,
        "signup_closes_at": activity.signup_closes_at,
        "description": activity.description,
        "beneficiaries": activity.beneficiaries,
        "summary": activity.summary,
        "manageable": manageable,
        "checkin_code": activity.checkin_code if manageable else None,
        "counts": None,
        "series_id": activity.series.public_id if activity.series_id else None,
        "latitude": activity.latitude,
        "longitude": activity.longitude,
        "geofence_radius_m": activity.geofence_radius_m,
    }
    if detail:
        counts = selectors.attendance_counts(activity=activity)
        out["counts"] = {
            "confirmed": counts.confirmed,
            "waitlisted": counts.waitlisted,
            "checked_in": counts.checked_in,
            "checked_out": counts.checked_out,
            "places_left": counts.places_left,
        }
    return out


def _attendance_out(attendance: Attendance) -> dict:
    return {
        "activity": _activity_ref(attendance.activity),
        "person": ref(attendance.person),
        "mobile_masked": mask_mobile(attendance.person.mobile or ""),
        "status": attendance.status,
        "status_label": attendance.get_status_display(),
        "signed_up_at": attendance.signed_up_at,
        "checked_in_at": attendance.checked_in_at,
        "checked_out_at": attendance.checked_out_at,
        "walk_up": attendance.walk_up,
        "checkin_method": attendance.checkin_method,
        "hours": attendance.hours,
        "effective_hours": attendance.effective_hours,
    }


def _get(request, activity_id: UUID) -> Activity:
    found = selectors.activity_get(viewer=request.user, public_id=activity_id)
    if found is None:
        raise Http404
    return found


def _managed(request, activity_id: UUID) -> Activity:
    """An activity the caller runs: not visible is 404, visible but not theirs 403."""
    found = _get(request, activity_id)
    if not selectors.activity_manageable(viewer=request.user, activity=found):
        raise PermissionDenied
    return found


def _communities(viewer):
    return area_list(viewer=viewer, kind=Area.Kind.COMMUNITY)


def _host_units(ids: list[UUID]) -> list[Unit]:
    units = Unit.objects.filter(archived_at__isnull=True)
    return [resolve(f"host_unit_ids.{n}", unit_id, units) for n, unit_id in enumerate(ids)]


def _person_for(request, activity: Activity, person_id: UUID) -> Person:
    """A person signed up for the activity, or one in the caller's scope (a walk-up)."""
    found = (
        Person.objects.filter(public_id=person_id, attendances__activity=activity).first()
        or person_list(viewer=request.user).filter(public_id=person_id).first()
    )
    if found is None:
        raise ValidationError({"person_id": _("No such record, or it is outside your scope.")})
    return found


def _code_arguments(request, activity: Activity, payload: CheckinIn) -> dict:
    """The service's arguments for one of the three ways of naming who checks in or out."""
    given = [
        name for name in ("person_id", "personal_code", "code") if getattr(payload, name) not in
        (None, "")
    ]  # fmt: skip
    if len(given) != 1:
        message = _("Give exactly one of person_id, personal_code and code.")
        raise ValidationError({name: message for name in given or ["person_id"]})
    if payload.code:
        return {"method": Attendance.Method.TYPED_CODE, "activity_code": payload.code}
    if not selectors.activity_manageable(viewer=request.user, activity=activity):
        raise PermissionDenied
    if payload.personal_code:
        return {
            "method": Attendance.Method.PERSONAL_CODE,
            "personal_code": payload.personal_code,
        }
    return {
        "method": Attendance.Method.STAFF,
        "person": _person_for(request, activity, payload.person_id),
    }


def _code_errors(exc: ValidationError) -> ValidationError:
    """Name the API's fields: the services say ``activity_code`` for what the API calls ``code``."""
    if hasattr(exc, "error_dict") and "activity_code" in exc.error_dict:
        errors = dict(exc.error_dict)
        errors["code"] = errors.pop("activity_code")
        return ValidationError(errors)
    return exc


# Activities -------------------------------------------------------------------------------------


@router.get("/activities", response=ActivityPage)
def activities(request, filters: Query[ActivityFilter]):
    community = None
    if filters.community_id is not None:
        community = resolve(
            "community_id", filters.community_id, Area.objects.filter(kind=Area.Kind.COMMUNITY)
        )
    found = (
        selectors.activity_list(
            viewer=request.user,
            text=filters.q,
            kind=filters.kind,
            status=filters.status,
            community=community,
        )
        .select_related("series")
        .prefetch_related("host_units")
    )
    return page(found, filters, lambda a: _activity_out(a, request.user))


@router.get("/activities/{activity_id}", response=ActivityOut)
def activity(request, activity_id: UUID):
    return _activity_out(_get(request, activity_id), request.user, detail=True)


@router.post("/activities", response={201: ActivityOut})
def activity_create(request, payload: ActivityIn):
    fields = payload.dict()
    community = resolve("community_id", fields.pop("community_id"), _communities(request.user))
    host_units = _host_units(fields.pop("host_unit_ids"))
    fields["project"] = _project(fields.pop("project_id"), request.user)
    created = services.activity_create(
        actor=request.user,
        community=community,
        host_units=host_units,
        request=request,
        **fields,
    )
    return Status(201, _activity_out(created, request.user, detail=True))


@router.patch("/activities/{activity_id}", response=ActivityOut)
def activity_update(request, activity_id: UUID, payload: ActivityPatch):
    found = _managed(request, activity_id)
    fields = payload.dict(exclude_unset=True)
    host_units = None
    if "host_unit_ids" in fields:
        host_units = _host_units(fields.pop("host_unit_ids") or [])
    if "project_id" in fields:
        fields["project"] = _project(fields.pop("project_id"), request.user)
    if "community_id" in fields:
        fields["community"] = resolve(
            "community_id", fields.pop("community_id"), _communities(request.user)
        )
    for name in ("title", "kind", "starts_at", "ends_at", "place", "description"):
        if name in fields and fields[name] is None:
            raise ValidationError({name: _("This field cannot be empty.")})
    updated = services.activity_update(
        actor=request.user, activity=found, host_units=host_units, request=request, **fields
    )
    return _activity_out(updated, request.user, detail=True)


@router.post("/activities/{activity_id}/publish", response=ActivityOut)
def activity_publish(request, activity_id: UUID):
    found = _managed(request, activity_id)
    done = services.activity_publish(actor=request.user, activity=found, request=request)
    return _activity_out(done, request.user, detail=True)


@router.post("/activities/{activity_id}/held", response=ActivityOut)
def activity_held(request, activity_id: UUID):
    found = _managed(request, activity_id)
    done = services.activity_mark_held(actor=request.user, activity=found, request=request)
    return _activity_out(done, request.user, detail=True)


@router.post("/activities/{activity_id}/close", response=ActivityOut)
def activity_close(request, activity_id: UUID, payload: CloseIn):
    found = _managed(request, activity_id)
    done = services.activity_close(
        actor=request.user,
        activity=found,
        beneficiaries=payload.beneficiaries,
        summary=payload.summary,
        request=request,
    )
    return _activity_out(done, request.user, detail=True)


# Sign-up ----------------------------------------------------------------------------------------


@router.post("/activities/{activity_id}/signup", response=AttendanceOut)
def activity_signup(request, activity_id: UUID):
    """Sign oneself up: confirmed while places are left, else on the waiting list. Signing up
    again answers the same sign-up."""
    found = _get(request, activity_id)
    attendance = services.signup(actor=request.user, activity=found, request=request)
    return _attendance_out(attendance)


@router.post("/activities/{activity_id}/signup/cancel", response=AttendanceOut)
def activity_signup_cancel(request, activity_id: UUID):
    found = _get(request, activity_id)
    attendance = services.signup_cancel(actor=request.user, activity=found, request=request)
    return _attendance_out(attendance)


@router.post("/activities/{activity_id}/signups", response={200: AttendanceOut, 201: AttendanceOut})
def activity_signup_person(request, activity_id: UUID, payload: SignupIn):
    """Staff sign a person of the activity's community up (living there or registered with it):
    the same service as a self sign-up, so the capacity and the waiting list work alike. 201
    with the new sign-up, 200 when the person was already signed up."""
    found = _managed(request, activity_id)
    person = resolve(
        "person_id",
        payload.person_id,
        selectors.signup_candidates(viewer=request.user, activity=found),
    )
    before = Attendance.objects.filter(activity=found, person=person).exclude(
        status=Attendance.Status.CANCELLED
    )
    existed = before.exists()
    attendance = services.signup(actor=request.user, activity=found, person=person, request=request)
    attendance.person = person
    return Status(200 if existed else 201, _attendance_out(attendance))


# Series -----------------------------------------------------------------------------------------


class SeriesIn(Schema):
    """A repeating activity. ``rrule`` is an RFC 5545 RRULE over Shanghai wall time, weekly or
    monthly, ending with UNTIL or COUNT, e.g. ``FREQ=WEEKLY;INTERVAL=2;BYDAY=SA;COUNT=6``."""

    title: str = Field(..., min_length=1, max_length=200)
    kind: str
    community_id: UUID
    rrule: str = Field(..., min_length=1, max_length=500)
    starts_on: datetime.date
    start_time: datetime.time
    duration_minutes: int = Field(..., ge=1, le=24 * 60)
    host_unit_ids: list[UUID] = []
    place: str = ""
    capacity: int | None = Field(None, ge=1)
    description: str = ""
    publish: bool = False


class GenerateIn(Schema):
    until: datetime.date | None = None


class SeriesOut(Schema):
    id: UUID
    title: str
    kind: str
    community: Ref
    rrule: str
    starts_on: datetime.date
    start_time: datetime.time
    duration_minutes: int
    publish: bool
    generated: list[ActivityRef]
    occurrences: int


def _series_out(series, created) -> dict:
    return {
        "id": series.public_id,
        "title": series.title,
        "kind": series.kind,
        "community": ref(series.community),
        "rrule": series.rrule,
        "starts_on": series.starts_on,
        "start_time": series.start_time,
        "duration_minutes": series.duration_minutes,
        "publish": series.publish,
        "generated": [_activity_ref(a) for a in created],
        "occurrences": series.activities.count(),
    }


@router.post("/activity-series", response={201: SeriesOut})
def activity_series_create(request, payload: SeriesIn):
    """Create a series and generate its occurrences (drafts unless ``publish``)."""
    fields = payload.dict()
    community = resolve("community_id", fields.pop("community_id"), _communities(request.user))
    host_units = _host_units(fields.pop("host_unit_ids"))
    series = services.series_create(
        actor=request.user, community=community, host_units=host_units, request=request, **fields
    )
    created = services.series_generate(actor=request.user, series=series, request=request)
    return Status(201, _series_out(series, created))


@router.post("/activity-series/{series_id}/generate", response=SeriesOut)
def activity_series_generate(request, series_id: UUID, payload: GenerateIn):
    """Generate the occurrences that are missing (up to ``until``, a Shanghai date, when
    given). Running it again creates nothing."""
    series = selectors.series_get(viewer=request.user, public_id=series_id)
    if series is None:
        raise Http404
    created = services.series_generate(
        actor=request.user, series=series, until=payload.until, request=request
    )
    return _series_out(series, created)


# Attendance -------------------------------------------------------------------------------------


@router.get("/activities/{activity_id}/attendances", response=AttendancePage)
def activity_attendances(request, activity_id: UUID, filters: Query[AttendanceFilter]):
    """Who signed up, in sign-up order, mobiles masked: for the staff who run the activity."""
    found = _managed(request, activity_id)
    rows = selectors.attendance_list(viewer=request.user, activity=found, status=filters.status)
    return page(rows, filters, _attendance_out)


@router.post(
    "/activities/{activity_id}/checkins", response={200: AttendanceOut, 201: AttendanceOut}
)
def activity_checkin(request, response: HttpResponse, activity_id: UUID, payload: CheckinIn):
    """Check a person in. Idempotent: 201 with the attendance the first time, 200 with the same
    body on every repeat (the natural key is the activity and the person). An
    ``Idempotency-Key`` header is accepted and echoed back."""
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key is not None:
        if not 1 <= len(key) <= 255:
            raise ValidationError({IDEMPOTENCY_HEADER: _("Use a key of 1 to 255 characters.")})
        response[IDEMPOTENCY_HEADER] = key
    if payload.person_id is not None and not (payload.personal_code or payload.code):
        # The desk's usual call: the service reads and locks the activity, the person and the
        # attendance in one statement and checks the same rights as below on what it read.
        try:
            attendance = services.check_in_by_ids(
                actor=request.user,
                activity_id=activity_id,
                person_id=payload.person_id,
                walk_up=payload.walk_up,
                request=request,
            )
        except Activity.DoesNotExist:
            raise Http404 from None
        return Status(201 if attendance.checked_in_now else 200, _attendance_out(attendance))
    found = _get(request, activity_id)
    arguments = _code_arguments(request, found, payload)
    try:
        attendance = services.check_in(
            actor=request.user,
            activity=found,
            walk_up=payload.walk_up,
            position=parse_position(payload.latitude, payload.longitude),
            request=request,
            **arguments,
        )
    except ValidationError as exc:
        raise _code_errors(exc) from exc
    status = 201 if getattr(attendance, "checked_in_now", False) else 200
    return Status(status, _attendance_out(attendance))


@router.post("/activities/{activity_id}/checkouts", response=AttendanceOut)
def activity_checkout(request, activity_id: UUID, payload: CheckinIn):
    """Check a checked-in person out; their hours follow. Repeats change nothing."""
    found = _get(request, activity_id)
    arguments = _code_arguments(request, found, payload)
    try:
        attendance = services.check_out(
            actor=request.user, activity=found, request=request, **arguments
        )
    except ValidationError as exc:
        raise _code_errors(exc) from exc
    return _attendance_out(attendance)


@router.post(
    "/activities/{activity_id}/attendances/{person_id}/corrections", response={201: CorrectionOut}
)
def hours_correction(request, activity_id: UUID, person_id: UUID, payload: CorrectionIn):
    """Add (or, negative, remove) hours of an attendance, with the reason: a separate, audited
    entry; the check-in and check-out times stay as they were."""
    found = _managed(request, activity_id)
    attendance = (
        Attendance.objects.filter(activity=found, person__public_id=person_id)
        .select_related("person")
        .first()
    )
    if attendance is None:
        raise Http404
    attendance.activity = found
    correction = services.hours_correct(
        actor=request.user,
        attendance=attendance,
        delta=payload.delta,
        reason=payload.reason,
        request=request,
    )
    fresh = Attendance.objects.select_related("person", "activity").get(pk=attendance.pk)
    return Status(
        201,
        {
            "attendance": _attendance_out(fresh),
            "delta": correction.delta,
            "reason": correction.reason,
            "created_at": correction.created_at,
        },
    )


# Mine -------------------------------------------------------------------------------------------


@router.get("/me/attendances", response=AttendancePage)
def my_attendances(request, filters: Query[PageFilter]):
    rows = selectors.my_attendances(viewer=request.user).select_related("person")
    return page(rows, filters, _attendance_out)


@router.get("/me/points", response=PointsOut)
def my_points(request, filters: Query[PageFilter]):
    """The points balance (a sum of the ledger) and the ledger, latest first."""
    person = services.person_of(request.user)
    if person is None:
        return {"balance": 0, "count": 0, "items": []}
    ledger = selectors.points_ledger(person=person).order_by("-created_at", "-pk")
    result = page(
        ledger,
        filters,
        lambda e: {
            "points": e.points,
            "reason": e.reason,
            "activity": _activity_ref(e.attendance.activity) if e.attendance_id else None,
            "created_at": e.created_at,
        },
    )
    return {"balance": selectors.points_balance(person=person), **result}
