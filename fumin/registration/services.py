"""Writes of dual registration. The portal, the console, the API and the bulk import call these.

Who may do what:
- a member registers themself (``channel="self"``), moves home and deregisters;
- a unit liaison registers the unit's party organisation, and the unit's members in bulk;
- a community secretary (or anyone with registry rights over the community) enters members,
  confirms, rejects and re-confirms registrations with their community;
- subdistrict staff approve units proposed from the registration flow.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fumin.accounts.models import Role
from fumin.accounts.scope import Capability, scope_of
from fumin.accounts.selectors import role_holders
from fumin.activities.services import team_add_member
from fumin.audit.services import audit_change
from fumin.core import crypto
from fumin.core.phones import normalize_mobile
from fumin.notifications.services import notify
from fumin.registry.models import Area, PartyOrg, Person, Unit
from fumin.registry.services import (
    normalize_id_number,
    party_org_create,
    person_create,
    person_update,
    unit_create,
)

from .models import (
    ACTIVE,
    CoBuildingAgreement,
    MemberRegistration,
    OrgRegistration,
    Status,
    UnitProposal,
)


def _is_community_staff(actor, community: Area) -> bool:
    scope = scope_of(actor)
    return scope.can(Capability.EDIT_REGISTRY) and scope.contains_area(community)


def _require_community_staff(actor, community: Area) -> None:
    if actor is not None and not _is_community_staff(actor, community):
        raise PermissionDenied


def _require_liaison_of(actor, unit: Unit | None) -> None:
    """The actor speaks for ``unit``: its liaison, or staff whose scope holds the unit."""
    if actor is None:
        return
    scope = scope_of(actor)
    if unit is not None and (
        unit.pk in scope.unit_ids
        or (scope.can(Capability.EDIT_REGISTRY) and scope.contains_area(unit.area))
    ):
        return
    raise PermissionDenied


def _community(area: Area | None, field: str = "community") -> Area:
    if area is None or area.kind != Area.Kind.COMMUNITY or area.archived_at:
        raise ValidationError({field: _("Choose a residential community.")})
    return area


def _tell_community(community: Area, title: str) -> None:
    """Tell the community's secretaries that a registration waits for them."""
    url = reverse("console:registration_index")
    for user in role_holders(role=Role.COMMUNITY_SECRETARY, area=community):
        notify(recipient=user, title=title, url=url, channels=["sms"])


# Organisation registration ----------------------------------------------------------------------


@transaction.atomic
def org_registration_submit(
    *,
    actor,
    party_org: PartyOrg,
    communities: list[Area],
    contact_name: str,
    contact_phone: str,
    resources: str = "",
    service_intent: str = "",
    request=None,
) -> list[tuple[OrgRegistration, bool]]:
    """Register ``party_org`` with each community. Returns (registration, created) pairs: a
    community it is already registered with (or waiting for) gives back that registration."""
    if party_org.unit_id is None:
        raise ValidationError(
            {"party_org": _("Only a unit's party organisation registers with a community.")}
        )
    _require_liaison_of(actor, party_org.unit)
    if not communities:
        raise ValidationError({"communities": _("Choose at least one residential community.")})
    if not (contact_name or "").strip():
        raise ValidationError({"contact_name": _("Enter a contact person.")})
    if not (contact_phone or "").strip():
        raise ValidationError({"contact_phone": _("Enter a contact phone number.")})
    results = []
    for community in communities:
        _community(community, "communities")
        existing = OrgRegistration.objects.filter(
            party_org=party_org, community=community, status__in=ACTIVE
        ).first()
        if existing:
            results.append((existing, False))
            continue
        registration = OrgRegistration.objects.create(
            party_org=party_org,
            community=community,
            contact_name=contact_name.strip(),
            contact_phone=contact_phone.strip(),
            resources=resources,
            service_intent=service_intent,
            submitted_by=actor if getattr(actor, "pk", None) else None,
        )
        audit_change(
            actor=actor,
            action="create",
            target=registration,
            request=request,
            after={"party_org": party_org, "community": community},
        )
        _tell_community(
            community, _("%(org)s registered with your community") % {"org": party_org.name}
        )
        results.append((registration, True))
    return results


