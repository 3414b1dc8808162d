"""Projects of the three lists: sectors and programmes, projects with milestones and progress,
claims, and claim ceremonies.

Reads go through ``fumin.lists.selectors`` (a project the caller may not see is "not found");
writes through ``fumin.lists.services``. Everybody signed in sees published projects and who
claimed them; drafts only staff of the project's area.
"""

import datetime
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from fumin.lists import selectors, services
from fumin.lists.models import Claim, ClaimCeremony, Milestone, Programme, Project, Sector
from fumin.registry.models import Area, Unit
from fumin.registry.selectors import area_list

from .common import Ref, page, ref, resolve
from .lists_common import (
    EventOut,
    NeedRef,
    PageFilter,
    ResourceRef,
    api_fields,
    event_out,
    home_subdistrict,
    require_values,
    titled_ref,
)

router = Router(tags=["projects"])


# Schemas ----------------------------------------------------------------------------------------


class ProgrammeOut(Schema):
    id: UUID
    name: str
    position: int
    description: str


class SectorOut(Schema):
    id: UUID
    name: str
    position: int
    description: str
    programmes: list[ProgrammeOut]


class SectorPage(Schema):
    count: int
    items: list[SectorOut]


class SectorFilter(PageFilter):
    year: int | None = Field(None, description="Only sectors and programmes with projects then.")


class SectorIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    position: int = Field(100, ge=0, le=32767)
    description: str = ""


class ProgrammeIn(Schema):
    sector_id: UUID
    name: str = Field(..., min_length=1, max_length=150)
    position: int = Field(100, ge=0, le=32767)
    description: str = ""


class MilestoneOut(Schema):
    id: UUID
    title: str
    due_on: datetime.date | None
    done: bool
    done_at: datetime.datetime | None


class CeremonyRef(Schema):
    id: UUID
    title: str
    held_on: datetime.date


class ClaimOut(Schema):
    id: UUID
    project: Ref
    year: int
    unit: Ref
    mode: str
    mode_label: str
    plan: str
    claimed_on: datetime.date
    ceremony: CeremonyRef | None
    status: str
    status_label: str
    certificate_number: str


class ClaimPage(Schema):
    count: int
    items: list[ClaimOut]


class ProjectOut(Schema):
    id: UUID
    name: str
    level: str
    level_label: str
    kind: str
    kind_label: str
    year: int
    status: str
    status_label: str
    sector: Ref | None
    programme: Ref | None
    owner_area: Ref
    description: str
    adjusted: bool
    adjustment_note: str
    claim_count: int
    progress: int = Field(..., description="Per cent of milestones done (100 once completed).")
    archived: bool


class ProjectDetailOut(ProjectOut):
    evaluation: str
    copied_from: Ref | None
    editable: bool
    needs: list[NeedRef]
    resources: list[ResourceRef]
    milestones: list[MilestoneOut]
    claims: list[ClaimOut]
    history: list[EventOut]


class ProjectPage(Schema):
    count: int
    items: list[ProjectOut]


class ProjectFilter(PageFilter):
    q: str = ""
    year: int | None = None
    level: str = ""
    kind: str = ""
    status: str = ""
    sector_id: UUID | None = None
    programme_id: UUID | None = None
    area_id: UUID | None = None
    adjusted: bool | None = None
    manageable: bool = Field(False, description="Only projects of the caller's areas, drafts too.")


class ProjectIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    level: str = Field(..., description="subdistrict | community")
    kind: str
    year: int
    owner_area_id: UUID
    programme_id: UUID | None = None
    description: str = ""
    need_ids: list[UUID] = []
    resource_ids: list[UUID] = []
    adjusted: bool = False
    adjustment_note: str = Field("", max_length=300)


class ProjectPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: str | None = None
    year: int | None = None
    owner_area_id: UUID | None = None
    programme_id: UUID | None = None
    description: str | None = None
    need_ids: list[UUID] | None = None
    resource_ids: list[UUID] | None = None
    adjusted: bool | None = None
    adjustment_note: str | None = Field(None, max_length=300)
    evaluation: str | None = None


class ProjectStatusIn(Schema):
    status: str
    note: str = Field("", max_length=300)
    evaluation: str = Field("", description="Needed to mark the project evaluated.")


class MilestoneIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    due_on: datetime.date | None = None


class MilestoneDoneIn(Schema):
    done: bool = True


class CopyForwardIn(Schema):
    year: int | None = Field(None, description="The following year if left out.")


class AdjustedIn(Schema):
    note: str = Field(..., max_length=300, description="What was adjusted.")


class ClaimFilter(PageFilter):
    project_id: UUID | None = None
    unit_id: UUID | None = None
    year: int | None = None
    ceremony_id: UUID | None = None
    include_withdrawn: bool = False


class ClaimIn(Schema):
    unit_id: UUID
    mode: str
    plan: str
    claimed_on: datetime.date | None = None


class WithdrawIn(Schema):
    reason: str = Field(..., max_length=300)


class CeremonyOut(Schema):
    id: UUID
    title: str
    held_on: datetime.date
    place: str
    area: Ref
    claim_count: int


class CeremonyPage(Schema):
    count: int
    items: list[CeremonyOut]


class CeremonyIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    held_on: datetime.date
    place: str = Field("", max_length=200)
    area_id: UUID | None = Field(None, description="The caller's subdistrict if left out.")


class CeremonyLineIn(Schema):
    project_id: UUID
    unit_id: UUID
    mode: str
    plan: str


class CeremonyClaimsIn(Schema):
    lines: list[CeremonyLineIn] = Field(..., min_length=1)


# Output -----------------------------------------------------------------------------------------


def _sector_out(sector: Sector) -> dict:
    return {
        "id": sector.public_id,
        "name": sector.name,
        "position": sector.position,
        "description": sector.description,
        "programmes": [_programme_out(p) for p in sector.programmes.all()],
    }


def _programme_out(programme: Programme) -> dict:
    return {
        "id": programme.public_id,
        "name": programme.name,
        "position": programme.position,
        "description": programme.description,
    }


def _milestone_out(milestone: Milestone) -> dict:
    return {
        "id": milestone.public_id,
        "title": milestone.title,
        "due_on": milestone.due_on,
        "done": milestone.done_at is not None,
        "done_at": milestone.done_at,
    }


def claim_out(claim: Claim) -> dict:
    ceremony = claim.ceremony
    return {
        "id": claim.public_id,
        "project": ref(claim.project),
        "year": claim.project.year,
        "unit": ref(claim.unit),
        "mode": claim.mode,
        "mode_label": claim.get_mode_display(),
        "plan": claim.plan,
        "claimed_on": claim.claimed_on,
        "ceremony": (
            {"id": ceremony.public_id, "title": ceremony.title, "held_on": ceremony.held_on}
            if ceremony
            else None
        ),
        "status": claim.status,
        "status_label": claim.get_status_display(),
        "certificate_number": claim.certificate_number,
    }


def project_out(project: Project) -> dict:
    programme = project.programme
    return {
        "id": project.public_id,
        "name": project.name,
        "level": project.level,
        "level_label": project.get_level_display(),
        "kind": project.kind,
        "kind_label": project.get_kind_display(),
        "year": project.year,
        "status": project.status,
        "status_label": project.get_status_display(),
        "sector": ref(programme.sector) if programme else None,
        "programme": ref(programme),
        "owner_area": ref(project.owner_area),
        "description": project.description,
        "adjusted": project.adjusted,
        "adjustment_note": project.adjustment_note,
        "claim_count": (
            project.claim_count
            if hasattr(project, "claim_count")
            else project.claims.filter(status=Claim.Status.ACTIVE).count()
        ),
        "progress": services.project_progress(project),
        "archived": project.archived_at is not None,
    }


def project_detail_out(request, project: Project) -> dict:
    """A project as the caller sees it, read afresh (after a write, the selector's view)."""
    fresh = selectors.project_get(viewer=request.user, public_id=project.public_id)
    if fresh is None:  # e.g. archived or moved out of the caller's scope by this very write
        fresh = project
    claims = selectors.claim_list(viewer=request.user, project=fresh)
    return {
        **project_out(fresh),
        "evaluation": fresh.evaluation,
        "copied_from": ref(fresh.copied_from),
        "editable": services.may_edit_project(request.user, fresh),
        "needs": [titled_ref(n) for n in fresh.needs.all()],
        "resources": [titled_ref(r) for r in fresh.resources.all()],
        "milestones": [_milestone_out(m) for m in fresh.milestones.all()],
        "claims": [claim_out(c) for c in claims],
        "history": [event_out(e) for e in selectors.project_history(fresh)],
    }


