"""The one way to write to the audit log."""

from typing import Any

from django.db import connection, models
from django.db.models import Q
from django.db.models.sql import InsertQuery, UpdateQuery

from .models import AuditEntry


def _client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _scope_path(target, actor) -> str:
    """The area path an entry belongs to: the target's area, else the actor's first scope."""
    for candidate in (target, getattr(target, "area", None)):
        path = getattr(candidate, "path", None)
        if isinstance(path, str) and path:
            return path
    if actor is not None and getattr(actor, "pk", None):
        from fumin.accounts.scope import scope_of

        scope = scope_of(actor)
        if scope.area_paths:
            return scope.area_paths[0]
        assignment = actor.role_assignments.filter(area__isnull=False).select_related("area")
        first = assignment.first()
        if first:
            return first.area.path
    return ""


def _jsonable(values: dict[str, Any] | None) -> dict[str, Any]:
    """Plain JSON values for the log; absent (None) values are left out so entries stay short."""
    return {
        key: value if isinstance(value, (int, float, bool)) else str(value)
        for key, value in (values or {}).items()
        if value is not None
    }


def audit_entry(
    *,
    actor,
    action: str,
    target=None,
    before: dict | None = None,
    after: dict | None = None,
    request=None,
    note: str = "",
    scope_path: str | None = None,
) -> AuditEntry:
    """The entry ``audit_record`` appends, built but not saved (``update_audited`` saves it)."""
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    changes = {}
    if before:
        changes["before"] = _jsonable(before)
    if after:
        changes["after"] = _jsonable(after)
    return AuditEntry(
        actor=actor_user,
        actor_name=str(actor_user) if actor_user else "",
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:300] if target is not None else "",
        changes=changes,
        scope_path=scope_path if scope_path is not None else _scope_path(target, actor_user),
        ip_address=_client_ip(request),
        note=note[:500],
    )


def audit_record(**entry) -> AuditEntry:
    """Append one entry (``audit_entry``'s arguments). ``before``/``after`` hold the changed
    fields' old and new values."""
    found = audit_entry(**entry)
    found.save()
    return found


def update_audited(instance, update_fields: list[str], entry: AuditEntry) -> None:
    """``instance.save(update_fields=...)`` and the entry appended, in the caller's transaction,
    for a row the caller has locked (so the update finds it).

    On PostgreSQL the two go as one statement (the UPDATE in a ``WITH``, which runs whether or
    not the INSERT reads it): the check-in, the busiest write, makes one round trip for both.
    Both statements are compiled by Django from the models, as ``save`` would; the model signals
    are not sent (nothing in Fumin listens to them). A model with a ``save`` of its own (pinyin
    keys, append-only checks) is saved by it, and elsewhere too it is the two saves.
    """
    if connection.vendor != "postgresql" or type(instance).save is not models.Model.save:
        instance.save(update_fields=update_fields)
        entry.save()
        return
    model, alias = type(instance), connection.alias
    update = UpdateQuery(model)
    update.add_update_fields(
        [
            (field, None, field.pre_save(instance, False))
            for field in (model._meta.get_field(name) for name in update_fields)
        ]
    )
    update.add_q(Q(pk=instance.pk))
    update_sql, update_params = update.get_compiler(alias).as_sql()
    insert = InsertQuery(AuditEntry)
    insert.insert_values(
        [f for f in AuditEntry._meta.local_concrete_fields if not f.primary_key], [entry]
    )
    compiler = insert.get_compiler(alias)
    compiler.returning_fields = [AuditEntry._meta.pk]
    ((insert_sql, insert_params),) = compiler.as_sql()
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH updated AS ({update_sql}) {insert_sql}", (*update_params, *insert_params)
        )
        (entry.pk,) = cursor.fetchone()
    entry._state.adding, entry._state.db = False, alias


def audit_change(*, actor, action: str, target, before=None, after=None, request=None, note=""):
    return audit_record(
        actor=actor,
        action=action,
        target=target,
        before=before,
        after=after,
        request=request,
        note=note,
    )


def audit_unmasked_view(*, actor, target, fields: list[str], request=None) -> AuditEntry:
    """Every time personal data is shown in full, say who saw which fields of whom."""
    return audit_record(
        actor=actor,
        action=AuditEntry.Action.VIEW_UNMASKED,
        target=target,
        request=request,
        note=", ".join(fields),
    )
