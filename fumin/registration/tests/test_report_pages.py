"""The console pages of dual reporting."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from fumin.audit.models import AuditEntry
from fumin.registration.periods import period_containing
from fumin.registration.report_models import ServiceReport

from .test_reporting import (
    H2_2020,
    YEAR_2020,
    generate,
    install_sample_service,
    make_members,
    record,
    register,
)


@pytest.fixture(name="members")
def members_fixture(world):
    return make_members(world)


@pytest.fixture(name="sample_service")
def sample_service_fixture(monkeypatch):
    return install_sample_service(monkeypatch)


@pytest.fixture
def reports(world, members, sample_service):
    sample_service += [
        record(members["wang"], "2020-07-03", 2, "a1", "社区垃圾分类宣传"),
        record(members["wang"], "2020-09-12", "1.5", "a2", "敬老院探访"),
    ]
    generate("member")
    generate("unit", YEAR_2020)
    return ServiceReport.objects.all()


def wang_report(members):
    return ServiceReport.objects.get(person=members["wang"].person)


def test_the_list_shows_the_viewers_reports(world, reports, client, django_assert_max_num_queries):
    client.force_login(world.secretary_a)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("console:report_index"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "王建国" in text and "李红" in text and "上海市作家协会" in text
    assert "赵敏" not in text  # community B


def test_the_list_filters_by_kind_and_period(world, reports, client):
    client.force_login(world.officer)
    response = client.get(reverse("console:report_index"), {"kind": "unit", "period": "2020"})
    rows = response.content.decode().count('data-testid="report-row"')
    assert rows == 2
    response = client.get(reverse("console:report_index"), {"period": "2020H2"})
    assert response.content.decode().count('data-testid="report-row"') == 3
    response = client.get(
        reverse("console:report_index"), {"kind": "member"}, headers={"HX-Request": "true"}
    )
    assert "<html" not in response.content.decode()  # only the table for an HTMX filter


def test_the_report_page_shows_service_and_totals_masked(world, members, reports, client):
    client.force_login(world.liaison)
    response = client.get(wang_report(members).get_absolute_url())
    text = response.content.decode()
    assert response.status_code == 200
    assert "敬老院探访" in text
    assert "136****0001" in text and "13600000001" not in text
    assert "3.5" in text


def test_downloads_are_documents_and_audited(world, members, reports, client):
    report = wang_report(members)
    client.force_login(world.liaison)

    response = client.get(reverse("console:report_docx", args=[report.public_id]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    document = Document(io.BytesIO(b"".join(response.streaming_content)))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "王建国" in cells and "敬老院探访" in cells

    response = client.get(reverse("console:report_xlsx", args=[report.public_id]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert "敬老院探访" in [c for row in sheet.iter_rows(values_only=True) for c in row]

    entries = AuditEntry.objects.filter(action="export", target_id=str(report.pk))
    assert entries.count() == 2
    assert {e.actor for e in entries} == {world.liaison}


def test_another_communitys_report_is_not_found(world, members, reports, client):
    client.force_login(world.secretary_b)
    response = client.get(wang_report(members).get_absolute_url())
    assert response.status_code == 404
    response = client.get(reverse("console:report_docx", args=[wang_report(members).public_id]))
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="export").exists()


def test_staff_generate_reports_from_the_list(world, members, client):
    client.force_login(world.officer)
    response = client.post(
        reverse("console:report_generate"), {"kind": "member", "period": "2020H2"}
    )
    assert response.status_code == 302
    assert ServiceReport.objects.filter(kind="member").count() == 3
    response = client.post(reverse("console:report_generate"), {"kind": "member", "period": "x"})
    assert response.status_code == 302
    assert ServiceReport.objects.count() == 3


def test_community_staff_see_who_has_not_served(world, members, sample_service, client):
    sample_service.append(record(members["wang"], "2020-07-03", 2))
    client.force_login(world.secretary_a)
    response = client.get(reverse("console:report_not_served"), {"period": "2020H2"})
    text = response.content.decode()
    assert text.count('data-testid="not-served-row"') == 1
    assert "李红" in text and "王建国" not in text


def test_not_served_defaults_to_the_current_period(world, client):
    registration = register(world, "孙丽", "13600000004")
    client.force_login(world.secretary_a)
    response = client.get(reverse("console:report_not_served"))
    assert period_containing(timezone.now(), "half_year").label in response.content.decode()
    assert registration.person.name in response.content.decode()


def test_a_liaison_sees_the_units_members_across_communities(
    world, members, sample_service, client
):
    sample_service += [
        record(members["wang"], "2020-07-03", 2),
        record(members["wang"], "2020-08-03", 1, "a7", community=world.community_b),
    ]
    client.force_login(world.liaison)
    response = client.get(reverse("console:report_unit_members"), {"period": "2020H2"})
    text = response.content.decode()
    assert text.count('data-testid="member-service-row"') == 2
    assert "威海居民区" in text and "华业居民区" in text
    # Another unit is not theirs to choose.
    response = client.get(
        reverse("console:report_unit_members"),
        {"period": "2020H2", "unit": str(world.unit_b.public_id)},
    )
    assert 'data-testid="member-service-row"' not in response.content.decode()


def test_staff_choose_a_unit_for_its_members_service(world, members, client):
    client.force_login(world.officer)
    response = client.get(reverse("console:report_unit_members"), {"period": "2020H2"})
    assert 'data-testid="member-service-row"' not in response.content.decode()
    response = client.get(
        reverse("console:report_unit_members"),
        {"period": "2020H2", "unit": str(world.unit_b.public_id)},
    )
    assert "赵敏" in response.content.decode()


def test_the_sidebar_links_to_service_reports(world, client):
    client.force_login(world.liaison)
    response = client.get(reverse("console:home"))
    assert reverse("console:report_index") in response.content.decode()


def test_the_inbox_links_to_the_report(world, members, client):
    generate("member", H2_2020)
    client.force_login(world.liaison)
    assert "王建国" in client.get(reverse("notifications:inbox")).content.decode()
    note = world.liaison.notifications.get(title__contains="王建国")
    response = client.post(reverse("notifications:open", args=[note.pk]))
    assert response.status_code == 302
    assert response.url == wang_report(members).get_absolute_url()
    assert client.get(response.url).status_code == 200
