"""Helpers every API router shares: references to records, paging, resolving UUIDs in scope."""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Schema


class Ref(Schema):
    """A record named in an answer: its public UUID and its name."""

    id: UUID
    name: str


def ref(obj) -> dict | None:
    return {"id": obj.public_id, "name": obj.name} if obj is not None else None


def page(queryset, filters, mapper) -> dict:
    """One page of ``queryset`` (sliced in SQL) and the total count."""
    rows = queryset[filters.offset : filters.offset + filters.limit]
    return {"count": queryset.count(), "items": [mapper(row) for row in rows]}


def resolve(field: str, public_id: UUID | None, queryset):
    """The visible record with this UUID, or a field error naming ``field``."""
    if public_id is None:
        return None
    found = queryset.filter(public_id=public_id).first()
    if found is None:
        raise ValidationError({field: _("No such record, or it is outside your scope.")})
    return found
