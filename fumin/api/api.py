"""The JSON API: routers that call selectors and services, never the ORM for writes.

Session authentication (with CSRF on unsafe methods) for the browser; every read goes through the
same scoped selectors as the pages.
"""

from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import django_auth

from fumin.accounts.scope import scope_of
from fumin.core.masking import mask_mobile
from fumin.registry.selectors import area_get, area_list

from .activities import router as activities_router
from .common import page
from .council import router as council_router
from .kpis import router as kpis_router
from .lists import router as lists_router
from .registration import router as registration_router
from .registry import router as registry_router
from .schemas import AreaOut, ErrorOut, MeOut

api = NinjaAPI(
    title="Fumin API",
    version="1",
    description="福民 regional party-building platform. Every response is limited to the caller's "
    "scope.",
    auth=django_auth,
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def django_validation_error(request, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": field, "message": " ".join(str(m) for m in messages)}
            for field, messages in exc.message_dict.items()
        ]
    else:
        errors = [{"field": None, "message": " ".join(exc.messages)}]
    return api.create_response(request, {"detail": errors}, status=400)


@api.exception_handler(NinjaValidationError)
def schema_validation_error(request, exc: NinjaValidationError):
    errors = [
        {
            "field": ".".join(str(p) for p in e.get("loc", [])[1:]) or None,
            "message": e.get("msg", ""),
        }
        for e in exc.errors
    ]
    return api.create_response(request, {"detail": errors}, status=422)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(
        request, {"detail": _("You do not have access to this.")}, status=403
    )


@api.exception_handler(AuthenticationError)
def not_authenticated(request, exc):
    return api.create_response(request, {"detail": _("Log in first.")}, status=401)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


api.add_router("/", registry_router)
api.add_router("/", council_router)
api.add_router("/", registration_router)
api.add_router("/", activities_router)
api.add_router("/", lists_router)
api.add_router("/", kpis_router)


@api.get("/me", response=MeOut, tags=["accounts"])
def me(request):
    user = request.user
    scope = scope_of(user)
    assignments = user.role_assignments.filter(revoked_at__isnull=True).select_related(
        "area", "unit"
    )
    return {
        "id": user.public_id,
        "name": user.name,
        "mobile_masked": mask_mobile(user.mobile),
        "roles": [
            {
                "role": a.role,
                "role_label": a.get_role_display(),
                "area": a.area.name if a.area else None,
                "unit": a.unit.name if a.unit else None,
            }
            for a in assignments
        ],
        "capabilities": sorted(scope.capabilities),
    }


class AreaFilter(Schema):
    q: str = ""
    kind: str = ""
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0)


class AreaPage(Schema):
    count: int
    items: list[AreaOut]


def _area_out(area) -> dict:
    return {
        "id": area.public_id,
        "name": area.name,
        "kind": area.kind,
        "parent_id": area.parent.public_id if area.parent else None,
        "path": area.path,
        "depth": area.depth,
    }


@api.get("/areas", response=AreaPage, tags=["registry"])
def areas(request, filters: Query[AreaFilter]):
    found = area_list(viewer=request.user, text=filters.q, kind=filters.kind).order_by("path")
    return page(found, filters, _area_out)


@api.get("/areas/{area_id}", response={200: AreaOut, 404: ErrorOut}, tags=["registry"])
def area(request, area_id: UUID):
    found = area_get(viewer=request.user, public_id=area_id)
    if found is None:
        raise Http404
    return _area_out(found)