@transaction.atomic
def unit_propose(
    *,
    actor,
    name: str,
    kind: str,
    area: Area,
    party_org_name: str,
    party_org_kind: str,
    communities: list[Area],
    contact_name: str,
    contact_phone: str,
    credit_code: str = "",
    resources: str = "",
    service_intent: str = "",
    request=None,
) -> UnitProposal:
    """Propose a unit that is not in the registry yet, with its first registrations. Nothing is
    created in the registry until subdistrict staff approve the proposal."""
    if actor is None or not scope_of(actor).is_authenticated:
        raise PermissionDenied
    if not communities:
        raise ValidationError({"communities": _("Choose at least one residential community.")})
    proposal = UnitProposal(
        name=(name or "").strip(),
        kind=kind,
        credit_code=(credit_code or "").strip().upper(),
        area=area,
        party_org_name=(party_org_name or "").strip(),
        party_org_kind=party_org_kind,
        proposed_by=actor,
    )
    proposal.full_clean(exclude=["unit", "decided_by"])
    proposal.save()
    for community in communities:
        OrgRegistration.objects.create(
            proposal=proposal,
            community=_community(community, "communities"),
            contact_name=contact_name,
            contact_phone=contact_phone,
            resources=resources,
            service_intent=service_intent,
            submitted_by=actor,
        )
    audit_change(
        actor=actor,
        action="create",
        target=proposal,
        request=request,
        after={"name": proposal.name, "kind": kind},
    )
    return proposal


@transaction.atomic
def unit_proposal_decide(
    *, actor, proposal: UnitProposal, approve: bool, reason: str = "", request=None
) -> UnitProposal:
    """Approve (create the unit and its party organisation) or reject a proposed unit."""
    proposal = UnitProposal.objects.select_for_update().get(pk=proposal.pk)
    scope = scope_of(actor)
    if not (scope.can(Capability.MANAGE_USERS) and scope.contains_area(proposal.area)):
        raise PermissionDenied
    if proposal.status != UnitProposal.Decision.PENDING:
        raise ValidationError({"status": _("This proposal has already been decided.")})
    if approve:
        unit = unit_create(
            actor=actor,
            name=proposal.name,
            kind=proposal.kind,
            area=proposal.area,
            credit_code=proposal.credit_code or None,
            request=request,
        )
        org = party_org_create(
            actor=actor,
            name=proposal.party_org_name,
            kind=proposal.party_org_kind,
            unit=unit,
            request=request,
        )
        proposal.unit, proposal.status = unit, UnitProposal.Decision.APPROVED
        proposal.registrations.update(party_org=org)
    else:
        if not reason.strip():
            raise ValidationError({"reason": _("Give a reason for the rejection.")})
        proposal.status = UnitProposal.Decision.REJECTED
        proposal.registrations.filter(status__in=ACTIVE).update(
            status=Status.REJECTED, reason=reason, decided_at=timezone.now(), decided_by=actor
        )
    proposal.decided_by, proposal.reason = actor, reason
    proposal.save(update_fields=["unit", "status", "decided_by", "reason", "updated_at"])
    audit_change(
        actor=actor,
        action="update",
        target=proposal,
        request=request,
        after={"status": proposal.status, "reason": reason},
    )
    return proposal


# Member registration ----------------------------------------------------------------------------


def normalize_mobile_or_none(raw: str) -> str | None:
    try:
        return normalize_mobile(raw)
    except ValidationError:
        return None


def _find_person(mobile: str | None, id_number: str | None) -> Person | None:
    if id_number:
        found = Person.objects.filter(id_number_hash=crypto.keyed_hash(id_number)).first()
        if found:
            return found
    if mobile:
        return Person.objects.filter(mobile=mobile).first()
    return None


