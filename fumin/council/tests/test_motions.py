"""Seats change only through motions approved at a recorded meeting, all items or none."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fumin.audit.models import AuditEntry
from fumin.council import services
from fumin.council.models import CouncilMotion, CouncilSeat
from fumin.registry.models import Area, Unit
from fumin.registry.services import area_create, unit_archive, unit_create

from .helpers import ADD, CHAIR, CHANGE_ROLE, END, FOUNDED, MEMBER, motion_with_items, new_unit


def open_seats(council):
    return {s.unit.name: s.role for s in council.seats.filter(closed_by__isnull=True)}


def test_founding_motion_opens_numbered_seats(cw, world):
    seats = CouncilSeat.objects.filter(council=cw.council).order_by("certificate_number")
    assert [(s.unit, s.role, s.term_start) for s in seats] == [
        (world.unit_a, CHAIR, FOUNDED),
        (world.unit_b, MEMBER, FOUNDED),
    ]
    assert [s.certificate_number for s in seats] == ["NJXL-2018-0001", "NJXL-2018-0002"]
    assert all(s.opened_by == cw.founding for s in seats)
    cw.founding.refresh_from_db()
    assert cw.founding.status == CouncilMotion.Status.APPROVED
    assert cw.founding.meeting == cw.meeting
    assert cw.founding.decided_at is not None


def test_a_draft_changes_no_seat_until_it_is_approved(cw, world):
    before = open_seats(cw.council)
    unit = new_unit(world, "中共二大会址纪念馆")
    motion = motion_with_items(cw.council, "增补调整名单", (ADD, unit, MEMBER, FOUNDED, None))
    assert open_seats(cw.council) == before
    services.council_motion_approve(actor=world.officer, motion=motion, meeting=cw.meeting)
    assert open_seats(cw.council) == {**before, "中共二大会址纪念馆": MEMBER}


def test_certificate_numbers_continue_per_council_and_year(cw, world):
    meeting_2020 = services.council_meeting_create(
        actor=world.officer,
        council=cw.council,
        title="2020年理事会",
        held_on=datetime.date(2020, 12, 17),
    )
    units = [new_unit(world, f"单位{n}") for n in range(2)]
    motion = motion_with_items(
        cw.council, "增补", *[(ADD, u, MEMBER, datetime.date(2020, 12, 17), None) for u in units]
    )
    services.council_motion_approve(actor=world.officer, motion=motion, meeting=meeting_2020)
    numbers = sorted(
        CouncilSeat.objects.filter(unit__in=units).values_list("certificate_number", flat=True)
    )
    assert numbers == ["NJXL-2020-0001", "NJXL-2020-0002"]
    # One more approval at a 2018 meeting carries on after the founding seats' numbers.
    late = motion_with_items(
        cw.council, "补充", (ADD, new_unit(world, "补充单位"), MEMBER, FOUNDED, None)
    )
    services.council_motion_approve(actor=world.officer, motion=late, meeting=cw.meeting)
    assert late.opened_seats.get().certificate_number == "NJXL-2018-0003"


def test_change_role_closes_the_seat_and_opens_another(cw, world):
    start = datetime.date(2020, 1, 1)
    motion = motion_with_items(
        cw.council,
        "轮值主席调整",
        (CHANGE_ROLE, world.unit_a, MEMBER, start, None),
        (CHANGE_ROLE, world.unit_b, CHAIR, start, datetime.date(2020, 12, 31)),
    )
    services.council_motion_approve(actor=world.officer, motion=motion, meeting=cw.meeting)
    old_chair = CouncilSeat.objects.get(opened_by=cw.founding, unit=world.unit_a)
    assert old_chair.closed_by == motion
    assert old_chair.term_end == datetime.date(2019, 12, 31)
    new_chair = CouncilSeat.objects.get(opened_by=motion, unit=world.unit_b)
    assert (new_chair.role, new_chair.term_start, new_chair.term_end) == (
        CHAIR,
        start,
        datetime.date(2020, 12, 31),
    )
    assert open_seats(cw.council) == {world.unit_a.name: MEMBER, world.unit_b.name: CHAIR}


def test_end_closes_the_seat_on_its_last_day(cw, world):
    last_day = datetime.date(2020, 6, 30)
    motion = motion_with_items(cw.council, "退出", (END, world.unit_b, "", None, last_day))
    services.council_motion_approve(actor=world.officer, motion=motion, meeting=cw.meeting)
    seat = CouncilSeat.objects.get(unit=world.unit_b)
    assert (seat.closed_by, seat.term_end) == (motion, last_day)
    assert world.unit_b.name not in open_seats(cw.council)


def test_one_bad_item_refuses_the_whole_motion(cw, world):
    """Items are checked together at approval: a unit seated since the draft blocks it all."""
    fresh, later = new_unit(world, "新单位甲"), new_unit(world, "新单位乙")
    motion = motion_with_items(
        cw.council,
        "增补",
        (ADD, fresh, MEMBER, FOUNDED, None),
        (END, world.unit_b, "", None, datetime.date(2020, 1, 31)),
        (ADD, later, MEMBER, FOUNDED, None),
    )
    # Meanwhile another motion seats the second new unit.
    other = motion_with_items(cw.council, "另一份", (ADD, later, MEMBER, FOUNDED, None))
    services.council_motion_approve(actor=None, motion=other, meeting=cw.meeting)
    seats_before = list(CouncilSeat.objects.order_by("pk").values())
    with pytest.raises(ValidationError) as caught:
        services.council_motion_approve(actor=world.officer, motion=motion, meeting=cw.meeting)
    assert "items" in caught.value.message_dict
    assert any("新单位乙" in m for m in caught.value.message_dict["items"])
    assert list(CouncilSeat.objects.order_by("pk").values()) == seats_before
    motion.refresh_from_db()
    assert motion.status == CouncilMotion.Status.DRAFT


@pytest.mark.parametrize(
    ("item", "field"),
    [
        (lambda w: (ADD, w.unit_a, MEMBER, FOUNDED, None), "unit"),  # already seated
        (lambda w: (END, new_unit(w, "无席位单位"), "", None, FOUNDED), "unit"),  # no seat to end
        (lambda w: (CHANGE_ROLE, new_unit(w, "无席位单位"), CHAIR, FOUNDED, None), "unit"),
        (lambda w: (ADD, new_unit(w, "缺角色"), "", FOUNDED, None), "role"),
        (lambda w: (ADD, new_unit(w, "缺开始"), MEMBER, None, None), "term_start"),
        (lambda w: (END, w.unit_b, "", None, None), "term_end"),
        (lambda w: (END, w.unit_b, "", None, datetime.date(2018, 1, 1)), "term_end"),
        (lambda w: (CHANGE_ROLE, w.unit_a, CHAIR, datetime.date(2020, 1, 1), None), "role"),
        (lambda w: (CHANGE_ROLE, w.unit_a, MEMBER, FOUNDED, None), "term_start"),
        (
            lambda w: (ADD, new_unit(w, "倒置任期"), MEMBER, FOUNDED, datetime.date(2018, 1, 1)),
            "term_end",
        ),
        (lambda w: ("promote", w.unit_b, MEMBER, FOUNDED, None), "action"),
    ],
)
def test_a_bad_item_is_refused_naming_the_field(cw, world, item, field):
    action, unit, role, term_start, term_end = item(world)
    with pytest.raises(ValidationError) as caught:
        services.council_motion_add_item(
            actor=world.officer,
            motion=cw.draft,
            action=action,
            unit=unit,
            role=role,
            term_start=term_start,
            term_end=term_end,
        )
    assert field in caught.value.message_dict
    assert cw.draft.items.count() == 1


def test_a_unit_outside_the_subdistrict_or_archived_cannot_be_seated(cw, world):
    other = area_create(
        actor=None, name="静安寺街道", kind=Area.Kind.SUBDISTRICT, parent=world.district
    )
    outside = unit_create(actor=None, name="外街道单位", kind=Unit.Kind.ENTERPRISE, area=other)
    archived = unit_archive(actor=None, unit=new_unit(world, "已归档单位"))
    for unit in (outside, archived):
        with pytest.raises(ValidationError) as caught:
            services.council_motion_add_item(
                actor=None, motion=cw.draft, action=ADD, unit=unit, role=MEMBER, term_start=FOUNDED
            )
        assert "unit" in caught.value.message_dict


def test_one_item_per_unit_in_a_motion(cw, world):
    unit = cw.draft.items.get().unit
    with pytest.raises(ValidationError) as caught:
        services.council_motion_add_item(
            actor=None, motion=cw.draft, action=ADD, unit=unit, role=CHAIR, term_start=FOUNDED
        )
    assert "unit" in caught.value.message_dict


def test_only_a_draft_is_decided_and_only_once(cw, world):
    for decide in (services.council_motion_approve, services.council_motion_reject):
        with pytest.raises(ValidationError) as caught:
            decide(actor=world.officer, motion=cw.founding, meeting=cw.meeting)
        assert "status" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.council_motion_add_item(
            actor=None, motion=cw.founding, action=END, unit=world.unit_b, term_end=FOUNDED
        )
    assert "motion" in caught.value.message_dict


def test_the_meeting_must_be_of_the_council_and_already_held(cw, world):
    other = services.council_create(actor=None, name="另一理事会", area=cw.council.area)
    foreign = services.council_meeting_create(
        actor=None, council=other, title="别的会议", held_on=FOUNDED
    )
    future = services.council_meeting_create(
        actor=None, council=cw.council, title="明年的会议", held_on=datetime.date(2999, 1, 1)
    )
    for meeting in (None, foreign, future):
        with pytest.raises(ValidationError) as caught:
            services.council_motion_approve(actor=world.officer, motion=cw.draft, meeting=meeting)
        assert "meeting" in caught.value.message_dict
    cw.draft.refresh_from_db()
    assert cw.draft.is_draft


def test_a_motion_without_items_is_not_approved(cw, world):
    empty = services.council_motion_create(actor=world.officer, council=cw.council, title="空")
    with pytest.raises(ValidationError) as caught:
        services.council_motion_approve(actor=world.officer, motion=empty, meeting=cw.meeting)
    assert "items" in caught.value.message_dict


def test_reject_changes_no_seat(cw, world):
    before = open_seats(cw.council)
    services.council_motion_reject(actor=world.officer, motion=cw.draft, meeting=cw.meeting)
    cw.draft.refresh_from_db()
    assert cw.draft.status == CouncilMotion.Status.REJECTED
    assert open_seats(cw.council) == before


def test_bad_meeting_and_council_input_names_the_field(cw, world):
    with pytest.raises(ValidationError) as caught:
        services.council_meeting_create(
            actor=world.officer, council=cw.council, title=" ", held_on=None
        )
    assert {"title", "held_on"} <= set(caught.value.message_dict)
    with pytest.raises(ValidationError) as caught:
        services.council_create(actor=None, name="网格理事会", area=world.grid_1)
    assert "area" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.council_create(actor=None, name=cw.council.name, area=world.subdistrict)
    assert "name" in caught.value.message_dict


@pytest.mark.parametrize("persona", ["coordinator", "secretary_a", "liaison", "member", "outsider"])
def test_only_council_managers_write(cw, world, persona):
    actor = world.persona(persona)
    attempts = [
        lambda: services.council_create(actor=actor, name="理事会", area=world.subdistrict),
        lambda: services.council_meeting_create(
            actor=actor, council=cw.council, title="会议", held_on=FOUNDED
        ),
        lambda: services.council_motion_create(actor=actor, council=cw.council, title="动议"),
        lambda: services.council_motion_add_item(
            actor=actor, motion=cw.draft, action=END, unit=world.unit_b, term_end=FOUNDED
        ),
        lambda: services.council_motion_approve(actor=actor, motion=cw.draft, meeting=cw.meeting),
        lambda: services.council_motion_reject(actor=actor, motion=cw.draft),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    cw.draft.refresh_from_db()
    assert cw.draft.is_draft


def test_staff_of_another_subdistrict_cannot_manage(cw, world):
    from conftest import make_user
    from fumin.accounts.models import Role

    other = area_create(
        actor=None, name="静安寺街道", kind=Area.Kind.SUBDISTRICT, parent=world.district
    )
    stranger = make_user("外街道干部", "13900000099", Role.SUBDISTRICT_STAFF, area=other)
    with pytest.raises(PermissionDenied):
        services.council_motion_approve(actor=stranger, motion=cw.draft, meeting=cw.meeting)
    # The district's platform administrator may.
    services.council_motion_approve(actor=world.admin, motion=cw.draft, meeting=cw.meeting)


def test_every_change_is_in_the_audit_log(cw, world):
    services.council_motion_approve(actor=world.officer, motion=cw.draft, meeting=cw.meeting)
    entries = AuditEntry.objects.filter(actor=world.officer)
    kinds = {(e.action, e.target_type) for e in entries}
    assert ("create", "council.councilseat") in kinds
    assert ("update", "council.councilmotion") in kinds
    assert all(e.scope_path == world.subdistrict.path for e in entries)
    founding_entries = AuditEntry.objects.filter(target_type="council.councilseat", actor=None)
    assert founding_entries.count() == 2
