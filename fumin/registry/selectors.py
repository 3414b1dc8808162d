"""Reads of the registry, limited to the viewer's scope.

Staff see the records whose area lies in their scope. A unit liaison sees its own units, their
party organisations and the people who work there.
"""

from django.db.models import Count, Q, QuerySet

from fumin.accounts.scope import Capability, Scope, scope_of
from fumin.core.search import search_by_name

from .models import Alliance, Area, JointMeeting, PartyOrg, Person, Place, Unit


def area_list(*, viewer, text: str = "", kind: str = "") -> QuerySet[Area]:
    scope = scope_of(viewer)
    if not scope.can(Capability.VIEW_AREAS):
        return Area.objects.none()
    areas = scope.filter_areas(Area.objects.filter(archived_at__isnull=True))
    if kind:
        areas = areas.filter(kind=kind)
    return search_by_name(areas, text).select_related("parent")


def area_tree(*, viewer) -> list[Area]:
    """The viewer's areas in tree order (by path), each with its unit count, in one query."""
    return list(
        area_list(viewer=viewer)
        .annotate(unit_count=Count("units", filter=Q(units__archived_at__isnull=True)))
        .order_by("path")
    )


def communities_matching(communities: QuerySet[Area], text: str) -> QuerySet[Area]:
    """The communities among ``communities`` whose name matches ``text`` (characters, pinyin or
    initials), in pinyin order, with the grid and subdistrict ``Area.name_with_subdistrict``
    names: what a community search box lists."""
    found = search_by_name(communities, text).select_related("parent__parent")
    return found.order_by("name_pinyin", "pk")


def area_get(*, viewer, public_id) -> Area | None:
    return area_list(viewer=viewer).filter(public_id=public_id).first()


def place_list(*, viewer, text: str = "", kind: str = "") -> QuerySet[Place]:
    scope = scope_of(viewer)
    if not scope.can(Capability.VIEW_AREAS):
        return Place.objects.none()
    places = scope.filter_by_area(Place.objects.filter(archived_at__isnull=True))
    if kind:
        places = places.filter(kind=kind)
    return search_by_name(places, text).select_related("area")


def _unit_condition(scope: Scope, prefix: str = "") -> Q:
    """Rows whose unit (at ``prefix``) the viewer may see: in scope, or the liaison's own."""
    return scope.area_condition(f"{prefix}area__path") | Q(
        **{f"{prefix}pk__in": list(scope.unit_ids)}
    )


def unit_list(
    *,
    viewer,
    text: str = "",
    kind: str = "",
    area: Area | None = None,
    place: Place | None = None,
    include_archived: bool = False,
) -> QuerySet[Unit]:
    scope = scope_of(viewer)
    if not scope.can(Capability.CONSOLE):
        return Unit.objects.none()
    units = Unit.objects.filter(_unit_condition(scope))
    if not include_archived:
        units = units.filter(archived_at__isnull=True)
    if kind == "two_new":
        units = units.filter(kind__in=Unit.TWO_NEW_KINDS)
    elif kind:
        units = units.filter(kind=kind)
    if area is not None:
        units = units.filter(area__path__startswith=area.path)
    if place is not None:
        units = units.filter(place=place)
    return search_by_name(units, text).select_related("area", "place")


def unit_get(*, viewer, public_id) -> Unit | None:
    return unit_list(viewer=viewer, include_archived=True).filter(public_id=public_id).first()


def party_org_list(
    *,
    viewer,
    text: str = "",
    kind: str = "",
    unit: Unit | None = None,
    include_archived: bool = False,
) -> QuerySet[PartyOrg]:
    scope = scope_of(viewer)
    if not scope.can(Capability.CONSOLE):
        return PartyOrg.objects.none()
    orgs = PartyOrg.objects.filter(
        scope.area_condition("community__path") | _unit_condition(scope, "unit__")
    )
    if not include_archived:
        orgs = orgs.filter(archived_at__isnull=True)
    if kind:
        orgs = orgs.filter(kind=kind)
    if unit is not None:
        orgs = orgs.filter(unit=unit)
    return search_by_name(orgs, text).select_related("unit__area", "community", "parent")


def party_org_get(*, viewer, public_id) -> PartyOrg | None:
    return party_org_list(viewer=viewer, include_archived=True).filter(public_id=public_id).first()


def person_list(
    *,
    viewer,
    text: str = "",
    community: Area | None = None,
    work_unit: Unit | None = None,
    party_members_only: bool = False,
    include_archived: bool = False,
) -> QuerySet[Person]:
    """People who live in the viewer's scope or work at a unit the viewer may see.

    ``text`` matches the name (characters, pinyin, initials) or, typed in full, a mobile number.
    """
    scope = scope_of(viewer)
    if not scope.can(Capability.CONSOLE):
        return Person.objects.none()
    people = Person.objects.filter(
        scope.area_condition("home_community__path") | _unit_condition(scope, "work_unit__")
    )
    if not include_archived:
        people = people.filter(archived_at__isnull=True)
    if community is not None:
        people = people.filter(home_community__path__startswith=community.path)
    if work_unit is not None:
        people = people.filter(work_unit=work_unit)
    if party_members_only:
        people = people.filter(is_party_member=True)
    digits = (text or "").strip()
    if digits.isdigit() and len(digits) == 11:
        people = people.filter(mobile=digits)
    else:
        people = search_by_name(people, text)
    return people.select_related("home_community", "work_unit", "party_org")


def person_get(*, viewer, public_id) -> Person | None:
    return person_list(viewer=viewer, include_archived=True).filter(public_id=public_id).first()


def alliance_list(*, viewer, text: str = "") -> QuerySet[Alliance]:
    scope = scope_of(viewer)
    if not scope.can(Capability.VIEW_AREAS):
        return Alliance.objects.none()
    alliances = scope.filter_by_area(Alliance.objects.filter(archived_at__isnull=True))
    active = Q(memberships__left_on__isnull=True)
    return (
        search_by_name(alliances, text)
        .select_related("area", "lead_unit")
        .annotate(member_count=Count("memberships", filter=active))
        .order_by("name_pinyin")  # GROUP BY queries ignore Meta.ordering
    )


def alliance_get(*, viewer, public_id) -> Alliance | None:
    return alliance_list(viewer=viewer).filter(public_id=public_id).first()


def joint_meeting_list(*, viewer, text: str = "", level: str = "") -> QuerySet[JointMeeting]:
    scope = scope_of(viewer)
    if not scope.can(Capability.VIEW_AREAS):
        return JointMeeting.objects.none()
    meetings = scope.filter_by_area(JointMeeting.objects.filter(archived_at__isnull=True))
    if level:
        meetings = meetings.filter(level=level)
    active = Q(memberships__left_on__isnull=True)
    return (
        search_by_name(meetings, text)
        .select_related("area", "place", "chair_unit")
        .annotate(member_count=Count("memberships", filter=active))
        .order_by("level", "name_pinyin")  # GROUP BY queries ignore Meta.ordering
    )


def joint_meeting_get(*, viewer, public_id) -> JointMeeting | None:
    return joint_meeting_list(viewer=viewer).filter(public_id=public_id).first()
