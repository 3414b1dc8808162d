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

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fumin.audit.services import audit_change
from fumin.core.changes import apply_changes
from fumin.core.crypto import keyed_hash
from fumin.notifications.services import notify
from fumin.registry.models import Area, Person, Unit
from fumin.registry.services import require_editable

from .models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Activity,
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


def _lock_shared(activity: Activity) -> Activity:
    """The activity's row with a shared lock (PostgreSQL ``FOR SHARE``) until the transaction
    ends: check-ins at the same door run side by side (each locks only its attendance row), while
    sign-ups and status changes, which take the exclusive lock, wait for them and they for those.
    Other databases take the exclusive lock."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return _lock(activity)
    table = Activity._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT 1 FROM "{table}" WHERE id = %s FOR SHARE', [activity.pk])  # noqa: S608
    return Activity.objects.select_related("community").get(pk=activity.pk)


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
    request=None,
    **fields,
) -> Activity:
    """A new activity, in draft until published."""
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
    *, actor, activity: Activity, beneficiaries: int, summary: str = "", request=None
) -> Activity:
    """Close a held activity with its beneficiaries (person-times) and summary, and award points
    to everyone who attended by the active rules. Closing a closed activity changes nothing, so
    points are awarded once."""
    require_editable(actor, activity.community)
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
    return activity


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


def _activity_by_code(code: str) -> Activity | None:
    code = normalize_code(code)
    return Activity.objects.filter(checkin_code=code).first() if code else None


def _resolve(*, actor, activity, person, personal_code, activity_code, method):
    """The activity and person a check-in or check-out is about, after the permission check.

    Self methods (QR, typed code) prove presence with the activity's code and act for the actor's
    own person. Staff methods (staff, personal code) need the right to manage the activity.
    """
    if method not in Attendance.Method.values:
        raise ValidationError({"method": _("Choose a check-in method.")})
    if method in SELF_METHODS:
        found = _activity_by_code(activity_code)
        if found is None or (activity is not None and found.pk != activity.pk):
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
    activity = _lock_shared(activity)
    attendance = (
        Attendance.objects.select_for_update().filter(activity=activity, person=person).first()
    )
    if attendance is not None:
        attendance.person = person
    if attendance is not None and attendance.checked_in_at is not None:
        attendance.activity = activity
        attendance.checked_in_now = False  # a repeat: the first check-in, unchanged
        return attendance
    now = timezone.now()
    staff = method not in SELF_METHODS
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
        "geofence_passed": geofence_passed if not staff else None,
    }
    if attendance is None:
        try:
            with transaction.atomic():
                attendance = Attendance.objects.create(
                    activity=activity, person=person, signed_up_at=now, walk_up=True, **values
                )
        except IntegrityError:  # checked in at the same moment by another request
            attendance = Attendance.objects.get(activity=activity, person=person)
            attendance.checked_in_now = False
            return attendance
    else:
        if not signed_up:
            values["walk_up"] = True
        for field, value in values.items():
            setattr(attendance, field, value)
        attendance.save(update_fields=list(values))
    attendance.activity = activity
    attendance.checked_in_now = True  # this call checked the person in (the API answers 201)
    audit_change(
        actor=actor,
        action="update",
        target=attendance,
        after={"status": attendance.status, "checkin_method": method, "walk_up": walk_up},
        note="check-in",
        request=request,
    )
    return attendance


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
