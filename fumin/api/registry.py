"""Registry endpoints: units, party organisations, people, places, alliances, joint meetings.

Reads go through the scoped selectors; writes through the registry services, so a call here is
checked and audited exactly like the same change made on a page. Records are referred to by
their public UUID; a reference the caller cannot see is answered as "not found", field named.
"""

from uuid import UUID

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from fumin.api.common import Ref, page, ref, resolve
from fumin.registry import services
from fumin.registry.models import Person
from fumin.registry.selectors import (
    alliance_get,
    alliance_list,
    area_list,
    joint_meeting_get,
    joint_meeting_list,
    party_org_get,
    party_org_list,
    person_get,
    person_list,
    place_list,
    unit_get,
    unit_list,
)

router = Router(tags=["registry"])


# Schemas ----------------------------------------------------------------------------------------


class UnitOut(Schema):
    id: UUID
    name: str
    kind: str
    kind_label: str
    is_two_new: bool
    credit_code: str | None
    area: Ref
    place: Ref | None
    address: str
    contact_name: str
    archived: bool


class UnitIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    kind: str
    area_id: UUID
    credit_code: str | None = None
    place_id: UUID | None = None
    address: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    description: str = ""


class UnitPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: str | None = None
    area_id: UUID | None = None
    credit_code: str | None = None
    place_id: UUID | None = None
    address: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    description: str | None = None


class PartyOrgOut(Schema):
    id: UUID
    name: str
    kind: str
    unit: Ref | None
    community: Ref | None
    parent: Ref | None
    secretary_name: str
    member_count: int
    archived: bool


class PartyOrgIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    kind: str
    unit_id: UUID | None = None
    community_id: UUID | None = None
    parent_id: UUID | None = None
    secretary_name: str = ""
    member_count: int = Field(0, ge=0)


class PersonOut(Schema):
    id: UUID
    name: str
    mobile_masked: str
    id_number_masked: str
    gender: str
    home_community: Ref | None
    work_unit: Ref | None
    is_party_member: bool
    party_org: Ref | None
    skills: str
    archived: bool


class PersonIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    mobile: str | None = None
    id_number: str | None = None
    gender: str = ""
    home_community_id: UUID | None = None
    work_unit_id: UUID | None = None
    is_party_member: bool = False
    party_org_id: UUID | None = None
    skills: str = ""
    consent_scope: str = ""
    consent_method: str = ""


class PersonPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    mobile: str | None = None
    id_number: str | None = None
    gender: str | None = None
    home_community_id: UUID | None = None
    work_unit_id: UUID | None = None
    is_party_member: bool | None = None
    party_org_id: UUID | None = None
    skills: str | None = None


class BodyOut(Schema):
    id: UUID
    name: str
    kind: str
    area: Ref
    member_count: int
    members: list[Ref]


class PlaceOut(Schema):
    id: UUID
    name: str
    kind: str
    area: Ref
    address: str


class ListFilter(Schema):
    q: str = ""
    kind: str = ""
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class UnitPage(Schema):
    count: int
    items: list[UnitOut]


class PartyOrgPage(Schema):
    count: int
    items: list[PartyOrgOut]


class PersonPage(Schema):
    count: int
    items: list[PersonOut]


class PlacePage(Schema):
    count: int
    items: list[PlaceOut]


# Helpers ----------------------------------------------------------------------------------------


def _unit_out(unit) -> dict:
    return {
        "id": unit.public_id,
        "name": unit.name,
        "kind": unit.kind,
        "kind_label": unit.get_kind_display(),
        "is_two_new": unit.is_two_new,
        "credit_code": unit.credit_code,
        "area": ref(unit.area),
        "place": ref(unit.place),
        "address": unit.address,
        "contact_name": unit.contact_name,
        "archived": unit.archived_at is not None,
    }


def _party_org_out(org) -> dict:
    return {
        "id": org.public_id,
        "name": org.name,
        "kind": org.kind,
        "unit": ref(org.unit),
        "community": ref(org.community),
        "parent": ref(org.parent),
        "secretary_name": org.secretary_name,
        "member_count": org.member_count,
        "archived": org.archived_at is not None,
    }


def _person_out(person: Person) -> dict:
    from fumin.core.masking import mask_mobile

    return {
        "id": person.public_id,
        "name": person.name,
        "mobile_masked": mask_mobile(person.mobile or ""),
        "id_number_masked": person.id_number_masked,
        "gender": person.gender,
        "home_community": ref(person.home_community),
        "work_unit": ref(person.work_unit),
        "is_party_member": person.is_party_member,
        "party_org": ref(person.party_org),
        "skills": person.skills,
        "archived": person.archived_at is not None,
    }


