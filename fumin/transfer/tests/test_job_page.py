from fumin.transfer.cells import INVALID_MOBILE
from fumin.transfer.models import ImportJob


def job_of(user, **fields) -> ImportJob:
    fields.setdefault("file_name", "人员.xlsx")
    return ImportJob.objects.create(kind="people", created_by=user, **fields)


def test_a_running_job_answers_htmx_with_a_polling_progress_partial(client, world):
    job = job_of(world.secretary_a, status="running", total_rows=1000, processed_rows=400)
    client.force_login(world.secretary_a)
    response = client.get(f"/console/transfer/jobs/{job.public_id}/", HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert 'hx-trigger="every 1s"' in page
    assert 'max="1000" value="400"' in page

    job.processed_rows = 1000
    job.save()
    page = client.get(f"/console/transfer/jobs/{job.public_id}/", HTTP_HX_REQUEST="true")
    assert "<progress" in page.content.decode()  # every row checked: writing, still polling
    assert 'hx-trigger="every 1s"' in page.content.decode()


def test_a_finished_job_stops_polling_and_shows_its_counts(client, world):
    job = job_of(world.secretary_a, status="done", created_count=7, unchanged_count=3)
    client.force_login(world.secretary_a)
    page = client.get(f"/console/transfer/jobs/{job.public_id}/", HTTP_HX_REQUEST="true")
    text = page.content.decode()
    assert "hx-trigger" not in text
    assert 'data-testid="created">7<' in text and 'data-testid="unchanged">3<' in text


def test_the_job_page_pages_its_errors_with_a_bounded_number_of_queries(
    client, world, django_assert_max_num_queries
):
    errors = [[row, "手机号", INVALID_MOBILE, None] for row in range(2, 352)]
    job = job_of(world.secretary_a, status="failed", errors=errors, total_rows=350)
    client.force_login(world.secretary_a)
    with django_assert_max_num_queries(10):
        response = client.get(f"/console/transfer/jobs/{job.public_id}/")
    page = response.content.decode()
    assert page.count('data-testid="error-row"') == 100
    assert "请输入有效的中国大陆手机号" in page
    last = client.get(f"/console/transfer/jobs/{job.public_id}/", {"page": 4}).content.decode()
    assert last.count('data-testid="error-row"') == 50


def test_the_import_page_lists_the_viewers_own_jobs_with_a_bounded_number_of_queries(
    client, world, django_assert_max_num_queries
):
    for _ in range(12):
        job_of(world.secretary_a, status="done")
    job_of(world.secretary_b, status="done", file_name="别人的.xlsx")
    client.force_login(world.secretary_a)
    with django_assert_max_num_queries(10):
        response = client.get("/console/transfer/")
    page = response.content.decode()
    assert page.count('data-testid="job-row"') == 10
    assert "别人的.xlsx" not in page
    assert 'data-testid="import-form"' in page


def test_someone_elses_job_is_not_found(client, world):
    job = job_of(world.secretary_a)
    client.force_login(world.officer)
    assert client.get(f"/console/transfer/jobs/{job.public_id}/").status_code == 404


def test_a_liaison_sees_exports_and_may_import_only_member_registrations(client, world):
    client.force_login(world.liaison)
    page = client.get("/console/transfer/").content.decode()
    assert 'data-testid="export-people"' in page
    assert 'data-testid="import-form"' in page
    assert 'data-testid="template-member_registrations"' in page
    assert 'data-testid="template-people"' not in page
    assert 'value="people"' not in page
    assert 'data-testid="export-member_registrations"' not in page
