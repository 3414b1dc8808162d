"""Dual registration endpoints: every step of the pages, scoped the same way.

A member registers themself; community staff enter, confirm, reject and re-confirm; a unit
liaison registers its party organisation. The figures endpoint answers the KPI definitions of
DESIGN.md over the caller's scope.
"""

import datetime
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from fumin.accounts.scope import Capability, scope_of
from fumin.core.masking import mask_mobile
from fumin.registration import selectors, services
from fumin.registration.forms import all_communities
from fumin.registration.models import MemberRegistration
from fumin.registry.models import PartyOrg, Unit
from fumin.registry.selectors import area_list, party_org_list

from .common import Ref, page, ref, resolve

router = Router(tags=["dual registration"])


class MemberRegistrationOut(Schema):
    id: UUID
    person: Ref
    mobile_masked: str
    community: Ref
    grid: Ref | None
    work_unit: Ref | None
    party_org: Ref | None
    channel: str
    status: str
    status_label: str
    reason: str
    confirmed_at: datetime.datetime | None
    last_confirmed_at: datetime.datetime | None
    existing: bool = False


class OrgRegistrationOut(Schema):
    id: UUID
    party_org: Ref | None
    unit: Ref | None
    community: Ref
    contact_name: str
    resources: str
    service_intent: str
    status: str
    status_label: str
    reason: str
    confirmed_at: datetime.datetime | None
    existing: bool = False


class MemberPage(Schema):
    count: int
    items: list[MemberRegistrationOut]


class OrgPage(Schema):
    count: int
    items: list[OrgRegistrationOut]


class RegistrationFilter(Schema):
    q: str = ""
    status: str = ""
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class MemberIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    community_id: UUID
    mobile: str | None = None
    id_number: str | None = None
    work_unit_id: UUID | None = None
    party_org_id: UUID | None = None
    specialities: str = ""
    service_intent: str = ""


class OrgIn(Schema):
    party_org_id: UUID
    community_ids: list[UUID] = Field(..., min_length=1)
    contact_name: str = Field(..., min_length=1, max_length=100)
    contact_phone: str = Field(..., min_length=1, max_length=30)
    resources: str = ""
    service_intent: str = ""


class ReasonIn(Schema):
    reason: str = ""


class MoveIn(Schema):
    community_id: UUID


class AgreementIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    signed_on: datetime.date
    term_start: datetime.date
    term_end: datetime.date
    content: str = ""


class FiguresOut(Schema):
    start: datetime.date
    end: datetime.date
    area: Ref
    organisations_registered: int
    members_registered: int
    by: dict[str, list[tuple[str | None, int]]] = {}


def _member_out(r: MemberRegistration, existing: bool = False) -> dict:
    return {
        "id": r.public_id,
        "person": ref(r.person),
        "mobile_masked": mask_mobile(r.person.mobile or ""),
        "community": ref(r.community),
        "grid": ref(r.grid),
        "work_unit": ref(r.work_unit),
        "party_org": ref(r.party_org),
        "channel": r.channel,
        "status": r.status,
        "status_label": r.get_status_display(),
        "reason": r.reason,
        "confirmed_at": r.confirmed_at,
        "last_confirmed_at": r.last_confirmed_at,
        "existing": existing,
    }


def _org_out(r, existing: bool = False) -> dict:
    return {
        "id": r.public_id,
        "party_org": ref(r.party_org),
        "unit": ref(r.party_org.unit) if r.party_org_id else None,
        "community": ref(r.community),
        "contact_name": r.contact_name,
        "resources": r.resources,
        "service_intent": r.service_intent,
        "status": r.status,
        "status_label": r.get_status_display(),
        "reason": r.reason,
        "confirmed_at": r.confirmed_at,
        "existing": existing,
    }


def _get(request, kind: str, registration_id: UUID):
    if kind not in ("members", "orgs"):
        raise Http404
    get = selectors.member_registration_get if kind == "members" else selectors.org_registration_get
    found = get(viewer=request.user, public_id=registration_id)
    if found is None:
        raise Http404
    return found


def _out(registration) -> dict:
    if isinstance(registration, MemberRegistration):
        return _member_out(registration)
    return _org_out(registration)


@router.get("/me/registration", response={200: MemberRegistrationOut, 404: dict})
def my_registration(request):
    found = selectors.my_registration(viewer=request.user)
    if found is None:
        raise Http404
    return _member_out(found)


@router.get("/registrations/members", response=MemberPage)
def member_registrations(request, filters: Query[RegistrationFilter]):
    rows = selectors.member_registration_list(
        viewer=request.user, status=filters.status, text=filters.q
    ).order_by("-created_at")
    return page(rows, filters, _member_out)


@router.post(
    "/registrations/members", response={200: MemberRegistrationOut, 201: MemberRegistrationOut}
)
def member_register(request, payload: MemberIn):
    """Register a member. The channel follows from the caller: community staff enter members of
    their communities, a unit liaison registers the unit's members, anyone else registers
    themself. A person already registered is answered with 200 and ``existing: true``."""
    scope = scope_of(request.user)
    fields = payload.dict()
    community = resolve("community_id", fields.pop("community_id"), all_communities())
    fields["work_unit"] = resolve(
        "work_unit_id", fields.pop("work_unit_id"), Unit.objects.filter(archived_at__isnull=True)
    )
    fields["party_org"] = resolve(
        "party_org_id",
        fields.pop("party_org_id"),
        PartyOrg.objects.filter(archived_at__isnull=True),
    )
    if scope.can(Capability.EDIT_REGISTRY) and scope.contains_area(community):
        channel = MemberRegistration.Channel.COMMUNITY
    elif fields["work_unit"] is not None and fields["work_unit"].pk in scope.unit_ids:
        channel = MemberRegistration.Channel.UNIT
    else:
        channel = MemberRegistration.Channel.SELF
    registration, created = services.member_register(
        actor=request.user, channel=channel, community=community, request=request, **fields
    )
    return Status(201 if created else 200, _member_out(registration, existing=not created))


