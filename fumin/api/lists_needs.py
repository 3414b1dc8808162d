"""Needs and resources of the three lists, the categories they share, and matching between them.

Reads go through ``fumin.lists.selectors`` (a record the caller may not see is "not found");
writes through ``fumin.lists.services``, so a call here is checked and audited like the same step
on a page. Suggestions come from ``fumin.lists.matching``; only the decisions on them are stored.
"""

import datetime
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from fumin.activities.services import person_of
from fumin.lists import matching, selectors, services
from fumin.lists.models import Need, Programme, Resource
from fumin.registry.models import Area, Person
from fumin.registry.selectors import area_list, person_list, unit_list

from .common import Ref, page, ref, resolve
from .lists_common import (
    CategoryRef,
    EventOut,
    NeedRef,
    PageFilter,
    ReasonOut,
    ResourceRef,
    api_fields,
    category_ref,
    event_out,
    reasons_out,
    require_values,
    resolve_category,
    titled_ref,
)
from .lists_projects import ProjectDetailOut, project_detail_out

router = Router(tags=["needs and resources"])

NEED_FIELD_NAMES = {"area": "community_id"}
RESOURCE_FIELD_NAMES = {"area": "area_id", "unit": "unit_id", "person": "person_id"}


# Schemas ----------------------------------------------------------------------------------------


class CategoryOut(Schema):
    code: str
    name: str
    name_en: str
    label: str = Field(..., description="The name in the request's language.")
    keywords: list[str]


class CategoryPage(Schema):
    count: int
    items: list[CategoryOut]


class NeedOut(Schema):
    id: UUID
    title: str
    description: str
    category: CategoryRef
    beneficiary_group: str
    expected_beneficiaries: int | None
    urgency: str
    urgency_label: str
    status: str
    status_label: str
    source: str = Field(..., description="staff | resident")
    community: Ref
    created_at: datetime.datetime
    updated_at: datetime.datetime


class MatchOut(Schema):
    resource: ResourceRef | None
    unit: Ref | None
    decision: str = Field(..., description="accepted | declined")
    decision_label: str
    score: float | None
    reasons: list[ReasonOut]
    note: str
    project: Ref | None
    decided_by: str | None
    decided_at: datetime.datetime


class NeedDetailOut(NeedOut):
    editable: bool
    history: list[EventOut]
    decisions: list[MatchOut]


class NeedPage(Schema):
    count: int
    items: list[NeedOut]


class NeedFilter(PageFilter):
    q: str = ""
    status: str = ""
    category: str = Field("", description="A category's code.")
    community_id: UUID | None = None
    urgency: str = ""
    year: int | None = None
    mine: bool = Field(False, description="Only the needs the caller raised.")


class NeedIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field(..., min_length=1)
    category: str = Field(..., description="A category's code.")
    community_id: UUID
    beneficiary_group: str = Field("", max_length=100)
    expected_beneficiaries: int | None = Field(None, ge=0)
    urgency: str = "normal"


class NeedRaiseIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field(..., min_length=1)
    category: str = Field(..., description="A category's code.")
    beneficiary_group: str = Field("", max_length=100)
    expected_beneficiaries: int | None = Field(None, ge=0)


class NeedPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, min_length=1)
    category: str | None = None
    community_id: UUID | None = None
    beneficiary_group: str | None = Field(None, max_length=100)
    expected_beneficiaries: int | None = Field(None, ge=0)
    urgency: str | None = None


class StatusIn(Schema):
    status: str = Field(..., description="open | matched | in_project | met | closed")
    note: str = Field("", max_length=300, description="Needed to close a need.")


class SuggestionOut(Schema):
    resource: ResourceRef
    unit: Ref | None
    provider_name: str
    score: float
    reasons: list[ReasonOut]


class SuggestionList(Schema):
    count: int
    items: list[SuggestionOut]


class MatchIn(Schema):
    """A decision on a suggested pair: name the resource, or (for a unit without a listed
    resource) the unit."""

    resource_id: UUID | None = None
    unit_id: UUID | None = None
    decision: str = Field(..., description="accepted | declined")
    note: str = Field("", max_length=300)


