import io

from openpyxl import load_workbook

from fumin.audit.models import AuditEntry
from fumin.registry.models import Person, Unit
from fumin.registry.services import person_create
from fumin.transfer.columns import SPECS

from .helpers import XLSX, last_job, read_back, upload

PERSON_A_ID = "11010519491231002X"


def content(response) -> bytes:
    return b"".join(response.streaming_content)


def exports():
    return AuditEntry.objects.filter(action="export").order_by("id")


def test_each_template_opens_with_chinese_headers_notes_and_dropdowns(client, world):
    client.force_login(world.secretary_a)
    for kind, spec in SPECS.items():
        response = client.get(f"/console/transfer/templates/{kind}/")
        assert response.status_code == 200
        assert response["Content-Type"] == XLSX
        assert "attachment" in response["Content-Disposition"]
        workbook = load_workbook(io.BytesIO(content(response)))
        sheet = workbook.worksheets[0]
        assert sheet.title == spec.title
        assert [cell.value for cell in sheet[1]] == spec.headers
        assert sheet.cell(row=2, column=1).value == spec.columns[0].example
        notes = workbook["说明"]
        assert [row[0] for row in notes.iter_rows(min_row=2, max_row=len(spec.headers) + 1,
                                                  values_only=True)] == spec.headers  # fmt: skip
        dropdowns = [v.formula1 for v in sheet.data_validations.dataValidation]
        assert len(dropdowns) == sum(1 for column in spec.columns if column.choices)
    assert client.get("/console/transfer/templates/secrets/").status_code == 404


def test_people_export_is_masked_by_default_and_audited(client, world):
    client.force_login(world.officer)
    response = client.get("/console/transfer/exports/people/")
    assert response.status_code == 200
    rows = read_back(content(response))
    assert rows[0] == SPECS["people"].headers
    jin = next(row for row in rows if row[0] == "金晓东")
    assert jin[1:3] == ["137****0001", "1101**********002X"]
    assert jin[6] == "是"
    entry = exports().get()
    assert entry.changes["after"] == {"kind": "people", "rows": len(rows) - 1, "unmasked": False}
    assert "masked" in entry.note and entry.actor == world.officer


def test_unmasked_export_needs_the_right_and_a_post_and_is_audited(client, world):
    client.force_login(world.officer)
    # a link cannot unmask: GET ignores the parameter
    rows = read_back(content(client.get("/console/transfer/exports/people/?unmasked=1")))
    assert rows[1][1] == "137****0001"
    response = client.post("/console/transfer/exports/people/", {"unmasked": "1"})
    rows = read_back(content(response))
    jin = next(row for row in rows if row[0] == "金晓东")
    assert jin[1:3] == ["13700000001", PERSON_A_ID]
    assert [e.changes["after"]["unmasked"] for e in exports()] == [False, True]
    assert "-脱敏" not in response["Content-Disposition"]

    client.force_login(world.liaison)  # may export what they see, never unmasked
    assert client.post("/console/transfer/exports/people/", {"unmasked": "1"}).status_code == 403
    assert exports().count() == 2
    client.force_login(world.member)
    assert client.get("/console/transfer/exports/people/").status_code == 403


def test_an_unmasked_export_keeps_people_outside_the_viewers_areas_masked(client, world):
    # lives in community B, works at unit A (community A): secretary A sees the person, but
    # may not unmask them, as on the person's page
    person_create(
        actor=None,
        name="跨区党员",
        mobile="13811119999",
        home_community=world.community_b,
        work_unit=world.unit_a,
    )
    client.force_login(world.secretary_a)
    rows = read_back(content(client.post("/console/transfer/exports/people/", {"unmasked": "1"})))
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["跨区党员"][1] == "138****9999"
    assert by_name["金晓东"][1] == "13700000001"


def test_exports_follow_the_list_filters(client, world):
    client.force_login(world.officer)
    rows = read_back(
        content(client.get("/console/transfer/exports/units/", {"kind": "social_organisation"}))
    )
    assert [row[0] for row in rows[1:]] == ["上海市作家协会"]
    assert rows[1][1] == "社会团体"
    rows = read_back(content(client.get("/console/transfer/exports/people/", {"q": "jxd"})))
    assert [row[0] for row in rows[1:]] == ["金晓东"]
    rows = read_back(content(client.get("/console/transfer/exports/party_orgs/")))
    assert rows[1][:3] == ["上海市作家协会机关党委", "党委", "上海市作家协会"]
    assert exports().count() == 3


def test_a_name_that_looks_like_a_formula_stays_text(client, world):
    person_create(actor=None, name="=1+1", mobile="13811110000", home_community=world.community_a)
    client.force_login(world.officer)
    sheet = load_workbook(
        io.BytesIO(content(client.get("/console/transfer/exports/people/")))
    ).worksheets[0]
    cell = next(row[0] for row in sheet.iter_rows(min_row=2) if row[0].value == "=1+1")
    assert cell.data_type == "s"


def test_an_unmasked_export_imports_back_without_changes(
    client, world, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.officer)
    for kind, model in (("units", Unit), ("party_orgs", None), ("people", Person)):
        exported = content(client.post(f"/console/transfer/exports/{kind}/", {"unmasked": "1"}))
        before = model.objects.count() if model else None
        file = SimpleUploadedFile(f"{kind}.xlsx", exported, content_type=XLSX)
        upload(client, kind, file, django_capture_on_commit_callbacks)
        job = last_job()
        assert job.status == "done", job.errors
        assert (job.created_count, job.updated_count) == (0, 0)
        assert job.unchanged_count == len(read_back(exported)) - 1
        if model:
            assert model.objects.count() == before
