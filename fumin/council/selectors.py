"""Reads of the council, limited to the viewer's scope.

A council belongs to a subdistrict. Any console user whose scope meets that subdistrict sees it:
staff of the subdistrict or above, and grid coordinators and community secretaries inside it. A
unit liaison sees the councils on which their unit holds or held a seat. Only managers
(``services.can_manage_council``) change anything, and only through the services.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from fumin.accounts.scope import Capability, Scope, scope_of
from fumin.registry.models import PATH_STEP

from .models import Council, CouncilMeeting, CouncilMotion, CouncilSeat, SeatRole


def _council_condition(scope: Scope, prefix: str = "") -> Q:
    """Councils (at ``prefix``) whose subdistrict meets the viewer's scope, or with the liaison's
    units among their seats, past or present."""
    condition = Q(pk__in=[])
    for path in scope.area_paths:
        # The council's area lies under the viewer's area, or above it (one of its prefixes).
        prefixes = [path[:end] for end in range(PATH_STEP, len(path) + 1, PATH_STEP)]
        condition |= Q(**{f"{prefix}area__path__startswith": path})
        condition |= Q(**{f"{prefix}area__path__in": prefixes})
    if scope.unit_ids:
        seated = CouncilSeat.objects.filter(unit_id__in=scope.unit_ids).values("council_id")
        condition |= Q(**{f"{prefix}pk__in": seated})
    return condition


def council_list(*, viewer) -> QuerySet[Council]:
    scope = scope_of(viewer)
    if not scope.can(Capability.CONSOLE):
        return Council.objects.none()
    return (
        Council.objects.filter(_council_condition(scope))
        .select_related("area")
        .annotate(seat_count=Count("seats", filter=Q(seats__closed_by__isnull=True), distinct=True))
        .order_by("area__path", "name")
    )


def council_get(*, viewer, public_id) -> Council | None:
    return council_list(viewer=viewer).filter(public_id=public_id).first()


def _visible(viewer, council: Council) -> Q:
    """Rows of ``council``, or none when the viewer may not see it."""
    scope = scope_of(viewer)
    if not scope.can(Capability.CONSOLE):
        return Q(pk__in=[])
    return Q(council=council) & _council_condition(scope, "council__")


def _seats(viewer, council: Council) -> QuerySet[CouncilSeat]:
    return CouncilSeat.objects.filter(_visible(viewer, council)).select_related(
        "unit__area", "opened_by__meeting", "closed_by__meeting"
    )


def council_current_seats(*, viewer, council: Council) -> QuerySet[CouncilSeat]:
    """The open seats: the rotating chair first, then the units by pinyin."""
    chair_first = Case(
        When(role=SeatRole.ROTATING_CHAIR, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        _seats(viewer, council)
        .filter(closed_by__isnull=True)
        .order_by(chair_first, "unit__name_pinyin", "term_start")
    )


def council_seat_history(*, viewer, council: Council) -> QuerySet[CouncilSeat]:
    """Every seat the council ever had, open or closed, with the motions and meetings that opened
    and closed it; latest first."""
    return _seats(viewer, council).order_by("-term_start", "unit__name_pinyin", "-pk")


@dataclass(frozen=True)
class RotaEntry:
    seat: CouncilSeat
    status: str  # "past", "current" or "scheduled"

    @property
    def is_current(self) -> bool:
        return self.status == "current"


def rota_status(seat: CouncilSeat, today: datetime.date) -> str:
    if seat.term_start > today:
        return "scheduled"
    if seat.closed_by_id is not None or (seat.term_end is not None and seat.term_end < today):
        return "past"
    return "current"


def council_chair_rota(
    *, viewer, council: Council, today: datetime.date | None = None
) -> list[RotaEntry]:
    """The rotating chair's seats in order of their terms: past, current and scheduled."""
    today = today or timezone.localdate()
    seats = (
        _seats(viewer, council)
        .filter(role=SeatRole.ROTATING_CHAIR)
        .order_by("term_start", "unit__name_pinyin")
    )
    return [RotaEntry(seat=seat, status=rota_status(seat, today)) for seat in seats]


def council_meeting_list(*, viewer, council: Council) -> QuerySet[CouncilMeeting]:
    return (
        CouncilMeeting.objects.filter(_visible(viewer, council))
        .annotate(motion_count=Count("motions"))
        .order_by("-held_on", "-pk")
    )


def council_motion_list(*, viewer, council: Council) -> QuerySet[CouncilMotion]:
    return (
        CouncilMotion.objects.filter(_visible(viewer, council))
        .select_related("meeting", "created_by")
        .annotate(item_count=Count("items"))
        .order_by("-created_at", "-pk")
    )


def council_motion_get(*, viewer, public_id) -> CouncilMotion | None:
    scope = scope_of(viewer)
    if not scope.can(Capability.CONSOLE):
        return None
    return (
        CouncilMotion.objects.filter(_council_condition(scope, "council__"), public_id=public_id)
        .select_related("council__area", "meeting", "created_by")
        .first()
    )


def council_motion_items(*, motion: CouncilMotion):
    """The items of a motion the viewer already got through ``council_motion_get``."""
    return motion.items.select_related("unit__area").order_by("pk")


def council_motion_seats(*, motion: CouncilMotion) -> tuple[list, list]:
    """The seats a motion (got through ``council_motion_get``) opened and closed."""
    seats = CouncilSeat.objects.filter(Q(opened_by=motion) | Q(closed_by=motion)).select_related(
        "unit"
    )
    ordered = sorted(seats, key=lambda seat: (seat.unit.name_pinyin, seat.pk))
    opened = [seat for seat in ordered if seat.opened_by_id == motion.pk]
    closed = [seat for seat in ordered if seat.closed_by_id == motion.pk]
    return opened, closed


def council_seat_get(*, viewer, public_id) -> CouncilSeat | None:
    scope = scope_of(viewer)
    if not scope.can(Capability.CONSOLE):
        return None
    return (
        CouncilSeat.objects.filter(_council_condition(scope, "council__"), public_id=public_id)
        .select_related("council__area", "unit", "opened_by__meeting", "closed_by__meeting")
        .first()
    )
