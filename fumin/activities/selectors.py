"""Reads of activities, attendance and points, limited to the viewer's scope.

Staff see every activity of the communities in their scope, drafts included; everybody signed in
sees the activities that were published (also once held or closed). Attendance lists are for the
staff who run the activity; a person sees their own attendances and points.
"""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from fumin.accounts.scope import Capability, scope_of
from fumin.core.search import search_by_name
from fumin.registry.models import Area, Person

from .models import (
    Activity,
    ActivitySeries,
    Attendance,
    PointsEntry,
    PointsRule,
    TeamMembership,
    VolunteerTeam,
)

PUBLIC_STATUSES = (Activity.Status.PUBLISHED, Activity.Status.HELD, Activity.Status.CLOSED)


def activity_list(
    *,
    viewer,
    text: str = "",
    kind: str = "",
    status: str = "",
    community: Area | None = None,
    manageable: bool = False,
) -> QuerySet[Activity]:
    """``manageable``: only the activities the viewer runs (the console), not every published
    one elsewhere."""
    scope = scope_of(viewer)
    if not scope.is_authenticated:
        return Activity.objects.none()
    visible = Q(status__in=PUBLIC_STATUSES)
    if scope.can(Capability.VIEW_AREAS):
        visible |= scope.area_condition("community__path")
    if manageable:
        if not scope.can(Capability.EDIT_REGISTRY):
            return Activity.objects.none()
        visible = scope.area_condition("community__path")
    activities = Activity.objects.filter(visible)
    if kind:
        activities = activities.filter(kind=kind)
    if status:
        activities = activities.filter(status=status)
    if community is not None:
        activities = activities.filter(community__path__startswith=community.path)
    if text:
        activities = activities.filter(title__icontains=text.strip())
    return activities.select_related("community", "project")


def activity_get(*, viewer, public_id) -> Activity | None:
    return activity_list(viewer=viewer).filter(public_id=public_id).first()


def activity_visible(*, viewer, activity: Activity) -> bool:
    """Would ``activity_list(viewer=viewer)`` list this activity (loaded with its community)?
    The same rule, for a row read otherwise (the check-in's locking statement)."""
    scope = scope_of(viewer)
    if not scope.is_authenticated:
        return False
    return activity.status in PUBLIC_STATUSES or (
        scope.can(Capability.VIEW_AREAS) and scope.contains_area(activity.community)
    )


def activity_manageable(*, viewer, activity: Activity) -> bool:
    """May ``viewer`` run this activity (edit it, check people in, see its attendance list)?"""
    scope = scope_of(viewer)
    return scope.can(Capability.EDIT_REGISTRY) and scope.contains_area(activity.community)


def attendance_list(*, viewer, activity: Activity, status: str = "") -> QuerySet[Attendance]:
    """The people signed up for ``activity``, in sign-up order; only for staff who run it."""
    if not activity_manageable(viewer=viewer, activity=activity):
        return Attendance.objects.none()
    attendances = activity.attendances.all()
    if status:
        attendances = attendances.filter(status=status)
    return attendances.select_related("person", "activity").prefetch_related("corrections")


@dataclass(frozen=True)
class AttendanceCounts:
    confirmed: int  # holding a place, not yet checked in
    waitlisted: int
    cancelled: int
    no_show: int
    checked_in: int  # the live count at the door
    checked_out: int
    walk_up: int
    capacity: int | None

    @property
    def places_taken(self) -> int:
        return self.confirmed + self.checked_in

    @property
    def places_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.places_taken, 0)


def attendance_counts(*, activity: Activity) -> AttendanceCounts:
    """Live figures of one activity, in one query. They say nothing about who, so anyone who
    may see the activity may see them (places left on the sign-up page)."""
    status = Attendance.Status
    figures = activity.attendances.aggregate(
        confirmed=Count("pk", filter=Q(status=status.CONFIRMED)),
        waitlisted=Count("pk", filter=Q(status=status.WAITLISTED)),
        cancelled=Count("pk", filter=Q(status=status.CANCELLED)),
        no_show=Count("pk", filter=Q(status=status.NO_SHOW)),
        checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
        checked_out=Count("pk", filter=Q(checked_out_at__isnull=False)),
        walk_up=Count("pk", filter=Q(walk_up=True, checked_in_at__isnull=False)),
    )
    return AttendanceCounts(capacity=activity.capacity, **figures)


