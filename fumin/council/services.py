"""Writes to the council. Seats change here only, and only by approving a motion.

Every function takes the acting user as keyword-only ``actor`` (None: the system itself, for demo
data and commands), checks that the actor may manage councils in the council's subdistrict,
validates before writing (a ``ValidationError`` names the field), writes its audit entries and
runs in one transaction.

Terms are inclusive days: a seat whose term ends on 2020-12-31 still sits on that day. When a
motion changes a seat's role from a date, the old seat ends the day before and a new seat, with a
certificate of its own, starts on that date.
"""

import datetime
from collections.abc import Iterator

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from fumin.accounts.scope import Capability, scope_of
from fumin.audit.models import AuditEntry
from fumin.audit.services import audit_change
from fumin.core.pinyin import pinyin_initials
from fumin.registry.models import Area, Unit

from .models import (
    Council,
    CouncilMeeting,
    CouncilMotion,
    CouncilMotionItem,
    CouncilSeat,
)

Action = CouncilMotionItem.Action
ONE_DAY = datetime.timedelta(days=1)


def can_manage_council(actor, area: Area | None) -> bool:
    """True when ``actor`` may manage councils in ``area`` (the system, ``None``, always may)."""
    if actor is None:
        return True
    scope = scope_of(actor)
    return scope.can(Capability.MANAGE_COUNCIL) and scope.contains_area(area)


def require_council_manager(actor, area: Area | None) -> None:
    if not can_manage_council(actor, area):
        raise PermissionDenied


def _actor_user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _date(value: datetime.date) -> str:
    return formats.date_format(value, "Y-m-d")


# Councils and meetings --------------------------------------------------------------------------


@transaction.atomic
def council_create(*, actor, name: str, area: Area, request=None) -> Council:
    require_council_manager(actor, area)
    if area.kind != Area.Kind.SUBDISTRICT:
        raise ValidationError({"area": _("A council belongs to a subdistrict.")})
    council = Council(name=(name or "").strip(), area=area)
    council.full_clean()
    if Council.objects.filter(area=area, name=council.name).exists():
        raise ValidationError({"name": _("This subdistrict already has a council of this name.")})
    council.save()
    audit_change(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        target=council,
        request=request,
        after={"name": council.name, "area": area},
    )
    return council


@transaction.atomic
def council_meeting_create(
    *,
    actor,
    council: Council,
    title: str,
    held_on: datetime.date | None,
    location: str = "",
    minutes: str = "",
    request=None,
) -> CouncilMeeting:
    require_council_manager(actor, council.area)
    meeting = CouncilMeeting(
        council=council,
        title=(title or "").strip(),
        held_on=held_on,
        location=(location or "").strip(),
        minutes=(minutes or "").strip(),
    )
    meeting.full_clean()
    meeting.save()
    audit_change(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        target=meeting,
        request=request,
        after={"title": meeting.title, "held_on": held_on, "location": meeting.location or None},
    )
    return meeting


# Motions ----------------------------------------------------------------------------------------


@transaction.atomic
def council_motion_create(*, actor, council: Council, title: str, request=None) -> CouncilMotion:
    require_council_manager(actor, council.area)
    motion = CouncilMotion(
        council=council, title=(title or "").strip(), created_by=_actor_user(actor)
    )
    motion.full_clean()
    motion.save()
    audit_change(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        target=motion,
        request=request,
        after={"title": motion.title, "council": council},
    )
    return motion


def _lock_motion(motion: CouncilMotion) -> CouncilMotion:
    """The motion read again under a row lock, so two decisions on it cannot interleave."""
    return (
        CouncilMotion.objects.select_for_update(of=("self",))
        .select_related("council__area")
        .get(pk=motion.pk)
    )


