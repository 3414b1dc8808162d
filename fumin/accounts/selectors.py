"""Reads of accounts, limited to the viewer's scope."""

from django.db.models import Prefetch, Q, QuerySet

from fumin.core.search import search_by_name

from .models import RoleAssignment, User
from .scope import Capability, scope_of


def user_list(*, viewer, text: str = "", role: str = "") -> QuerySet[User]:
    """Users holding an active role inside the viewer's scope (or, for a liaison, its units)."""
    scope = scope_of(viewer)
    if not scope.can(Capability.CONSOLE):
        return User.objects.none()
    assignments = RoleAssignment.objects.filter(revoked_at__isnull=True).filter(
        scope.area_condition("area__path")
        | scope.area_condition("unit__area__path")
        | Q(unit_id__in=scope.unit_ids)
    )
    if role:
        assignments = assignments.filter(role=role)
    users = User.objects.filter(pk__in=assignments.values("user_id"))
    return search_by_name(users, text).prefetch_related(
        Prefetch(
            "role_assignments",
            queryset=RoleAssignment.objects.filter(revoked_at__isnull=True).select_related(
                "area", "unit"
            ),
            to_attr="active_roles",
        )
    )


def user_get(*, viewer, public_id) -> User | None:
    return user_list(viewer=viewer).filter(public_id=public_id).first()


def role_holders(*, role: str, area=None, unit=None) -> QuerySet[User]:
    """Active users holding ``role`` over exactly this area or unit (whom to tell about it)."""
    assignments = RoleAssignment.objects.filter(role=role, revoked_at__isnull=True)
    assignments = (
        assignments.filter(unit=unit) if unit is not None else assignments.filter(area=area)
    )
    return User.objects.filter(pk__in=assignments.values("user_id"), is_active=True).order_by("pk")
