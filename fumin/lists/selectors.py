"""Reads of the three lists, limited to the viewer's scope.

- **needs**: staff see the needs of the areas in their scope; a unit liaison sees the needs that
  are still active in the subdistricts where their units are (so they can offer help); a resident
  sees the needs they raised themself.
- **resources**: staff see the resources in their scope; a liaison those of their units; a member
  their own.
- **projects**: everybody signed in sees published projects (the public list); staff also see
  drafts in their scope.
- **claims**: staff see the claims on projects in their scope; a liaison their units' claims;
  everybody sees the units that claimed a public project (shown on its page).
"""

from django.db.models import Count, Prefetch, Q, QuerySet

from fumin.accounts.scope import Capability, scope_of
from fumin.core.search import search_by_name
from fumin.registry.models import Area, Unit

from .models import Category, Claim, ClaimCeremony, Need, Programme, Project, Resource, Sector


def _text_filter(queryset: QuerySet, text: str, *fields: str) -> QuerySet:
    text = (text or "").strip()
    if not text:
        return queryset
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": text})
    return queryset.filter(condition)


def _liaison_subdistrict_paths(scope) -> list[str]:
    """The subdistrict paths of the viewer's units (a liaison looks for needs there)."""
    if not scope.unit_ids:
        return []
    paths = Unit.objects.filter(pk__in=scope.unit_ids).values_list("area__path", flat=True)
    subdistricts = Area.objects.filter(kind=Area.Kind.SUBDISTRICT).values_list("path", flat=True)
    subdistrict_paths = list(subdistricts)
    return sorted({s for p in paths for s in subdistrict_paths if p.startswith(s)})


def category_choices() -> QuerySet[Category]:
    return Category.objects.filter(active=True)


# Needs ------------------------------------------------------------------------------------------


def need_list(
    *,
    viewer,
    text: str = "",
    status: str = "",
    category: Category | None = None,
    area: Area | None = None,
    urgency: str = "",
    year: int | None = None,
    mine: bool = False,
) -> QuerySet[Need]:
    scope = scope_of(viewer)
    if not scope.is_authenticated:
        return Need.objects.none()
    visible = Q(raised_by_id=scope.user_id)
    if not mine:
        if scope.can(Capability.VIEW_AREAS):
            visible |= scope.area_condition("area__path")
        for path in _liaison_subdistrict_paths(scope):
            visible |= Q(area__path__startswith=path, status__in=_ACTIVE_NEED)
    needs = Need.objects.filter(visible)
    if status:
        needs = needs.filter(status=status)
    if category is not None:
        needs = needs.filter(category=category)
    if area is not None:
        needs = needs.filter(area__path__startswith=area.path)
    if urgency:
        needs = needs.filter(urgency=urgency)
    if year:
        needs = needs.filter(created_at__year=year)
    needs = _text_filter(needs, text, "title", "description", "beneficiary_group")
    return needs.select_related("category", "area")


_ACTIVE_NEED = (Need.Status.OPEN, Need.Status.MATCHED, Need.Status.IN_PROJECT)


def need_get(*, viewer, public_id) -> Need | None:
    return need_list(viewer=viewer).filter(public_id=public_id).first()


def need_history(need: Need):
    return need.events.select_related("actor")


def need_matches(need: Need):
    """The decisions taken on the need's suggestions, latest first."""
    return need.matches.select_related("resource", "unit", "project", "decided_by")


# Resources --------------------------------------------------------------------------------------


def resource_list(
    *,
    viewer,
    text: str = "",
    kind: str = "",
    category: Category | None = None,
    area: Area | None = None,
    provider: str = "",
    include_archived: bool = False,
) -> QuerySet[Resource]:
    scope = scope_of(viewer)
    if not scope.is_authenticated:
        return Resource.objects.none()
    visible = Q(person__user_id=scope.user_id)
    if scope.can(Capability.VIEW_AREAS):
        visible |= scope.area_condition("area__path")
    if scope.unit_ids:
        visible |= Q(unit_id__in=scope.unit_ids)
    resources = Resource.objects.filter(visible)
    if not include_archived:
        resources = resources.filter(archived_at__isnull=True)
    if kind:
        resources = resources.filter(kind=kind)
    if category is not None:
        resources = resources.filter(category=category)
    if area is not None:
        resources = resources.filter(area__path__startswith=area.path)
    if provider:
        resources = resources.filter(provider=provider)
    resources = _text_filter(resources, text, "title", "description", "unit__name", "department")
    return resources.select_related("category", "area", "unit", "person")


def resource_get(*, viewer, public_id) -> Resource | None:
    return resource_list(viewer=viewer, include_archived=True).filter(public_id=public_id).first()


# Projects ---------------------------------------------------------------------------------------


# Projects that are under way: activities may be added to them.
RUNNING_PROJECT_STATUSES = (
    Project.Status.PUBLISHED,
    Project.Status.CLAIMED,
    Project.Status.IN_PROGRESS,
)


