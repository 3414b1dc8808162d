"""Writes for activities: create and publish, sign up and cancel, check in and out, hours
corrections, closing with points, personal codes, volunteer teams.

Staff who may edit the registry in an activity's community manage it and check people in; a person
signs themself up, cancels and checks in by code through the ``Person`` linked to their account.
``actor=None`` is the system (demo data, commands). Sign-up, cancel and check-in lock the
activity's row, so places are never oversold, also when many people sign up at once.
"""

import datetime
from decimal import Decimal, InvalidOperation
from functools import partial
from uuid import UUID

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fumin.audit.services import audit_change, audit_entry, update_audited
from fumin.core.changes import apply_changes
from fumin.core.crypto import keyed_hash
from fumin.notifications.services import notify
from fumin.registry.models import Area, Person, Unit
from fumin.registry.selectors import person_list
from fumin.registry.services import require_editable

from .checkin_read import read_for_check_in
from .geo import inside_geofence
from .models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Activity,
    ActivityPhoto,
    ActivitySeries,
    Attendance,
    HoursCorrection,
    PersonalCode,
    PointsEntry,
    PointsRule,
    TeamMembership,
    VolunteerTeam,
    new_checkin_code,
    normalize_code,
)
from .selectors import activity_visible

ACTIVITY_FIELDS = (
    "title",
    "kind",
    "community",
    "place",
    "starts_at",
    "ends_at",
    "capacity",
    "signup_opens_at",
    "signup_closes_at",
    "description",
    "latitude",
    "longitude",
    "geofence_radius_m",
    "project",
)
# Self check-in may start this long before the activity does.
CHECKIN_OPENS_BEFORE = datetime.timedelta(hours=1)
SELF_METHODS = (Attendance.Method.QR, Attendance.Method.TYPED_CODE)
MAX_CORRECTION = Decimal(24)


def person_of(user) -> Person | None:
    """The registry person linked to ``user``'s account, if any."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user, archived_at__isnull=True).first()


def _may_manage(actor, activity: Activity) -> bool:
    try:
        require_editable(actor, activity.community)
    except PermissionDenied:
        return False
    return True


def _lock(activity: Activity) -> Activity:
    """The activity's row, locked until the transaction ends (sign-ups queue up behind it)."""
    return Activity.objects.select_for_update().get(pk=activity.pk)


# What a check-in decides on, read again under the lock (the rest of the row, e.g. the title
# of the answer, may come from the caller's earlier read).
_LOCKED_FIELDS = ("community_id", "status", "starts_at", "ends_at")


def _lock_shared(activity: Activity) -> Activity:
    """The activity's row with a shared lock (PostgreSQL ``FOR SHARE``) until the transaction
    ends: check-ins at the same door run side by side (each locks only its attendance row), while
    sign-ups and status changes, which take the exclusive lock, wait for them and they for those.
    Other databases take the exclusive lock.

    One statement: the lock also reads the fields a check-in decides on (status, times,
    community) and sets them on ``activity``, which the caller loaded with its community; the
    community is only read again if it changed in between."""
    from django.db import connection

    if connection.vendor == "postgresql":
        columns = ", ".join(f'"{Activity._meta.get_field(f).column}"' for f in _LOCKED_FIELDS)
        with connection.cursor() as cursor:
            cursor.execute(
                f'SELECT {columns} FROM "{Activity._meta.db_table}" WHERE id = %s FOR SHARE',  # noqa: S608
                [activity.pk],
            )
            row = cursor.fetchone()
    else:
        row = (
            Activity.objects.select_for_update()
            .filter(pk=activity.pk)
            .values_list(*_LOCKED_FIELDS)
            .first()
        )
    return _refreshed(activity, row)


def _refreshed(activity: Activity, row) -> Activity:
    """``activity`` with the values of ``_LOCKED_FIELDS`` read under the lock."""
    if row is None:
        raise Activity.DoesNotExist
    fresh = dict(zip(_LOCKED_FIELDS, row, strict=True))
    if fresh.pop("community_id") != activity.community_id:
        activity.community = Area.objects.get(pk=row[0])
    for field, value in fresh.items():
        setattr(activity, field, value)
    return activity


def _lock_for_check_in(activity: Activity, person: Person) -> tuple[Activity, Attendance | None]:
    """The activity's shared lock (``_lock_shared``) and then the person's attendance, if any,
    locked for update. On PostgreSQL one statement takes both, in that order (the attendance
    in a LATERAL subquery of the locked activity row); elsewhere two queries."""
    from django.db import connection

    if connection.vendor != "postgresql":
        activity = _lock_shared(activity)
        attendance = (
            Attendance.objects.select_for_update().filter(activity=activity, person=person).first()
        )
        return activity, attendance
    fields = Attendance._meta.concrete_fields
    # Names from the models' metadata only; the values are parameters.
    sql = (  # noqa: S608
        "SELECT {activity_columns}, {attendance_columns} FROM "
        '(SELECT "id", {locked} FROM "{activities}" WHERE "id" = %s FOR SHARE) AS act '
        'LEFT JOIN LATERAL (SELECT * FROM "{attendances}" WHERE "{activity_fk}" = act."id" '
        'AND "{person_fk}" = %s FOR UPDATE) AS att ON true'
    ).format(
        activity_columns=", ".join(
            f'act."{Activity._meta.get_field(f).column}"' for f in _LOCKED_FIELDS
        ),
        attendance_columns=", ".join(f'att."{f.column}"' for f in fields),
        locked=", ".join(f'"{Activity._meta.get_field(f).column}"' for f in _LOCKED_FIELDS),
        activities=Activity._meta.db_table,
        attendances=Attendance._meta.db_table,
        activity_fk=Attendance._meta.get_field("activity").column,
        person_fk=Attendance._meta.get_field("person").column,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [activity.pk, person.pk])
        row = cursor.fetchone()
    activity = _refreshed(activity, row and row[: len(_LOCKED_FIELDS)])
    values = row[len(_LOCKED_FIELDS) :]
    if values[0] is None:  # no attendance row (the primary key comes first)
        return activity, None
    converted = []
    for field, value in zip(fields, values, strict=True):
        for converter in field.get_db_converters(connection):
            value = converter(value, field.get_col(Attendance._meta.db_table), connection)
        converted.append(value)
    attendance = Attendance.from_db(connection.alias, [f.attname for f in fields], converted)
    return activity, attendance


