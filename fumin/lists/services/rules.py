"""What may be written by whom, and the rules shared by the lists' services: the fields each
record takes, the statuses each may move between."""

from django.core.exceptions import PermissionDenied

from fumin.accounts.scope import Capability, scope_of
from fumin.registry.models import Area, Unit
from fumin.registry.services import require_editable

from ..models import (
    Need,
    Project,
    Resource,
)

NEED_FIELDS = (
    "title",
    "description",
    "category",
    "beneficiary_group",
    "expected_beneficiaries",
    "urgency",
    "area",
)
RESOURCE_FIELDS = (
    "title",
    "description",
    "kind",
    "category",
    "capacity",
    "availability",
    "available_from",
    "available_until",
    "area",
)
PROJECT_FIELDS = ("name", "kind", "year", "programme", "owner_area", "description")

# Which status a need or project may move to from which. Everything else is refused.
NEED_TRANSITIONS = {
    Need.Status.OPEN: {Need.Status.MATCHED, Need.Status.IN_PROJECT, Need.Status.CLOSED},
    Need.Status.MATCHED: {Need.Status.OPEN, Need.Status.IN_PROJECT, Need.Status.MET,
                          Need.Status.CLOSED},
    Need.Status.IN_PROJECT: {Need.Status.MET, Need.Status.CLOSED},
    Need.Status.MET: set(),
    Need.Status.CLOSED: {Need.Status.OPEN},
}  # fmt: skip
PROJECT_TRANSITIONS = {
    Project.Status.DRAFT: {Project.Status.PUBLISHED},
    Project.Status.PUBLISHED: {Project.Status.DRAFT, Project.Status.CLAIMED,
                               Project.Status.IN_PROGRESS},
    Project.Status.CLAIMED: {Project.Status.IN_PROGRESS},
    Project.Status.IN_PROGRESS: {Project.Status.COMPLETED},
    Project.Status.COMPLETED: {Project.Status.EVALUATED, Project.Status.IN_PROGRESS},
    Project.Status.EVALUATED: set(),
}  # fmt: skip
CLAIMABLE = (Project.Status.PUBLISHED, Project.Status.CLAIMED, Project.Status.IN_PROGRESS)


def clean_text(value) -> str:
    return (value or "").strip()


def status_label(choices, value) -> str:
    return str(dict(choices.choices).get(value, value))


def subdistrict_of(area: Area) -> Area | None:
    """The subdistrict ``area`` lies in (itself if it is one)."""
    if area.kind == Area.Kind.SUBDISTRICT:
        return area
    return area.ancestors().filter(kind=Area.Kind.SUBDISTRICT).first()


def may_manage_projects(actor, area: Area) -> bool:
    """Subdistrict staff (or the system) for ``area``."""
    if actor is None:
        return True
    scope = scope_of(actor)
    return scope.can(Capability.MANAGE_PROJECTS) and scope.contains_area(area)


def require_project_manager(actor, area: Area) -> None:
    if not may_manage_projects(actor, area):
        raise PermissionDenied


def may_edit_project(actor, project: Project) -> bool:
    """Subdistrict staff for any project in their area; community staff for small projects."""
    if may_manage_projects(actor, project.owner_area):
        return True
    if project.level != Project.Level.COMMUNITY:
        return False
    try:
        require_editable(actor, project.owner_area)
    except PermissionDenied:
        return False
    return True


def require_project_editable(actor, project: Project) -> None:
    if not may_edit_project(actor, project):
        raise PermissionDenied


def may_edit_need(actor, need: Need) -> bool:
    try:
        require_editable(actor, need.area)
    except PermissionDenied:
        return may_manage_projects(actor, need.area)
    return True


def may_act_for_unit(actor, unit: Unit) -> bool:
    """The unit's liaison, or staff who may edit the unit's area."""
    if actor is None:
        return True
    if unit.pk in scope_of(actor).unit_ids:
        return True
    try:
        require_editable(actor, unit.area)
    except PermissionDenied:
        return False
    return True


def may_edit_resource(actor, resource: Resource) -> bool:
    if actor is None:
        return True
    if resource.provider == Resource.Provider.UNIT:
        return may_act_for_unit(actor, resource.unit)
    if resource.provider == Resource.Provider.MEMBER:
        if resource.person.user_id and resource.person.user_id == actor.pk:
            return True
        try:
            require_editable(actor, resource.area)
        except PermissionDenied:
            return False
        return True
    return may_manage_projects(actor, resource.area)
