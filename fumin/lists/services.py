"""Writes to the three lists. Every page, API endpoint, import and command changes records here.

Who may write what:

- **needs**: community staff in the need's area (``EDIT_REGISTRY``); a resident raises a need for
  their own home community on the portal (``need_raise``);
- **resources**: a unit's liaison for the unit, a member for themself, staff who may edit the
  provider's area for either, subdistrict staff (``MANAGE_PROJECTS``) for a department;
- **projects**: subdistrict staff for Fumin projects (``MANAGE_PROJECTS``), community staff for the
  Fumin small projects of their communities; sectors, programmes and ceremonies: subdistrict staff;
- **claims**: a unit's liaison claims for the unit; staff who manage the project record claims
  (one by one, or many at a ceremony).

``actor=None`` is the system (demo data, commands). Each function validates before writing, runs in
one transaction and writes its audit entry.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from fumin.accounts.scope import Capability, scope_of
from fumin.audit.services import audit_change
from fumin.core.changes import apply_changes
from fumin.core.errors import labelled
from fumin.registry.models import Area, Person, Unit
from fumin.registry.services import require_editable

from .models import (
    Category,
    Claim,
    ClaimCeremony,
    Match,
    Milestone,
    Need,
    NeedEvent,
    Programme,
    Project,
    ProjectEvent,
    Resource,
    ResourceTerm,
    Sector,
    Term,
)
from .text import terms_of

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


def _clean_text(value) -> str:
    return (value or "").strip()


def _status_label(choices, value) -> str:
    return str(dict(choices.choices).get(value, value))


# Permissions ------------------------------------------------------------------------------------


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


# Needs ------------------------------------------------------------------------------------------


def _need_event(need: Need, actor, from_status: str, note: str = "") -> None:
    NeedEvent.objects.create(
        need=need,
        from_status=from_status,
        to_status=need.status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        note=note[:300],
    )


def _check_category(category: Category | None, field: str = "category") -> None:
    if category is not None and not category.active:
        raise ValidationError({field: _("This category is no longer in use.")})


def _check_community(area: Area | None, field: str = "area") -> None:
    if area is not None and area.kind != Area.Kind.COMMUNITY:
        raise ValidationError({field: _("Choose a residential community.")})


@transaction.atomic
def need_create(
    *, actor, title: str, description: str, category: Category, area: Area, request=None, **fields
) -> Need:
    """A need posted by community staff."""
    unknown = set(fields) - set(NEED_FIELDS)
    if unknown:
        raise TypeError(f"unknown need fields: {sorted(unknown)}")
    require_editable(actor, area)
    return _need_insert(
        actor=actor,
        source=Need.Source.STAFF,
        title=title,
        description=description,
        category=category,
        area=area,
        request=request,
        **fields,
    )


@transaction.atomic
def need_raise(
    *, actor, title: str, description: str, category: Category, request=None, **fields
) -> Need:
    """A need raised by a resident on the portal, for the community they live in."""
    from fumin.activities.services import person_of

    allowed = {"beneficiary_group", "expected_beneficiaries"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown need fields: {sorted(unknown)}")
    person = person_of(actor)
    area = person.home_community if person else None
    if area is None:
        from fumin.accounts.models import Role

        assignment = (
            actor.role_assignments.filter(
                role=Role.MEMBER, revoked_at__isnull=True, area__isnull=False
            )
            .select_related("area")
            .first()
            if getattr(actor, "is_authenticated", False)
            else None
        )
        area = assignment.area if assignment else None
    if area is None:
        raise ValidationError(
            _("Your account is not linked to a residential community; ask your community.")
        )
    return _need_insert(
        actor=actor,
        source=Need.Source.RESIDENT,
        title=title,
        description=description,
        category=category,
        area=area,
        request=request,
        **fields,
    )


def _need_insert(*, actor, source, title, description, category, area, request, **fields) -> Need:
    _check_category(category)
    _check_community(area)
    need = Need(
        title=_clean_text(title),
        description=_clean_text(description),
        category=category,
        area=area,
        source=source,
        raised_by=actor if getattr(actor, "is_authenticated", False) else None,
        **fields,
    )
    need.terms = " ".join(terms_of(f"{need.title} {need.description}"))
    need.full_clean(exclude=["terms"])
    need.save()
    _need_event(need, actor, "")
    audit_change(
        actor=actor,
        action="create",
        target=need,
        request=request,
        after={"title": need.title, "category": category.code, "source": source},
    )
    return need


@transaction.atomic
def need_update(*, actor, need: Need, request=None, **data) -> Need:
    unknown = set(data) - set(NEED_FIELDS)
    if unknown:
        raise TypeError(f"unknown need fields: {sorted(unknown)}")
    if not may_edit_need(actor, need):
        raise PermissionDenied
    if "area" in data and data["area"] != need.area:
        require_editable(actor, data["area"])
        _check_community(data["area"])
    if "category" in data:
        _check_category(data["category"])
    for key in ("title", "description"):
        if key in data:
            data[key] = _clean_text(data[key])
    title = data.get("title", need.title)
    description = data.get("description", need.description)
    data["terms"] = " ".join(terms_of(f"{title} {description}"))
    before, after = apply_changes(need, data, exclude_from_clean=["terms"])
    after.pop("terms", None)
    before.pop("terms", None)
    if after:
        audit_change(
            actor=actor, action="update", target=need, before=before, after=after, request=request
        )
    return need


@transaction.atomic
def need_set_status(*, actor, need: Need, status: str, note: str = "", request=None) -> Need:
    """Move a need along its statuses (open → matched → in a project → met / closed)."""
    if not may_edit_need(actor, need):
        raise PermissionDenied
    need = Need.objects.select_for_update().get(pk=need.pk)
    return _move_need(actor, need, status, note, request)


def _move_need(actor, need: Need, status: str, note: str, request) -> Need:
    if status == need.status:
        return need
    if status not in NEED_TRANSITIONS.get(need.status, set()):
        raise ValidationError(
            {
                "status": _("A need that is “%(from)s” cannot become “%(to)s”.")
                % {
                    "from": _status_label(Need.Status, need.status),
                    "to": _status_label(Need.Status, status),
                }
            }
        )
    if status == Need.Status.CLOSED and not note.strip():
        raise ValidationError({"note": _("Say why the need is closed.")})
    old = need.status
    need.status = status
    need.save(update_fields=["status", "updated_at"])
    _need_event(need, actor, old, note)
    audit_change(
        actor=actor,
        action="update",
        target=need,
        before={"status": old},
        after={"status": status},
        request=request,
        note=note,
    )
    return need


# Resources --------------------------------------------------------------------------------------


def _index_resource(resource: Resource) -> None:
    """Keep the resource's words, its rows in the inverted index and the words' document
    frequencies (``Term``) in step with its text."""
    terms = terms_of(f"{resource.title} {resource.description} {resource.availability}")
    resource.terms = " ".join(terms)
    old = set(ResourceTerm.objects.filter(resource=resource).values_list("term", flat=True))
    added, removed = sorted(set(terms) - old), sorted(old - set(terms))
    if removed:
        ResourceTerm.objects.filter(resource=resource, term__in=removed).delete()
        Term.objects.filter(term__in=removed, resources__gt=0).update(resources=F("resources") - 1)
    if added:
        ResourceTerm.objects.bulk_create([ResourceTerm(resource=resource, term=t) for t in added])
        Term.objects.bulk_create([Term(term=t) for t in added], ignore_conflicts=True)
        Term.objects.filter(term__in=added).update(resources=F("resources") + 1)


@transaction.atomic
def term_counts_rebuild() -> int:
    """Recount every word's document frequency from the inverted index (after a reindex or a
    bulk load). Returns the number of distinct words."""
    Term.objects.all().delete()
    counts = ResourceTerm.objects.values_list("term").annotate(n=Count("id")).order_by()
    Term.objects.bulk_create(
        (Term(term=term, resources=n) for term, n in counts.iterator(chunk_size=5000)),
        batch_size=5000,
    )
    return Term.objects.count()


def lists_reindex(*, batch_size: int = 1000) -> tuple[int, int]:
    """Recompute the words of every need and resource and the inverted index, after the rules of
    ``fumin.lists.text`` changed (``manage.py reindex_lists``). Only rows whose words change are
    written; one transaction per batch. Returns (needs changed, resources changed)."""
    needs_changed = resources_changed = 0
    last = 0
    while True:
        with transaction.atomic():
            needs = list(
                Need.objects.filter(pk__gt=last)
                .order_by("pk")
                .only("pk", "title", "description", "terms")[:batch_size]
            )
            if not needs:
                break
            changed = []
            for need in needs:
                terms = " ".join(terms_of(f"{need.title} {need.description}"))
                if terms != need.terms:
                    need.terms = terms
                    changed.append(need)
            Need.objects.bulk_update(changed, ["terms"])
            needs_changed += len(changed)
            last = needs[-1].pk
    last = 0
    while True:
        with transaction.atomic():
            resources = list(
                Resource.objects.filter(pk__gt=last)
                .order_by("pk")
                .only("pk", "title", "description", "availability", "terms")[:batch_size]
            )
            if not resources:
                break
            changed, rows = [], []
            for resource in resources:
                terms = terms_of(f"{resource.title} {resource.description} {resource.availability}")
                if " ".join(terms) != resource.terms:
                    resource.terms = " ".join(terms)
                    changed.append(resource)
                    rows.extend(ResourceTerm(resource=resource, term=term) for term in terms)
            if changed:
                ResourceTerm.objects.filter(resource__in=[r.pk for r in changed]).delete()
                ResourceTerm.objects.bulk_create(rows, batch_size=5000)
                Resource.objects.bulk_update(changed, ["terms"])
            resources_changed += len(changed)
            last = resources[-1].pk
    term_counts_rebuild()
    return needs_changed, resources_changed


@transaction.atomic
def resource_create(
    *,
    actor,
    title: str,
    kind: str,
    category: Category,
    area: Area | None = None,
    unit: Unit | None = None,
    person: Person | None = None,
    department: str = "",
    request=None,
    **fields,
) -> Resource:
    """A resource offered by a unit, a registered member or a subdistrict department.

    The provider follows from what is given; ``area`` defaults to where the provider is.
    """
    unknown = set(fields) - set(RESOURCE_FIELDS)
    if unknown:
        raise TypeError(f"unknown resource fields: {sorted(unknown)}")
    given = [
        name
        for name, value in (
            ("unit", unit),
            ("person", person),
            ("department", _clean_text(department)),
        )
        if value
    ]
    if len(given) != 1:
        raise ValidationError(
            {"provider": _("Say who offers the resource: one unit, one member or one department.")}
        )
    provider = {
        "unit": Resource.Provider.UNIT,
        "person": Resource.Provider.MEMBER,
        "department": Resource.Provider.DEPARTMENT,
    }[given[0]]
    if area is None:
        area = unit.area if unit else person.home_community if person else None
    if area is None:
        raise ValidationError({"area": _("Choose where the resource is.")})
    resource = Resource(
        title=_clean_text(title),
        kind=kind,
        category=category,
        provider=provider,
        unit=unit,
        person=person,
        department=_clean_text(department),
        area=area,
        **fields,
    )
    if not may_edit_resource(actor, resource):
        raise PermissionDenied
    _check_category(category)
    resource.full_clean(exclude=["terms"])
    resource.save()
    _index_resource(resource)
    resource.save(update_fields=["terms"])
    audit_change(
        actor=actor,
        action="create",
        target=resource,
        request=request,
        after={"title": resource.title, "kind": kind, "provider": resource.provider_name},
    )
    return resource


@transaction.atomic
def resource_update(*, actor, resource: Resource, request=None, **data) -> Resource:
    unknown = set(data) - set(RESOURCE_FIELDS)
    if unknown:
        raise TypeError(f"unknown resource fields: {sorted(unknown)}")
    if not may_edit_resource(actor, resource):
        raise PermissionDenied
    if "category" in data:
        _check_category(data["category"])
    for key in ("title", "description", "availability"):
        if key in data:
            data[key] = _clean_text(data[key])
    before, after = apply_changes(resource, data, exclude_from_clean=["terms"])
    if {"title", "description", "availability"} & set(after):
        _index_resource(resource)
        resource.save(update_fields=["terms"])
    if after:
        audit_change(
            actor=actor,
            action="update",
            target=resource,
            before=before,
            after=after,
            request=request,
        )
    return resource


@transaction.atomic
def resource_archive(*, actor, resource: Resource, request=None) -> Resource:
    """Withdraw a resource: it is no longer suggested; projects that used it keep the link."""
    if not may_edit_resource(actor, resource):
        raise PermissionDenied
    if resource.archived_at is None:
        resource.archived_at = timezone.now()
        resource.save(update_fields=["archived_at", "updated_at"])
        audit_change(actor=actor, action="archive", target=resource, request=request)
    return resource


# Matching decisions -----------------------------------------------------------------------------


def _match_for(need: Need, resource: Resource | None, unit: Unit | None) -> Match | None:
    if resource is not None:
        return Match.objects.filter(need=need, resource=resource).first()
    return Match.objects.filter(need=need, unit=unit, resource__isnull=True).first()


def _decide(*, actor, need, resource, unit, decision, score, reasons, note, project, request):
    if not may_edit_need(actor, need):
        raise PermissionDenied
    if resource is None and unit is None:
        raise ValidationError({"resource": _("Choose a resource or a unit.")})
    if resource is not None and resource.archived_at is not None:
        raise ValidationError({"resource": _("This resource has been withdrawn.")})
    match = _match_for(need, resource, unit)
    if match is None:
        match = Match(need=need, resource=resource, unit=unit or (resource and resource.unit))
    match.decision = decision
    match.score = score
    match.reasons = list(reasons or [])
    match.note = _clean_text(note)[:300]
    match.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    if project is not None:
        match.project = project
    try:
        with transaction.atomic():
            match.save()
    except IntegrityError as error:  # a second person decided on the same pair at once
        raise ValidationError(_("Someone else has just decided on this suggestion.")) from error
    audit_change(
        actor=actor,
        action="update",
        target=need,
        request=request,
        after={
            "match": decision,
            "resource": resource.title if resource else None,
            "unit": unit.name if unit else None,
        },
        note=match.note,
    )
    return match


@transaction.atomic
def match_accept(
    *,
    actor,
    need: Need,
    resource: Resource | None = None,
    unit: Unit | None = None,
    score: float | None = None,
    reasons=(),
    note: str = "",
    request=None,
) -> Match:
    """Accept a suggestion: the pair is recorded and an open need becomes matched."""
    need = Need.objects.select_for_update().get(pk=need.pk)
    if not need.is_active:
        raise ValidationError(_("This need is no longer open."))
    match = _decide(
        actor=actor,
        need=need,
        resource=resource,
        unit=unit,
        decision="accepted",
        score=score,
        reasons=reasons,
        note=note,
        project=None,
        request=request,
    )
    if need.status == Need.Status.OPEN:
        _move_need(actor, need, Need.Status.MATCHED, _("Suggestion accepted"), request)
    return match


@transaction.atomic
def match_decline(
    *,
    actor,
    need: Need,
    resource: Resource | None = None,
    unit: Unit | None = None,
    score: float | None = None,
    reasons=(),
    note: str = "",
    request=None,
) -> Match:
    """Decline a suggestion: it is remembered and not suggested for this need again."""
    return _decide(
        actor=actor,
        need=need,
        resource=resource,
        unit=unit,
        decision="declined",
        score=score,
        reasons=reasons,
        note=note,
        project=None,
        request=request,
    )


@transaction.atomic
def project_start_from_need(
    *,
    actor,
    need: Need,
    name: str,
    kind: str,
    year: int,
    resource: Resource | None = None,
    unit: Unit | None = None,
    level: str = Project.Level.COMMUNITY,
    programme: Programme | None = None,
    score: float | None = None,
    reasons=(),
    request=None,
) -> Project:
    """Accept a suggestion by starting a (draft) project that answers the need with the resource."""
    need = Need.objects.select_for_update().get(pk=need.pk)
    if not need.is_active:
        raise ValidationError(_("This need is no longer open."))
    owner_area = need.area if level == Project.Level.COMMUNITY else subdistrict_of(need.area)
    project = project_create(
        actor=actor,
        name=name,
        level=level,
        kind=kind,
        year=year,
        owner_area=owner_area or need.area,
        programme=programme,
        description=need.description,
        needs=[need],
        resources=[resource] if resource else [],
        request=request,
    )
    if resource is not None or unit is not None:
        _decide(
            actor=actor,
            need=need,
            resource=resource,
            unit=unit,
            decision="accepted",
            score=score,
            reasons=reasons,
            note="",
            project=project,
            request=request,
        )
    _move_need(actor, need, Need.Status.IN_PROJECT, project.name, request)
    return project


# Sectors, programmes ----------------------------------------------------------------------------


@transaction.atomic
def sector_create(
    *, actor, name: str, area: Area, position: int = 100, description: str = "", request=None
) -> Sector:
    """``area``: the subdistrict whose staff create it (sectors are the subdistrict's scheme)."""
    require_project_manager(actor, area)
    sector = Sector(name=_clean_text(name), position=position, description=description)
    sector.full_clean()
    sector.save()
    audit_change(
        actor=actor, action="create", target=sector, request=request, after={"name": sector.name}
    )
    return sector


@transaction.atomic
def programme_create(
    *,
    actor,
    sector: Sector,
    name: str,
    area: Area,
    position: int = 100,
    description: str = "",
    request=None,
) -> Programme:
    require_project_manager(actor, area)
    programme = Programme(
        sector=sector, name=_clean_text(name), position=position, description=description
    )
    programme.full_clean()
    programme.save()
    audit_change(
        actor=actor,
        action="create",
        target=programme,
        request=request,
        after={"name": programme.name, "sector": sector.name},
    )
    return programme


# Projects ---------------------------------------------------------------------------------------


def _project_event(project: Project, actor, from_status: str, note: str = "") -> None:
    ProjectEvent.objects.create(
        project=project,
        from_status=from_status,
        to_status=project.status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        note=note[:300],
    )


def _check_project_area(level: str, area: Area) -> None:
    if level == Project.Level.COMMUNITY and area.kind != Area.Kind.COMMUNITY:
        raise ValidationError(
            {"owner_area": _("A Fumin small project belongs to a residential community.")}
        )
    if level == Project.Level.SUBDISTRICT and area.kind == Area.Kind.COMMUNITY:
        raise ValidationError(
            {"owner_area": _("A Fumin project belongs to the subdistrict or a grid.")}
        )


@transaction.atomic
def project_create(
    *,
    actor,
    name: str,
    level: str,
    kind: str,
    year: int,
    owner_area: Area,
    programme: Programme | None = None,
    description: str = "",
    needs=(),
    resources=(),
    adjusted: bool = False,
    adjustment_note: str = "",
    request=None,
) -> Project:
    """A new project, in draft until published."""
    project = Project(
        name=_clean_text(name),
        level=level,
        kind=kind,
        year=year,
        owner_area=owner_area,
        programme=programme,
        description=_clean_text(description),
        adjusted=adjusted,
        adjustment_note=_clean_text(adjustment_note),
    )
    require_project_editable(actor, project)
    project.full_clean(exclude=["name_pinyin", "name_initials"])
    _check_project_area(level, owner_area)
    project.save()
    if needs:
        project.needs.set(needs)
    if resources:
        project.resources.set(resources)
    _project_event(project, actor, "")
    audit_change(
        actor=actor,
        action="create",
        target=project,
        request=request,
        after={"name": project.name, "level": level, "year": year},
    )
    return project


@transaction.atomic
def project_update(
    *, actor, project: Project, needs=None, resources=None, request=None, **data
) -> Project:
    unknown = set(data) - set(PROJECT_FIELDS) - {"adjusted", "adjustment_note", "evaluation"}
    if unknown:
        raise TypeError(f"unknown project fields: {sorted(unknown)}")
    require_project_editable(actor, project)
    if "owner_area" in data:
        _check_project_area(project.level, data["owner_area"])
        if not may_edit_project(actor, Project(level=project.level, owner_area=data["owner_area"])):
            raise PermissionDenied
    for key in ("name", "description", "adjustment_note"):
        if key in data:
            data[key] = _clean_text(data[key])
    before, after = apply_changes(
        project, data, exclude_from_clean=["name_pinyin", "name_initials"]
    )
    if needs is not None:
        project.needs.set(needs)
        after["needs"] = ", ".join(n.title for n in needs)
    if resources is not None:
        project.resources.set(resources)
        after["resources"] = ", ".join(r.title for r in resources)
    if after:
        audit_change(
            actor=actor,
            action="update",
            target=project,
            before=before,
            after=after,
            request=request,
        )
    return project


@transaction.atomic
def project_set_status(
    *, actor, project: Project, status: str, note: str = "", evaluation: str = "", request=None
) -> Project:
    """Move a project along draft → published → claimed → in progress → completed → evaluated.

    Evaluating needs the evaluation's text; completing a project marks the needs it answers met.
    """
    require_project_editable(actor, project)
    project = Project.objects.select_for_update().get(pk=project.pk)
    return _move_project(actor, project, status, note, request, evaluation=evaluation)


def _move_project(
    actor, project: Project, status: str, note: str, request, evaluation=""
) -> Project:
    if status == project.status:
        return project
    if status not in PROJECT_TRANSITIONS.get(project.status, set()):
        raise ValidationError(
            {
                "status": _("A project that is “%(from)s” cannot become “%(to)s”.")
                % {
                    "from": _status_label(Project.Status, project.status),
                    "to": _status_label(Project.Status, status),
                }
            }
        )
    fields = ["status", "updated_at"]
    if status == Project.Status.EVALUATED:
        if not _clean_text(evaluation):
            raise ValidationError({"evaluation": _("Write the evaluation of the project.")})
        project.evaluation = _clean_text(evaluation)
        fields.append("evaluation")
    if status == Project.Status.DRAFT and project.claims.filter(status="active").exists():
        raise ValidationError({"status": _("A claimed project cannot go back to draft.")})
    old = project.status
    project.status = status
    project.save(update_fields=fields)
    _project_event(project, actor, old, note)
    audit_change(
        actor=actor,
        action="update",
        target=project,
        before={"status": old},
        after={"status": status},
        request=request,
        note=note,
    )
    if status == Project.Status.COMPLETED:
        for need in project.needs.select_for_update().filter(status=Need.Status.IN_PROJECT):
            _move_need(actor, need, Need.Status.MET, project.name, request)
    return project


@transaction.atomic
def project_copy_forward(
    *, actor, project: Project, year: int | None = None, request=None
) -> Project:
    """The yearly cycle: the same project for the next year, as a draft, remembering where it
    came from. Copying twice into the same year is refused."""
    require_project_editable(actor, project)
    year = year or project.year + 1
    if year <= project.year:
        raise ValidationError({"year": _("Copy a project forward to a later year.")})
    if Project.objects.filter(copied_from=project, year=year).exists():
        raise ValidationError(
            {"year": _("This project has already been copied to %(year)s.") % {"year": year}}
        )
    copy = project_create(
        actor=actor,
        name=project.name,
        level=project.level,
        kind=project.kind,
        year=year,
        owner_area=project.owner_area,
        programme=project.programme,
        description=project.description,
        resources=[r for r in project.resources.all() if r.archived_at is None],
        request=request,
    )
    copy.copied_from = project
    copy.save(update_fields=["copied_from"])
    for milestone in project.milestones.all():
        Milestone.objects.create(project=copy, title=milestone.title, position=milestone.position)
    return copy


@transaction.atomic
def project_mark_adjusted(*, actor, project: Project, note: str, request=None) -> Project:
    """Mark a project as newly adjusted in this year's cycle, saying what changed."""
    if not _clean_text(note):
        raise ValidationError({"adjustment_note": _("Say what was adjusted.")})
    return project_update(
        actor=actor, project=project, adjusted=True, adjustment_note=note, request=request
    )


@transaction.atomic
def project_archive(*, actor, project: Project, request=None) -> Project:
    require_project_editable(actor, project)
    if project.archived_at is None:
        project.archived_at = timezone.now()
        project.save(update_fields=["archived_at", "updated_at"])
        audit_change(actor=actor, action="archive", target=project, request=request)
    return project


# Milestones and progress ------------------------------------------------------------------------


@transaction.atomic
def milestone_add(
    *, actor, project: Project, title: str, due_on: datetime.date | None = None, request=None
) -> Milestone:
    require_project_editable(actor, project)
    last = project.milestones.aggregate(last=Max("position"))["last"] or 0
    milestone = Milestone(
        project=project, title=_clean_text(title), due_on=due_on, position=last + 10
    )
    milestone.full_clean()
    milestone.save()
    audit_change(
        actor=actor,
        action="update",
        target=project,
        request=request,
        after={"milestone": milestone.title},
    )
    return milestone


@transaction.atomic
def milestone_set_done(
    *, actor, milestone: Milestone, done: bool = True, request=None
) -> Milestone:
    """Tick a milestone off (or back on). The first ticked milestone starts a claimed project."""
    project = milestone.project
    require_project_editable(actor, project)
    milestone.done_at = timezone.now() if done else None
    milestone.save(update_fields=["done_at"])
    audit_change(
        actor=actor,
        action="update",
        target=project,
        request=request,
        after={"milestone": milestone.title, "done": done},
    )
    if done and project.status in (Project.Status.PUBLISHED, Project.Status.CLAIMED):
        _move_project(actor, project, Project.Status.IN_PROGRESS, milestone.title, request)
    return milestone


def project_progress(project: Project) -> int:
    """Per cent of the project's milestones done (0 without milestones; 100 once completed)."""
    if project.status in (Project.Status.COMPLETED, Project.Status.EVALUATED):
        return 100
    milestones = list(project.milestones.all())
    if not milestones:
        return 0
    return round(100 * sum(1 for m in milestones if m.done_at) / len(milestones))


# Claims -----------------------------------------------------------------------------------------


def _next_certificate_number(year: int) -> str:
    prefix = f"FM{year}-"
    last = (
        Claim.objects.filter(certificate_number__startswith=prefix)
        .order_by("-certificate_number")
        .values_list("certificate_number", flat=True)
        .first()
    )
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:04d}"


