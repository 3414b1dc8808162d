"""Reads of dual reporting, limited to the viewer's scope.

- community staff (and grid and subdistrict staff) see the reports covering communities in
  their scope; unit reports also when the unit sits in their area;
- a unit liaison sees their units' reports and the reports of members working there or
  belonging to their units' party organisations;
- a member sees their own reports.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet

from fumin.accounts.scope import Capability, scope_of
from fumin.registry.models import Area, Unit

from .models import MemberRegistration
from .periods import Period, period_from_dates
from .report_models import ServiceReport
from .reporting import confirmed_during
from .service_records import service_records


def service_report_list(*, viewer, kind: str = "", period: Period | None = None) -> QuerySet:
    scope = scope_of(viewer)
    if not scope.is_authenticated:
        return ServiceReport.objects.none()
    unit_ids = list(scope.unit_ids)
    visible = Q(person__user_id=scope.user_id)
    if unit_ids:
        visible |= Q(unit_id__in=unit_ids) | Q(
            kind=ServiceReport.Kind.MEMBER, work_unit_id__in=unit_ids
        )
        visible |= Q(kind=ServiceReport.Kind.MEMBER, party_org__unit_id__in=unit_ids)
    if scope.area_paths and scope.can(Capability.VIEW_AREAS):
        in_communities = ServiceReport.communities.through.objects.filter(
            scope.area_condition("area__path")
        ).values("servicereport_id")
        visible |= Q(pk__in=in_communities) | Q(scope.area_condition("unit__area__path"))
    rows = ServiceReport.objects.filter(visible)
    if kind:
        rows = rows.filter(kind=kind)
    if period is not None:
        rows = rows.filter(period_start=period.start, period_end=period.end)
    return rows.select_related("person", "unit", "work_unit", "party_org", "registration")


def service_report_get(*, viewer, public_id) -> ServiceReport | None:
    return service_report_list(viewer=viewer).filter(public_id=public_id).first()


def report_periods(*, viewer) -> list[Period]:
    """The periods the viewer has reports for, newest first (for the period filter)."""
    pairs = (
        service_report_list(viewer=viewer)
        .order_by()
        .values_list("period_start", "period_end")
        .distinct()
    )
    periods = set()
    for start, end in pairs:
        try:
            periods.add(period_from_dates(start, end))
        except ValueError:
            continue
    return sorted(periods, reverse=True)


# A unit's members across communities ------------------------------------------------------------


@dataclass
class MemberService:
    """One registered member of a unit and their service in one period, across communities."""

    person: object
    registrations: list = field(default_factory=list)
    by_community: dict = field(default_factory=dict)  # community name -> {hours, times, ...}
    activities: int = 0
    person_times: int = 0
    hours: Decimal = Decimal(0)


def units_for_member_service(*, viewer) -> QuerySet:
    """The units whose members' service the viewer may see: a liaison's own units; for staff,
    the units in their area."""
    scope = scope_of(viewer)
    condition = Q(pk__in=list(scope.unit_ids))
    if scope.can(Capability.VIEW_AREAS) and scope.area_paths:
        condition |= scope.area_condition("area__path")
    return Unit.objects.filter(condition, archived_at__isnull=True).order_by("name_pinyin")


def unit_member_service(
    viewer, unit: Unit, start: datetime.date, end: datetime.date
) -> list[MemberService] | None:
    """Each member working at ``unit`` with a confirmed registration in [start, end] and their
    recorded service in that time, in every community. None when the viewer may not see
    ``unit``."""
    if not units_for_member_service(viewer=viewer).filter(pk=unit.pk).exists():
        return None
    period = Period(start, end, "")
    registrations = (
        confirmed_during(MemberRegistration, period)
        .filter(work_unit=unit)
        .select_related("person", "community")
        .order_by("person__name_pinyin", "confirmed_at")
    )
    rows: dict[int, MemberService] = {}
    for registration in registrations:
        row = rows.setdefault(registration.person_id, MemberService(person=registration.person))
        row.registrations.append(registration)
    records = service_records(list(rows), start, end)
    names = dict(
        Area.objects.filter(pk__in={r.community_id for r in records}).values_list("pk", "name")
    )
    activities: dict[int, set] = defaultdict(set)
    for record in records:
        row = rows.get(record.person_id)
        if row is None:
            continue
        activities[record.person_id].add(record.activity_id)
        row.person_times += 1
        row.hours += Decimal(record.hours)
        entry = row.by_community.setdefault(
            names.get(record.community_id, ""), {"person_times": 0, "hours": Decimal(0)}
        )
        entry["person_times"] += 1
        entry["hours"] += Decimal(record.hours)
    for person_id, row in rows.items():
        row.activities = len(activities[person_id])
    return list(rows.values())


# Members who have not served ---------------------------------------------------------------------


def communities_for_not_served(*, viewer) -> QuerySet:
    scope = scope_of(viewer)
    if not scope.can(Capability.VIEW_AREAS):
        return Area.objects.none()
    return scope.filter_areas(
        Area.objects.filter(kind=Area.Kind.COMMUNITY, archived_at__isnull=True)
    ).order_by("path")


def members_not_served(
    viewer, community_or_scope: Area | None, start: datetime.date, end: datetime.date
) -> list[MemberRegistration]:
    """Members with a confirmed registration in [start, end] who have no recorded service in the
    community they are registered with in that time.

    ``community_or_scope`` is one community, or an area (a grid, the subdistrict) whose
    communities are meant, or None for the viewer's whole scope; either way limited to the
    viewer's scope.
    """
    communities = communities_for_not_served(viewer=viewer)
    if community_or_scope is not None:
        communities = communities.filter(path__startswith=community_or_scope.path)
    registrations = list(
        confirmed_during(MemberRegistration, Period(start, end, ""))
        .filter(community__in=communities)
        .select_related("person", "community", "work_unit", "party_org")
        .order_by("community__path", "person__name_pinyin")
    )
    served = {
        (record.person_id, record.community_id)
        for record in service_records(sorted({r.person_id for r in registrations}), start, end)
    }
    return [r for r in registrations if (r.person_id, r.community_id) not in served]