def _ceremony_out(ceremony: ClaimCeremony) -> dict:
    return {
        "id": ceremony.public_id,
        "title": ceremony.title,
        "held_on": ceremony.held_on,
        "place": ceremony.place,
        "area": ref(ceremony.area),
        "claim_count": getattr(ceremony, "claim_count", 0),
    }


# Lookups ----------------------------------------------------------------------------------------


def get_project(request, project_id: UUID) -> Project:
    found = selectors.project_get(viewer=request.user, public_id=project_id)
    if found is None:
        raise Http404
    return found


def _project_fields(request, fields: dict) -> dict:
    """The services' arguments for the API's ``*_id`` fields, resolved in the caller's scope."""
    viewer = request.user
    out = dict(fields)
    if "owner_area_id" in out:
        out["owner_area"] = resolve(
            "owner_area_id", out.pop("owner_area_id"), area_list(viewer=viewer)
        )
    if "programme_id" in out:
        out["programme"] = resolve("programme_id", out.pop("programme_id"), Programme.objects.all())
    if "need_ids" in out:
        needs = selectors.need_list(viewer=viewer)
        out["needs"] = [
            resolve(f"need_ids.{n}", i, needs) for n, i in enumerate(out.pop("need_ids") or [])
        ]
    if "resource_ids" in out:
        resources = selectors.resource_list(viewer=viewer)
        out["resources"] = [
            resolve(f"resource_ids.{n}", i, resources)
            for n, i in enumerate(out.pop("resource_ids") or [])
        ]
    return out


PROJECT_FIELD_NAMES = {"owner_area": "owner_area_id", "programme": "programme_id"}


# Sectors and programmes -------------------------------------------------------------------------


@router.get("/sectors", response=SectorPage)
def sectors(request, filters: Query[SectorFilter]):
    """The tree of sectors (板块) and their programmes (大项)."""
    return page(selectors.sector_tree(year=filters.year), filters, _sector_out)


@router.post("/sectors", response={201: SectorOut})
def sector_create(request, payload: SectorIn):
    """For subdistrict staff."""
    created = services.sector_create(
        actor=request.user, area=home_subdistrict(request.user), request=request, **payload.dict()
    )
    return Status(201, {**_sector_out(created), "programmes": []})


@router.post("/programmes", response={201: ProgrammeOut})
def programme_create(request, payload: ProgrammeIn):
    """For subdistrict staff."""
    fields = payload.dict()
    area = home_subdistrict(request.user)
    sector = resolve("sector_id", fields.pop("sector_id"), Sector.objects.all())
    created = services.programme_create(
        actor=request.user, sector=sector, area=area, request=request, **fields
    )
    return Status(201, _programme_out(created))


# Projects ---------------------------------------------------------------------------------------


@router.get("/projects", response=ProjectPage)
def projects(request, filters: Query[ProjectFilter]):
    found = selectors.project_list(
        viewer=request.user,
        text=filters.q,
        year=filters.year,
        level=filters.level,
        kind=filters.kind,
        status=filters.status,
        sector=resolve("sector_id", filters.sector_id, Sector.objects.all()),
        programme=resolve("programme_id", filters.programme_id, Programme.objects.all()),
        area=resolve("area_id", filters.area_id, Area.objects.all()),
        adjusted=filters.adjusted,
        manageable=filters.manageable,
    ).prefetch_related("milestones")
    return page(found, filters, project_out)


@router.get("/projects/{project_id}", response=ProjectDetailOut)
def project(request, project_id: UUID):
    """A project with its needs, resources, milestones, progress, claims and history."""
    return project_detail_out(request, get_project(request, project_id))


@router.post("/projects", response={201: ProjectDetailOut})
def project_create(request, payload: ProjectIn):
    """Subdistrict staff create Fumin projects; community staff small projects of their
    communities. A new project is a draft."""
    fields = _project_fields(request, payload.dict())
    with api_fields(**PROJECT_FIELD_NAMES):
        created = services.project_create(actor=request.user, request=request, **fields)
    return Status(201, project_detail_out(request, created))