def _unit_fields(request, payload: dict) -> dict:
    viewer = request.user
    fields = dict(payload)
    if "area_id" in fields:
        fields["area"] = resolve("area_id", fields.pop("area_id"), area_list(viewer=viewer))
    if "place_id" in fields:
        fields["place"] = resolve("place_id", fields.pop("place_id"), place_list(viewer=viewer))
    return fields


# Units ------------------------------------------------------------------------------------------


@router.get("/units", response=UnitPage)
def units(request, filters: Query[ListFilter]):
    found = unit_list(viewer=request.user, text=filters.q, kind=filters.kind)
    return page(found, filters, _unit_out)


@router.get("/units/{unit_id}", response=UnitOut)
def unit(request, unit_id: UUID):
    found = unit_get(viewer=request.user, public_id=unit_id)
    if found is None:
        raise Http404
    return _unit_out(found)


@router.post("/units", response={201: UnitOut})
def unit_create(request, payload: UnitIn):
    created = services.unit_create(
        actor=request.user, request=request, **_unit_fields(request, payload.dict())
    )
    return Status(201, _unit_out(created))


@router.patch("/units/{unit_id}", response=UnitOut)
def unit_update(request, unit_id: UUID, payload: UnitPatch):
    found = unit_get(viewer=request.user, public_id=unit_id)
    if found is None:
        raise Http404
    changes = _unit_fields(request, payload.dict(exclude_unset=True))
    return _unit_out(
        services.unit_update(actor=request.user, unit=found, request=request, **changes)
    )


# Party organisations ----------------------------------------------------------------------------


def _party_org_fields(request, payload: dict) -> dict:
    viewer = request.user
    fields = dict(payload)
    for key, queryset in (
        ("unit", unit_list(viewer=viewer)),
        ("community", area_list(viewer=viewer, kind="community")),
        ("parent", party_org_list(viewer=viewer)),
    ):
        if f"{key}_id" in fields:
            fields[key] = resolve(f"{key}_id", fields.pop(f"{key}_id"), queryset)
    return fields


@router.get("/party-orgs", response=PartyOrgPage)
def party_orgs(request, filters: Query[ListFilter]):
    orgs = party_org_list(viewer=request.user, text=filters.q, kind=filters.kind)
    return page(orgs, filters, _party_org_out)


@router.get("/party-orgs/{org_id}", response=PartyOrgOut)
def party_org(request, org_id: UUID):
    found = party_org_get(viewer=request.user, public_id=org_id)
    if found is None:
        raise Http404
    return _party_org_out(found)


@router.post("/party-orgs", response={201: PartyOrgOut})
def party_org_create(request, payload: PartyOrgIn):
    created = services.party_org_create(
        actor=request.user, request=request, **_party_org_fields(request, payload.dict())
    )
    return Status(201, _party_org_out(created))


# People -----------------------------------------------------------------------------------------


class PersonFilter(Schema):
    q: str = ""
    community_id: UUID | None = None
    party_members_only: bool = False
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


def _person_fields(request, payload: dict) -> dict:
    viewer = request.user
    fields = dict(payload)
    for key, queryset in (
        ("home_community", area_list(viewer=viewer, kind="community")),
        ("work_unit", unit_list(viewer=viewer)),
        ("party_org", party_org_list(viewer=viewer)),
    ):
        if f"{key}_id" in fields:
            fields[key] = resolve(f"{key}_id", fields.pop(f"{key}_id"), queryset)
    return fields


@router.get("/people", response=PersonPage)
def people(request, filters: Query[PersonFilter]):
    community = resolve(
        "community_id", filters.community_id, area_list(viewer=request.user, kind="community")
    )
    found = person_list(
        viewer=request.user,
        text=filters.q,
        community=community,
        party_members_only=filters.party_members_only,
    )
    return page(found, filters, _person_out)


@router.get("/people/{person_id}", response=PersonOut)
def person(request, person_id: UUID):
    found = person_get(viewer=request.user, public_id=person_id)
    if found is None:
        raise Http404
    return _person_out(found)


@router.post("/people", response={201: PersonOut})
def person_create(request, payload: PersonIn):
    created = services.person_create(
        actor=request.user, request=request, **_person_fields(request, payload.dict())
    )
    return Status(201, _person_out(created))


@router.patch("/people/{person_id}", response=PersonOut)
def person_update(request, person_id: UUID, payload: PersonPatch):
    found = person_get(viewer=request.user, public_id=person_id)
    if found is None:
        raise Http404
    changes = _person_fields(request, payload.dict(exclude_unset=True))
    id_number = changes.pop("id_number", None)
    updated = services.person_update(
        actor=request.user, person=found, request=request, id_number=id_number, **changes
    )
    return _person_out(updated)


# Places, alliances, joint meetings ---------------------------------------------------------------


def _place_out(place) -> dict:
    return {
        "id": place.public_id,
        "name": place.name,
        "kind": place.kind,
        "area": ref(place.area),
        "address": place.address,
    }


