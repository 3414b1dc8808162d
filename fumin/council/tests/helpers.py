"""Council data for tests and the permission matrix, built through the real services."""

import datetime
from dataclasses import dataclass

from fumin.council import services
from fumin.council.models import Council, CouncilMeeting, CouncilMotion, CouncilMotionItem, SeatRole
from fumin.registry.models import Unit
from fumin.registry.services import unit_create

ADD = CouncilMotionItem.Action.ADD
CHANGE_ROLE = CouncilMotionItem.Action.CHANGE_ROLE
END = CouncilMotionItem.Action.END
CHAIR = SeatRole.ROTATING_CHAIR
MEMBER = SeatRole.MEMBER_UNIT
FOUNDED = datetime.date(2018, 12, 20)


@dataclass
class CouncilWorld:
    council: Council
    meeting: CouncilMeeting  # the founding meeting, already held
    founding: CouncilMotion  # approved: unit A as rotating chair, unit B as member unit
    draft: CouncilMotion  # a draft with one valid addition


def motion_with_items(council, title, *items, actor=None) -> CouncilMotion:
    """A draft motion with ``items``: (action, unit, role, term_start, term_end) tuples."""
    motion = services.council_motion_create(actor=actor, council=council, title=title)
    for action, unit, role, term_start, term_end in items:
        services.council_motion_add_item(
            actor=actor,
            motion=motion,
            action=action,
            unit=unit,
            role=role,
            term_start=term_start,
            term_end=term_end,
        )
    return motion


def new_unit(world, name: str) -> Unit:
    return unit_create(actor=None, name=name, kind=Unit.Kind.ENTERPRISE, area=world.community_c)


def make_council(world) -> CouncilWorld:
    """The subdistrict's council with two founding seats; built once per test world."""
    cached = world.__dict__.get("_council_world")
    if cached is not None:
        return cached
    council = services.council_create(
        actor=None, name="南京西路街道区域化党建联席会议理事会", area=world.subdistrict
    )
    meeting = services.council_meeting_create(
        actor=None, council=council, title="理事会成立会议", held_on=FOUNDED, location="街道"
    )
    founding = motion_with_items(
        council,
        "首届理事单位名单",
        (ADD, world.unit_a, CHAIR, FOUNDED, None),
        (ADD, world.unit_b, MEMBER, FOUNDED, None),
    )
    services.council_motion_approve(actor=None, motion=founding, meeting=meeting)
    draft = motion_with_items(
        council, "增补名单", (ADD, new_unit(world, "增补单位"), MEMBER, FOUNDED, None)
    )
    cached = CouncilWorld(council=council, meeting=meeting, founding=founding, draft=draft)
    world.__dict__["_council_world"] = cached
    return cached


# URL kwargs for the permission matrix (tests/test_permission_matrix.py).


def council_id(world) -> dict:
    return {"public_id": make_council(world).council.public_id}


def founding_motion_id(world) -> dict:
    return {"public_id": make_council(world).founding.public_id}


def draft_motion_id(world) -> dict:
    return {"public_id": make_council(world).draft.public_id}


def fresh_draft_motion_id(world) -> dict:
    """A new draft for each request, so deciding one does not change the next request."""
    cw = make_council(world)
    count = world.__dict__.setdefault("_fresh_motions", [0])
    count[0] += 1
    motion = motion_with_items(
        cw.council,
        f"调整名单{count[0]}",
        (ADD, new_unit(world, f"新单位{count[0]}"), MEMBER, FOUNDED, None),
    )
    return {"public_id": motion.public_id}


def seat_id(world) -> dict:
    seat = make_council(world).founding.opened_seats.get(unit=world.unit_a)
    return {"public_id": seat.public_id}
