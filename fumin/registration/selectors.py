"""Reads of dual registration, limited to the viewer's scope, and the figures the dashboard
reuses.

Community staff see the registrations with communities in their scope; a unit liaison sees its
units' organisation registrations and the registrations of members working there; a member sees
their own.
"""

import datetime

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
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
# The KPI definitions of DESIGN.md: distinct organisations / people with a registration that was
# confirmed (first confirmation) inside the period. A registration later ended still counts for
# the period it was confirmed in. Periods are days in Asia/Shanghai, both ends included.


def _period_bounds(start: datetime.date, end: datetime.date):
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
        datetime.datetime.combine(end, datetime.time.max, tzinfo=tz),
    )


BREAKDOWNS = {
    "community": ("community__name",),
    "grid": ("community__parent__name",),
    "unit": ("party_org__unit__name",),
    "month": ("month",),
}


def _counted(rows: QuerySet, start, end, scope_area=None) -> QuerySet:
    since, until = _period_bounds(start, end)
    rows = rows.filter(confirmed_at__gte=since, confirmed_at__lte=until)
    if scope_area is not None:
        rows = rows.filter(community__path__startswith=scope_area.path)
    return rows


def organisations_registered(*, start, end, area=None, by: str | None = None):
    """Distinct party organisations with a registration first confirmed in [start, end].

    Without ``by``, the number; with ``by`` (community, grid, unit, month), a list of
    ``(label, count)`` — an organisation registered with two communities counts once in the total
    and once in each community's row.
    """
    rows = _counted(OrgRegistration.objects.all(), start, end, area)
    return _figure(rows, "party_org", by)


def members_registered(*, start, end, area=None, by: str | None = None):
    """Distinct people with a member registration first confirmed in [start, end]."""
    rows = _counted(MemberRegistration.objects.all(), start, end, area)
    if by == "unit":
        by_fields = ("work_unit__name",)
        return [
            (label, n)
            for label, n in rows.values_list(*by_fields)
            .annotate(n=Count("person", distinct=True))
            .order_by(*by_fields)
        ]
    return _figure(rows, "person", by)


def _figure(rows: QuerySet, distinct_field: str, by: str | None):
    if by is None:
        return rows.aggregate(n=Count(distinct_field, distinct=True))["n"]
    if by == "month":
        rows = rows.annotate(month=TruncMonth("confirmed_at"))
    fields = BREAKDOWNS[by]
    return list(
        rows.values_list(*fields).annotate(n=Count(distinct_field, distinct=True)).order_by(*fields)
    )