class MatchResultOut(MatchOut):
    need_status: str


class ProjectFromNeedIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    kind: str
    year: int
    level: str = "community"
    programme_id: UUID | None = None
    resource_id: UUID | None = None
    unit_id: UUID | None = None


class ResourceOut(Schema):
    id: UUID
    title: str
    description: str
    kind: str
    kind_label: str
    category: CategoryRef
    provider: str = Field(..., description="unit | member | department")
    provider_label: str
    provider_name: str
    unit: Ref | None
    person: Ref | None
    department: str
    capacity: int | None
    availability: str
    available_from: datetime.date | None
    available_until: datetime.date | None
    area: Ref
    archived: bool
    created_at: datetime.datetime


class ResourceDetailOut(ResourceOut):
    editable: bool


class ResourcePage(Schema):
    count: int
    items: list[ResourceOut]


class ResourceFilter(PageFilter):
    q: str = ""
    kind: str = ""
    category: str = Field("", description="A category's code.")
    area_id: UUID | None = None
    provider: str = ""
    include_archived: bool = False


class ResourceIn(Schema):
    """Exactly one provider: ``unit_id``, ``person_id`` or ``department``."""

    title: str = Field(..., min_length=1, max_length=200)
    kind: str
    category: str = Field(..., description="A category's code.")
    unit_id: UUID | None = None
    person_id: UUID | None = None
    department: str = Field("", max_length=100)
    area_id: UUID | None = Field(None, description="Where the provider is, if left out.")
    description: str = ""
    capacity: int | None = Field(None, ge=0)
    availability: str = Field("", max_length=200)
    available_from: datetime.date | None = None
    available_until: datetime.date | None = None


class ResourcePatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    kind: str | None = None
    category: str | None = None
    area_id: UUID | None = None
    description: str | None = None
    capacity: int | None = Field(None, ge=0)
    availability: str | None = Field(None, max_length=200)
    available_from: datetime.date | None = None
    available_until: datetime.date | None = None


class NeedSuggestionOut(Schema):
    need: NeedRef
    community: Ref
    category: CategoryRef
    status: str
    score: float
    reasons: list[ReasonOut]


class NeedSuggestionList(Schema):
    count: int
    items: list[NeedSuggestionOut]


# Output -----------------------------------------------------------------------------------------


def _need_out(need: Need) -> dict:
    return {
        "id": need.public_id,
        "title": need.title,
        "description": need.description,
        "category": category_ref(need.category),
        "beneficiary_group": need.beneficiary_group,
        "expected_beneficiaries": need.expected_beneficiaries,
        "urgency": need.urgency,
        "urgency_label": need.get_urgency_display(),
        "status": need.status,
        "status_label": need.get_status_display(),
        "source": need.source,
        "community": ref(need.area),
        "created_at": need.created_at,
        "updated_at": need.updated_at,
    }


def _match_out(match) -> dict:
    return {
        "resource": titled_ref(match.resource),
        "unit": ref(match.unit),
        "decision": match.decision,
        "decision_label": match.get_decision_display(),
        "score": match.score,
        "reasons": [
            {"kind": r.get("kind", ""), "label": r.get("label", ""), "weight": r.get("weight", 0)}
            for r in match.reasons or []
            if isinstance(r, dict)
        ],
        "note": match.note,
        "project": ref(match.project),
        "decided_by": match.decided_by.name if match.decided_by_id else None,
        "decided_at": match.updated_at,
    }


def _need_detail_out(request, need: Need) -> dict:
    return {
        **_need_out(need),
        "editable": services.may_edit_need(request.user, need),
        "history": [event_out(e) for e in selectors.need_history(need)],
        "decisions": [_match_out(m) for m in selectors.need_matches(need)],
    }


def _resource_out(resource: Resource) -> dict:
    return {
        "id": resource.public_id,
        "title": resource.title,
        "description": resource.description,
        "kind": resource.kind,
        "kind_label": resource.get_kind_display(),
        "category": category_ref(resource.category),
        "provider": resource.provider,
        "provider_label": resource.get_provider_display(),
        "provider_name": resource.provider_name,
        "unit": ref(resource.unit),
        "person": ref(resource.person),
        "department": resource.department,
        "capacity": resource.capacity,
        "availability": resource.availability,
        "available_from": resource.available_from,
        "available_until": resource.available_until,
        "area": ref(resource.area),
        "archived": resource.archived_at is not None,
        "created_at": resource.created_at,
    }