def my_attendances(*, viewer) -> QuerySet[Attendance]:
    """The viewer's own sign-ups and attendances, latest activity first."""
    if not getattr(viewer, "is_authenticated", False):
        return Attendance.objects.none()
    return (
        Attendance.objects.filter(person__user=viewer)
        .select_related("activity__community")
        .prefetch_related("corrections")
        .order_by("-activity__starts_at", "-pk")
    )


def points_balance(*, person: Person) -> int:
    """The sum of the person's ledger: never stored, always added up."""
    return PointsEntry.objects.filter(person=person).aggregate(total=Sum("points"))["total"] or 0


def points_ledger(*, person: Person) -> QuerySet[PointsEntry]:
    return PointsEntry.objects.filter(person=person).select_related("attendance__activity")


def signup_candidates(*, viewer, activity: Activity, text: str = "") -> QuerySet[Person]:
    """People staff may sign up for ``activity``: those living in its community or registered
    with it (双报到), not archived, found by name, full pinyin or initials. Empty for anyone
    who does not run the activity."""
    if not activity_manageable(viewer=viewer, activity=activity):
        return Person.objects.none()
    people = Person.objects.filter(archived_at__isnull=True).filter(
        Q(home_community=activity.community)
        | Q(registrations__community=activity.community, registrations__status="confirmed")
    )
    return search_by_name(people, text).distinct().order_by("name_pinyin", "pk")


def series_get(*, viewer, public_id) -> ActivitySeries | None:
    """A series the viewer runs (its community is in their scope with the editing right)."""
    scope = scope_of(viewer)
    if not scope.can(Capability.EDIT_REGISTRY):
        return None
    return (
        ActivitySeries.objects.filter(scope.area_condition("community__path"))
        .filter(public_id=public_id)
        .select_related("community")
        .first()
    )


def points_rule_list(*, viewer) -> QuerySet[PointsRule]:
    """Every rule (they apply platform-wide), for staff with the registry-editing right."""
    if not scope_of(viewer).can(Capability.EDIT_REGISTRY):
        return PointsRule.objects.none()
    return PointsRule.objects.annotate(awarded=Count("entries")).order_by("-active", "name")


def team_list(*, viewer, text: str = "", include_archived: bool = False) -> QuerySet[VolunteerTeam]:
    """Volunteer teams of the communities (or of units in the areas) in the viewer's scope,
    for staff with the registry-editing right; with the count of current members."""
    scope = scope_of(viewer)
    if not scope.can(Capability.EDIT_REGISTRY):
        return VolunteerTeam.objects.none()
    teams = VolunteerTeam.objects.filter(
        scope.area_condition("community__path") | scope.area_condition("unit__area__path")
    )
    if not include_archived:
        teams = teams.filter(archived_at__isnull=True)
    teams = search_by_name(teams, text)
    return teams.select_related("community", "unit").annotate(
        member_count=Count("memberships", filter=Q(memberships__left_on__isnull=True))
    )


def team_get(*, viewer, public_id) -> VolunteerTeam | None:
    return (
        team_list(viewer=viewer, include_archived=True)
        .filter(public_id=public_id)
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=TeamMembership.objects.filter(left_on__isnull=True)
                .select_related("person")
                .order_by("-is_leader", "person__name_pinyin"),
                to_attr="current_memberships",
            )
        )
        .first()
    )


def team_candidates(*, viewer, team: VolunteerTeam, text: str = "") -> QuerySet[Person]:
    """People in the viewer's scope who may join ``team`` and are not in it now."""
    from fumin.registry.selectors import person_list

    people = person_list(viewer=viewer, text=text)
    if team.community_id:
        people = people.filter(
            Q(home_community=team.community)
            | Q(registrations__community=team.community, registrations__status="confirmed")
        )
    current = team.memberships.filter(left_on__isnull=True).values("person_id")
    return people.exclude(pk__in=current).distinct().order_by("name_pinyin", "pk")
