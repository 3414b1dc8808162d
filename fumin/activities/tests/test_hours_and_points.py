"""Corrections are separate, audited entries; points are an append-only ledger, awarded once."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fumin.activities.models import AppendOnlyError, HoursCorrection, PointsEntry, PointsRule
from fumin.activities.selectors import points_balance, points_ledger
from fumin.activities.services import (
    activity_close,
    activity_update,
    check_in,
    check_out,
    hours_correct,
    signup,
)
from fumin.audit.models import AuditEntry

from .helpers import make_activity, volunteer

pytestmark = pytest.mark.usefixtures("clock")


def attend(world, clock, activity, person, came="2020-09-12 09:00", left="2020-09-12 11:00"):
    """Sign up, check in at ``came`` and out at ``left`` (Shanghai times)."""
    signup(actor=None, activity=activity, person=person)
    clock.set(came)
    check_in(actor=world.secretary_a, method="staff", activity=activity, person=person)
    clock.set(left)
    attendance = check_out(
        actor=world.secretary_a, method="staff", activity=activity, person=person
    )
    clock.set("2020-09-10 09:00")
    return attendance


def test_a_correction_is_a_separate_audited_entry(world, clock):
    activity = make_activity(world)
    attendance = attend(world, clock, activity, volunteer(world, "王芳", "13600000001"))
    checked_out_at = attendance.checked_out_at

    correction = hours_correct(
        actor=world.secretary_a, attendance=attendance, delta="0.5", reason="签退忘记扫码"
    )

    attendance.refresh_from_db()
    assert attendance.checked_out_at == checked_out_at  # the original stays as it was
    assert attendance.hours == Decimal("2.00")
    assert attendance.effective_hours == Decimal("2.50")
    assert (correction.delta, correction.corrected_by) == (Decimal("0.50"), world.secretary_a)
    entry = AuditEntry.objects.get(target_type="activities.hourscorrection")
    assert entry.note == "签退忘记扫码"
    assert entry.changes["after"]["hours"] == "2.50"
    assert entry.scope_path == world.community_a.path
    with pytest.raises(AppendOnlyError):
        correction.save()
    with pytest.raises(AppendOnlyError):
        HoursCorrection.objects.all().delete()


def test_effective_hours_never_go_below_zero(world, clock):
    attendance = attend(world, clock, make_activity(world), volunteer(world, "王芳", "13600000001"))
    hours_correct(actor=None, attendance=attendance, delta=-5, reason="未实际参加服务")
    assert attendance.effective_hours == Decimal("0.00")


def test_a_correction_needs_a_reason_a_sensible_delta_and_the_right_scope(world, clock):
    attendance = attend(world, clock, make_activity(world), volunteer(world, "王芳", "13600000001"))
    with pytest.raises(ValidationError) as error:
        hours_correct(actor=world.secretary_a, attendance=attendance, delta="abc", reason=" ")
    assert set(error.value.message_dict) == {"delta", "reason"}
    with pytest.raises(ValidationError) as error:
        hours_correct(actor=world.secretary_a, attendance=attendance, delta=30, reason="x")
    assert "delta" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        hours_correct(actor=world.secretary_b, attendance=attendance, delta=1, reason="x")
    assert not HoursCorrection.objects.exists()


def test_closing_awards_points_by_the_active_rules_once(world, clock):
    PointsRule.objects.create(name="每小时志愿服务", basis="per_hour", points=10)
    PointsRule.objects.create(name="参加活动", basis="per_attendance", points=5)
    PointsRule.objects.create(name="党课", basis="per_attendance", points=3, activity_kind="study")
    PointsRule.objects.create(name="停用规则", basis="per_attendance", points=99, active=False)
    activity = make_activity(world)
    came = volunteer(world, "王芳", "13600000001")
    absent = volunteer(world, "李强", "13600000002")
    attendance = attend(world, clock, activity, came, left="2020-09-12 10:30")  # 1.5 hours
    signup(actor=None, activity=activity, person=absent)
    hours_correct(actor=None, attendance=attendance, delta="0.25", reason="提前到场布置")

    clock.set("2020-09-12 13:00")
    with pytest.raises(ValidationError) as error:
        activity_close(actor=world.secretary_a, activity=activity, beneficiaries=-1)
    assert "beneficiaries" in error.value.message_dict
    closed = activity_close(
        actor=world.secretary_a, activity=activity, beneficiaries=120, summary="发放宣传册"
    )
    again = activity_close(actor=world.secretary_a, activity=activity, beneficiaries=999)

    assert (closed.status, closed.beneficiaries, closed.summary) == ("closed", 120, "发放宣传册")
    assert again.beneficiaries == 120
    assert sorted(PointsEntry.objects.values_list("points", flat=True)) == [5, 18]  # 1.75 h × 10
    assert points_balance(person=came) == 23
    assert points_balance(person=absent) == 0
    assert points_ledger(person=came).count() == 2
    with pytest.raises(ValidationError) as error:
        activity_update(actor=world.secretary_a, activity=closed, title="改名")
    assert "status" in error.value.message_dict


def test_the_points_ledger_is_append_only(world, clock):
    person = volunteer(world, "王芳", "13600000001")
    entry = PointsEntry.objects.create(person=person, points=10, reason="开户赠送")
    PointsEntry.objects.create(person=person, points=-4, reason="兑换")
    assert points_balance(person=person) == 6
    entry.points = 100
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        PointsEntry.objects.filter(person=person).update(points=0)
    assert points_balance(person=person) == 6


def test_capacity_cannot_drop_below_the_people_already_confirmed(world):
    activity = make_activity(world, capacity=3)
    for i in range(2):
        signup(
            actor=None, activity=activity, person=volunteer(world, f"志愿者{i}", f"1360000000{i}")
        )
    with pytest.raises(ValidationError) as error:
        activity_update(actor=world.secretary_a, activity=activity, capacity=1)
    assert "capacity" in error.value.message_dict
    assert activity_update(actor=world.secretary_a, activity=activity, capacity=2).capacity == 2