@router.get("/places", response=PlacePage)
def places(request, filters: Query[ListFilter]):
    found = place_list(viewer=request.user, text=filters.q, kind=filters.kind)
    return page(found, filters, _place_out)


class PlaceIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    kind: str
    area_id: UUID
    address: str = ""


@router.post("/places", response={201: PlaceOut})
def place_create(request, payload: PlaceIn):
    fields = payload.dict()
    area = resolve("area_id", fields.pop("area_id"), area_list(viewer=request.user))
    created = services.place_create(actor=request.user, area=area, **fields)
    return Status(201, _place_out(created))


def _body_out(body) -> dict:
    return {
        "id": body.public_id,
        "name": body.name,
        "kind": body.kind if hasattr(body, "kind") else body.level,
        "area": ref(body.area),
        "member_count": sum(1 for m in body.memberships.all() if m.left_on is None),
        "members": [ref(m.unit) for m in body.memberships.all() if m.left_on is None],
    }


def _bodies_out(bodies) -> list[dict]:
    return [_body_out(b) for b in bodies.prefetch_related("memberships__unit")]


class AllianceIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    kind: str
    area_id: UUID
    lead_unit_id: UUID | None = None
    description: str = ""


class JointMeetingIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    level: str
    area_id: UUID
    place_id: UUID | None = None
    chair_unit_id: UUID | None = None


class MemberIn(Schema):
    unit_id: UUID


def _body_fields(request, payload: dict) -> dict:
    viewer = request.user
    fields = dict(payload)
    for key, queryset in (
        ("area", area_list(viewer=viewer)),
        ("place", place_list(viewer=viewer)),
        ("lead_unit", unit_list(viewer=viewer)),
        ("chair_unit", unit_list(viewer=viewer)),
    ):
        if f"{key}_id" in fields:
            fields[key] = resolve(f"{key}_id", fields.pop(f"{key}_id"), queryset)
    return fields


def _change_members(request, body, unit_id: UUID, change, key: str) -> dict:
    """Add or remove (``change``: the service) one unit of an alliance or joint meeting."""
    unit = resolve("unit_id", unit_id, unit_list(viewer=request.user))
    change(actor=request.user, unit=unit, request=request, **{key: body})
    return _body_out(body)


@router.get("/alliances", response=list[BodyOut])
def alliances(request, q: str = ""):
    return _bodies_out(alliance_list(viewer=request.user, text=q))


@router.post("/alliances", response={201: BodyOut})
def alliance_create(request, payload: AllianceIn):
    created = services.alliance_create(
        actor=request.user, request=request, **_body_fields(request, payload.dict())
    )
    return Status(201, _body_out(created))


def _alliance_or_404(request, alliance_id: UUID):
    found = alliance_get(viewer=request.user, public_id=alliance_id)
    if found is None:
        raise Http404
    return found


@router.post("/alliances/{alliance_id}/members", response=BodyOut)
def alliance_member_add(request, alliance_id: UUID, payload: MemberIn):
    return _change_members(
        request,
        _alliance_or_404(request, alliance_id),
        payload.unit_id,
        services.alliance_add_member,
        "alliance",
    )


@router.delete("/alliances/{alliance_id}/members/{unit_id}", response=BodyOut)
def alliance_member_remove(request, alliance_id: UUID, unit_id: UUID):
    return _change_members(
        request,
        _alliance_or_404(request, alliance_id),
        unit_id,
        services.alliance_remove_member,
        "alliance",
    )


@router.get("/joint-meetings", response=list[BodyOut])
def joint_meetings(request, q: str = ""):
    return _bodies_out(joint_meeting_list(viewer=request.user, text=q))


@router.post("/joint-meetings", response={201: BodyOut})
def joint_meeting_create(request, payload: JointMeetingIn):
    created = services.joint_meeting_create(
        actor=request.user, request=request, **_body_fields(request, payload.dict())
    )
    return Status(201, _body_out(created))


def _joint_meeting_or_404(request, meeting_id: UUID):
    found = joint_meeting_get(viewer=request.user, public_id=meeting_id)
    if found is None:
        raise Http404
    return found


@router.post("/joint-meetings/{meeting_id}/members", response=BodyOut)
def joint_meeting_member_add(request, meeting_id: UUID, payload: MemberIn):
    return _change_members(
        request,
        _joint_meeting_or_404(request, meeting_id),
        payload.unit_id,
        services.joint_meeting_add_member,
        "joint_meeting",
    )


@router.delete("/joint-meetings/{meeting_id}/members/{unit_id}", response=BodyOut)
def joint_meeting_member_remove(request, meeting_id: UUID, unit_id: UUID):
    return _change_members(
        request,
        _joint_meeting_or_404(request, meeting_id),
        unit_id,
        services.joint_meeting_remove_member,
        "joint_meeting",
    )
