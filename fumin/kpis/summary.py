"""The annual work summary (年度区域化党建工作总结) as an editable .docx: the first draft of the
year-end report, structured like the article, with every figure filled in from the KPIs.

Each figure comes from ``fumin.kpis.selectors`` for the viewer's scope (or an area inside it), so
the document says what the dashboard says. The prose is a draft: staff are meant to edit it.
It holds no personal data: only counts, and the names of communities, units and projects.
"""

import io
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fumin.core.pinyin import pinyin_key
from fumin.lists.models import Claim, Project
from fumin.registry.models import Area

from .definitions import KPIS
from .periods import Period
from .selectors import kpi_breakdown, kpi_figures, kpi_records

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Long lists are cut in the draft (the dashboard and its exports have them all).
LIST_LIMIT = 30


@dataclass
class Summary:
    title: str
    area_name: str
    period: Period
    figures: dict[str, int]
    registrations_by_community: list[tuple[str, int, int]]  # community, organisations, members
    pairing_by_month: list[tuple[str, int]]
    claims: list[tuple[str, str, str, str]]  # project, unit, mode, plan
    volunteering_by_community: list[tuple[str, int, int]]  # community, person-times, beneficiaries
    small_projects: list[tuple[str, str, str]]  # community, project, status
    sectors: list[tuple[str, list[tuple[str, int]]]]  # sector, [(programme, projects)]
    units: list[str]
    next_year_adjusted: list[tuple[str, str]]  # project, what was adjusted
    generated_at: str


def _rows(viewer, code, by, period, area) -> dict[str, int]:
    return {
        row["label"]: row["value"]
        for row in kpi_breakdown(viewer=viewer, kpi=KPIS[code], by=by, period=period, area=area)
    }


def _area_name(viewer, area: Area | None) -> str:
    if area is not None:
        return area.name
    from fumin.accounts.scope import scope_of

    roots = Area.objects.filter(path__in=scope_of(viewer).area_paths).order_by("path")
    return "、".join(a.name for a in roots)


def annual_summary(*, viewer, year: int, area: Area | None = None) -> Summary:
    period = Period.year(year)
    figures = {f.kpi.code: f.value for f in kpi_figures(viewer=viewer, period=period, area=area)}
    organisations = _rows(viewer, "organisations_registered", "community", period, area)
    members = _rows(viewer, "members_registered", "community", period, area)
    communities = sorted(set(organisations) | set(members), key=pinyin_key)
    person_times = _rows(viewer, "volunteer_person_times", "community", period, area)
    served = _rows(viewer, "beneficiary_person_times", "community", period, area)
    volunteering = sorted(set(person_times) | set(served), key=pinyin_key)

    claimed = kpi_records(
        viewer=viewer, kpi=KPIS["volunteer_projects_claimed"], period=period, area=area
    )
    claims = (
        Claim.objects.filter(project__in=claimed, status=Claim.Status.ACTIVE)
        .filter(claimed_on__gte=period.start, claimed_on__lte=period.end)
        .select_related("project", "unit")
        .order_by("project__name_pinyin", "unit__name_pinyin")
    )
    small = kpi_records(
        viewer=viewer, kpi=KPIS["community_small_projects"], period=period, area=area
    ).select_related("owner_area")
    in_programmes = kpi_records(viewer=viewer, kpi=KPIS["programmes"], period=period, area=area)
    per_programme = (
        in_programmes.select_related("sector")
        .annotate(
            project_count=Count(
                "projects",
                filter=Q(projects__year=year, projects__archived_at__isnull=True)
                & ~Q(projects__status=Project.Status.DRAFT),
            )
        )
        .order_by("sector__position", "sector__pk", "position", "pk")
    )
    sectors: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for programme in per_programme:
        sectors[programme.sector.name].append((programme.name, programme.project_count))
    units = kpi_records(viewer=viewer, kpi=KPIS["participating_units"], period=period, area=area)
    next_year = kpi_records(
        viewer=viewer, kpi=KPIS["community_small_projects"], period=Period.year(year + 1), area=area
    )
    adjusted = (
        Project.objects.filter(year=year + 1, adjusted=True, archived_at__isnull=True)
        .filter(Q(pk__in=next_year) | Q(level=Project.Level.SUBDISTRICT))
        .exclude(status=Project.Status.DRAFT)
    )
    if area is not None:
        adjusted = adjusted.filter(owner_area__path__startswith=area.path)
    else:
        from fumin.accounts.scope import scope_of

        adjusted = adjusted.filter(scope_of(viewer).area_condition("owner_area__path"))
    area_name = _area_name(viewer, area)
    return Summary(
        title=_("%(area)s: regional party-building work summary %(year)s")
        % {"area": area_name, "year": year},
        area_name=area_name,
        period=period,
        figures=figures,
        registrations_by_community=[
            (name, organisations.get(name, 0), members.get(name, 0)) for name in communities
        ],
        pairing_by_month=[
            (row["label"], row["value"])
            for row in kpi_breakdown(
                viewer=viewer, kpi=KPIS["pairing_activities"], by="month", period=period, area=area
            )
        ],
        claims=[
            (c.project.name, c.unit.name, c.get_mode_display(), c.plan) for c in claims[:LIST_LIMIT]
        ],
        volunteering_by_community=[
            (name, person_times.get(name, 0), served.get(name, 0)) for name in volunteering
        ],
        small_projects=[
            (p.owner_area.name, p.name, p.get_status_display())
            for p in small.order_by("owner_area__path", "name_pinyin")[:LIST_LIMIT]
        ],
        sectors=list(sectors.items()),
        units=list(units.order_by("name_pinyin").values_list("name", flat=True)[: LIST_LIMIT * 5]),
        next_year_adjusted=[
            (p.name, p.adjustment_note) for p in adjusted.order_by("name_pinyin")[:LIST_LIMIT]
        ],
        generated_at=timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    )


