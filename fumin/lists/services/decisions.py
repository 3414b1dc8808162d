"""Decisions on suggestions: accept, decline, or start a project from a need."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fumin.audit.services import audit_change
from fumin.registry.models import Unit

from ..models import (
    Match,
    Need,
    Programme,
    Project,
    Resource,
)
from .needs import (
    move_need,
)
from .projects import (
    project_create,
)
from .rules import (
    clean_text,
    may_edit_need,
    subdistrict_of,
)


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
    match.note = clean_text(note)[:300]
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
        move_need(actor, need, Need.Status.MATCHED, _("Suggestion accepted"), request)
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
    move_need(actor, need, Need.Status.IN_PROJECT, project.name, request)
    return project