@router.get("/registrations/orgs", response=OrgPage)
def org_registrations(request, filters: Query[RegistrationFilter]):
    rows = selectors.org_registration_list(
        viewer=request.user, status=filters.status, text=filters.q
    ).order_by("-created_at")
    return page(rows, filters, _org_out)


@router.post("/registrations/orgs", response={201: list[OrgRegistrationOut]})
def org_register(request, payload: OrgIn):
    fields = payload.dict()
    party_org = resolve(
        "party_org_id",
        fields.pop("party_org_id"),
        party_org_list(viewer=request.user).filter(unit__isnull=False),
    )
    communities = [
        resolve(f"community_ids.{number}", community_id, all_communities())
        for number, community_id in enumerate(fields.pop("community_ids"))
    ]
    results = services.org_registration_submit(
        actor=request.user, party_org=party_org, communities=communities, request=request, **fields
    )
    return Status(201, [_org_out(r, existing=not created) for r, created in results])


@router.get(
    "/registrations/{kind}/{registration_id}",
    response={200: MemberRegistrationOut | OrgRegistrationOut},
)
def registration(request, kind: str, registration_id: UUID):
    return _out(_get(request, kind, registration_id))


@router.post(
    "/registrations/{kind}/{registration_id}/confirm",
    response=MemberRegistrationOut | OrgRegistrationOut,
)
def registration_confirm(request, kind: str, registration_id: UUID):
    found = _get(request, kind, registration_id)
    return _out(
        services.registration_confirm(actor=request.user, registration=found, request=request)
    )


@router.post(
    "/registrations/{kind}/{registration_id}/reject",
    response=MemberRegistrationOut | OrgRegistrationOut,
)
def registration_reject(request, kind: str, registration_id: UUID, payload: ReasonIn):
    found = _get(request, kind, registration_id)
    return _out(
        services.registration_reject(
            actor=request.user, registration=found, reason=payload.reason, request=request
        )
    )


@router.post(
    "/registrations/{kind}/{registration_id}/reconfirm",
    response=MemberRegistrationOut | OrgRegistrationOut,
)
def registration_reconfirm(request, kind: str, registration_id: UUID):
    found = _get(request, kind, registration_id)
    return _out(
        services.registration_reconfirm(actor=request.user, registration=found, request=request)
    )


@router.post(
    "/registrations/{kind}/{registration_id}/end",
    response=MemberRegistrationOut | OrgRegistrationOut,
)
def registration_end(request, kind: str, registration_id: UUID, payload: ReasonIn):
    found = _get(request, kind, registration_id)
    return _out(
        services.registration_end(
            actor=request.user, registration=found, reason=payload.reason, request=request
        )
    )


@router.post("/registrations/members/{registration_id}/move", response=MemberRegistrationOut)
def registration_move(request, registration_id: UUID, payload: MoveIn):
    found = _get(request, "members", registration_id)
    community = resolve("community_id", payload.community_id, all_communities())
    return _member_out(
        services.member_move(
            actor=request.user, registration=found, community=community, request=request
        )
    )


@router.post("/registrations/orgs/{registration_id}/agreements", response={201: dict})
def agreement_add(request, registration_id: UUID, payload: AgreementIn):
    found = _get(request, "orgs", registration_id)
    agreement = services.agreement_add(
        actor=request.user, registration=found, request=request, **payload.dict()
    )
    return Status(201, {"id": str(agreement.public_id), "title": agreement.title})


class FiguresQuery(Schema):
    start: datetime.date
    end: datetime.date
    area_id: UUID | None = None
    by: str | None = Field(None, pattern="^(community|grid|unit|month)$")


@router.get("/registrations/figures", response=FiguresOut)
def figures(request, query: Query[FiguresQuery]):
    """Organisations and members registered (distinct, first confirmed in [start, end]) over an
    area of the caller's scope (default: the caller's own area)."""
    if query.end < query.start:
        raise ValidationError({"end": _("The period ends before it starts.")})
    areas = area_list(viewer=request.user)
    if query.area_id is not None:
        area = resolve("area_id", query.area_id, areas)
    else:
        scope = scope_of(request.user)
        area = areas.filter(path__in=scope.area_paths).order_by("path").first()
        if area is None:
            raise PermissionDenied
    period = {"start": query.start, "end": query.end, "area": area}
    result = {
        "start": query.start,
        "end": query.end,
        "area": ref(area),
        "organisations_registered": selectors.organisations_registered(**period),
        "members_registered": selectors.members_registered(**period),
        "by": {},
    }
    if query.by:
        result["by"] = {
            "organisations_registered": [
                (str(label) if label is not None else None, n)
                for label, n in selectors.organisations_registered(**period, by=query.by)
            ],
            "members_registered": [
                (str(label) if label is not None else None, n)
                for label, n in selectors.members_registered(**period, by=query.by)
            ],
        }
    return result
