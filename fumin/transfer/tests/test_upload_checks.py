"""A file that cannot be imported at all is refused on the upload page, and nothing is stored."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fumin.transfer import reading
from fumin.transfer.models import ImportJob

from .helpers import XLSX, upload, xlsx

URL = "/console/transfer/"


def refused(client, capture, kind, file) -> str:
    response = upload(client, kind, file, capture)
    assert response.status_code == 400
    assert ImportJob.objects.count() == 0
    return " ".join(response.context["form"].errors["file"])


@pytest.fixture
def secretary(client, world):
    client.force_login(world.secretary_a)
    return client


def test_a_file_that_is_not_xlsx_is_refused(secretary, django_capture_on_commit_callbacks):
    csv = SimpleUploadedFile("people.csv", "姓名,手机号\n张三,13811112222\n".encode())
    message = refused(secretary, django_capture_on_commit_callbacks, "people", csv)
    assert ".xlsx" in message


def test_a_broken_xlsx_is_refused(secretary, django_capture_on_commit_callbacks):
    broken = SimpleUploadedFile("people.xlsx", b"PK\x03\x04 not really a zip", content_type=XLSX)
    message = refused(secretary, django_capture_on_commit_callbacks, "people", broken)
    assert ".xlsx" in message


def test_a_file_with_headers_only_is_refused_as_empty(
    secretary, django_capture_on_commit_callbacks
):
    message = refused(secretary, django_capture_on_commit_callbacks, "people", xlsx("people", []))
    assert message == str(reading.FileProblem(reading.EMPTY))


def test_unknown_and_missing_columns_are_named(secretary, django_capture_on_commit_callbacks):
    typo = xlsx("people", [{"姓名": "张三"}], headers=["姓名", "手机", "居住居民区"])
    message = refused(secretary, django_capture_on_commit_callbacks, "people", typo)
    assert "手机" in message
    missing = xlsx("people", [{"手机号": "13811112222"}], headers=["手机号", "居住居民区"])
    message = refused(secretary, django_capture_on_commit_callbacks, "people", missing)
    assert "姓名" in message


def test_a_file_of_another_kind_says_which_kind_it_is(
    secretary, django_capture_on_commit_callbacks
):
    units = xlsx("units", [{"单位名称": "某单位", "单位类型": "企业", "所在区域": "华业居民区"}])
    message = refused(secretary, django_capture_on_commit_callbacks, "people", units)
    assert "单位" in message


def test_a_file_over_the_size_limit_is_refused(
    secretary, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(reading, "MAX_UPLOAD_MB", 0)
    message = refused(
        secretary, django_capture_on_commit_callbacks, "people", xlsx("people", [{"姓名": "张"}])
    )
    assert "0 MB" in message


def test_no_file_at_all_is_refused(secretary):
    response = secretary.post(URL, {"kind": "people"})
    assert response.status_code == 400
    assert response.context["form"].errors["file"]


def test_the_row_estimate_reads_the_dimension_or_counts_rows(tmp_path):
    from openpyxl import Workbook, load_workbook

    for write_only in (False, True):
        workbook = Workbook(write_only=write_only)
        sheet = workbook.active if not write_only else workbook.create_sheet("人员")
        for number in range(31):
            sheet.append([f"row {number}", number])
        path = tmp_path / f"{write_only}.xlsx"
        workbook.save(path)
        opened = load_workbook(path, read_only=True)
        assert reading.estimate_rows(opened, opened.worksheets[0]) == 30
        opened.close()


def test_a_file_with_too_many_rows_fails_as_a_whole(
    secretary, django_capture_on_commit_callbacks, monkeypatch
):
    from fumin.registry.models import Person

    monkeypatch.setattr(reading, "MAX_ROWS", 2)
    rows = [
        {"姓名": f"人{n}", "手机号": f"1381111000{n}", "居住居民区": "华业居民区"} for n in range(3)
    ]
    before = Person.objects.count()
    upload(secretary, "people", xlsx("people", rows), django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert (job.status, [error[:2] for error in job.errors]) == ("failed", [[0, ""]])
    assert "2" in str(reading.FileProblem(job.errors[0][2], job.errors[0][3]))
    assert Person.objects.count() == before
    assert not job.file  # the upload is not kept
