"""One way to change fields of a record: validate, save only what changed, say what changed."""

from typing import Any

from django.db import models


def apply_changes(
    instance: models.Model, data: dict[str, Any], *, exclude_from_clean=()
) -> tuple[dict, dict]:
    """Set ``data`` on ``instance``, validate it, save the changed fields.

    Returns ``(before, after)`` holding only the fields whose values changed, ready for the audit
    log. Raises ``ValidationError`` (naming the field) before anything is written.
    """
    before, after = {}, {}
    for field, value in data.items():
        old = getattr(instance, field)
        if old != value:
            before[field], after[field] = old, value
            setattr(instance, field, value)
    if not after:
        return {}, {}
    instance.full_clean(exclude=list(exclude_from_clean))
    update_fields = list(after)
    if hasattr(instance, "updated_at"):
        update_fields.append("updated_at")
    instance.save(update_fields=update_fields)
    return before, after
