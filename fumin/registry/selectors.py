"""Reads of the registry, limited to the viewer's scope."""

from django.db.models import Count, Q, QuerySet

from fumin.accounts.scope import Capability, scope_of
from fumin.core.search import search_by_name

from .models import Area, Unit


def area_list(*, viewer, text: str = "", kind: str = "") -> QuerySet[Area]:
    scope = scope_of(viewer)
    if not scope.can(Capability.VIEW_AREAS):
        return Area.objects.none()
    areas = scope.filter_areas(Area.objects.filter(archived_at__isnull=True))
    if kind:
        areas = areas.filter(kind=kind)
    return search_by_name(areas, text).select_related("parent")


def area_tree(*, viewer) -> list[Area]:
    """The viewer's areas in tree order (by path), each with its unit count, in one query."""
    return list(area_list(viewer=viewer).annotate(unit_count=Count("units")).order_by("path"))


def area_get(*, viewer, public_id) -> Area | None:
    return area_list(viewer=viewer).filter(public_id=public_id).first()


def unit_list(*, viewer, text: str = "", area: Area | None = None) -> QuerySet[Unit]:
    scope = scope_of(viewer)
    if not scope.can(Capability.CONSOLE):
        return Unit.objects.none()
    units = Unit.objects.filter(archived_at__isnull=True).filter(
        scope.area_condition("area__path") | Q(pk__in=list(scope.unit_ids))
    )
    if area is not None:
        units = units.filter(area__path__startswith=area.path)
    return search_by_name(units, text).select_related("area")
