"""The demo council follows the article and can be loaded any number of times."""

import datetime

from fumin.council import demo
from fumin.council.models import Council, CouncilMeeting, CouncilMotion, CouncilSeat, SeatRole
from fumin.registry import demo as registry_demo
from fumin.registry.models import Unit


def seed():
    areas = registry_demo.seed_areas()
    return demo.seed_council(areas, registry_demo.seed_units(areas))


def counts():
    return [
        model.objects.count()
        for model in (Council, CouncilMeeting, CouncilMotion, CouncilSeat, Unit)
    ]


def test_seeding_twice_duplicates_nothing(db):
    seed()
    first = counts()
    seed()
    assert counts() == first


def test_the_2020_meeting_adds_the_eight_units_of_the_article(db):
    council = seed()
    meeting = council.meetings.get(held_on=datetime.date(2020, 12, 17))
    assert meeting.location == "上海市作家协会"
    motion = council.motions.get(title=demo.ADDITIONS_MOTION)
    assert (motion.status, motion.meeting) == (CouncilMotion.Status.APPROVED, meeting)
    added = [seat.unit.name for seat in motion.opened_seats.order_by("certificate_number")]
    assert added == demo.ADDITIONS_2020
    assert all(
        number.startswith("NJXL-2020-")
        for number in motion.opened_seats.values_list("certificate_number", flat=True)
    )


def test_the_2020_rotating_chair_and_the_founding_members(db):
    council = seed()
    chair = council.seats.get(role=SeatRole.ROTATING_CHAIR)
    assert chair.unit.name == "上海国际集团有限公司"
    assert (chair.term_start, chair.term_end) == (
        datetime.date(2020, 1, 1),
        datetime.date(2020, 12, 31),
    )
    founding = council.motions.get(title=demo.FOUNDING_MOTION)
    assert founding.meeting.held_on < datetime.date(2020, 1, 1)
    names = set(founding.opened_seats.values_list("unit__name", flat=True))
    assert {
        "上海市作家协会",
        "上海文化广播影视集团有限公司",
        "太古（中国）投资有限公司",
    } <= names
    # Open seats: the founding members (the chair's member seat replaced) and the eight additions.
    assert council.seats.filter(closed_by__isnull=True).count() == len(demo.FOUNDING_MEMBERS) + 8
