"""The one mechanism that limits what a viewer sees.

``scope_of(user)`` reads the user's active role assignments (once per change of them, see
``_SCOPES``) and answers two questions for the rest of the code: *may this viewer do X* (``can``)
and *which rows may this viewer see* (``filter_areas`` / ``filter_by_area``). Selectors call
these; views never filter by hand.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Q, QuerySet

from .models import Role


class Capability(StrEnum):
    CONSOLE = "console"  # the staff workbench
    VIEW_AREAS = "view_areas"  # the area tree and its records
    EDIT_REGISTRY = "edit_registry"  # create and change units, party organisations, people
    MANAGE_USERS = "manage_users"  # grant roles, reset passwords
    VIEW_AUDIT = "view_audit"  # search the audit log
    UNMASK_PERSONAL_DATA = "unmask_personal_data"  # show a full mobile or ID number (audited)
    MANAGE_COUNCIL = "manage_council"  # council meetings and motions; approving them
    # Fumin projects of the subdistrict, their sectors and programmes, claim ceremonies, and
    # resources offered by subdistrict departments.
    MANAGE_PROJECTS = "manage_projects"


ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.PLATFORM_ADMIN: frozenset(Capability),
    Role.SUBDISTRICT_STAFF: frozenset(Capability),
    Role.GRID_COORDINATOR: frozenset(
        {
            Capability.CONSOLE,
            Capability.VIEW_AREAS,
            Capability.EDIT_REGISTRY,
            Capability.UNMASK_PERSONAL_DATA,
        }
    ),
    Role.COMMUNITY_SECRETARY: frozenset(
        {
            Capability.CONSOLE,
            Capability.VIEW_AREAS,
            Capability.EDIT_REGISTRY,
            Capability.UNMASK_PERSONAL_DATA,
        }
    ),
    Role.UNIT_LIAISON: frozenset({Capability.CONSOLE}),
    Role.MEMBER: frozenset(),
}

# Roles whose area binds a subtree the viewer may see. A member's area is their home community:
# it says where they live, not what they may see.
AREA_SCOPED_ROLES = {
    Role.PLATFORM_ADMIN,
    Role.SUBDISTRICT_STAFF,
    Role.GRID_COORDINATOR,
    Role.COMMUNITY_SECRETARY,
}


@dataclass(frozen=True)
class Scope:
    user_id: int | None
    roles: frozenset[str] = frozenset()
    area_paths: tuple[str, ...] = ()
    unit_ids: frozenset[int] = frozenset()
    capabilities: frozenset[Capability] = field(default_factory=frozenset)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    def can(self, capability: Capability) -> bool:
        return capability in self.capabilities

    def area_condition(self, path_field: str) -> Q:
        """A condition true for rows whose area path (``path_field``) lies in this scope."""
        if not self.area_paths:
            return Q(pk__in=[])
        condition = Q()
        for path in self.area_paths:
            condition |= Q(**{f"{path_field}__startswith": path})
        return condition

    def filter_areas(self, queryset: QuerySet) -> QuerySet:
        return queryset.filter(self.area_condition("path"))

    def filter_by_area(self, queryset: QuerySet, area_field: str = "area") -> QuerySet:
        return queryset.filter(self.area_condition(f"{area_field}__path"))

    def contains_area(self, area) -> bool:
        return area is not None and any(area.path.startswith(p) for p in self.area_paths)


ANONYMOUS = Scope(user_id=None)


def _outermost(paths: set[str]) -> tuple[str, ...]:
    """Drop paths that lie under another path in the set: the subtree already covers them."""
    ordered = sorted(paths)
    kept: list[str] = []
    for path in ordered:
        if not any(path.startswith(k) for k in kept):
            kept.append(path)
    return tuple(kept)


# Scopes computed in this process, by (user id, ``roles_version``). Role assignments change only
# through ``role_grant`` and ``role_revoke``, which give the user a new random ``roles_version`` in
# the same transaction, and each request reads its user row afresh: once a change is committed, no
# later request can find the scope from before it (a key is never reused, also not when a user id
# is: the version is random). A request that read its user just before the change may still use
# the scope from before it, as it would have without the cache.
_SCOPES: dict[tuple, "Scope"] = {}
_SCOPES_KEPT = 10_000


def scope_of(user) -> Scope:
    """The viewer's scope: cached on the user object for the request, and in the process by the
    user's ``roles_version`` (so most requests read no role assignment)."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, "_fumin_scope", None)
    if cached is not None:
        return cached
    key = (user.pk, user.roles_version)
    scope = _SCOPES.get(key)
    if scope is None:
        scope = _read_scope(user)
        if len(_SCOPES) >= _SCOPES_KEPT:
            _SCOPES.clear()
        _SCOPES[key] = scope
    user._fumin_scope = scope
    return scope


def _read_scope(user) -> Scope:
    assignments = list(user.role_assignments.filter(revoked_at__isnull=True).select_related("area"))
    roles = frozenset(a.role for a in assignments)
    capabilities: set[Capability] = set()
    for role in roles:
        capabilities |= ROLE_CAPABILITIES[role]
    return Scope(
        user_id=user.pk,
        roles=roles,
        area_paths=_outermost(
            {a.area.path for a in assignments if a.role in AREA_SCOPED_ROLES and a.area}
        ),
        unit_ids=frozenset(a.unit_id for a in assignments if a.unit_id),
        capabilities=frozenset(capabilities),
    )
