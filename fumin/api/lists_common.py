"""What the endpoints of the three lists share: references, paging filters, field-name mapping."""

import datetime
from contextlib import contextmanager
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Schema

from fumin.lists.models import Category
from fumin.registry.models import Area
from fumin.registry.selectors import area_list


class CategoryRef(Schema):
    code: str
    name: str = Field(..., description="In the request's language.")


class NeedRef(Schema):
    id: UUID
    title: str


class ResourceRef(Schema):
    id: UUID
    title: str


class ReasonOut(Schema):
    kind: str = Field(..., description="category | text | area | availability | engagement")
    label: str
    weight: float


class EventOut(Schema):
    """One status change of a need or a project."""

    from_status: str
    to_status: str
    note: str
    actor: str | None = Field(None, description="The name of who made the change.")
    at: datetime.datetime


def event_out(event) -> dict:
    return {
        "from_status": event.from_status,
        "to_status": event.to_status,
        "note": event.note,
        "actor": event.actor.name if event.actor_id else None,
        "at": event.at,
    }


class PageFilter(Schema):
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


def category_ref(category: Category) -> dict:
    return {"code": category.code, "name": category.label(get_language() or "zh-hans")}


def titled_ref(obj) -> dict | None:
    return {"id": obj.public_id, "title": obj.title} if obj is not None else None


def reasons_out(reasons) -> list[dict]:
    return [{"kind": r.kind, "label": str(r.label), "weight": r.weight} for r in reasons]


def resolve_category(code: str | None, field: str = "category") -> Category | None:
    """The active category with this code, or a field error naming ``field``."""
    if code is None:
        return None
    found = Category.objects.filter(code=code, active=True).first()
    if found is None:
        raise ValidationError({field: _("No such category.")})
    return found


def require_values(fields: dict, *names: str) -> None:
    """A PATCH may leave a field out, but may not empty a required one."""
    for name in names:
        if name in fields and fields[name] is None:
            raise ValidationError({name: _("This field cannot be empty.")})


def home_subdistrict(viewer) -> Area:
    """The (first) subdistrict in the viewer's scope: where their sectors and ceremonies belong.
    A viewer without one may not manage the subdistrict's scheme."""
    found = area_list(viewer=viewer, kind=Area.Kind.SUBDISTRICT).order_by("path").first()
    if found is None:
        raise PermissionDenied
    return found


@contextmanager
def api_fields(**names: str):
    """Name the API's fields in the services' errors: ``api_fields(area="community_id")`` turns
    an error on ``area`` into one on ``community_id``."""
    try:
        yield
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and set(exc.error_dict) & set(names):
            renamed = {names.get(key, key): value for key, value in exc.error_dict.items()}
            raise ValidationError(renamed) from exc
        raise
