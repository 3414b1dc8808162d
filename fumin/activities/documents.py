"""The volunteer service record (志愿服务记录证明) as a .docx (python-docx).

It lists a person's attended activities with their effective hours. The resident ID number is
only ever the masked one (``Person.id_number_masked``): the document never decrypts it.
"""

import io
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from django.utils import timezone
from django.utils.translation import gettext as _

from fumin.registry.models import Person

from .models import Attendance
from .services import personal_code

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class ServiceRecord:
    person: Person
    issuer: str
    number: str
    issued_on: str
    rows: list[tuple[str, str, str, Decimal]]  # date, activity, community, hours
    total_hours: Decimal


def _hours(value: Decimal) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def service_record(person: Person) -> ServiceRecord:
    attended = (
        Attendance.objects.filter(person=person, status=Attendance.Status.ATTENDED)
        .select_related("activity__community")
        .prefetch_related("corrections")
        .order_by("activity__starts_at", "pk")
    )
    rows = []
    for attendance in attended:
        activity = attendance.activity
        rows.append(
            (
                timezone.localtime(activity.starts_at).strftime("%Y-%m-%d"),
                activity.title,
                activity.community.name,
                attendance.effective_hours,
            )
        )
    if person.home_community_id:
        issuer = person.home_community.name
    elif rows:
        issuer = rows[-1][2]  # the community of the latest service
    else:
        issuer = ""
    today = timezone.localdate()
    return ServiceRecord(
        person=person,
        issuer=issuer,
        number=f"FM-VS-{today:%Y%m%d}-{personal_code(person=person)}",
        issued_on=today.strftime("%Y-%m-%d"),
        rows=rows,
        total_hours=sum((row[3] for row in rows), Decimal(0)),
    )


def service_record_file_name(person: Person, *, quoted: bool = False) -> str:
    name = f"{_('Volunteer service record')}-{person.name}.docx"
    return quote(name) if quoted else name


def service_record_docx(person: Person) -> io.BytesIO:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    record = service_record(person)
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "SimSun"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "SimSun")
    heading = document.add_heading(_("Volunteer service record"), level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number = document.add_paragraph(_("Record number: %(number)s") % {"number": record.number})
    number.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    facts = document.add_table(rows=0, cols=2)
    facts.style = "Table Grid"
    for label, value in (
        (_("Name"), person.name),
        (_("Resident ID number"), person.id_number_masked or "—"),
        (_("Total service hours"), _hours(record.total_hours)),
        (_("Activities attended"), str(len(record.rows))),
    ):
        cells = facts.add_row().cells
        cells[0].text, cells[1].text = label, value

    document.add_heading(_("Service content"), level=1)
    if record.rows:
        grid = document.add_table(rows=1, cols=4)
        grid.style = "Table Grid"
        columns = (_("Date"), _("Activity"), _("Residential community"), _("Hours"))
        for cell, column in zip(grid.rows[0].cells, columns, strict=True):
            cell.text = column
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for date, title, community, hours in record.rows:
            cells = grid.add_row().cells
            cells[0].text, cells[1].text, cells[2].text = date, title, community
            cells[3].text = _hours(hours)
    else:
        document.add_paragraph(_("No service recorded yet."))

    document.add_paragraph(
        _(
            "This is to certify that the above person took part in the volunteer service listed, "
            "with the hours recorded by check-in and check-out."
        )
    )
    for text in (
        _("Issued by: %(issuer)s") % {"issuer": record.issuer or "—"},
        _("Date: %(date)s") % {"date": record.issued_on},
    ):
        closing = document.add_paragraph(text)
        closing.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    output = io.BytesIO()
    document.save(output)
    output.seek(0)
    return output