@router.patch("/projects/{project_id}", response=ProjectDetailOut)
def project_update(request, project_id: UUID, payload: ProjectPatch):
    found = get_project(request, project_id)
    fields = payload.dict(exclude_unset=True)
    require_values(fields, "name", "kind", "year", "owner_area_id", "description", "adjusted")
    fields = _project_fields(request, fields)
    for key in ("adjustment_note", "evaluation"):
        if key in fields and fields[key] is None:
            fields[key] = ""
    with api_fields(**PROJECT_FIELD_NAMES):
        updated = services.project_update(
            actor=request.user, project=found, request=request, **fields
        )
    return project_detail_out(request, updated)


@router.post("/projects/{project_id}/status", response=ProjectDetailOut)
def project_status(request, project_id: UUID, payload: ProjectStatusIn):
    """Move a project: draft → published → claimed → in progress → completed → evaluated."""
    found = get_project(request, project_id)
    moved = services.project_set_status(
        actor=request.user,
        project=found,
        status=payload.status,
        note=payload.note,
        evaluation=payload.evaluation,
        request=request,
    )
    return project_detail_out(request, moved)


@router.post("/projects/{project_id}/milestones", response={201: MilestoneOut})
def milestone_add(request, project_id: UUID, payload: MilestoneIn):
    found = get_project(request, project_id)
    added = services.milestone_add(
        actor=request.user,
        project=found,
        title=payload.title,
        due_on=payload.due_on,
        request=request,
    )
    return Status(201, _milestone_out(added))


@router.post("/projects/{project_id}/milestones/{milestone_id}/done", response=MilestoneOut)
def milestone_done(request, project_id: UUID, milestone_id: UUID, payload: MilestoneDoneIn):
    """Tick a milestone off (``done: false`` ticks it back on); the first one ticked starts a
    claimed project."""
    found = get_project(request, project_id)
    milestone = found.milestones.filter(public_id=milestone_id).first()
    if milestone is None:
        raise Http404
    milestone.project = found
    done = services.milestone_set_done(
        actor=request.user, milestone=milestone, done=payload.done, request=request
    )
    return _milestone_out(done)


@router.post("/projects/{project_id}/copy-forward", response={201: ProjectDetailOut})
def project_copy_forward(request, project_id: UUID, payload: CopyForwardIn):
    """The yearly cycle: the same project as a draft of a later year (once per year)."""
    found = get_project(request, project_id)
    copy = services.project_copy_forward(
        actor=request.user, project=found, year=payload.year, request=request
    )
    return Status(201, project_detail_out(request, copy))


@router.post("/projects/{project_id}/adjusted", response=ProjectDetailOut)
def project_mark_adjusted(request, project_id: UUID, payload: AdjustedIn):
    """Mark the project newly adjusted (新调整) this year, saying what changed."""
    found = get_project(request, project_id)
    with api_fields(adjustment_note="note"):
        updated = services.project_mark_adjusted(
            actor=request.user, project=found, note=payload.note, request=request
        )
    return project_detail_out(request, updated)


# Claims -----------------------------------------------------------------------------------------


@router.get("/claims", response=ClaimPage)
def claims(request, filters: Query[ClaimFilter]):
    viewer = request.user
    found = selectors.claim_list(
        viewer=viewer,
        project=resolve(
            "project_id",
            filters.project_id,
            selectors.project_list(viewer=viewer, include_archived=True),
        ),
        unit=resolve("unit_id", filters.unit_id, Unit.objects.all()),
        year=filters.year,
        ceremony=resolve(
            "ceremony_id", filters.ceremony_id, selectors.ceremony_list(viewer=viewer)
        ),
        include_withdrawn=filters.include_withdrawn,
    )
    return page(found, filters, claim_out)