def _item_errors(council: Council, item: CouncilMotionItem, seat: CouncilSeat | None) -> dict:
    """What is wrong with ``item`` given the unit's open ``seat`` on the council (or None)."""
    errors: dict[str, str] = {}
    unit = item.unit
    if unit.archived_at is not None:
        errors["unit"] = _("This unit is archived.")
    elif not unit.area.is_within(council.area):
        errors["unit"] = _("This unit is not in the council's subdistrict.")
    if item.action == Action.ADD:
        if seat is not None:
            errors.setdefault("unit", _("This unit already holds a seat on the council."))
        if not item.role:
            errors["role"] = _("Choose the role of the seat.")
        if item.term_start is None:
            errors["term_start"] = _("Give the date the term starts.")
    elif item.action == Action.CHANGE_ROLE:
        if seat is None:
            errors.setdefault("unit", _("This unit holds no seat on the council."))
        if not item.role:
            errors["role"] = _("Choose the new role of the seat.")
        elif seat is not None and seat.role == item.role:
            errors["role"] = _("The seat already has this role.")
        if item.term_start is None:
            errors["term_start"] = _("Give the date the new role starts.")
        elif seat is not None and item.term_start <= seat.term_start:
            errors["term_start"] = _(
                "The new role must start after the current term started (%(date)s)."
            ) % {"date": _date(seat.term_start)}
    elif item.action == Action.END:
        if seat is None:
            errors.setdefault("unit", _("This unit holds no seat on the council."))
        if item.term_end is None:
            errors["term_end"] = _("Give the date the seat ends.")
        elif seat is not None and item.term_end < seat.term_start:
            errors["term_end"] = _("A seat cannot end before its term started (%(date)s).") % {
                "date": _date(seat.term_start)
            }
    if item.term_start and item.term_end and item.term_end < item.term_start:
        errors.setdefault("term_end", _("The term cannot end before it starts."))
    return errors


def _open_seat_of(council: Council, unit: Unit) -> CouncilSeat | None:
    return CouncilSeat.objects.filter(council=council, unit=unit, closed_by__isnull=True).first()


@transaction.atomic
def council_motion_add_item(
    *,
    actor,
    motion: CouncilMotion,
    action: str,
    unit: Unit,
    role: str = "",
    term_start: datetime.date | None = None,
    term_end: datetime.date | None = None,
    request=None,
) -> CouncilMotionItem:
    """Add one addition or adjustment to a draft motion. Nothing changes on the council yet."""
    motion = _lock_motion(motion)
    council = motion.council
    require_council_manager(actor, council.area)
    if not motion.is_draft:
        raise ValidationError({"motion": _("Items can only be added to a draft motion.")})
    if action == Action.END:
        # Ending a seat needs only the day it ends; a role or start date given with it is noise.
        role, term_start = "", None
    item = CouncilMotionItem(
        motion=motion,
        action=action,
        unit=unit,
        role=role or "",
        term_start=term_start,
        term_end=term_end,
    )
    item.full_clean()
    if motion.items.filter(unit=unit).exists():
        raise ValidationError({"unit": _("This motion already has an item for this unit.")})
    errors = _item_errors(council, item, _open_seat_of(council, unit))
    if errors:
        raise ValidationError(errors)
    item.save()
    audit_change(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        target=item,
        request=request,
        after={
            "motion": motion,
            "action": action,
            "unit": unit,
            "role": item.role or None,
            "term_start": term_start,
            "term_end": term_end,
        },
    )
    return item


def certificate_prefix(council: Council, year: int) -> str:
    """``NJXL-2020-``: the subdistrict's pinyin initials (南京西路街道 → NJXL) and the year."""
    name = council.area.name.removesuffix("街道")
    code = "".join(c for c in pinyin_initials(name).upper() if c.isascii() and c.isalnum())
    return f"{code or 'FM'}-{year}-"


def _certificate_numbers(prefix: str) -> Iterator[str]:
    """Unused certificate numbers under ``prefix``, in order. Call with the council locked."""
    taken = CouncilSeat.objects.filter(certificate_number__startswith=prefix).values_list(
        "certificate_number", flat=True
    )
    last = max((int(n[len(prefix) :]) for n in taken if n[len(prefix) :].isdigit()), default=0)
    while True:
        last += 1
        yield f"{prefix}{last:04d}"


def _open(*, actor, request, motion, unit, role, term_start, term_end, numbers) -> CouncilSeat:
    seat = CouncilSeat(
        council=motion.council,
        unit=unit,
        role=role,
        term_start=term_start,
        term_end=term_end,
        opened_by=motion,
        certificate_number=next(numbers),
    )
    seat.full_clean(validate_constraints=False)  # the open-seat rule was checked with the items
    seat.save()
    audit_change(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        target=seat,
        request=request,
        after={
            "unit": unit,
            "role": role,
            "term_start": term_start,
            "term_end": term_end,
            "certificate_number": seat.certificate_number,
            "opened_by": motion,
        },
    )
    return seat


