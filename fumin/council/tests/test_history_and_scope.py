"""Reading the council: current seats, the full history, the chair rota, and who sees what."""

import datetime

import pytest

from conftest import make_user
from fumin.accounts.models import Role
from fumin.council import selectors, services
from fumin.registry.models import Area
from fumin.registry.services import area_create

from .helpers import ADD, CHAIR, CHANGE_ROLE, END, FOUNDED, MEMBER, motion_with_items, new_unit

D = datetime.date


def approve(cw, *items, title="调整"):
    motion = motion_with_items(cw.council, title, *items)
    services.council_motion_approve(actor=None, motion=motion, meeting=cw.meeting)
    return motion


def test_current_seats_list_the_chair_first_then_units_by_pinyin(cw, world):
    # By pinyin: alibaba < gonghui < zhongguo, whatever order they were added in.
    approve(
        cw,
        (ADD, new_unit(world, "中国建筑"), MEMBER, FOUNDED, None),
        (ADD, new_unit(world, "阿里巴巴"), MEMBER, FOUNDED, None),
    )
    seats = selectors.council_current_seats(viewer=world.officer, council=cw.council)
    assert [s.unit.name for s in seats] == ["上海市作家协会", "阿里巴巴", "公惠医院", "中国建筑"]
    assert seats[0].role == CHAIR


def test_history_keeps_closed_seats_with_the_motions_and_meetings(cw, world):
    ended = approve(cw, (END, world.unit_b, "", None, D(2019, 12, 31)), title="退出名单")
    history = list(selectors.council_seat_history(viewer=world.officer, council=cw.council))
    closed = next(s for s in history if s.unit == world.unit_b)
    assert closed.closed_by == ended
    assert closed.opened_by.meeting == cw.meeting
    assert closed.closed_by.meeting == cw.meeting
    current = selectors.council_current_seats(viewer=world.officer, council=cw.council)
    assert world.unit_b not in [s.unit for s in current]


def test_the_chair_rota_shows_past_current_and_scheduled_terms(cw, world):
    today = D(2020, 6, 1)
    second, third = new_unit(world, "第二任"), new_unit(world, "第三任")
    approve(
        cw,
        (CHANGE_ROLE, world.unit_a, MEMBER, D(2020, 1, 1), None),
        (ADD, second, CHAIR, D(2020, 1, 1), D(2020, 12, 31)),
        (ADD, third, CHAIR, D(2021, 1, 1), D(2021, 12, 31)),
    )
    rota = selectors.council_chair_rota(viewer=world.officer, council=cw.council, today=today)
    assert [(e.seat.unit.name, e.status) for e in rota] == [
        ("上海市作家协会", "past"),
        ("第二任", "current"),
        ("第三任", "scheduled"),
    ]


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("admin", True),
        ("officer", True),
        ("coordinator", True),
        ("secretary_a", True),
        ("secretary_b", True),
        ("liaison", True),  # their unit holds a seat
        ("member", False),
        ("outsider", False),
        ("anonymous", False),
    ],
)
def test_who_sees_the_council(cw, world, persona, sees):
    viewer = world.persona(persona)
    assert (
        selectors.council_get(viewer=viewer, public_id=cw.council.public_id) is not None
    ) == sees
    seat = cw.founding.opened_seats.first()
    assert (selectors.council_seat_get(viewer=viewer, public_id=seat.public_id) is not None) == sees
    motion = selectors.council_motion_get(viewer=viewer, public_id=cw.founding.public_id)
    assert (motion is not None) == sees
    seats = selectors.council_current_seats(viewer=viewer, council=cw.council)
    assert seats.exists() == sees


def test_a_liaison_sees_a_council_only_while_or_after_their_unit_sits_on_it(cw, world):
    unit = new_unit(world, "联络员的单位")
    liaison = make_user("联络员", "13900000088", Role.UNIT_LIAISON, unit=unit)
    assert selectors.council_get(viewer=liaison, public_id=cw.council.public_id) is None
    approve(cw, (ADD, unit, MEMBER, FOUNDED, None))
    assert selectors.council_get(viewer=liaison, public_id=cw.council.public_id) is not None
    approve(cw, (END, unit, "", None, D(2019, 1, 1)), title="退出")
    assert selectors.council_get(viewer=liaison, public_id=cw.council.public_id) is not None


def test_staff_of_another_subdistrict_do_not_see_the_council(cw, world):
    other = area_create(
        actor=None, name="静安寺街道", kind=Area.Kind.SUBDISTRICT, parent=world.district
    )
    grid = area_create(actor=None, name="别的网格", kind=Area.Kind.GRID, parent=other)
    stranger = make_user("外街道干部", "13900000099", Role.SUBDISTRICT_STAFF, area=other)
    coordinator = make_user("外网格员", "13900000098", Role.GRID_COORDINATOR, area=grid)
    their_council = services.council_create(actor=stranger, name="静安寺理事会", area=other)
    for viewer in (stranger, coordinator):
        assert list(selectors.council_list(viewer=viewer)) == [their_council]
    assert their_council not in selectors.council_list(viewer=world.officer)
    assert set(selectors.council_list(viewer=world.admin)) == {cw.council, their_council}


def test_seats_and_history_are_read_in_a_fixed_number_of_queries(
    cw, world, django_assert_max_num_queries
):
    approve(cw, *[(ADD, new_unit(world, f"单位{n}"), MEMBER, FOUNDED, None) for n in range(8)])
    with django_assert_max_num_queries(4):
        seats = list(selectors.council_current_seats(viewer=world.officer, council=cw.council))
        history = list(selectors.council_seat_history(viewer=world.officer, council=cw.council))
        for seat in seats + history:
            str(seat.unit.area), str(seat.opened_by.meeting), seat.closed_by