@router.post("/projects/{project_id}/claims", response={201: ClaimOut})
def claim_create(request, project_id: UUID, payload: ClaimIn):
    """A unit's liaison claims a published project for the unit; staff record any unit's claim."""
    found = get_project(request, project_id)
    unit = resolve("unit_id", payload.unit_id, selectors.claimable_units(viewer=request.user))
    with api_fields(unit="unit_id"):
        claim = services.claim_create(
            actor=request.user,
            project=found,
            unit=unit,
            mode=payload.mode,
            plan=payload.plan,
            claimed_on=payload.claimed_on,
            request=request,
        )
    return Status(201, claim_out(claim))


@router.post("/claims/{claim_id}/withdraw", response=ClaimOut)
def claim_withdraw(request, claim_id: UUID, payload: WithdrawIn):
    found = selectors.claim_get(viewer=request.user, public_id=claim_id)
    if found is None:
        raise Http404
    withdrawn = services.claim_withdraw(
        actor=request.user, claim=found, reason=payload.reason, request=request
    )
    return claim_out(withdrawn)


# Ceremonies -------------------------------------------------------------------------------------


@router.get("/ceremonies", response=CeremonyPage)
def ceremonies(request, filters: Query[PageFilter]):
    found = selectors.ceremony_list(viewer=request.user).select_related("area")
    return page(found, filters, _ceremony_out)


@router.post("/ceremonies", response={201: CeremonyOut})
def ceremony_create(request, payload: CeremonyIn):
    """For subdistrict staff: a claim ceremony (认领仪式) at which many units claim projects."""
    fields = payload.dict()
    area_id = fields.pop("area_id")
    if area_id is None:
        area = home_subdistrict(request.user)
    else:
        area = resolve("area_id", area_id, area_list(viewer=request.user))
    with api_fields(area="area_id"):
        created = services.ceremony_create(actor=request.user, area=area, request=request, **fields)
    return Status(201, _ceremony_out(created))


@router.post("/ceremonies/{ceremony_id}/claims", response={201: ClaimPage})
def ceremony_claims(request, ceremony_id: UUID, payload: CeremonyClaimsIn):
    """Record the claims made at a ceremony: all of them, or none. If any line is wrong the
    answer (400) names each wrong line: ``field`` is ``lines.<index>`` (counted from 0, or
    ``lines.<index>.project_id`` / ``.unit_id``), the message says "Line <n>" (counted from 1)."""
    viewer = request.user
    ceremony = selectors.ceremony_get(viewer=viewer, public_id=ceremony_id)
    if ceremony is None:
        raise Http404
    projects_in_scope = selectors.project_list(viewer=viewer)
    units = selectors.claimable_units(viewer=viewer)
    lines, unresolved = [], {}
    for index, line in enumerate(payload.lines):
        project = projects_in_scope.filter(public_id=line.project_id).first()
        unit = units.filter(public_id=line.unit_id).first()
        if project is None:
            unresolved[index] = "project_id"
        elif unit is None:
            unresolved[index] = "unit_id"
        lines.append(services.CeremonyClaim(project, unit, line.mode, line.plan))
    try:
        recorded = services.ceremony_record_claims(
            actor=viewer, ceremony=ceremony, lines=lines, request=request
        )
    except ValidationError as exc:
        raise _line_errors(exc, len(lines), unresolved) from exc
    fresh = selectors.claim_list(viewer=viewer, ceremony=ceremony).filter(
        pk__in=[c.pk for c in recorded]
    )
    items = [claim_out(c) for c in fresh]
    return Status(201, {"count": len(items), "items": items})


def _line_errors(exc: ValidationError, count: int, unresolved: dict[int, str]) -> ValidationError:
    """One error per wrong line, keyed ``lines.<index>`` (or its ``project_id`` / ``unit_id``)."""
    errors: dict[str, list[str]] = {}
    messages = list(exc.messages)
    for index in range(count):
        number = index + 1
        prefix = _("Line %(number)s: %(message)s") % {"number": number, "message": ""}
        mine = [m for m in messages if m.startswith(prefix)]
        if not mine:
            continue
        for message in mine:
            messages.remove(message)
        if index in unresolved:
            reason = _("No such record, or it is outside your scope.")
            errors[f"lines.{index}.{unresolved[index]}"] = [prefix + reason]
        else:
            errors[f"lines.{index}"] = mine
    if messages:
        errors["lines"] = messages
    if not errors:
        raise PermissionDenied  # pragma: no cover - the service only raises line errors
    return ValidationError(errors)