def _require_may_register(actor, channel: str, community: Area, work_unit: Unit | None) -> None:
    if actor is None:
        return
    if channel == MemberRegistration.Channel.SELF:
        if not getattr(actor, "is_authenticated", False):
            raise PermissionDenied
    elif channel == MemberRegistration.Channel.UNIT:
        if work_unit is None:
            raise ValidationError({"work_unit": _("Choose the work unit.")})
        _require_liaison_of(actor, work_unit)
    elif channel == MemberRegistration.Channel.COMMUNITY:
        _require_community_staff(actor, community)
    else:
        raise ValidationError({"channel": _("Unknown channel.")})


@transaction.atomic
def member_register(
    *,
    actor,
    channel: str,
    name: str,
    community: Area,
    mobile: str | None = None,
    id_number: str | None = None,
    work_unit: Unit | None = None,
    party_org: PartyOrg | None = None,
    specialities: str = "",
    service_intent: str = "",
    request=None,
) -> tuple[MemberRegistration, bool]:
    """Register an in-service party member with their home community.

    De-duplicated: the person is found by ID number, else by mobile. When that person already has
    a registration waiting or confirmed, it is returned with ``False`` and nothing changes, so the
    page can show the existing registration instead of creating a second one.
    """
    community = _community(community)
    _require_may_register(actor, channel, community, work_unit)
    errors = {}
    if channel == MemberRegistration.Channel.SELF and actor is not None:
        # People register themselves, with the number they log in with; others are registered
        # by their community or their unit.
        own = actor.mobile
        if mobile and normalize_mobile_or_none(mobile) not in (own, None):
            errors["mobile"] = [_("Register with the mobile number of your account.")]
        mobile = mobile or own
    try:
        mobile = normalize_mobile(mobile) if mobile else None
    except ValidationError as error:
        errors["mobile"] = error.messages
    try:
        id_number = normalize_id_number(id_number) if id_number else None
    except ValidationError as error:
        errors.update(error.message_dict)
    if not mobile and not id_number:
        errors.setdefault("mobile", [_("Give a mobile number (or a resident ID number).")])
    if not (name or "").strip():
        errors["name"] = [_("Enter a name.")]
    if (
        party_org is not None
        and work_unit is not None
        and party_org.unit_id not in (None, work_unit.pk)
    ):
        errors["party_org"] = [_("This party organisation belongs to another unit.")]
    if errors:
        raise ValidationError(errors)

    person = _find_person(mobile, id_number)
    if person is not None:
        existing = person.registrations.filter(status__in=ACTIVE).first()
        if existing:
            return existing, False
    own_account = actor if channel == MemberRegistration.Channel.SELF else None
    if person is None:
        person = person_create(
            actor=None,
            name=name,
            mobile=mobile,
            id_number=id_number,
            home_community=community,
            work_unit=work_unit,
            is_party_member=True,
            party_org=party_org,
            skills=specialities,
            consent_scope=_("Dual registration: contact and service records"),
            consent_method=MemberRegistration.Channel(channel).label,
            consent_at=timezone.now(),
        )
    else:
        person_update(
            actor=None,
            person=person,
            home_community=community,
            is_party_member=True,
            **({"work_unit": work_unit} if work_unit else {}),
            **({"party_org": party_org} if party_org else {}),
        )
    if own_account is not None and person.user_id is None:
        person.user = own_account
        person.save(update_fields=["user", "updated_at"])
    try:
        with transaction.atomic():
            registration = MemberRegistration.objects.create(
                person=person,
                community=community,
                grid=community.parent,
                work_unit=work_unit or person.work_unit,
                party_org=party_org or person.party_org,
                specialities=specialities,
                service_intent=service_intent,
                channel=channel,
                submitted_by=actor if getattr(actor, "pk", None) else None,
            )
    except IntegrityError:  # a concurrent registration of the same person won the race
        return person.registrations.get(status__in=ACTIVE), False
    audit_change(
        actor=actor,
        action="create",
        target=registration,
        request=request,
        after={"person": person, "community": community, "channel": channel},
    )
    _tell_community(community, _("%(name)s registered with your community") % {"name": person.name})
    return registration, True


