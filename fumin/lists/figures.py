"""The figures of the three lists, counted over records (DESIGN.md, "KPIs of the article").

Every function answers for one project year (``Project.year``: the yearly cycle a project belongs
to, not the day it was created or claimed) and, when ``area`` is given, for the projects owned by
that area or by an area under it (a subdistrict counts its grids' and communities' projects).

What never counts: drafts (a project not yet published was never launched) and archived projects
(archiving is how a project entered by mistake is taken out; the record stays readable). Anything
published or later — published, claimed, in progress, completed, evaluated — counts.
"""

from django.db.models import QuerySet

from fumin.kpis.definitions import KPIS
from fumin.kpis.periods import Period
from fumin.registry.models import Area

from .models import Claim, Project


def projects_of_year(year: int, area: Area | None = None) -> QuerySet[Project]:
    """The projects of ``year`` that count: not drafts, not archived, in ``area`` if given."""
    projects = Project.objects.filter(year=year, archived_at__isnull=True).exclude(
        status=Project.Status.DRAFT
    )
    if area is not None:
        projects = projects.filter(owner_area__path__startswith=area.path)
    return projects


def community_small_projects(year: int, area: Area | None = None) -> int:
    """福民小项目: projects of community level (``Project.Level.COMMUNITY``) of ``year``, counted
    by the KPI's one definition. The article's 2020 figure: 43."""
    return KPIS["community_small_projects"].value(Period.year(year), area)


def volunteer_projects_claimed(year: int, area: Area | None = None) -> int:
    """认领公益志愿项目 by the projects' cycle year: distinct projects of kind public-welfare
    (``Project.Kind.PUBLIC_WELFARE``) of ``year``, of any level, with at least one active claim (a
    withdrawn claim does not count; a project claimed by three units counts once). The article's
    2020 figure: 57. The dashboard's KPI (``fumin.kpis``) counts the same projects by the date of
    their claims instead, so that a period can be any span of days."""
    claimed = Claim.objects.filter(status=Claim.Status.ACTIVE).values("project_id")
    return (
        projects_of_year(year, area)
        .filter(kind=Project.Kind.PUBLIC_WELFARE, pk__in=claimed)
        .count()
    )


def sectors_and_programmes_with_projects(year: int, area: Area | None = None) -> tuple[int, int]:
    """板块 / 大项: (sectors, programmes) with at least one project of ``year`` that counts,
    by the KPIs' definitions. Projects without a programme count for neither. The article's 2020
    figures: 6 / 20."""
    period = Period.year(year)
    return KPIS["sectors"].value(period, area), KPIS["programmes"].value(period, area)
