"""A service report as a document: one layout (``report_layout``) shared by the report page, the
.docx (python-docx) and the .xlsx (openpyxl), so the three always say the same thing.

Everything comes from the report's ``content``, where personal data is already masked: no
document can carry a full mobile or ID number.
"""

import io
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from .periods import SHANGHAI
from .report_models import ServiceReport

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Table:
    heading: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    empty: str = ""


@dataclass
class Layout:
    title: str
    facts: list[tuple[str, str]]
    tables: list[Table]
    totals: list[tuple[str, object]]
    generated: str


def _hours(value) -> str:
    return f"{float(value or 0):.2f}".rstrip("0").rstrip(".") if value else "0"


def report_layout(report: ServiceReport) -> Layout:
    content = report.content or {}
    totals = content.get("totals", {})
    communities = Table(
        _("Service by community"),
        [_("Residential community"), _("Activities"), _("Person-times"), _("Hours")],
        [
            [c["community"], c["activities"], c["person_times"], _hours(c["hours"])]
            for c in content.get("communities", [])
        ],
        _("No service recorded in this period."),
    )
    if report.kind == ServiceReport.Kind.MEMBER:
        person = content.get("person", {})
        title = _("Community service report of an in-service party member (dual reporting)")
        facts = [
            (_("Name"), person.get("name", "")),
            (_("Mobile number"), person.get("mobile", "") or "—"),
            (_("Resident ID number"), person.get("id_number", "") or "—"),
            (_("Work unit"), content.get("work_unit", "") or "—"),
            (_("Own party organisation"), content.get("party_org", "") or "—"),
            (
                _("Registered with"),
                "、".join(r["community"] for r in content.get("registrations", [])) or "—",
            ),
        ]
        records = Table(
            _("Service records"),
            [_("Date"), _("Residential community"), _("Activity"), _("Hours")],
            [
                [r["date"], c["community"], r["activity"], _hours(r["hours"])]
                for c in content.get("communities", [])
                for r in c.get("records", [])
            ],
            _("No service recorded in this period."),
        )
        records.rows.sort(key=lambda row: (row[0], row[1], row[2]))
        tables = [communities, records]
        total_rows = []
    else:
        unit = content.get("unit", {})
        title = _("Community service report of a unit's party organisation (dual reporting)")
        facts = [
            (_("Unit"), unit.get("name", "")),
            (_("Party organisation"), "、".join(content.get("party_orgs", [])) or "—"),
            (
                _("Organisation registered with"),
                "、".join(
                    dict.fromkeys(r["community"] for r in content.get("org_registrations", []))
                )
                or "—",
            ),
        ]
        members = Table(
            _("Registered members' service across communities"),
            [
                _("Name"),
                _("Mobile number"),
                _("Registered with"),
                _("Activities"),
                _("Person-times"),
                _("Hours"),
            ],
            [
                [
                    m["name"],
                    m["mobile"] or "—",
                    m["registered_with"],
                    m["activities"],
                    m["person_times"],
                    _hours(m["hours"]),
                ]
                for m in content.get("members", [])
            ],
            _("No members of this unit were registered in this period."),
        )
        tables = [communities, members]
        total_rows = [
            (_("Registered members"), totals.get("members", 0)),
            (_("Members who served"), totals.get("members_served", 0)),
        ]
    facts.append(
        (_("Period"), f"{report.period.label}（{report.period_start} – {report.period_end}）")
    )
    total_rows += [
        (_("Activities"), totals.get("activities", 0)),
        (_("Person-times"), totals.get("person_times", 0)),
        (_("Service hours"), _hours(totals.get("hours", 0))),
    ]
    generated = _("Generated on %(date)s") % {
        "date": timezone.localtime(report.generated_at, SHANGHAI).strftime("%Y-%m-%d %H:%M")
    }
    return Layout(title, facts, tables, total_rows, generated)


def file_name(report: ServiceReport, extension: str) -> str:
    return f"{_('Service report')}-{report.subject_name}-{report.period.code}.{extension}"


def report_docx(report: ServiceReport) -> io.BytesIO:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    layout = report_layout(report)
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "SimSun"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")  # CJK text in a CJK font
    heading = document.add_heading(layout.title, level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER

    facts = document.add_table(rows=0, cols=2)
    facts.style = "Table Grid"
    for label, value in layout.facts:
        cells = facts.add_row().cells
        cells[0].text, cells[1].text = label, str(value)

    for table in layout.tables:
        document.add_heading(table.heading, level=1)
        if not table.rows:
            document.add_paragraph(table.empty)
            continue
        grid = document.add_table(rows=1, cols=len(table.columns))
        grid.style = "Table Grid"
        for cell, column in zip(grid.rows[0].cells, table.columns, strict=True):
            cell.text = column
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in table.rows:
            for cell, value in zip(grid.add_row().cells, row, strict=True):
                cell.text = str(value)

    document.add_heading(_("Totals"), level=1)
    totals = document.add_table(rows=0, cols=2)
    totals.style = "Table Grid"
    for label, value in layout.totals:
        cells = totals.add_row().cells
        cells[0].text, cells[1].text = label, str(value)
    closing = document.add_paragraph(layout.generated)
    closing.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    output = io.BytesIO()
    document.save(output)
    output.seek(0)
    return output


def report_xlsx(report: ServiceReport) -> io.BytesIO:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    layout = report_layout(report)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Service report")[:31]
    bold = Font(bold=True)
    sheet.append([layout.title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    for label, value in layout.facts:
        sheet.append([label, value])
    for table in layout.tables:
        sheet.append([])
        sheet.append([table.heading])
        sheet.cell(row=sheet.max_row, column=1).font = bold
        if not table.rows:
            sheet.append([table.empty])
            continue
        sheet.append(table.columns)
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for row in table.rows:
            sheet.append([_number(value) for value in row])
    sheet.append([])
    sheet.append([_("Totals")])
    sheet.cell(row=sheet.max_row, column=1).font = bold
    for label, value in layout.totals:
        sheet.append([label, _number(value)])
    sheet.append([])
    sheet.append([layout.generated])
    for letter, width in zip("ABCDEF", (22, 22, 28, 14, 14, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    output = io.BytesIO()
    workbook.save(output)
    output.seek(0)
    return output


def _number(value):
    """Hours and counts as numbers in the spreadsheet, so they can be summed there."""
    if isinstance(value, str):
        try:
            return float(value) if "." in value else int(value)
        except ValueError:
            return value
    return value