# Deciding, re-confirming, moving, ending ---------------------------------------------------------


def _lock(registration):
    return type(registration).objects.select_for_update().get(pk=registration.pk)


def _tell_registrant(registration, title: str) -> None:
    if isinstance(registration, MemberRegistration):
        user = registration.person.user
        recipients = [user] if user else []
    else:
        unit = registration.party_org.unit if registration.party_org_id else None
        recipients = list(role_holders(role=Role.UNIT_LIAISON, unit=unit)) if unit else []
    for user in recipients:
        notify(recipient=user, title=title, url="", channels=["sms"])


@transaction.atomic
def registration_confirm(*, actor, registration, volunteer_team=None, request=None):
    """Confirm a pending registration. ``volunteer_team`` (member registrations only): a team of
    the registration's community the person joins at once, through ``team_add_member``."""
    registration = _lock(registration)
    _require_community_staff(actor, registration.community)
    if registration.status != Status.PENDING:
        raise ValidationError(
            {"status": _("Only a registration awaiting confirmation can be confirmed.")}
        )
    if volunteer_team is not None and (
        not isinstance(registration, MemberRegistration)
        or volunteer_team.archived_at is not None
        or volunteer_team.community_id != registration.community_id
    ):
        raise ValidationError(
            {"volunteer_team": _("Choose a volunteer team of the registration's community.")}
        )
    if isinstance(registration, OrgRegistration) and registration.party_org_id is None:
        raise ValidationError(
            {"party_org": _("The proposed unit awaits approval by the subdistrict.")}
        )
    now = timezone.now()
    registration.status, registration.decided_by, registration.decided_at = (
        Status.CONFIRMED,
        actor,
        now,
    )
    registration.confirmed_at = registration.confirmed_at or now
    registration.last_confirmed_at = now
    registration.save(
        update_fields=[
            "status",
            "decided_by",
            "decided_at",
            "confirmed_at",
            "last_confirmed_at",
            "updated_at",
        ]
    )
    audit_change(
        actor=actor,
        action="update",
        target=registration,
        request=request,
        before={"status": Status.PENDING},
        after={"status": Status.CONFIRMED},
    )
    if volunteer_team is not None:
        team_add_member(
            actor=actor, team=volunteer_team, person=registration.person, request=request
        )
    _tell_registrant(
        registration,
        _("Your registration with %(community)s was confirmed")
        % {"community": registration.community.name},
    )
    return registration


