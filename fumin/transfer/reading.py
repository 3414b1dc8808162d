"""Reading an uploaded workbook: checks of the whole file, then a stream of its rows.

openpyxl's read-only mode parses the sheet as it goes, so a 100,000-row file is never held in
memory; rows come out as plain tuples of values.
"""

import re
import zipfile
from collections.abc import Iterator

from django.utils.translation import gettext, gettext_noop
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from .cells import text
from .columns import SPECS, Spec

MAX_UPLOAD_MB = 20
# A bigger file is better split: one import is one transaction, and on SQLite other writes wait
# for it to finish.
MAX_ROWS = 200_000


class FileProblem(Exception):
    """Something wrong with the file as a whole; the message names it for the person."""

    def __init__(self, message, params: dict | None = None):
        super().__init__(message)
        self.message, self.params = message, params or {}

    def __str__(self):
        """The message in the active language."""
        text = gettext(self.message)
        return text % self.params if self.params else text


NOT_XLSX = gettext_noop(
    "This is not an Excel .xlsx file. In Excel or WPS, choose “Save as” and the type "
    "“Excel workbook (*.xlsx)”, then upload that file."
)
TOO_BIG = gettext_noop("The file is larger than %(limit)d MB; split it into several files.")
EMPTY = gettext_noop("The file is empty: there are no rows under the column headers.")
TOO_MANY_ROWS = gettext_noop("The file has more than %(limit)d rows; split it into several files.")
NO_HEADERS = gettext_noop("The first row must hold the column headers of the template.")
MISSING = gettext_noop("These columns are missing from the first row: %(columns)s.")
UNKNOWN = gettext_noop(
    "These columns are not in the template: %(columns)s. Use the template's headers."
)
TWICE = gettext_noop("These columns appear more than once: %(columns)s.")
OTHER_KIND = gettext_noop(
    "These are the columns of a file of %(kind)s; choose that kind, or the right file."
)


def open_workbook(file):
    """The workbook in read-only mode, or a FileProblem saying the file is not an .xlsx."""
    if hasattr(file, "seek"):
        file.seek(0)
    try:
        return load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileProblem(NOT_XLSX) from exc


def _header_key(value) -> str:
    # "姓名*" and "姓名 （必填）" are how people mark required columns by hand.
    return re.sub(r"[*＊]|[（(]必填[)）]", "", text(value)).strip()


def read_headers(rows: Iterator[tuple], spec: Spec) -> list[str | None]:
    """The column keys in file order (None for trailing blanks), or a FileProblem."""
    try:
        first = next(rows)
    except StopIteration:
        raise FileProblem(EMPTY) from None
    headers = [_header_key(value) for value in first]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise FileProblem(NO_HEADERS)
    known = {column.header: column.key for column in spec.columns}
    present = [h for h in headers if h]
    unknown = [h for h in present if h not in known]
    if unknown:
        for other in SPECS.values():
            if other is not spec and set(present) <= set(other.headers):
                raise FileProblem(OTHER_KIND, {"kind": other.title})
        raise FileProblem(UNKNOWN, {"columns": "、".join(unknown)})
    twice = sorted({h for h in present if present.count(h) > 1})
    if twice:
        raise FileProblem(TWICE, {"columns": "、".join(twice)})
    missing = [c.header for c in spec.columns if c.required and c.header not in present]
    if missing:
        raise FileProblem(MISSING, {"columns": "、".join(missing)})
    return [known.get(h) for h in headers]


def is_blank(row: tuple) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in row)


def data_rows(rows: Iterator[tuple]) -> Iterator[tuple[int, tuple]]:
    """(row number as Excel shows it, values) for every non-blank row under the headers."""
    for number, row in enumerate(rows, start=2):
        if not is_blank(row):
            yield number, row


def check_upload(file, spec: Spec) -> int:
    """Check an upload before a job is made: an .xlsx, the template's headers, some rows.

    Returns the number of rows the file says it has (an estimate for the progress bar; 0 when
    the file does not say). Raises FileProblem.
    """
    if getattr(file, "size", 0) > MAX_UPLOAD_MB * 1024 * 1024:
        raise FileProblem(TOO_BIG, {"limit": MAX_UPLOAD_MB})
    name = getattr(file, "name", "") or ""
    if not name.lower().endswith((".xlsx", ".xlsm")):
        raise FileProblem(NOT_XLSX)
    workbook = open_workbook(file)
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        keys = read_headers(rows, spec)
        examples = {column.key: column.example for column in spec.columns}
        for _number, row in data_rows(rows):
            cells = dict(zip(keys, row, strict=False))
            if any(text(cells.get(key)) != example for key, example in examples.items()):
                break  # a real row (not the template's example, which is skipped)
        else:
            raise FileProblem(EMPTY)
        return estimate_rows(workbook, sheet)
    finally:
        workbook.close()


def estimate_rows(workbook, sheet) -> int:
    """Data rows the sheet holds, for the progress bar, without parsing the sheet: its
    ``<dimension>`` when it has one (Excel writes it), else a count of its ``<row>`` tags.

    (openpyxl's ``max_row`` parses the whole sheet when the dimension is missing.) 0 if unknown.
    """
    archive = getattr(workbook, "_archive", None)
    path = getattr(sheet, "_worksheet_path", None)
    if archive is None or path is None:
        return 0
    found, tail, first = 0, b"", True
    with archive.open(path) as xml:
        while chunk := xml.read(1 << 20):
            if first:
                dimension = DIMENSION.search(chunk[:4096])
                if dimension:
                    return max(int(dimension.group(1)) - 1, 0)
                first = False
            data = tail + chunk
            found += data.count(b"<row ") + data.count(b"<row>")
            tail = data[-5:]
            found -= tail.count(b"<row ") + tail.count(b"<row>")  # counted again next time
    found += tail.count(b"<row ") + tail.count(b"<row>")
    return max(found - 1, 0)


DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"')
