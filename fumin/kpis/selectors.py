"""KPIs as a viewer may see them: limited to the areas of the viewer's scope.

Staff who see areas (``VIEW_AREAS``: subdistrict staff, grid coordinators, community secretaries)
see the KPIs of their areas and may narrow them to any area inside; nobody else sees KPIs here
(the drill-down lists name people). ``area=None`` means the whole of the viewer's scope.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from fumin.accounts.scope import Capability, scope_of
from fumin.core.pinyin import pinyin_key
from fumin.registry.models import Area

from . import tallies
from .definitions import KPIS, Kpi, measure_together
from .periods import Period


@dataclass(frozen=True)
class KpiFigure:
    kpi: Kpi
    value: int


def may_view_kpis(viewer) -> bool:
    return scope_of(viewer).can(Capability.VIEW_AREAS)


def _require(viewer, area: Area | None) -> None:
    scope = scope_of(viewer)
    if not scope.can(Capability.VIEW_AREAS):
        raise PermissionDenied
    if area is not None and not scope.contains_area(area):
        raise PermissionDenied


def _scoped(viewer, kpi: Kpi, period: Period, area: Area | None, *, tallied=False) -> QuerySet:
    _require(viewer, area)
    facts = kpi.scoped_facts(period, area, tallied=tallied)
    if area is None:
        facts = facts.filter(scope_of(viewer).area_condition(kpi.area_path))
    return facts


def _figure_queries(viewer, kpi: Kpi, period: Period, area: Area | None) -> list[QuerySet]:
    """One-row queries adding up to the KPI's value: from the tallies where the KPI has them,
    else the aggregate over its facts."""
    if kpi.tally is None:
        tallied = kpi.tallied_facts is not None
        return [kpi._measure_query(_scoped(viewer, kpi, period, area, tallied=tallied))]
    _require(viewer, area)
    if area is not None:
        areas = Q(area=area)
    else:  # the scope's outermost areas: their tallies hold everything beneath them
        areas = Q(area__path__in=scope_of(viewer).area_paths)
    return tallies.sum_queries(kpi.tally.column, Q(**kpi.tally.key), period, areas)


def kpi_areas(*, viewer) -> QuerySet[Area]:
    """The areas the viewer may narrow KPIs to (their scope's areas down to communities)."""
    scope = scope_of(viewer)
    if not scope.can(Capability.VIEW_AREAS):
        return Area.objects.none()
    return scope.filter_areas(Area.objects.filter(archived_at__isnull=True)).exclude(
        kind=Area.Kind.DISTRICT
    )


def kpi_figures(*, viewer, period: Period, area: Area | None = None) -> list[KpiFigure]:
    """Every KPI's value for the period in the viewer's scope (or ``area`` inside it), all in one
    query (docs/scale.md)."""
    kpis = list(KPIS.values())
    tallies.compact_if_many()
    values = measure_together([_figure_queries(viewer, kpi, period, area) for kpi in kpis])
    return [KpiFigure(kpi, value) for kpi, value in zip(kpis, values, strict=True)]


def kpi_value(*, viewer, kpi: Kpi, period: Period, area: Area | None = None) -> int:
    return measure_together([_figure_queries(viewer, kpi, period, area)])[0]


def kpi_breakdown(
    *, viewer, kpi: Kpi, by: str, period: Period, area: Area | None = None
) -> list[dict]:
    """The KPI split by ``by``; names in pinyin order, months in date order."""
    rows = kpi.breakdown_of(_scoped(viewer, kpi, period, area), by)
    if by != "month":
        rows.sort(key=lambda row: (row["label"] == "", pinyin_key(row["label"]), row["key"]))
    return rows


def kpi_records(
    *, viewer, kpi: Kpi, period: Period, area: Area | None = None, by: str = "", key: str = ""
) -> QuerySet:
    """The records behind the number (the drill-down list)."""
    facts = _scoped(viewer, kpi, period, area)
    return kpi.records_of(kpi.narrow(facts, by, key) if by else facts)