# Activities -------------------------------------------------------------------------------------


def _unique_checkin_code() -> str:
    while True:
        code = new_checkin_code()
        if not Activity.objects.filter(checkin_code=code).exists():
            return code


@transaction.atomic
def activity_create(
    *,
    actor,
    title: str,
    kind: str,
    community: Area,
    starts_at,
    ends_at,
    host_units: list[Unit] = (),
    series: ActivitySeries | None = None,
    request=None,
    **fields,
) -> Activity:
    """A new activity, in draft until published. ``series``: an occurrence of that series (made
    by ``series_generate``), its rule slot being ``starts_at``."""
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"unknown activity fields: {sorted(unknown)}")
    require_editable(actor, community)
    activity = Activity(
        title=(title or "").strip(),
        kind=kind,
        community=community,
        starts_at=starts_at,
        ends_at=ends_at,
        checkin_code=_unique_checkin_code(),
        series=series,
        series_slot=starts_at if series is not None else None,
        **fields,
    )
    activity.full_clean()
    activity.save()
    if host_units:
        activity.host_units.set(host_units)
    audit_change(
        actor=actor,
        action="create",
        target=activity,
        request=request,
        after={"title": activity.title, "kind": kind, "community": community},
    )
    return activity


@transaction.atomic
def activity_update(
    *, actor, activity: Activity, host_units: list[Unit] | None = None, request=None, **data
) -> Activity:
    unknown = set(data) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"unknown activity fields: {sorted(unknown)}")
    require_editable(actor, activity.community)
    if "community" in data:
        require_editable(actor, data["community"])
    activity = _lock(activity)
    if activity.status == Activity.Status.CLOSED:
        raise ValidationError({"status": _("A closed activity can no longer be changed.")})
    capacity = data.get("capacity", activity.capacity)
    if capacity is not None and capacity < _places_taken(activity):
        raise ValidationError(
            {"capacity": _("More people are already confirmed than this capacity.")}
        )
    starts_at = data.get("starts_at", activity.starts_at)
    if (
        activity.series_id
        and starts_at != activity.starts_at
        and Activity.objects.filter(series_id=activity.series_id, starts_at=starts_at)
        .exclude(pk=activity.pk)
        .exists()
    ):
        raise ValidationError(
            {"starts_at": _("Another activity of this series already starts at this time.")}
        )
    before, after = apply_changes(activity, data)
    if host_units is not None:
        old = sorted(u.pk for u in activity.host_units.all())
        if old != sorted(u.pk for u in host_units):
            activity.host_units.set(host_units)
            before["host_units"], after["host_units"] = old, sorted(u.pk for u in host_units)
    if after:
        audit_change(
            actor=actor,
            action="update",
            target=activity,
            before=before,
            after=after,
            request=request,
        )
    return activity


@transaction.atomic
def activity_publish(*, actor, activity: Activity, request=None) -> Activity:
    """Open a draft activity to sign-up. Publishing a published activity changes nothing."""
    require_editable(actor, activity.community)
    activity = _lock(activity)
    if activity.status == Activity.Status.PUBLISHED:
        return activity
    if activity.status != Activity.Status.DRAFT:
        raise ValidationError({"status": _("Only a draft activity can be published.")})
    return _set_status(actor, activity, Activity.Status.PUBLISHED, request)


def _set_status(actor, activity: Activity, status: str, request, **extra) -> Activity:
    before = {"status": activity.status}
    activity.status = status
    for field, value in extra.items():
        setattr(activity, field, value)
    activity.save(update_fields=["status", *extra, "updated_at"])
    audit_change(
        actor=actor,
        action="update",
        target=activity,
        before=before,
        after={"status": status, **extra},
        request=request,
    )
    return activity


@transaction.atomic
def activity_mark_held(*, actor, activity: Activity, request=None) -> Activity:
    """The activity took place: everyone confirmed who never checked in becomes a no-show."""
    require_editable(actor, activity.community)
    activity = _lock(activity)
    if activity.status in (Activity.Status.HELD, Activity.Status.CLOSED):
        return activity
    return _mark_held(actor, activity, request)


def _mark_held(actor, activity: Activity, request) -> Activity:
    if activity.status != Activity.Status.PUBLISHED:
        raise ValidationError({"status": _("Only a published activity can be held.")})
    if timezone.now() < activity.starts_at:
        raise ValidationError({"status": _("An activity is held once it has started.")})
    activity.attendances.filter(
        status=Attendance.Status.CONFIRMED, checked_in_at__isnull=True
    ).update(status=Attendance.Status.NO_SHOW)
    return _set_status(actor, activity, Activity.Status.HELD, request)


@transaction.atomic
def activity_close(
    *,
    actor,
    activity: Activity,
    beneficiaries: int,
    summary: str = "",
    photos=(),
    request=None,
) -> Activity:
    """Close a held activity with its beneficiaries (person-times), summary and optional photos
    (JPEG, PNG or WebP, up to 5 MB each), and award points to everyone who attended by the
    active rules. Closing a closed activity changes nothing, so points are awarded once."""
    require_editable(actor, activity.community)
    photos = list(photos or ())
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("Add at most %(n)s photos.") % {"n": MAX_PHOTOS}})
    photo_types = [photo_check(photo) for photo in photos]
    activity = _lock(activity)
    if activity.status == Activity.Status.CLOSED:
        return activity
    if (
        beneficiaries is None
        or isinstance(beneficiaries, bool)
        or not isinstance(beneficiaries, int)
    ):
        raise ValidationError({"beneficiaries": _("Enter the number of beneficiaries.")})
    if beneficiaries < 0:
        raise ValidationError({"beneficiaries": _("The number cannot be negative.")})
    if activity.status == Activity.Status.PUBLISHED:
        activity = _mark_held(actor, activity, request)
    if activity.status != Activity.Status.HELD:
        raise ValidationError({"status": _("Only an activity that was held can be closed.")})
    activity = _set_status(
        actor,
        activity,
        Activity.Status.CLOSED,
        request,
        beneficiaries=beneficiaries,
        summary=(summary or "").strip(),
    )
    _award_points(activity)
    for photo, content_type in zip(photos, photo_types, strict=True):
        _photo_add(actor, activity, photo, content_type, request)
    return activity