def _resource_detail_out(request, resource: Resource) -> dict:
    return {
        **_resource_out(resource),
        "editable": services.may_edit_resource(request.user, resource),
    }


# Lookups ----------------------------------------------------------------------------------------


def _get_need(request, need_id: UUID) -> Need:
    found = selectors.need_get(viewer=request.user, public_id=need_id)
    if found is None:
        raise Http404
    return found


def _decided_need(request, need_id: UUID) -> Need:
    """A need whose suggestions the caller decides on: not visible 404, not theirs 403."""
    found = _get_need(request, need_id)
    if not services.may_edit_need(request.user, found):
        raise PermissionDenied
    return found


def _get_resource(request, resource_id: UUID) -> Resource:
    found = selectors.resource_get(viewer=request.user, public_id=resource_id)
    if found is None:
        raise Http404
    return found


def _communities(viewer):
    return area_list(viewer=viewer, kind=Area.Kind.COMMUNITY)


def _need_fields(request, fields: dict) -> dict:
    out = dict(fields)
    if "category" in out:
        out["category"] = resolve_category(out["category"])
    if "community_id" in out:
        out["area"] = resolve("community_id", out.pop("community_id"), _communities(request.user))
    return out


def _suggested_pair(request, need: Need, resource_id: UUID | None, unit_id: UUID | None):
    """The resource and unit named in a decision, with the score and reasons of the current
    suggestion for them. A resource or unit is found among the need's suggestions or in the
    caller's scope."""
    viewer = request.user
    suggestions = matching.suggest_for_need(need, limit=50)
    suggestion = next((s for s in suggestions if s.resource.public_id == resource_id), None)
    resource = unit = None
    if resource_id is not None:
        resource = (
            suggestion.resource
            if suggestion
            else resolve(
                "resource_id",
                resource_id,
                selectors.resource_list(viewer=viewer, include_archived=True),
            )
        )
    if unit_id is not None:
        unit = next(
            (s.unit for s in suggestions if s.unit is not None and s.unit.public_id == unit_id),
            None,
        ) or resolve("unit_id", unit_id, unit_list(viewer=viewer))
    score = suggestion.score if suggestion else None
    reasons = reasons_out(suggestion.reasons) if suggestion else []
    return resource, unit, score, reasons


def _person(request, person_id: UUID | None) -> Person | None:
    """The caller themself, or a person in the caller's scope."""
    if person_id is None:
        return None
    own = person_of(request.user)
    if own is not None and own.public_id == person_id:
        return own
    return resolve("person_id", person_id, person_list(viewer=request.user))


# Categories -------------------------------------------------------------------------------------


@router.get("/categories", response=CategoryPage)
def categories(request, filters: Query[PageFilter]):
    """The taxonomy needs and resources share (elderly care, health, …), in use."""
    from django.utils.translation import get_language

    language = get_language() or "zh-hans"
    return page(
        selectors.category_choices(),
        filters,
        lambda c: {
            "code": c.code,
            "name": c.name,
            "name_en": c.name_en,
            "label": c.label(language),
            "keywords": c.keywords.split(),
        },
    )


# Needs ------------------------------------------------------------------------------------------


@router.get("/needs", response=NeedPage)
def needs(request, filters: Query[NeedFilter]):
    """Staff see the needs of their areas; a unit's liaison the active needs of the subdistrict;
    a resident the needs they raised."""
    community = resolve(
        "community_id", filters.community_id, Area.objects.filter(kind=Area.Kind.COMMUNITY)
    )
    category = resolve_category(filters.category or None)
    found = selectors.need_list(
        viewer=request.user,
        text=filters.q,
        status=filters.status,
        category=category,
        area=community,
        urgency=filters.urgency,
        year=filters.year,
        mine=filters.mine,
    )
    return page(found, filters, _need_out)