def _close(*, actor, request, motion, seat: CouncilSeat, term_end: datetime.date) -> None:
    before = {"term_end": seat.term_end}
    if seat.term_end is None or term_end < seat.term_end:
        seat.term_end = term_end
    seat.closed_by = motion
    seat.save(update_fields=["term_end", "closed_by", "updated_at"])
    audit_change(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        target=seat,
        request=request,
        before=before,
        after={"term_end": seat.term_end, "closed_by": motion},
    )


@transaction.atomic
def council_motion_approve(
    *, actor, motion: CouncilMotion, meeting: CouncilMeeting | None, request=None
) -> CouncilMotion:
    """Approve ``motion`` at ``meeting`` and apply every item, or nothing at all.

    Every item is checked against the council as it stands before anything is written; one bad
    item refuses the whole motion, and the error lists each bad item by its unit.
    """
    motion = _lock_motion(motion)
    council = motion.council
    require_council_manager(actor, council.area)
    # Approvals on one council take turns: they read and open seats and number certificates.
    Council.objects.select_for_update().filter(pk=council.pk).first()
    if not motion.is_draft:
        raise ValidationError(
            {
                "status": _("Only a draft motion can be approved; this one is %(status)s.")
                % {"status": motion.get_status_display()}
            }
        )
    _check_meeting(council, meeting, required=True)
    items = list(motion.items.select_related("unit__area").order_by("pk"))
    if not items:
        raise ValidationError({"items": _("The motion has no items to approve.")})
    open_seats = {
        seat.unit_id: seat
        for seat in CouncilSeat.objects.select_for_update().filter(
            council=council, closed_by__isnull=True
        )
    }
    problems = []
    for item in items:
        for message in _item_errors(council, item, open_seats.get(item.unit_id)).values():
            problems.append(f"{item.unit.name}: {message}")
    if problems:
        raise ValidationError({"items": problems})

    numbers = _certificate_numbers(certificate_prefix(council, meeting.held_on.year))
    common = {"actor": actor, "request": request, "motion": motion}
    for item in items:
        seat = open_seats.get(item.unit_id)
        if item.action == Action.ADD:
            _open(
                **common,
                unit=item.unit,
                role=item.role,
                term_start=item.term_start,
                term_end=item.term_end,
                numbers=numbers,
            )
        elif item.action == Action.CHANGE_ROLE:
            # The new seat keeps the old term's end unless the motion sets one.
            carried_end = (
                seat.term_end if seat.term_end and seat.term_end >= item.term_start else None
            )
            _close(**common, seat=seat, term_end=item.term_start - ONE_DAY)
            _open(
                **common,
                unit=item.unit,
                role=item.role,
                term_start=item.term_start,
                term_end=item.term_end or carried_end,
                numbers=numbers,
            )
        elif item.action == Action.END:
            _close(**common, seat=seat, term_end=item.term_end)

    _decide(actor, request, motion, CouncilMotion.Status.APPROVED, meeting)
    return motion


def _check_meeting(council: Council, meeting: CouncilMeeting | None, *, required: bool) -> None:
    if meeting is None:
        if required:
            raise ValidationError({"meeting": _("Choose the meeting that approved the motion.")})
        return
    if meeting.council_id != council.pk:
        raise ValidationError({"meeting": _("This meeting belongs to another council.")})
    if meeting.held_on > timezone.localdate():
        raise ValidationError({"meeting": _("This meeting has not been held yet.")})


def _decide(actor, request, motion: CouncilMotion, status: str, meeting) -> None:
    before = {"status": motion.status}
    motion.status = status
    motion.meeting = meeting
    motion.decided_at = timezone.now()
    motion.save(update_fields=["status", "meeting", "decided_at", "updated_at"])
    audit_change(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        target=motion,
        request=request,
        before=before,
        after={"status": status, "meeting": meeting},
    )


@transaction.atomic
def council_motion_reject(
    *, actor, motion: CouncilMotion, meeting: CouncilMeeting | None = None, request=None
) -> CouncilMotion:
    """Record that a draft motion was not adopted (at ``meeting``, when given). Seats stay as
    they are."""
    motion = _lock_motion(motion)
    require_council_manager(actor, motion.council.area)
    if not motion.is_draft:
        raise ValidationError(
            {
                "status": _("Only a draft motion can be rejected; this one is %(status)s.")
                % {"status": motion.get_status_display()}
            }
        )
    _check_meeting(motion.council, meeting, required=False)
    _decide(actor, request, motion, CouncilMotion.Status.REJECTED, meeting)
    return motion
