"""Reads of activities, attendance and points, limited to the viewer's scope.

Staff see every activity of the communities in their scope, drafts included; everybody signed in
sees the activities that were published (also once held or closed). Attendance lists are for the
staff who run the activity; a person sees their own attendances and points.
"""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum

from fumin.accounts.scope import Capability, scope_of
from fumin.registry.models import Area, Person

from .models import Activity, Attendance, PointsEntry

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
    return activities.select_related("community")


def activity_get(*, viewer, public_id) -> Activity | None:
    return activity_list(viewer=viewer).filter(public_id=public_id).first()


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