# Photos at closing ------------------------------------------------------------------------------

PHOTO_MAX_BYTES = 5 * 1024 * 1024
MAX_PHOTOS = 20
PHOTO_EXTENSIONS = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
}


def _sniff_image(head: bytes) -> str | None:
    """The image type the file's first bytes say it is (the name and the browser may lie)."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def photo_check(upload) -> str:
    """The content type of an uploaded photo, or a ``ValidationError`` on ``photos`` naming
    the file: only JPEG, PNG or WebP (by extension and by content), at most 5 MB."""
    name = getattr(upload, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    expected = PHOTO_EXTENSIONS.get(extension)
    if upload.size is not None and upload.size > PHOTO_MAX_BYTES:
        raise ValidationError(
            {"photos": _("%(name)s is larger than 5 MB.") % {"name": name or _("A photo")}}
        )
    upload.seek(0)
    found = _sniff_image(upload.read(16))
    upload.seek(0)
    if expected is None or found != expected:
        raise ValidationError(
            {
                "photos": _("%(name)s is not a JPEG, PNG or WebP photo.")
                % {"name": name or _("A photo")}
            }
        )
    return found


def _photo_add(actor, activity: Activity, upload, content_type: str, request) -> ActivityPhoto:
    photo = ActivityPhoto(
        activity=activity,
        original_name=(getattr(upload, "name", "") or "")[:255],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    photo.file.save(upload.name, upload, save=False)
    photo.save()
    audit_change(
        actor=actor,
        action="create",
        target=photo,
        after={"activity": activity, "file": photo.original_name, "size": photo.size},
        request=request,
    )
    return photo


def _award_points(activity: Activity) -> int:
    rules = [
        rule
        for rule in PointsRule.objects.filter(active=True)
        if rule.activity_kind in ("", activity.kind)
    ]
    if not rules:
        return 0
    attended = activity.attendances.filter(
        status=Attendance.Status.ATTENDED, checked_in_at__isnull=False
    ).prefetch_related("corrections")
    awarded = set(
        PointsEntry.objects.filter(attendance__activity=activity, rule__in=rules).values_list(
            "attendance_id", "rule_id"
        )
    )
    entries = []
    for attendance in attended:
        attendance.activity = activity
        for rule in rules:
            points = rule.points_for(attendance)
            if points and (attendance.pk, rule.pk) not in awarded:
                entries.append(
                    PointsEntry(
                        person_id=attendance.person_id,
                        points=points,
                        reason=f"{activity.title} · {rule.name}"[:300],
                        attendance=attendance,
                        rule=rule,
                    )
                )
    PointsEntry.objects.bulk_create(entries)
    return len(entries)


# Sign-up ----------------------------------------------------------------------------------------


def _places_taken(activity: Activity) -> int:
    return activity.attendances.filter(status__in=Attendance.PLACE_HOLDING).count()


def _has_room(activity: Activity) -> bool:
    return activity.capacity is None or _places_taken(activity) < activity.capacity


def _acting_person(actor, activity: Activity, person: Person | None) -> Person:
    """Whom the actor signs up or cancels: themself, or anyone when they manage the activity."""
    own = person_of(actor)
    if person is None:
        if own is None:
            raise ValidationError({"person": _("Your account is not linked to a person.")})
        return own
    if actor is None or (own is not None and own.pk == person.pk) or _may_manage(actor, activity):
        return person
    raise PermissionDenied


def _check_signup_open(activity: Activity) -> None:
    if activity.status != Activity.Status.PUBLISHED:
        raise ValidationError({"status": _("This activity is not open for sign-up.")})
    now = timezone.now()
    if activity.signup_opens_at and now < activity.signup_opens_at:
        raise ValidationError({"signup_opens_at": _("Sign-up has not opened yet.")})
    closes = activity.signup_closes_at or activity.starts_at
    if now >= closes:
        raise ValidationError({"signup_closes_at": _("Sign-up has closed.")})


@transaction.atomic
def signup(*, actor, activity: Activity, person: Person | None = None, request=None) -> Attendance:
    """Sign ``person`` (default: the actor's own person) up: confirmed while places are left,
    else on the waiting list. Signing up again returns the existing attendance unchanged."""
    person = _acting_person(actor, activity, person)
    activity = _lock(activity)
    existing = Attendance.objects.filter(activity=activity, person=person).first()
    if existing is not None and existing.status != Attendance.Status.CANCELLED:
        return existing
    _check_signup_open(activity)
    status = Attendance.Status.CONFIRMED if _has_room(activity) else Attendance.Status.WAITLISTED
    now = timezone.now()
    if existing is not None:  # signing up again after cancelling: to the back of the queue
        attendance = existing
        attendance.status, attendance.signed_up_at = status, now
        attendance.save(update_fields=["status", "signed_up_at"])
    else:
        attendance = Attendance.objects.create(
            activity=activity, person=person, status=status, signed_up_at=now
        )
    attendance.activity = activity
    audit_change(
        actor=actor, action="create", target=attendance, after={"status": status}, request=request
    )
    return attendance


@transaction.atomic
def signup_cancel(
    *, actor, activity: Activity, person: Person | None = None, request=None
) -> Attendance:
    """Cancel a sign-up; the first person on the waiting list takes the freed place and is told.
    Cancelling a cancelled sign-up changes nothing."""
    person = _acting_person(actor, activity, person)
    activity = _lock(activity)
    attendance = Attendance.objects.filter(activity=activity, person=person).first()
    if attendance is None:
        raise ValidationError({"person": _("This person has not signed up for this activity.")})
    if attendance.status == Attendance.Status.CANCELLED:
        return attendance
    if attendance.status not in (Attendance.Status.CONFIRMED, Attendance.Status.WAITLISTED):
        raise ValidationError({"status": _("This sign-up can no longer be cancelled.")})
    if activity.status != Activity.Status.PUBLISHED or timezone.now() >= activity.starts_at:
        raise ValidationError({"status": _("The activity has started; sign-ups are final.")})
    before = attendance.status
    attendance.status = Attendance.Status.CANCELLED
    attendance.save(update_fields=["status"])
    attendance.activity = activity
    audit_change(
        actor=actor,
        action="update",
        target=attendance,
        before={"status": before},
        after={"status": attendance.status},
        request=request,
    )
    _promote_waitlisted(activity)
    return attendance


def _promote_waitlisted(activity: Activity) -> list[Attendance]:
    promoted = []
    while _has_room(activity):
        first = (
            activity.attendances.filter(status=Attendance.Status.WAITLISTED)
            .select_related("person__user")
            .order_by("signed_up_at", "pk")
            .first()
        )
        if first is None:
            break
        first.status = Attendance.Status.CONFIRMED
        first.save(update_fields=["status"])
        first.activity = activity
        audit_change(
            actor=None,
            action="update",
            target=first,
            before={"status": Attendance.Status.WAITLISTED},
            after={"status": first.status},
            note="promoted from the waiting list",
        )
        user = first.person.user
        if user is not None and user.is_active:
            transaction.on_commit(
                partial(
                    notify,
                    recipient=user,
                    title=_("You have a place at %(title)s") % {"title": activity.title},
                    body=_("A place came free and you are now confirmed. It starts at %(at)s.")
                    % {"at": timezone.localtime(activity.starts_at).strftime("%Y-%m-%d %H:%M")},
                )
            )
        promoted.append(first)
    return promoted


# Check-in and check-out -------------------------------------------------------------------------


def _activity_by_code(code: str, activity: Activity | None = None) -> Activity | None:
    """The activity with this check-in code, with its community. When the caller already holds
    ``activity``, the code is compared with it (no query): another activity's code is no match."""
    code = normalize_code(code)
    if not code:
        return None
    if activity is not None:
        return activity if activity.checkin_code == code else None
    return Activity.objects.select_related("community").filter(checkin_code=code).first()


def _resolve(*, actor, activity, person, personal_code, activity_code, method):
    """The activity and person a check-in or check-out is about, after the permission check.

    Self methods (QR, typed code) prove presence with the activity's code and act for the actor's
    own person. Staff methods (staff, personal code) need the right to manage the activity.
    """
    if method not in Attendance.Method.values:
        raise ValidationError({"method": _("Choose a check-in method.")})
    if method in SELF_METHODS:
        found = _activity_by_code(activity_code, activity)
        if found is None:
            raise ValidationError({"activity_code": _("No activity has this check-in code.")})
        own = person_of(actor)
        if actor is not None:
            if own is None:
                raise ValidationError({"person": _("Your account is not linked to a person.")})
            if person is not None and person.pk != own.pk:
                raise PermissionDenied
            person = own
        if person is None:
            raise ValidationError({"person": _("Choose a person.")})
        return found, person
    if activity is None:
        raise ValidationError({"activity": _("Choose an activity.")})
    require_editable(actor, activity.community)
    if method == Attendance.Method.PERSONAL_CODE:
        person = person_by_personal_code(personal_code)
        if person is None:
            raise ValidationError({"personal_code": _("Nobody has this personal code.")})
    if person is None:
        raise ValidationError({"person": _("Choose a person.")})
    return activity, person


@transaction.atomic
def check_in(
    *,
    actor,
    method: str,
    activity: Activity | None = None,
    person: Person | None = None,
    personal_code: str = "",
    activity_code: str = "",
    walk_up: bool = False,
    geofence_passed: bool | None = None,
    position: tuple[float, float] | None = None,
    request=None,
) -> Attendance:
    """Check a person in. Checking in twice returns the same attendance, unchanged.

    Someone who did not sign up (or is on the waiting list, or cancelled) is refused unless
    ``walk_up`` is allowed: then they are checked in as a walk-up. Check-in opens an hour before
    the activity starts and closes when it ends; staff may still check people in while the
    activity is marked held (a no-show who did come).
    """
    activity, person = _resolve(
        actor=actor,
        activity=activity,
        person=person,
        personal_code=personal_code,
        activity_code=activity_code,
        method=method,
    )
    activity, attendance = _lock_for_check_in(activity, person)
    if attendance is not None:
        attendance.person = person
    return _check_in_locked(
        actor=actor,
        method=method,
        activity=activity,
        person=person,
        attendance=attendance,
        walk_up=walk_up,
        geofence_passed=geofence_passed,
        position=position,
        request=request,
    )


@transaction.atomic
def check_in_by_ids(
    *, actor, activity_id: UUID, person_id: UUID, walk_up: bool = False, request=None
) -> Attendance:
    """A staff check-in (``check_in`` with the staff method) of the person and activity with
    these public ids, for a caller that has loaded neither (the API's check-in desk).

    One statement reads and locks the activity, its community, the person and their attendance
    (``checkin_read``); the rights are then checked on what it read: an activity ``actor`` may
    not see is ``Activity.DoesNotExist``, one they may see but not run ``PermissionDenied``, and a
    person neither signed up nor in their scope a ``ValidationError`` on ``person_id``.
    """
    activity, person, attendance, has_corrections = read_for_check_in(activity_id, person_id)
    if activity is None or not activity_visible(viewer=actor, activity=activity):
        raise Activity.DoesNotExist
    require_editable(actor, activity.community)
    if person is None or (
        attendance is None and not person_list(viewer=actor).filter(pk=person.pk).exists()
    ):
        raise ValidationError({"person_id": _("No such record, or it is outside your scope.")})
    if attendance is not None and not has_corrections:
        _no_corrections_yet(attendance)
    return _check_in_locked(
        actor=actor,
        method=Attendance.Method.STAFF,
        activity=activity,
        person=person,
        attendance=attendance,
        walk_up=walk_up,
        geofence_passed=None,
        position=None,
        request=request,
    )


def _check_in_locked(
    *, actor, method, activity, person, attendance, walk_up, geofence_passed, position, request
) -> Attendance:
    """The check-in once the activity is locked (shared) and the attendance, if any, for update:
    a repeat returns the first check-in; else the rules, the write and the audit entry."""
    if attendance is not None and attendance.checked_in_at is not None:
        attendance.activity = activity
        attendance.checked_in_now = False  # a repeat: the first check-in, unchanged
        return attendance
    now = timezone.now()
    staff = method not in SELF_METHODS
    if staff:  # the community may have changed before the lock: the right to run it again
        require_editable(actor, activity.community)
    if activity.status == Activity.Status.PUBLISHED:
        if now < activity.starts_at - CHECKIN_OPENS_BEFORE:
            raise ValidationError({"activity": _("Check-in has not opened yet.")})
        if now > activity.ends_at and not staff:
            raise ValidationError({"activity": _("The activity has ended.")})
    elif not (activity.status == Activity.Status.HELD and staff):
        raise ValidationError({"status": _("This activity is not open for check-in.")})
    signed_up = attendance is not None and attendance.status in (
        Attendance.Status.CONFIRMED,
        Attendance.Status.NO_SHOW,
    )
    if not signed_up and not walk_up:
        raise ValidationError({"person": _("This person has not signed up for this activity.")})
    values = {
        "status": Attendance.Status.ATTENDED,
        "checked_in_at": now,
        "checkin_method": method,
        "checked_in_by": actor if staff and getattr(actor, "pk", None) else None,
        # ``position`` (a phone's latitude, longitude) is only compared, never kept.
        "geofence_passed": (
            None if staff else _geofence_result(activity, position, geofence_passed)
        ),
    }
    if attendance is None:
        try:
            with transaction.atomic():
                attendance = Attendance.objects.create(
                    activity=activity, person=person, signed_up_at=now, walk_up=True, **values
                )
        except IntegrityError:  # checked in at the same moment by another request
            attendance = Attendance.objects.get(activity=activity, person=person)
            attendance.activity, attendance.person = activity, person
            attendance.checked_in_now = False
            return attendance
        attendance.activity = activity
        _check_in_entry(actor, attendance, method, walk_up, request).save()
    else:
        if not signed_up:
            values["walk_up"] = True
        for field, value in values.items():
            setattr(attendance, field, value)
        attendance.activity = activity
        # The update and its audit entry in one statement on PostgreSQL (one round trip).
        update_audited(
            attendance, list(values), _check_in_entry(actor, attendance, method, walk_up, request)
        )
    attendance.checked_in_now = True  # this call checked the person in (the API answers 201)
    _no_corrections_yet(attendance)
    return attendance


def _check_in_entry(actor, attendance, method, walk_up, request):
    """The audit entry of a check-in. Staff and self check-ins alike are audited (bench/README.md
    says why); the entry is scoped by the community already loaded with the activity, so nothing
    is read for it."""
    return audit_entry(
        actor=actor,
        action="update",
        target=attendance,
        after={"status": attendance.status, "checkin_method": method, "walk_up": walk_up},
        note="check-in",
        request=request,
        scope_path=attendance.activity.community.path,
    )


def _no_corrections_yet(attendance: Attendance) -> None:
    """A fresh check-in has no hours corrections (only an attended attendance, which has been
    checked in, can be corrected), so its effective hours need no query: an empty prefetch."""
    corrections = HoursCorrection.objects.none()
    corrections._result_cache, corrections._prefetch_done = [], True
    attendance._prefetched_objects_cache = {
        **getattr(attendance, "_prefetched_objects_cache", {}),
        "corrections": corrections,
    }


def _geofence_result(activity: Activity, position, given: bool | None) -> bool | None:
    """Inside the activity's geofence? From the position when one was sent, else as given."""
    if position is not None:
        return inside_geofence(activity, position)
    return given


@transaction.atomic
def check_out(
    *,
    actor,
    method: str,
    activity: Activity | None = None,
    person: Person | None = None,
    personal_code: str = "",
    activity_code: str = "",
    request=None,
) -> Attendance:
    """Check a checked-in person out; their hours follow. Checking out twice changes nothing."""
    activity, person = _resolve(
        actor=actor,
        activity=activity,
        person=person,
        personal_code=personal_code,
        activity_code=activity_code,
        method=method,
    )
    activity = _lock(activity)
    attendance = Attendance.objects.filter(
        activity=activity, person=person, checked_in_at__isnull=False
    ).first()
    if attendance is None:
        raise ValidationError({"person": _("This person has not checked in.")})
    attendance.activity = activity
    if attendance.checked_out_at is not None:
        return attendance
    if activity.status == Activity.Status.CLOSED:
        raise ValidationError({"status": _("This activity is closed.")})
    attendance.checked_out_at = max(timezone.now(), attendance.checked_in_at)
    attendance.save(update_fields=["checked_out_at"])
    audit_change(
        actor=actor,
        action="update",
        target=attendance,
        after={"checked_out_at": attendance.checked_out_at, "hours": attendance.hours},
        note="check-out",
        request=request,
    )
    return attendance


# Hours corrections ------------------------------------------------------------------------------


@transaction.atomic
def hours_correct(
    *, actor, attendance: Attendance, delta, reason: str, request=None
) -> HoursCorrection:
    """Add or remove hours of an attendance, with a reason. The check-in and check-out times stay
    as they were; the correction is a separate, audited entry. Effective hours never go below 0."""
    require_editable(actor, attendance.activity.community)
    errors = {}
    try:
        delta = Decimal(str(delta)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        errors["delta"] = _("Enter a number of hours, e.g. 1.5 or -0.5.")
    else:
        if delta == 0 or abs(delta) > MAX_CORRECTION:
            errors["delta"] = _("A correction is between -24 and 24 hours, and not 0.")
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("Say why the hours are corrected.")
    if attendance.status != Attendance.Status.ATTENDED:
        errors["attendance"] = _("Only the hours of someone who attended can be corrected.")
    if errors:
        raise ValidationError(errors)
    before = attendance.effective_hours
    correction = HoursCorrection.objects.create(
        attendance=attendance,
        delta=delta,
        reason=reason,
        corrected_by=actor if getattr(actor, "pk", None) else None,
    )
    after = Attendance.objects.get(pk=attendance.pk).effective_hours
    audit_change(
        actor=actor,
        action="create",
        target=correction,
        before={"hours": before},
        after={"delta": delta, "hours": after},
        note=reason,
        request=request,
    )
    return correction


# Personal codes ---------------------------------------------------------------------------------


def _derive_code(person: Person, salt: int = 0) -> str:
    digest = int(keyed_hash(f"fumin:personal-code:{salt}:{person.public_id}"), 16)
    chars = []
    for _step in range(CODE_LENGTH):
        digest, rest = divmod(digest, len(CODE_ALPHABET))
        chars.append(CODE_ALPHABET[rest])
    return "".join(chars)


def personal_code(*, person: Person) -> str:
    """The person's stable 8-character check-in code (same alphabet as activity codes), kept on
    first use so staff can look it up when the person shows it."""
    existing = PersonalCode.objects.filter(person=person).values_list("code", flat=True).first()
    if existing:
        return existing
    for salt in range(10):  # a clash with another person's code is astronomically rare
        code = _derive_code(person, salt)
        try:
            with transaction.atomic():
                PersonalCode.objects.create(person=person, code=code)
            return code
        except IntegrityError:
            existing = PersonalCode.objects.filter(person=person).values_list("code", flat=True)
            if existing:
                return existing[0]
    raise RuntimeError("no free personal code")


def person_by_personal_code(code: str) -> Person | None:
    code = normalize_code(code)
    if len(code) != CODE_LENGTH:
        return None
    found = PersonalCode.objects.filter(code=code).select_related("person").first()
    return found.person if found else None


# Volunteer teams --------------------------------------------------------------------------------


@transaction.atomic
def team_create(
    *,
    actor,
    name: str,
    community: Area | None = None,
    unit: Unit | None = None,
    description: str = "",
    request=None,
) -> VolunteerTeam:
    require_editable(actor, community if community is not None else getattr(unit, "area", None))
    team = VolunteerTeam(
        name=(name or "").strip(), community=community, unit=unit, description=description
    )
    team.full_clean(exclude=["name_pinyin", "name_initials"])
    team.save()
    audit_change(
        actor=actor,
        action="create",
        target=team,
        after={"name": team.name, "community": community, "unit": unit},
        request=request,
    )
    return team


@transaction.atomic
def team_add_member(
    *, actor, team: VolunteerTeam, person: Person, is_leader: bool = False, request=None
) -> TeamMembership:
    """Add a person to a team; adding a current member again returns their membership."""
    require_editable(actor, team.area)
    current = team.memberships.filter(person=person, left_on__isnull=True).first()
    if current is not None:
        return current
    membership = TeamMembership.objects.create(
        team=team, person=person, is_leader=is_leader, joined_on=timezone.localdate()
    )
    audit_change(
        actor=actor,
        action="update",
        target=team,
        after={"member": person, "is_leader": is_leader},
        request=request,
    )
    return membership


@transaction.atomic
def team_remove_member(*, actor, team: VolunteerTeam, person: Person, request=None) -> None:
    require_editable(actor, team.area)
    changed = team.memberships.filter(person=person, left_on__isnull=True).update(
        left_on=timezone.localdate()
    )
    if changed:
        audit_change(
            actor=actor, action="update", target=team, before={"member": person}, request=request
        )


@transaction.atomic
def team_set_leader(
    *, actor, team: VolunteerTeam, person: Person, is_leader: bool = True, request=None
) -> TeamMembership:
    """Make a current member a leader of the team (or no longer one)."""
    require_editable(actor, team.area)
    membership = (
        team.memberships.select_for_update().filter(person=person, left_on__isnull=True).first()
    )
    if membership is None:
        raise ValidationError({"person": _("This person is not a member of the team.")})
    if membership.is_leader != is_leader:
        membership.is_leader = is_leader
        membership.save(update_fields=["is_leader"])
        audit_change(
            actor=actor,
            action="update",
            target=team,
            before={"member": person, "is_leader": not is_leader},
            after={"member": person, "is_leader": is_leader},
            request=request,
        )
    return membership


@transaction.atomic
def team_update(*, actor, team: VolunteerTeam, request=None, **data) -> VolunteerTeam:
    """Change a team's name or description, or archive it (``archived=True``) or bring it back."""
    require_editable(actor, team.area)
    unknown = set(data) - {"name", "description", "archived"}
    if unknown:
        raise TypeError(f"unknown team fields: {sorted(unknown)}")
    if "archived" in data:
        archived = data.pop("archived")
        if archived and team.archived_at is None:
            data["archived_at"] = timezone.now()
        elif not archived and team.archived_at is not None:
            data["archived_at"] = None
    if "name" in data:
        data["name"] = (data["name"] or "").strip()
    before, after = apply_changes(team, data, exclude_from_clean=["name_pinyin", "name_initials"])
    if after:
        audit_change(
            actor=actor, action="update", target=team, before=before, after=after, request=request
        )
    return team


# Points rules -----------------------------------------------------------------------------------

POINTS_RULE_FIELDS = ("name", "basis", "points", "activity_kind", "active")


def require_points_manager(actor) -> None:
    """Points rules apply to every activity, so only staff whose scope is a whole subdistrict
    (or wider) with the registry-editing right change them. ``None`` is the system."""
    if actor is None:
        return
    from fumin.accounts.scope import Capability, scope_of

    scope = scope_of(actor)
    wide = Area.objects.filter(
        path__in=scope.area_paths,
        kind__in=(Area.Kind.CITY, Area.Kind.DISTRICT, Area.Kind.SUBDISTRICT),
    )
    if not scope.can(Capability.EDIT_REGISTRY) or not wide.exists():
        raise PermissionDenied


@transaction.atomic
def points_rule_create(
    *,
    actor,
    name: str,
    basis: str,
    points: int,
    activity_kind: str = "",
    active: bool = True,
    request=None,
) -> PointsRule:
    """A new rule; it applies to the activities closed from now on (points are fixed at closing)."""
    require_points_manager(actor)
    rule = PointsRule(
        name=(name or "").strip(),
        basis=basis,
        points=points,
        activity_kind=activity_kind or "",
        active=active,
    )
    rule.full_clean()
    rule.save()
    audit_change(
        actor=actor,
        action="create",
        target=rule,
        after={f: getattr(rule, f) for f in POINTS_RULE_FIELDS},
        request=request,
    )
    return rule


@transaction.atomic
def points_rule_update(*, actor, rule: PointsRule, request=None, **data) -> PointsRule:
    """Change a rule or (``active=False``) stop it. A rule that awarded points is never deleted:
    the ledger points at it."""
    require_points_manager(actor)
    unknown = set(data) - set(POINTS_RULE_FIELDS)
    if unknown:
        raise TypeError(f"unknown points rule fields: {sorted(unknown)}")
    if "name" in data:
        data["name"] = (data["name"] or "").strip()
    if "activity_kind" in data:
        data["activity_kind"] = data["activity_kind"] or ""
    rule = PointsRule.objects.select_for_update().get(pk=rule.pk)
    before, after = apply_changes(rule, data)
    if after:
        audit_change(
            actor=actor, action="update", target=rule, before=before, after=after, request=request
        )
    return rule


# Reminders before the start ---------------------------------------------------------------------


def reminder_hours() -> int:
    return int(getattr(settings, "FUMIN_ACTIVITY_REMINDER_HOURS", 24))


def activity_reminders_send(*, actor=None, hours: int | None = None, now=None) -> int:
    """Remind every confirmed participant of a published activity that starts within ``hours``
    (default ``FUMIN_ACTIVITY_REMINDER_HOURS``): an inbox entry and an SMS through ``notify``.

    Exactly once per attendance: each is locked, stamped with ``reminded_at`` and told in one
    transaction, and a stamped attendance is never picked again (two runs at once skip each
    other's rows on PostgreSQL). People without an account cannot be told and stay unstamped.
    Returns how many were reminded.
    """
    now = now or timezone.now()
    hours = reminder_hours() if hours is None else hours
    if hours <= 0:
        raise ValidationError({"hours": _("Give a positive number of hours.")})
    due = Attendance.objects.filter(
        status=Attendance.Status.CONFIRMED,
        reminded_at__isnull=True,
        activity__status=Activity.Status.PUBLISHED,
        activity__starts_at__gt=now,
        activity__starts_at__lte=now + datetime.timedelta(hours=hours),
        person__user__isnull=False,
        person__user__is_active=True,
    )
    sent = 0
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            attendance = (
                due.select_for_update(skip_locked=True, of=("self",))
                .filter(pk=pk)
                .select_related("activity__community", "person__user")
                .first()
            )
            if attendance is None:  # reminded meanwhile, or being reminded by another run
                continue
            attendance.reminded_at = now
            attendance.save(update_fields=["reminded_at"])
            activity = attendance.activity
            starts = timezone.localtime(activity.starts_at).strftime("%Y-%m-%d %H:%M")
            notify(
                recipient=attendance.person.user,
                title=_("Reminder: %(title)s starts at %(at)s")
                % {"title": activity.title, "at": starts},
                body=_("You signed up for %(title)s at %(place)s, %(community)s.")
                % {
                    "title": activity.title,
                    "place": activity.place or "—",
                    "community": activity.community.name,
                },
                url=reverse("portal:activity_detail", args=[activity.public_id]),
                channels=["sms"],
            )
            audit_change(
                actor=actor,
                action="update",
                target=attendance,
                after={"reminded_at": now},
                note="reminder sent",
            )
            sent += 1
    return sent


# Activity series --------------------------------------------------------------------------------

SERIES_FIELDS = ("place", "capacity", "description", "publish")
# A series is made in one go: this many occurrences at most, so a rule cannot flood the calendar.
MAX_OCCURRENCES = 200
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def recurrence_rule(
    *,
    frequency: str,
    interval: int = 1,
    weekdays: list[int] | None = None,
    month_day: int | None = None,
    until: datetime.date | None = None,
    count: int | None = None,
) -> str:
    """An RFC 5545 ``RRULE`` (without the ``RRULE:`` prefix) from a form's choices: ``frequency``
    ``weekly`` (on ``weekdays``, 0 = Monday, every ``interval`` weeks) or ``monthly`` (on
    ``month_day``), ending ``until`` a Shanghai date (inclusive) or after ``count`` times."""
    errors = {}
    parts = []
    if frequency == "weekly":
        parts.append("FREQ=WEEKLY")
        if not weekdays:
            errors["weekdays"] = _("Choose at least one weekday.")
        elif any(day not in range(7) for day in weekdays):
            errors["weekdays"] = _("Choose weekdays from Monday to Sunday.")
        else:
            parts.append("BYDAY=" + ",".join(WEEKDAY_CODES[d] for d in sorted(set(weekdays))))
    elif frequency == "monthly":
        parts.append("FREQ=MONTHLY")
        if month_day is None or not 1 <= month_day <= 31:
            errors["month_day"] = _("Choose a day of the month from 1 to 31.")
        else:
            parts.append(f"BYMONTHDAY={month_day}")
    else:
        errors["frequency"] = _("Choose weekly or monthly.")
    if not isinstance(interval, int) or not 1 <= interval <= 52:
        errors["interval"] = _("Repeat every 1 to 52 weeks or months.")
    elif interval > 1:
        parts.append(f"INTERVAL={interval}")
    if (until is None) == (count is None):
        errors["until"] = _("End the series on a date or after a number of times (one of them).")
    elif count is not None and not 1 <= count <= MAX_OCCURRENCES:
        errors["count"] = _("A series has 1 to %(n)s occurrences.") % {"n": MAX_OCCURRENCES}
    elif until is not None:
        parts.append(f"UNTIL={until:%Y%m%d}T235959")
    else:
        parts.append(f"COUNT={count}")
    if errors:
        raise ValidationError(errors)
    return ";".join(parts)


def _parse_rule(series_or_rule, starts_on: datetime.date, start_time: datetime.time):
    """The ``dateutil`` rule over Shanghai wall time (naive datetimes, made aware later)."""
    from dateutil.rrule import rrulestr

    text = series_or_rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if not text or "\n" in text or any(k in text.upper() for k in ("DTSTART", "EXDATE", "RDATE")):
        raise ValidationError({"rrule": _("Give one RRULE, e.g. FREQ=WEEKLY;BYDAY=SA;COUNT=8.")})
    upper = text.upper()
    if "COUNT=" not in upper and "UNTIL=" not in upper:
        raise ValidationError({"rrule": _("The rule must end: give UNTIL or COUNT.")})
    if "FREQ=WEEKLY" not in upper and "FREQ=MONTHLY" not in upper:
        raise ValidationError({"rrule": _("Only weekly and monthly rules are supported.")})
    dtstart = datetime.datetime.combine(starts_on, start_time)
    try:
        return rrulestr(text, dtstart=dtstart, ignoretz=True)
    except (ValueError, TypeError) as error:
        raise ValidationError(
            {"rrule": _("This is not a valid RRULE: %(error)s") % {"error": error}}
        ) from error


def series_occurrences(series: ActivitySeries, until=None) -> list[datetime.datetime]:
    """The series' start times (aware, UTC-comparable), in order; up to ``until`` when given
    (an aware datetime or a Shanghai date, inclusive), never more than ``MAX_OCCURRENCES``."""
    rule = _parse_rule(series.rrule, series.starts_on, series.start_time)
    tz = timezone.get_default_timezone()
    starts = []
    for naive in rule:
        moment = timezone.make_aware(naive, tz)
        if until is not None and _after(moment, until, tz):
            break
        starts.append(moment)
        if len(starts) >= MAX_OCCURRENCES:
            break
    return starts


def _after(moment, until, tz) -> bool:
    if isinstance(until, datetime.datetime):
        return moment > until
    return timezone.localtime(moment, tz).date() > until


@transaction.atomic
def series_create(
    *,
    actor,
    title: str,
    kind: str,
    community: Area,
    rrule: str,
    starts_on: datetime.date,
    start_time: datetime.time,
    duration_minutes: int,
    host_units: list[Unit] = (),
    request=None,
    **fields,
) -> ActivitySeries:
    """A new series; its occurrences are made by ``series_generate``."""
    unknown = set(fields) - set(SERIES_FIELDS)
    if unknown:
        raise TypeError(f"unknown series fields: {sorted(unknown)}")
    require_editable(actor, community)
    series = ActivitySeries(
        title=(title or "").strip(),
        kind=kind,
        community=community,
        rrule=(rrule or "").strip().removeprefix("RRULE:"),
        starts_on=starts_on,
        start_time=start_time,
        duration_minutes=duration_minutes,
        **fields,
    )
    errors = {}
    try:
        series.full_clean()
    except ValidationError as error:
        errors.update(error.message_dict)
    if community.kind != Area.Kind.COMMUNITY:
        errors["community"] = [_("Choose a residential community.")]
    if "rrule" not in errors and starts_on and start_time:
        try:
            if not series_occurrences(series):
                errors["rrule"] = [_("This rule gives no occurrence from the first day on.")]
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    series.save()
    if host_units:
        series.host_units.set(host_units)
    audit_change(
        actor=actor,
        action="create",
        target=series,
        after={"title": series.title, "rrule": series.rrule, "community": community},
        request=request,
    )
    return series


@transaction.atomic
def series_generate(*, actor, series: ActivitySeries, until=None, request=None) -> list[Activity]:
    """Make the series' occurrences that do not exist yet, as drafts (or published when the
    series says so), and return them. Idempotent: an occurrence whose rule slot already has an
    activity (also one staff moved to another time) is never made again, and the constraints
    on (series, starts_at) and (series, slot) hold even so. Occurrences already over are
    skipped. ``until`` (a Shanghai date or an aware datetime) stops early."""
    require_editable(actor, series.community)
    series = ActivitySeries.objects.select_for_update().get(pk=series.pk)
    now = timezone.now()
    taken = set(series.activities.values_list("series_slot", flat=True)) | set(
        series.activities.values_list("starts_at", flat=True)
    )
    length = datetime.timedelta(minutes=series.duration_minutes)
    host_units = list(series.host_units.all())
    created = []
    for starts_at in series_occurrences(series, until=until):
        if starts_at in taken or starts_at + length <= now:
            continue
        activity = activity_create(
            actor=actor,
            title=series.title,
            kind=series.kind,
            community=series.community,
            starts_at=starts_at,
            ends_at=starts_at + length,
            host_units=host_units,
            series=series,
            place=series.place,
            capacity=series.capacity,
            description=series.description,
            request=request,
        )
        if series.publish:
            activity = _set_status(actor, activity, Activity.Status.PUBLISHED, request)
        created.append(activity)
    if created:
        audit_change(
            actor=actor,
            action="update",
            target=series,
            after={"generated": len(created)},
            note="occurrences generated",
            request=request,
        )
    return created
