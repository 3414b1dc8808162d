"""Sectors, programmes and projects: statuses, milestones and progress, the yearly cycle."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from fumin.audit.services import audit_change
from fumin.core.changes import apply_changes
from fumin.registry.models import Area

from ..models import (
    Milestone,
    Need,
    Programme,
    Project,
    ProjectEvent,
    Sector,
)
from .needs import (
    move_need,
)
from .rules import (
    PROJECT_FIELDS,
    PROJECT_TRANSITIONS,
    clean_text,
    may_edit_project,
    require_project_editable,
    require_project_manager,
    status_label,
)


@transaction.atomic
def sector_create(
    *, actor, name: str, area: Area, position: int = 100, description: str = "", request=None
) -> Sector:
    """``area``: the subdistrict whose staff create it (sectors are the subdistrict's scheme)."""
    require_project_manager(actor, area)
    sector = Sector(name=clean_text(name), position=position, description=description)
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
        sector=sector, name=clean_text(name), position=position, description=description
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
        name=clean_text(name),
        level=level,
        kind=kind,
        year=year,
        owner_area=owner_area,
        programme=programme,
        description=clean_text(description),
        adjusted=adjusted,
        adjustment_note=clean_text(adjustment_note),
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
            data[key] = clean_text(data[key])
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
    return move_project(actor, project, status, note, request, evaluation=evaluation)


def move_project(
    actor, project: Project, status: str, note: str, request, evaluation=""
) -> Project:
    """Move ``project`` (locked by the caller, inside its transaction, rights already checked)
    to ``status`` if the rules allow it, with its history row and audit entry."""
    if status == project.status:
        return project
    if status not in PROJECT_TRANSITIONS.get(project.status, set()):
        raise ValidationError(
            {
                "status": _("A project that is “%(from)s” cannot become “%(to)s”.")
                % {
                    "from": status_label(Project.Status, project.status),
                    "to": status_label(Project.Status, status),
                }
            }
        )
    fields = ["status", "updated_at"]
    if status == Project.Status.EVALUATED:
        if not clean_text(evaluation):
            raise ValidationError({"evaluation": _("Write the evaluation of the project.")})
        project.evaluation = clean_text(evaluation)
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
            move_need(actor, need, Need.Status.MET, project.name, request)
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
    if not clean_text(note):
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


@transaction.atomic
def milestone_add(
    *, actor, project: Project, title: str, due_on: datetime.date | None = None, request=None
) -> Milestone:
    require_project_editable(actor, project)
    last = project.milestones.aggregate(last=Max("position"))["last"] or 0
    milestone = Milestone(
        project=project, title=clean_text(title), due_on=due_on, position=last + 10
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
        move_project(actor, project, Project.Status.IN_PROGRESS, milestone.title, request)
    return milestone


def project_progress(project: Project) -> int:
    """Per cent of the project's milestones done (0 without milestones; 100 once completed)."""
    if project.status in (Project.Status.COMPLETED, Project.Status.EVALUATED):
        return 100
    milestones = list(project.milestones.all())
    if not milestones:
        return 0
    return round(100 * sum(1 for m in milestones if m.done_at) / len(milestones))