def project_list(
    *,
    viewer,
    text: str = "",
    year: int | None = None,
    level: str = "",
    kind: str = "",
    status: str = "",
    sector: Sector | None = None,
    programme: Programme | None = None,
    area: Area | None = None,
    adjusted: bool | None = None,
    manageable: bool = False,
    include_archived: bool = False,
) -> QuerySet[Project]:
    """``manageable``: only the projects whose area the viewer's scope covers (drafts included)."""
    scope = scope_of(viewer)
    if not scope.is_authenticated:
        return Project.objects.none()
    staff_area = Q()
    if scope.can(Capability.VIEW_AREAS):
        staff_area = scope.area_condition("owner_area__path")
    if manageable:
        if not scope.can(Capability.VIEW_AREAS):
            return Project.objects.none()
        projects = Project.objects.filter(staff_area)
    else:
        visible = ~Q(status=Project.Status.DRAFT)
        if scope.can(Capability.VIEW_AREAS):
            visible |= staff_area
        projects = Project.objects.filter(visible)
    if not include_archived:
        projects = projects.filter(archived_at__isnull=True)
    if year:
        projects = projects.filter(year=year)
    if level:
        projects = projects.filter(level=level)
    if kind:
        projects = projects.filter(kind=kind)
    if status:
        projects = projects.filter(status=status)
    if sector is not None:
        projects = projects.filter(programme__sector=sector)
    if programme is not None:
        projects = projects.filter(programme=programme)
    if area is not None:
        projects = projects.filter(owner_area__path__startswith=area.path)
    if adjusted is not None:
        projects = projects.filter(adjusted=adjusted)
    if text:
        projects = search_by_name(projects, text) | projects.filter(description__icontains=text)
    # Combining querysets with | drops the model's ordering; pages need a stable order.
    projects = projects.order_by(*Project._meta.ordering)
    return projects.select_related("programme__sector", "owner_area").annotate(
        claim_count=Count("claims", filter=Q(claims__status=Claim.Status.ACTIVE), distinct=True)
    )


def project_get(*, viewer, public_id) -> Project | None:
    return (
        project_list(viewer=viewer, include_archived=True)
        .filter(public_id=public_id)
        .prefetch_related(
            "milestones",
            "needs",
            Prefetch("resources", queryset=Resource.objects.select_related("unit", "person")),
        )
        .first()
    )


def public_projects(*, year: int | None = None) -> QuerySet[Project]:
    """The projects anyone may see on the portal: published or later, not archived."""
    projects = Project.objects.exclude(status=Project.Status.DRAFT).filter(archived_at__isnull=True)
    if year:
        projects = projects.filter(year=year)
    return projects.select_related("programme__sector", "owner_area").annotate(
        claim_count=Count("claims", filter=Q(claims__status=Claim.Status.ACTIVE), distinct=True)
    )


def project_history(project: Project):
    return project.events.select_related("actor")


def sector_tree(*, year: int | None = None):
    """Sectors with their programmes (and, when ``year`` is given, only those with projects)."""
    programmes = Programme.objects.order_by("position", "pk")
    sectors = Sector.objects.prefetch_related(Prefetch("programmes", queryset=programmes))
    if year:
        sectors = sectors.filter(programmes__projects__year=year).distinct()
    return sectors


# Claims -----------------------------------------------------------------------------------------


def claim_list(
    *,
    viewer,
    project: Project | None = None,
    unit: Unit | None = None,
    year: int | None = None,
    ceremony: ClaimCeremony | None = None,
    include_withdrawn: bool = False,
) -> QuerySet[Claim]:
    scope = scope_of(viewer)
    if not scope.is_authenticated:
        return Claim.objects.none()
    visible = Q(unit_id__in=scope.unit_ids) if scope.unit_ids else Q(pk__in=[])
    if scope.can(Capability.VIEW_AREAS):
        visible |= scope.area_condition("project__owner_area__path")
    if project is not None and project.is_public:
        visible = Q()  # who claimed a public project is public
    claims = Claim.objects.filter(visible)
    if not include_withdrawn:
        claims = claims.filter(status=Claim.Status.ACTIVE)
    if project is not None:
        claims = claims.filter(project=project)
    if unit is not None:
        claims = claims.filter(unit=unit)
    if year:
        claims = claims.filter(project__year=year)
    if ceremony is not None:
        claims = claims.filter(ceremony=ceremony)
    return claims.select_related("project__owner_area", "unit", "ceremony")


def claim_get(*, viewer, public_id) -> Claim | None:
    return claim_list(viewer=viewer, include_withdrawn=True).filter(public_id=public_id).first()


def ceremony_list(*, viewer) -> QuerySet[ClaimCeremony]:
    scope = scope_of(viewer)
    if not scope.can(Capability.VIEW_AREAS):
        return ClaimCeremony.objects.none()
    return ClaimCeremony.objects.filter(scope.area_condition("area__path")).annotate(
        claim_count=Count("claims", filter=Q(claims__status=Claim.Status.ACTIVE))
    )


def ceremony_get(*, viewer, public_id) -> ClaimCeremony | None:
    return ceremony_list(viewer=viewer).filter(public_id=public_id).first()


def claimable_units(*, viewer) -> QuerySet[Unit]:
    """The units the viewer may claim for: their own as a liaison; any in scope as staff."""
    scope = scope_of(viewer)
    units = Unit.objects.filter(archived_at__isnull=True)
    condition = Q(pk__in=scope.unit_ids) if scope.unit_ids else Q(pk__in=[])
    if scope.can(Capability.MANAGE_PROJECTS) or scope.can(Capability.EDIT_REGISTRY):
        condition |= scope.area_condition("area__path")
    return units.filter(condition).order_by("name_pinyin")