@transaction.atomic
def registration_reject(*, actor, registration, reason: str, request=None):
    registration = _lock(registration)
    _require_community_staff(actor, registration.community)
    if registration.status != Status.PENDING:
        raise ValidationError(
            {"status": _("Only a registration awaiting confirmation can be rejected.")}
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give a reason for the rejection.")})
    registration.status, registration.reason = Status.REJECTED, reason.strip()
    registration.decided_by, registration.decided_at = actor, timezone.now()
    registration.save(update_fields=["status", "reason", "decided_by", "decided_at", "updated_at"])
    audit_change(
        actor=actor,
        action="update",
        target=registration,
        request=request,
        before={"status": Status.PENDING},
        after={"status": Status.REJECTED, "reason": reason},
    )
    _tell_registrant(
        registration,
        _("Your registration with %(community)s was not accepted: %(reason)s")
        % {"community": registration.community.name, "reason": reason},
    )
    return registration


@transaction.atomic
def registration_reconfirm(*, actor, registration, request=None):
    """The yearly re-confirmation: the registration still holds."""
    registration = _lock(registration)
    _require_community_staff(actor, registration.community)
    if registration.status != Status.CONFIRMED:
        raise ValidationError({"status": _("Only a confirmed registration can be re-confirmed.")})
    registration.last_confirmed_at = timezone.now()
    registration.save(update_fields=["last_confirmed_at", "updated_at"])
    audit_change(
        actor=actor,
        action="update",
        target=registration,
        request=request,
        after={"re-confirmed": registration.last_confirmed_at.date()},
    )
    return registration


def _may_end(actor, registration) -> bool:
    if actor is None or _is_community_staff(actor, registration.community):
        return True
    if isinstance(registration, MemberRegistration):
        return registration.person.user_id == getattr(actor, "pk", None)
    unit = registration.party_org.unit if registration.party_org_id else None
    return unit is not None and unit.pk in scope_of(actor).unit_ids


@transaction.atomic
def registration_end(*, actor, registration, reason: str = "", request=None):
    """Deregister: the registration stays, ended, with its history."""
    registration = _lock(registration)
    if not _may_end(actor, registration):
        raise PermissionDenied
    if registration.status not in ACTIVE:
        raise ValidationError({"status": _("This registration has already ended.")})
    before = registration.status
    registration.status, registration.ended_at = Status.ENDED, timezone.now()
    registration.reason = (reason or "").strip()[:300]
    registration.save(update_fields=["status", "ended_at", "reason", "updated_at"])
    audit_change(
        actor=actor,
        action="update",
        target=registration,
        request=request,
        before={"status": before},
        after={"status": Status.ENDED, "reason": reason},
    )
    return registration


@transaction.atomic
def member_move(
    *, actor, registration: MemberRegistration, community: Area, request=None
) -> MemberRegistration:
    """Moving home: the registration passes to the new community, which confirms it again."""
    registration = _lock(registration)
    if not _may_end(actor, registration):
        raise PermissionDenied
    community = _community(community)
    if registration.status not in ACTIVE:
        raise ValidationError({"status": _("This registration has already ended.")})
    if community == registration.community:
        raise ValidationError({"community": _("This is the community already registered with.")})
    registration.status, registration.ended_at = Status.TRANSFERRED, timezone.now()
    registration.save(update_fields=["status", "ended_at", "updated_at"])
    moved = MemberRegistration.objects.create(
        person=registration.person,
        community=community,
        grid=community.parent,
        work_unit=registration.work_unit,
        party_org=registration.party_org,
        specialities=registration.specialities,
        service_intent=registration.service_intent,
        channel=registration.channel,
        previous=registration,
        submitted_by=actor if getattr(actor, "pk", None) else None,
    )
    person_update(actor=None, person=registration.person, home_community=community)
    audit_change(
        actor=actor,
        action="update",
        target=registration,
        request=request,
        after={"moved to": community},
    )
    _tell_community(
        community, _("%(name)s moved into your community") % {"name": registration.person.name}
    )
    return moved


@transaction.atomic
def agreement_add(
    *,
    actor,
    registration: OrgRegistration,
    title: str,
    signed_on,
    term_start,
    term_end,
    content: str = "",
    request=None,
) -> CoBuildingAgreement:
    registration = _lock(registration)
    _require_community_staff(actor, registration.community)
    if registration.status != Status.CONFIRMED:
        raise ValidationError(
            {"registration": _("Only a confirmed registration carries a co-building agreement.")}
        )
    agreement = CoBuildingAgreement(
        registration=registration,
        title=(title or "").strip(),
        signed_on=signed_on,
        term_start=term_start,
        term_end=term_end,
        content=content,
    )
    agreement.full_clean()
    if term_end and term_start and term_end < term_start:
        raise ValidationError({"term_end": _("The term ends before it starts.")})
    agreement.save()
    audit_change(
        actor=actor,
        action="create",
        target=agreement,
        request=request,
        after={"title": agreement.title, "term_start": term_start, "term_end": term_end},
    )
    return agreement


def reconfirmation_cycle_start(today=None):
    """The most recent yearly re-confirmation date (``FUMIN_RECONFIRM_ON``, MM-DD, Shanghai)."""
    import datetime

    today = today or timezone.localdate()
    month, day = (int(part) for part in settings.REGISTRATION_RECONFIRM_ON.split("-"))
    this_year = datetime.date(today.year, month, day)
    return this_year if this_year <= today else this_year.replace(year=today.year - 1)