def may_record_claim(actor, project: Project, unit: Unit) -> bool:
    """A unit's liaison claims for the unit; staff who manage the project record any unit's."""
    if actor is None or may_edit_project(actor, project):
        return True
    return unit.pk in scope_of(actor).unit_ids


@transaction.atomic
def claim_create(
    *,
    actor,
    project: Project,
    unit: Unit,
    mode: str,
    plan: str,
    claimed_on: datetime.date | None = None,
    ceremony: ClaimCeremony | None = None,
    request=None,
) -> Claim:
    """A unit claims a published project. Several units may claim one project, each once."""
    if not may_record_claim(actor, project, unit):
        raise PermissionDenied
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status not in CLAIMABLE or project.archived_at is not None:
        raise ValidationError({"project": _("Only a published project can be claimed.")})
    if unit.archived_at is not None:
        raise ValidationError({"unit": _("This unit has been archived.")})
    if Claim.objects.filter(project=project, unit=unit, status=Claim.Status.ACTIVE).exists():
        raise ValidationError(
            {"unit": _("%(unit)s has already claimed this project.") % {"unit": unit.name}}
        )
    claimed_on = claimed_on or (ceremony.held_on if ceremony else timezone.localdate())
    claim = Claim(
        project=project,
        unit=unit,
        mode=mode,
        plan=_clean_text(plan),
        claimed_on=claimed_on,
        ceremony=ceremony,
        certificate_number=_next_certificate_number(project.year),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    claim.full_clean(exclude=["certificate_number"])
    claim.save()
    audit_change(
        actor=actor,
        action="create",
        target=claim,
        request=request,
        after={"project": project.name, "unit": unit.name, "mode": mode},
    )
    if project.status == Project.Status.PUBLISHED:
        _move_project(actor, project, Project.Status.CLAIMED, unit.name, request)
    return claim


@transaction.atomic
def claim_withdraw(*, actor, claim: Claim, reason: str, request=None) -> Claim:
    if not may_record_claim(actor, claim.project, claim.unit):
        raise PermissionDenied
    if not _clean_text(reason):
        raise ValidationError({"reason": _("Say why the claim is withdrawn.")})
    if claim.status == Claim.Status.WITHDRAWN:
        return claim
    claim.status = Claim.Status.WITHDRAWN
    claim.save(update_fields=["status", "updated_at"])
    audit_change(
        actor=actor,
        action="update",
        target=claim,
        before={"status": "active"},
        after={"status": "withdrawn"},
        request=request,
        note=reason,
    )
    return claim


@transaction.atomic
def ceremony_create(
    *, actor, title: str, held_on: datetime.date, area: Area, place: str = "", request=None
) -> ClaimCeremony:
    require_project_manager(actor, area)
    ceremony = ClaimCeremony(
        title=_clean_text(title), held_on=held_on, area=area, place=_clean_text(place)
    )
    ceremony.full_clean()
    ceremony.save()
    audit_change(
        actor=actor,
        action="create",
        target=ceremony,
        request=request,
        after={"title": ceremony.title, "held_on": held_on},
    )
    return ceremony


@dataclass(frozen=True)
class CeremonyClaim:
    """One line of a ceremony's claims sheet, as typed or picked by staff."""

    project: Project | None
    unit: Unit | None
    mode: str
    plan: str


def ceremony_record_claims(
    *, actor, ceremony: ClaimCeremony, lines: list[CeremonyClaim], request=None
) -> list[Claim]:
    """Record many claims made at one ceremony: all of them, or — if any line is wrong — none,
    with every wrong line named (line numbers count from 1)."""
    errors: list[str] = []
    claims: list[Claim] = []
    try:
        with transaction.atomic():
            for number, line in enumerate(lines, start=1):
                try:
                    if line.project is None:
                        raise ValidationError({"project": _("Choose a project.")})
                    if line.unit is None:
                        raise ValidationError({"unit": _("Choose a unit.")})
                    with transaction.atomic():
                        claims.append(
                            claim_create(
                                actor=actor,
                                project=line.project,
                                unit=line.unit,
                                mode=line.mode,
                                plan=line.plan,
                                ceremony=ceremony,
                                request=request,
                            )
                        )
                except ValidationError as error:
                    errors.append(
                        _("Line %(number)s: %(message)s")
                        % {"number": number, "message": " ".join(_messages(error))}
                    )
            if errors:
                raise ValidationError(errors)
    except PermissionDenied:
        raise
    return claims


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        from django.forms.utils import pretty_name

        out = []
        for field, field_errors in error.error_dict.items():
            label = _field_label(field) or pretty_name(field)
            out.extend(labelled(label, message) for e in field_errors for message in e.messages)
        return out
    return list(error.messages)


def _field_label(field: str) -> str:
    for model in (Claim, Project):
        try:
            return str(model._meta.get_field(field).verbose_name)
        except Exception:  # noqa: S112 - not a field of this model, try the next
            continue
    return ""
