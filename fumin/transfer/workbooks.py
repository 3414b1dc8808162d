"""Writing workbooks: the blank template of each kind, and exports.

Exports use openpyxl's write-only mode, which streams rows to a temporary file instead of
building the sheet in memory.
"""

import tempfile
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .columns import Spec

HEADER_FILL = PatternFill("solid", fgColor="FBEEEE")
REQUIRED_FONT = Font(bold=True, color="B8312F")
HEADER_FONT = Font(bold=True)
TEMPLATE_ROWS = 5000  # rows the dropdowns and text formats cover in the template


def template_workbook(spec: Spec):
    """A workbook with the headers, one example row, dropdowns and a 说明 (notes) sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = spec.title
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        header = sheet.cell(row=1, column=index, value=column.header)
        header.font = REQUIRED_FONT if column.required else HEADER_FONT
        header.fill = HEADER_FILL
        example = sheet.cell(row=2, column=index, value=column.example or None)
        sheet.column_dimensions[letter].width = column.width
        if column.as_text:
            # Text, so Excel keeps leading zeros and all 18 digits of an ID number.
            example.number_format = "@"
            sheet.column_dimensions[letter].number_format = "@"
        if column.choices:
            rule = DataValidation(
                type="list",
                formula1='"' + ",".join(column.choices) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=column.header,
                error=_("Choose one of the listed values."),
            )
            rule.add(f"{letter}2:{letter}{TEMPLATE_ROWS}")
            sheet.add_data_validation(rule)
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet("说明")
    notes.append([_("Column"), _("Required"), _("What to enter"), _("Allowed values")])
    for cell in notes[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for column in spec.columns:
        notes.append(
            [
                column.header,
                _("yes") if column.required else "",
                str(column.help),
                "、".join(column.choices),
            ]
        )
    notes.append([])
    for line in (
        _("Fill in one row per record from row 2 on; keep the headers of row 1 as they are."),
        _("The example in row 2 is skipped if left unchanged; replace it with real records."),
        _(
            "An import applies every row or none: if any row has a problem, nothing is changed "
            "and every problem is listed with its row and column."
        ),
        _(
            "A row that matches a registered record updates it; an empty cell leaves the "
            "stored value as it is. Importing the same file again changes nothing."
        ),
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 18
    notes.column_dimensions["B"].width = 8
    notes.column_dimensions["C"].width = 70
    notes.column_dimensions["D"].width = 40
    for row in notes.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return workbook


def export_file(spec: Spec, rows: Iterable[list]):
    """Write ``rows`` under the spec's headers; returns (open temporary file, row count)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(spec.title)
    for index, column in enumerate(spec.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    header = []
    for column in spec.columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = HEADER_FONT
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in rows:
        sheet.append([_as_text(sheet, value) for value in row])
        count += 1
    output = tempfile.TemporaryFile(suffix=".xlsx")
    workbook.save(output)
    output.seek(0)
    return output, count


def _as_text(sheet, value):
    """Text starting with "=" stays text: a name must never become a formula in an export."""
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def export_file_name(spec: Spec, *, unmasked: bool) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return f"{spec.title}{'' if unmasked else '-脱敏'}-{stamp}.xlsx"


def template_file_name(spec: Spec) -> str:
    return f"{spec.title}导入模板.xlsx"
