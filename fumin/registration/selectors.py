"""Reads of dual registration, limited to the viewer's scope, and the figures the dashboard
reuses.

Community staff see the registrations with communities in their scope; a unit liaison sees its
units' organisation registrations and the registrations of members working there; a member sees
their own.
"""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from fumin.accounts.scope import Capability, scope_of
from fumin.core.search import search_by_name

from .models import ACTIVE, MemberRegistration, OrgRegistration, Status, UnitProposal
from .services import reconfirmation_cycle_start


def org_registration_list(*, viewer, status: str = "", text: str = "") -> QuerySet:
    scope = scope_of(viewer)
    if not scope.can(Capability.CONSOLE):
        return OrgRegistration.objects.none()
    rows = OrgRegistration.objects.filter(
        scope.area_condition("community__path") | Q(party_org__unit_id__in=list(scope.unit_ids))
    )
    if status == "overdue":
        rows = rows.filter(status=Status.CONFIRMED, last_confirmed_at__lt=_cycle_start_instant())
    elif status:
        rows = rows.filter(status=status)
    if text:
        rows = search_by_name(rows, text, prefix="party_org__")
    return rows.select_related("party_org__unit", "community", "proposal")


def org_registration_get(*, viewer, public_id) -> OrgRegistration | None:
    return org_registration_list(viewer=viewer).filter(public_id=public_id).first()


def member_registration_list(*, viewer, status: str = "", text: str = "", unit=None) -> QuerySet:
    scope = scope_of(viewer)
    if not scope.is_authenticated:
        return MemberRegistration.objects.none()
    if scope.can(Capability.CONSOLE):
        visible = scope.area_condition("community__path") | Q(work_unit_id__in=list(scope.unit_ids))
    else:
        visible = Q(person__user_id=scope.user_id)
    rows = MemberRegistration.objects.filter(visible)
    if status == "overdue":
        rows = rows.filter(status=Status.CONFIRMED, last_confirmed_at__lt=_cycle_start_instant())
    elif status:
        rows = rows.filter(status=status)
    if unit is not None:
        rows = rows.filter(work_unit=unit)
    if text:
        rows = search_by_name(rows, text, prefix="person__")
    return rows.select_related("person", "community", "grid", "work_unit", "party_org")


def member_registration_get(*, viewer, public_id) -> MemberRegistration | None:
    return member_registration_list(viewer=viewer).filter(public_id=public_id).first()


def my_registration(*, viewer) -> MemberRegistration | None:
    """The viewer's own current registration (waiting or confirmed), if any."""
    if not viewer.is_authenticated:
        return None
    return (
        MemberRegistration.objects.filter(person__user=viewer, status__in=ACTIVE)
        .select_related("person", "community", "work_unit", "party_org")
        .first()
    )


def my_registration_history(*, viewer) -> QuerySet:
    return (
        MemberRegistration.objects.filter(person__user=viewer)
        .select_related("community")
        .order_by("-created_at")
    )


def unit_proposal_list(*, viewer) -> QuerySet:
    scope = scope_of(viewer)
    if not scope.can(Capability.MANAGE_USERS):
        return UnitProposal.objects.none()
    return scope.filter_by_area(UnitProposal.objects.all()).select_related("area")


def _cycle_start_instant() -> datetime.datetime:
    start = reconfirmation_cycle_start()
    return datetime.datetime.combine(
        start, datetime.time.min, tzinfo=timezone.get_current_timezone()
    )


# Figures ----------------------------------------------------------------------------------------
# The registration KPIs of DESIGN.md, counted by their one definition in ``fumin.kpis``: distinct
# organisations / people with a registration confirmed inside the period (Shanghai days, both ends
# included). A registration later ended still counts for the period it was confirmed in.


def _figure(code: str, start, end, area, by: str | None):
    """Without ``by``, the number; with ``by`` (community, grid, unit, month), a list of
    ``(label, count)`` — a thing in two groups counts once in the total and once in each group."""
    from fumin.kpis.definitions import KPIS
    from fumin.kpis.periods import Period

    kpi, period = KPIS[code], Period(start, end)
    if by is None:
        return kpi.value(period, area)
    return [(row["label"] or None, row["value"]) for row in kpi.breakdown(by, period, area)]


def organisations_registered(*, start, end, area=None, by: str | None = None):
    """Distinct party organisations with a registration first confirmed in [start, end]."""
    return _figure("organisations_registered", start, end, area, by)


def members_registered(*, start, end, area=None, by: str | None = None):
    """Distinct people with a member registration first confirmed in [start, end]."""
    return _figure("members_registered", start, end, area, by)