@router.post("/needs/raise", response={201: NeedDetailOut})
def need_raise(request, payload: NeedRaiseIn):
    """A resident raises a need for the residential community they live in."""
    fields = payload.dict()
    fields["category"] = resolve_category(fields["category"])
    created = services.need_raise(actor=request.user, request=request, **fields)
    return Status(201, _need_detail_out(request, created))


@router.get("/needs/{need_id}", response=NeedDetailOut)
def need(request, need_id: UUID):
    """A need with its status history and the decisions taken on its suggestions."""
    return _need_detail_out(request, _get_need(request, need_id))


@router.post("/needs", response={201: NeedDetailOut})
def need_create(request, payload: NeedIn):
    """Community staff post a need for a community of theirs. (Residents: ``/needs/raise``.)"""
    fields = _need_fields(request, payload.dict())
    with api_fields(**NEED_FIELD_NAMES):
        created = services.need_create(actor=request.user, request=request, **fields)
    return Status(201, _need_detail_out(request, created))


@router.patch("/needs/{need_id}", response=NeedDetailOut)
def need_update(request, need_id: UUID, payload: NeedPatch):
    found = _get_need(request, need_id)
    fields = payload.dict(exclude_unset=True)
    require_values(fields, "title", "description", "category", "community_id", "urgency")
    for key in ("beneficiary_group",):
        if key in fields and fields[key] is None:
            fields[key] = ""
    fields = _need_fields(request, fields)
    with api_fields(**NEED_FIELD_NAMES):
        updated = services.need_update(actor=request.user, need=found, request=request, **fields)
    return _need_detail_out(request, updated)


@router.post("/needs/{need_id}/status", response=NeedDetailOut)
def need_status(request, need_id: UUID, payload: StatusIn):
    """Move a need: open → matched → in a project → met, or closed (with a note saying why)."""
    found = _get_need(request, need_id)
    moved = services.need_set_status(
        actor=request.user, need=found, status=payload.status, note=payload.note, request=request
    )
    return _need_detail_out(request, moved)


@router.get("/needs/{need_id}/suggestions", response=SuggestionList)
def need_suggestions(request, need_id: UUID, limit: int = Query(10, ge=1, le=50)):
    """Resources (and the units offering them) that could meet the need, best first, each with
    the reasons for its score. Pairs already decided on are left out. For the need's staff."""
    found = _decided_need(request, need_id)
    suggestions = matching.suggest_for_need(found, limit=limit)
    items = [
        {
            "resource": titled_ref(s.resource),
            "unit": ref(s.unit),
            "provider_name": s.resource.provider_name,
            "score": s.score,
            "reasons": reasons_out(s.reasons),
        }
        for s in suggestions
    ]
    return {"count": len(items), "items": items}


@router.post("/needs/{need_id}/matches", response={201: MatchResultOut})
def need_match(request, need_id: UUID, payload: MatchIn):
    """Accept or decline a suggestion. Accepting makes an open need matched; a declined pair is
    not suggested again."""
    found = _decided_need(request, need_id)
    if payload.decision not in ("accepted", "declined"):
        raise ValidationError({"decision": _("Choose accepted or declined.")})
    resource, unit, score, reasons = _suggested_pair(
        request, found, payload.resource_id, payload.unit_id
    )
    decide = services.match_accept if payload.decision == "accepted" else services.match_decline
    with api_fields(resource="resource_id", unit="unit_id"):
        match = decide(
            actor=request.user,
            need=found,
            resource=resource,
            unit=unit,
            score=score,
            reasons=reasons,
            note=payload.note,
            request=request,
        )
    status = Need.objects.values_list("status", flat=True).get(pk=found.pk)
    return Status(201, {**_match_out(match), "need_status": status})


