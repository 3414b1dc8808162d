"""Building .xlsx files in memory and running imports the way the page does."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from fumin.transfer.columns import SPECS
from fumin.transfer.models import ImportJob

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx(kind: str, rows: list[dict], *, headers: list[str] | None = None, name="导入.xlsx"):
    """A workbook with the kind's headers (or ``headers``) and one row per dict header -> value."""
    headers = headers or SPECS[kind].headers
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(header) for header in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


def upload(client, kind: str, file, capture):
    """POST the file as the import page does and run the queued job; returns the response."""
    with capture(execute=True):
        response = client.post("/console/transfer/", {"kind": kind, "file": file})
    return response


def last_job() -> ImportJob:
    return ImportJob.objects.order_by("-id").first()


def reasons(job: ImportJob) -> list[tuple]:
    """(row, column, reason in Chinese) of every error of the job."""
    from django.utils import translation

    from fumin.transfer.models import error_reason

    with translation.override("zh-hans"):
        return [
            (row, column, error_reason(message, params))
            for row, column, message, params in job.errors
        ]


def read_back(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]
