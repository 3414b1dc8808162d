"""Needs: posted by community staff or raised by residents, moved along their statuses with
history."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fumin.audit.services import audit_change
from fumin.core.changes import apply_changes
from fumin.registry.models import Area
from fumin.registry.services import require_editable

from ..models import (
    Category,
    Need,
    NeedEvent,
)
from ..text import terms_of
from .rules import (
    NEED_FIELDS,
    NEED_TRANSITIONS,
    clean_text,
    may_edit_need,
    status_label,
)


def _need_event(need: Need, actor, from_status: str, note: str = "") -> None:
    NeedEvent.objects.create(
        need=need,
        from_status=from_status,
        to_status=need.status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        note=note[:300],
    )


def check_category(category: Category | None, field: str = "category") -> None:
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
    check_category(category)
    _check_community(area)
    need = Need(
        title=clean_text(title),
        description=clean_text(description),
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
        check_category(data["category"])
    for key in ("title", "description"):
        if key in data:
            data[key] = clean_text(data[key])
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
    return move_need(actor, need, status, note, request)


def move_need(actor, need: Need, status: str, note: str, request) -> Need:
    """Move ``need`` (locked by the caller, inside its transaction, rights already checked) to
    ``status`` if the rules allow it, with its history row and audit entry."""
    if status == need.status:
        return need
    if status not in NEED_TRANSITIONS.get(need.status, set()):
        raise ValidationError(
            {
                "status": _("A need that is “%(from)s” cannot become “%(to)s”.")
                % {
                    "from": status_label(Need.Status, need.status),
                    "to": status_label(Need.Status, status),
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
