"""Claims of projects by units, one by one or many at a ceremony."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fumin.accounts.scope import scope_of
from fumin.audit.services import audit_change
from fumin.core.errors import labelled
from fumin.registry.models import Area, Unit

from ..models import (
    Claim,
    ClaimCeremony,
    Project,
)
from .projects import (
    move_project,
)
from .rules import (
    CLAIMABLE,
    clean_text,
    may_edit_project,
    require_project_manager,
)


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
        plan=clean_text(plan),
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
        move_project(actor, project, Project.Status.CLAIMED, unit.name, request)
    return claim


@transaction.atomic
def claim_withdraw(*, actor, claim: Claim, reason: str, request=None) -> Claim:
    if not may_record_claim(actor, claim.project, claim.unit):
        raise PermissionDenied
    if not clean_text(reason):
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
        title=clean_text(title), held_on=held_on, area=area, place=clean_text(place)
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
