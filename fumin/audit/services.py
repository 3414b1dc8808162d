"""The one way to write to the audit log."""

from functools import cache
from typing import Any

from django.db import connection, models

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


@cache
def _update_audited_statement(model, update_fields: tuple[str, ...]):
    """The ``WITH updated AS (UPDATE …) INSERT …`` of ``update_audited`` for ``model`` and these
    fields, with the fields whose values fill its parameters: written once per process from the
    models' metadata (as ``fumin.activities.checkin_read`` does), not compiled on every call."""
    q = connection.ops.quote_name
    updated = tuple(model._meta.get_field(name) for name in update_fields)
    inserted = tuple(f for f in AuditEntry._meta.local_concrete_fields if not f.primary_key)
    sql = (  # noqa: S608 (names from the models' metadata, values as parameters)
        "WITH updated AS (UPDATE {table} SET {assignments} WHERE {pk} = %s) "
        "INSERT INTO {log} ({columns}) VALUES ({placeholders}) RETURNING {log_pk}"
    ).format(
        table=q(model._meta.db_table),
        assignments=", ".join(f"{q(f.column)} = %s" for f in updated),
        pk=q(model._meta.pk.column),
        log=q(AuditEntry._meta.db_table),
        columns=", ".join(q(f.column) for f in inserted),
        placeholders=", ".join(["%s"] * len(inserted)),
        log_pk=q(AuditEntry._meta.pk.column),
    )
    return sql, updated, inserted


def update_audited(instance, update_fields: list[str], entry: AuditEntry) -> None:
    """``instance.save(update_fields=...)`` and the entry appended, in the caller's transaction,
    for a row the caller has locked (so the update finds it).

    On PostgreSQL the two go as one statement (the UPDATE in a ``WITH``, which runs whether or
    not the INSERT reads it): the check-in, the busiest write, makes one round trip for both. The
    statement is written once from the models' metadata; each value is prepared by its field as
    ``save`` prepares it (``pre_save``, then ``get_db_prep_save``). The model signals are not sent
    (nothing in Fumin listens to them). A model with a ``save`` of its own (pinyin keys,
    append-only checks) is saved by it, and so is a value that is an expression (``F()``,
    ``Now()``), which only Django's compiler can write; elsewhere too it is the two saves.
    """
    model = type(instance)
    if connection.vendor == "postgresql" and model.save is models.Model.save:
        sql, updated, inserted = _update_audited_statement(model, tuple(update_fields))
        values = [field.pre_save(instance, False) for field in updated]
        if not any(hasattr(value, "resolve_expression") for value in values):
            params = [
                *(f.get_db_prep_save(v, connection) for f, v in zip(updated, values, strict=True)),
                model._meta.pk.get_db_prep_value(instance.pk, connection),
                *(f.get_db_prep_save(f.pre_save(entry, True), connection) for f in inserted),
            ]
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                (entry.pk,) = cursor.fetchone()
            entry._state.adding, entry._state.db = False, connection.alias
            return
    instance.save(update_fields=update_fields)
    entry.save()


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