def summary_file_name(summary: Summary) -> str:
    return f"{summary.title}.docx"


def summary_docx(summary: Summary) -> io.BytesIO:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    f = summary.figures
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "SimSun"
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")
    title = document.add_heading(summary.title, level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    note = document.add_paragraph(
        _(
            "Draft generated from the platform's records on %(when)s for %(start)s to %(end)s. "
            "Every figure below is counted by the platform's KPI definitions; edit the text freely."
        )
        % {"when": summary.generated_at, "start": summary.period.start, "end": summary.period.end}
    )
    note.runs[0].italic = True

    document.add_paragraph(
        _(
            "In %(year)s, through the regional party-building joint meeting platform, "
            "%(area)s brought together the resources of the region. %(organisations)s unit and "
            "“two new” party organisations and %(members)s in-service party members registered "
            "with the residential communities where they live; they held %(pairing)s pairing "
            "activities and claimed %(claimed)s public-welfare volunteer projects; volunteers "
            "served %(volunteers)s person-times, benefiting %(beneficiaries)s person-times. The "
            "communities ran %(small)s Fumin small projects; the Fumin projects spanned "
            "%(sectors)s sectors and %(programmes)s programmes, with %(units)s units taking part "
            "and %(reached)s person-times of participation."
        )
        % {
            "year": summary.period.start.year,
            "area": summary.area_name,
            "organisations": f["organisations_registered"],
            "members": f["members_registered"],
            "pairing": f["pairing_activities"],
            "claimed": f["volunteer_projects_claimed"],
            "volunteers": f["volunteer_person_times"],
            "beneficiaries": f["beneficiary_person_times"],
            "small": f["community_small_projects"],
            "sectors": f["sectors"],
            "programmes": f["programmes"],
            "units": f["participating_units"],
            "reached": f["people_reached"],
        }
    )

    def table(headers, rows):
        grid = document.add_table(rows=1, cols=len(headers))
        grid.style = "Table Grid"
        for cell, header in zip(grid.rows[0].cells, headers, strict=True):
            cell.text = str(header)
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for values in rows:
            for cell, value in zip(grid.add_row().cells, values, strict=True):
                cell.text = str(value)

    def section(heading, text):
        document.add_heading(heading, level=1)
        document.add_paragraph(text)

    section(
        _("1. Dual registration and dual reporting"),
        _(
            "%(organisations)s party organisations and %(members)s in-service party members "
            "registered with their residential communities."
        )
        % {"organisations": f["organisations_registered"], "members": f["members_registered"]},
    )
    if summary.registrations_by_community:
        table(
            (_("Residential community"), _("Organisations"), _("Members")),
            summary.registrations_by_community,
        )

    section(
        _("2. Pairing activities"),
        _("%(pairing)s pairing activities were held.") % {"pairing": f["pairing_activities"]},
    )
    if summary.pairing_by_month:
        table((_("Month"), _("Pairing activities")), summary.pairing_by_month)

    section(
        _("3. Projects claimed"),
        _("Units claimed %(claimed)s public-welfare volunteer projects.")
        % {"claimed": f["volunteer_projects_claimed"]},
    )
    if summary.claims:
        table((_("Project"), _("Unit"), _("Participation mode"), _("Plan")), summary.claims)

    section(
        _("4. Volunteer service and beneficiaries"),
        _(
            "Volunteers served %(volunteers)s person-times; "
            "%(beneficiaries)s person-times benefited."
        )
        % {
            "volunteers": f["volunteer_person_times"],
            "beneficiaries": f["beneficiary_person_times"],
        },
    )
    if summary.volunteering_by_community:
        table(
            (
                _("Residential community"),
                _("Volunteer person-times"),
                _("Beneficiary person-times"),
            ),
            summary.volunteering_by_community,
        )

    section(
        _("5. Community small projects"),
        _("The residential communities ran %(small)s Fumin small projects, among them:")
        % {"small": f["community_small_projects"]},
    )
    if summary.small_projects:
        table((_("Residential community"), _("Project"), _("Status")), summary.small_projects)

    section(
        _("6. Fumin projects by sector and programme"),
        _("The Fumin projects spanned %(sectors)s sectors and %(programmes)s programmes.")
        % {"sectors": f["sectors"], "programmes": f["programmes"]},
    )
    for sector, programmes in summary.sectors:
        document.add_heading(sector, level=2)
        table((_("Programme"), _("Projects")), programmes)

    section(
        _("7. Participating units"),
        _(
            "%(units)s units took part; Fumin projects reached %(reached)s person-times of "
            "party members and residents."
        )
        % {"units": f["participating_units"], "reached": f["people_reached"]},
    )
    if summary.units:
        document.add_paragraph("、".join(summary.units))

    if summary.next_year_adjusted:
        section(
            _("8. Next year"),
            _("%(count)s projects were newly adjusted for %(year)s:")
            % {"count": len(summary.next_year_adjusted), "year": summary.period.start.year + 1},
        )
        table((_("Project"), _("What was adjusted")), summary.next_year_adjusted)

    output = io.BytesIO()
    document.save(output)
    output.seek(0)
    return output