@router.post("/needs/{need_id}/project", response={201: ProjectDetailOut})
def need_project(request, need_id: UUID, payload: ProjectFromNeedIn):
    """Start a (draft) project that answers the need, with the suggested resource or unit if
    one is named; the need moves into the project."""
    found = _decided_need(request, need_id)
    resource, unit, score, reasons = _suggested_pair(
        request, found, payload.resource_id, payload.unit_id
    )
    programme = resolve("programme_id", payload.programme_id, Programme.objects.all())
    with api_fields(resource="resource_id", unit="unit_id", programme="programme_id"):
        project = services.project_start_from_need(
            actor=request.user,
            need=found,
            name=payload.name,
            kind=payload.kind,
            year=payload.year,
            level=payload.level,
            programme=programme,
            resource=resource,
            unit=unit,
            score=score,
            reasons=reasons,
            request=request,
        )
    return Status(201, project_detail_out(request, project))


# Resources --------------------------------------------------------------------------------------


@router.get("/resources", response=ResourcePage)
def resources(request, filters: Query[ResourceFilter]):
    """Staff see the resources of their areas; a unit's liaison the unit's; a member their own."""
    found = selectors.resource_list(
        viewer=request.user,
        text=filters.q,
        kind=filters.kind,
        category=resolve_category(filters.category or None),
        area=resolve("area_id", filters.area_id, Area.objects.all()),
        provider=filters.provider,
        include_archived=filters.include_archived,
    )
    return page(found, filters, _resource_out)


@router.get("/resources/{resource_id}", response=ResourceDetailOut)
def resource(request, resource_id: UUID):
    return _resource_detail_out(request, _get_resource(request, resource_id))


@router.post("/resources", response={201: ResourceDetailOut})
def resource_create(request, payload: ResourceIn):
    """Offer a resource: a liaison for their unit, a member for themself, staff for either in
    their areas, subdistrict staff for a department."""
    viewer = request.user
    fields = payload.dict()
    fields["category"] = resolve_category(fields["category"])
    fields["unit"] = resolve("unit_id", fields.pop("unit_id"), unit_list(viewer=viewer))
    fields["person"] = _person(request, fields.pop("person_id"))
    fields["area"] = resolve("area_id", fields.pop("area_id"), area_list(viewer=viewer))
    with api_fields(**RESOURCE_FIELD_NAMES):
        created = services.resource_create(actor=viewer, request=request, **fields)
    return Status(201, _resource_detail_out(request, created))


@router.patch("/resources/{resource_id}", response=ResourceDetailOut)
def resource_update(request, resource_id: UUID, payload: ResourcePatch):
    found = _get_resource(request, resource_id)
    fields = payload.dict(exclude_unset=True)
    require_values(fields, "title", "kind", "category", "area_id")
    for key in ("description", "availability"):
        if key in fields and fields[key] is None:
            fields[key] = ""
    if "category" in fields:
        fields["category"] = resolve_category(fields["category"])
    if "area_id" in fields:
        fields["area"] = resolve("area_id", fields.pop("area_id"), area_list(viewer=request.user))
    with api_fields(**RESOURCE_FIELD_NAMES):
        updated = services.resource_update(
            actor=request.user, resource=found, request=request, **fields
        )
    return _resource_detail_out(request, updated)


@router.post("/resources/{resource_id}/archive", response=ResourceDetailOut)
def resource_archive(request, resource_id: UUID):
    """Withdraw a resource: no longer suggested; projects that used it keep the link."""
    found = _get_resource(request, resource_id)
    archived = services.resource_archive(actor=request.user, resource=found, request=request)
    return _resource_detail_out(request, archived)


@router.get("/resources/{resource_id}/suggestions", response=NeedSuggestionList)
def resource_suggestions(request, resource_id: UUID, limit: int = Query(10, ge=1, le=50)):
    """The reverse view: needs the resource could meet, best first — those the caller may see."""
    found = _get_resource(request, resource_id)
    suggestions = matching.suggest_for_resource(found, limit=limit)
    visible = set(
        selectors.need_list(viewer=request.user)
        .filter(pk__in=[s.need.pk for s in suggestions])
        .values_list("pk", flat=True)
    )
    items = [
        {
            "need": titled_ref(s.need),
            "community": ref(s.need.area),
            "category": category_ref(s.need.category),
            "status": s.need.status,
            "score": s.score,
            "reasons": reasons_out(s.reasons),
        }
        for s in suggestions
        if s.need.pk in visible
    ]
    return {"count": len(items), "items": items}
