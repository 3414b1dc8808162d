"""Council endpoints: read the seats and motions; draft, approve and reject motions.

Seats are read-only here as on the pages: they change only when a motion is approved at a
recorded meeting, through the council services.
"""

import datetime
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from fumin.council import services
from fumin.council.selectors import (
    council_current_seats,
    council_get,
    council_list,
    council_meeting_list,
    council_motion_get,
    council_motion_list,
    council_seat_history,
)
from fumin.registry.selectors import unit_list

from .common import Ref, ref

router = Router(tags=["council"])


class CouncilOut(Schema):
    id: UUID
    name: str
    area: Ref
    seat_count: int


class SeatOut(Schema):
    id: UUID
    unit: Ref
    role: str
    role_label: str
    term_start: datetime.date
    term_end: datetime.date | None
    open: bool
    certificate_number: str
    opened_by: str
    closed_by: str | None


class MeetingOut(Schema):
    id: UUID
    title: str
    held_on: datetime.date
    location: str


class ItemIn(Schema):
    action: str
    unit_id: UUID
    role: str = ""
    term_start: datetime.date | None = None
    term_end: datetime.date | None = None


class MotionIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    items: list[ItemIn] = Field(..., min_length=1)


class ItemOut(Schema):
    action: str
    unit: Ref
    role: str
    term_start: datetime.date | None
    term_end: datetime.date | None


class MotionOut(Schema):
    id: UUID
    title: str
    status: str
    meeting: MeetingOut | None
    items: list[ItemOut]


class DecisionIn(Schema):
    meeting_id: UUID | None = None


def _council_or_404(request, council_id: UUID):
    council = council_get(viewer=request.user, public_id=council_id)
    if council is None:
        raise Http404
    return council


def _seat_out(seat) -> dict:
    return {
        "id": seat.public_id,
        "unit": ref(seat.unit),
        "role": seat.role,
        "role_label": seat.get_role_display(),
        "term_start": seat.term_start,
        "term_end": seat.term_end,
        "open": seat.closed_by_id is None,
        "certificate_number": seat.certificate_number,
        "opened_by": seat.opened_by.title,
        "closed_by": seat.closed_by.title if seat.closed_by_id else None,
    }


def _meeting_out(meeting) -> dict | None:
    if meeting is None:
        return None
    return {
        "id": meeting.public_id,
        "title": meeting.title,
        "held_on": meeting.held_on,
        "location": meeting.location,
    }


def _motion_out(motion) -> dict:
    return {
        "id": motion.public_id,
        "title": motion.title,
        "status": motion.status,
        "meeting": _meeting_out(motion.meeting),
        "items": [
            {
                "action": item.action,
                "unit": ref(item.unit),
                "role": item.role,
                "term_start": item.term_start,
                "term_end": item.term_end,
            }
            for item in motion.items.select_related("unit").order_by("pk")
        ],
    }


@router.get("/councils", response=list[CouncilOut])
def councils(request):
    return [
        {"id": c.public_id, "name": c.name, "area": ref(c.area), "seat_count": c.seat_count}
        for c in council_list(viewer=request.user)
    ]


@router.get("/councils/{council_id}/seats", response=list[SeatOut])
def council_seats(request, council_id: UUID, history: bool = False):
    """The open seats (chair first), or with ``history=true`` every seat the council ever had."""
    council = _council_or_404(request, council_id)
    seats = (council_seat_history if history else council_current_seats)(
        viewer=request.user, council=council
    )
    return [_seat_out(seat) for seat in seats]


@router.get("/councils/{council_id}/meetings", response=list[MeetingOut])
def council_meetings(request, council_id: UUID):
    council = _council_or_404(request, council_id)
    return [_meeting_out(m) for m in council_meeting_list(viewer=request.user, council=council)]


@router.get("/councils/{council_id}/motions", response=list[MotionOut])
def council_motions(request, council_id: UUID):
    council = _council_or_404(request, council_id)
    motions = council_motion_list(viewer=request.user, council=council).select_related("meeting")
    return [_motion_out(m) for m in motions]


@router.post("/councils/{council_id}/motions", response={201: MotionOut})
def council_motion_create(request, council_id: UUID, payload: MotionIn):
    """Draft a motion with its items in one call: all of it is stored, or none."""
    council = _council_or_404(request, council_id)
    units = unit_list(viewer=request.user)
    with transaction.atomic():
        motion = services.council_motion_create(
            actor=request.user, council=council, title=payload.title, request=request
        )
        for number, item in enumerate(payload.items):
            unit = units.filter(public_id=item.unit_id).first()
            if unit is None:
                raise ValidationError(
                    {f"items.{number}.unit_id": _("No such record, or it is outside your scope.")}
                )
            services.council_motion_add_item(
                actor=request.user,
                motion=motion,
                action=item.action,
                unit=unit,
                role=item.role,
                term_start=item.term_start,
                term_end=item.term_end,
                request=request,
            )
    return Status(201, _motion_out(motion))


def _decide(request, motion_id: UUID, payload: DecisionIn, decide):
    motion = council_motion_get(viewer=request.user, public_id=motion_id)
    if motion is None:
        raise Http404
    meeting = None
    if payload.meeting_id is not None:
        meeting = (
            council_meeting_list(viewer=request.user, council=motion.council)
            .filter(public_id=payload.meeting_id)
            .first()
        )
        if meeting is None:
            raise ValidationError({"meeting_id": _("No such record, or it is outside your scope.")})
    return _motion_out(decide(actor=request.user, motion=motion, meeting=meeting, request=request))


@router.post("/council-motions/{motion_id}/approve", response=MotionOut)
def council_motion_approve(request, motion_id: UUID, payload: DecisionIn):
    """Approve at a held meeting: every item is applied to the seats, or none."""
    return _decide(request, motion_id, payload, services.council_motion_approve)


@router.post("/council-motions/{motion_id}/reject", response=MotionOut)
def council_motion_reject(request, motion_id: UUID, payload: DecisionIn):
    return _decide(request, motion_id, payload, services.council_motion_reject)
