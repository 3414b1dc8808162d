"""Dual reporting: who gets a report, what it says, where it is delivered, who may see it.

``service_records`` is replaced by sample records here, so the report contents, totals and
documents are tested without running activities (``fumin/activities/tests`` covers the real
source).
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import translation

from fumin.accounts.models import Role
from fumin.notifications.models import Notification
from fumin.registration import report_selectors
from fumin.registration.models import MemberRegistration, OrgRegistration
from fumin.registration.periods import parse_period
from fumin.registration.report_models import ServiceReport
from fumin.registration.reporting import service_reports_generate
from fumin.registration.service_records import ServiceRecord, service_records
from fumin.registration.services import (
    member_register,
    org_registration_submit,
    registration_confirm,
    registration_end,
)
from fumin.registry.models import PartyOrg

H2_2020 = parse_period("2020H2")
YEAR_2020 = parse_period("2020")


def at(day: str) -> datetime.datetime:
    """Noon in Shanghai on ``day`` (YYYY-MM-DD), as an aware datetime."""
    return datetime.datetime.fromisoformat(f"{day}T12:00:00+08:00")


def register(
    world, name, mobile, community=None, *, work_unit=None, party_org=None, confirmed_on=None
):
    """A member registration made and confirmed through the services, confirmed on a given day."""
    registration, _ = member_register(
        actor=None,
        channel="community",
        name=name,
        mobile=mobile,
        community=community or world.community_a,
        work_unit=work_unit,
        party_org=party_org,
    )
    registration = registration_confirm(actor=None, registration=registration)
    if confirmed_on:
        MemberRegistration.objects.filter(pk=registration.pk).update(
            confirmed_at=at(confirmed_on), last_confirmed_at=at(confirmed_on)
        )
        registration.refresh_from_db()
    return registration


def record(registration, day, hours, activity="a1", title="社区垃圾分类宣传", community=None):
    return ServiceRecord(
        person_id=registration.person_id,
        community_id=(community or registration.community).pk,
        activity_id=activity,
        activity_title=title,
        held_on=datetime.date.fromisoformat(day),
        hours=Decimal(str(hours)),
        kind="volunteer",
    )


def install_sample_service(monkeypatch) -> list[ServiceRecord]:
    """Replace recorded service with the records put in the returned list."""
    records: list[ServiceRecord] = []

    def fake(person_ids, start, end):
        wanted = set(person_ids)
        return [r for r in records if r.person_id in wanted and start <= r.held_on <= end]

    monkeypatch.setattr("fumin.registration.reporting.service_records", fake)
    monkeypatch.setattr("fumin.registration.report_selectors.service_records", fake)
    return records


@pytest.fixture
def sample_service(monkeypatch):
    return install_sample_service(monkeypatch)


def make_members(world) -> dict[str, MemberRegistration]:
    """Two members of unit A in community A, one of unit B in community B, confirmed in 2020."""
    wang = register(
        world,
        "王建国",
        "13600000001",
        work_unit=world.unit_a,
        party_org=world.party_org_a,
        confirmed_on="2020-03-01",
    )
    li = register(world, "李红", "13600000002", work_unit=world.unit_a, confirmed_on="2020-08-01")
    zhao = register(
        world,
        "赵敏",
        "13600000003",
        world.community_b,
        work_unit=world.unit_b,
        confirmed_on="2020-02-01",
    )
    return {"wang": wang, "li": li, "zhao": zhao}


@pytest.fixture
def members(world):
    return make_members(world)


def generate(kind, period=H2_2020, actor=None):
    return service_reports_generate(
        actor=actor, kind=kind, period_start=period.start, period_end=period.end
    )


def test_recorded_service_is_empty_without_attendance(world):
    assert service_records([world.person_a.pk], H2_2020.start, H2_2020.end) == []


def test_member_reports_cover_everyone_confirmed_during_the_period(world, members):
    before = register(world, "孙丽", "13600000004", confirmed_on="2021-01-05")  # after the period
    result = generate("member")

    reports = ServiceReport.objects.filter(kind="member")
    assert result.reports == 3
    assert {r.person.name for r in reports} == {"王建国", "李红", "赵敏"}
    assert not reports.filter(person=before.person).exists()
    report = reports.get(person=members["wang"].person)
    assert (report.period_start, report.period_end) == (H2_2020.start, H2_2020.end)
    assert report.period_kind == "half_year"
    assert report.registration == members["wang"]
    assert report.party_org == world.party_org_a
    assert list(report.communities.all()) == [world.community_a]


def test_a_registration_ended_before_the_period_gets_no_report(world, members):
    registration_end(actor=None, registration=members["li"])
    MemberRegistration.objects.filter(pk=members["li"].pk).update(ended_at=at("2020-06-15"))
    generate("member")
    assert not ServiceReport.objects.filter(person=members["li"].person).exists()
    assert ServiceReport.objects.filter(person=members["zhao"].person).exists()


def test_generation_is_idempotent(world, members, sample_service):
    generate("member")
    sample_service.append(record(members["wang"], "2020-09-01", 2))
    again = generate("member")

    assert again.reports == 3
    assert again.notified == 0  # nobody is told twice
    assert ServiceReport.objects.filter(kind="member").count() == 3
    report = ServiceReport.objects.get(person=members["wang"].person)
    assert report.content["totals"]["hours"] == 2.0  # ...but the content is brought up to date
    assert Notification.objects.filter(recipient=world.liaison).count() == 2


def test_one_report_per_subject_and_period_in_the_database(world, members):
    generate("member")
    existing = ServiceReport.objects.get(person=members["wang"].person)
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceReport.objects.create(
            kind="member",
            person=existing.person,
            period_kind="half_year",
            period_start=existing.period_start,
            period_end=existing.period_end,
            generated_at=existing.generated_at,
        )


def test_a_report_has_exactly_one_subject(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceReport.objects.create(
            kind="member",
            unit=world.unit_a,
            period_kind="year",
            period_start=YEAR_2020.start,
            period_end=YEAR_2020.end,
            generated_at=at("2021-01-01"),
        )


def test_member_report_content_with_service(world, members, sample_service):
    wang = members["wang"]
    sample_service += [
        record(wang, "2020-07-03", 2, "a1", "社区垃圾分类宣传"),
        record(wang, "2020-09-12", "1.5", "a2", "敬老院探访"),
        record(wang, "2020-10-01", 3, "a3", "结对共建活动", community=world.community_b),
        record(wang, "2020-06-30", 9, "a0"),  # before the period: not counted
    ]
    generate("member")
    content = ServiceReport.objects.get(person=wang.person).content

    assert content["person"] == {
        "name": "王建国",
        "mobile": "136****0001",
        "id_number": "",
    }
    assert content["work_unit"] == "上海市作家协会"
    assert content["party_org"] == "上海市作家协会机关党委"
    assert content["totals"] == {"activities": 3, "person_times": 3, "hours": 6.5}
    by_community = {c["community"]: c for c in content["communities"]}
    assert by_community["华业居民区"]["hours"] == 3.5
    assert by_community["华业居民区"]["activities"] == 2
    assert by_community["威海居民区"]["person_times"] == 1
    assert [r["activity"] for r in by_community["华业居民区"]["records"]] == [
        "社区垃圾分类宣传",
        "敬老院探访",
    ]


def test_member_reports_go_to_the_liaisons_of_the_own_party_organisations_unit(world, members):
    generate("member")
    report = ServiceReport.objects.get(person=members["wang"].person)
    note = Notification.objects.get(recipient=world.liaison, url=report.get_absolute_url())
    assert "王建国" in note.title
    assert list(report.recipients.all()) == [world.liaison]
    assert report.delivered_at is not None


def test_without_a_party_organisation_the_work_units_liaisons_are_told(world, members):
    generate("member")
    report = ServiceReport.objects.get(person=members["li"].person)  # no party organisation
    assert list(report.recipients.all()) == [world.liaison]


def test_the_own_party_organisations_unit_comes_before_the_work_unit(world):
    from conftest import make_user

    other_unit_liaison = make_user("钱多", "13900000010", Role.UNIT_LIAISON, unit=world.unit_b)
    org_b = PartyOrg.objects.create(name="公惠医院党委", kind="committee", unit=world.unit_b)
    registration = register(world, "周全", "13600000009", confirmed_on="2020-08-01")
    MemberRegistration.objects.filter(pk=registration.pk).update(
        party_org=org_b, work_unit=world.unit_a
    )
    generate("member")
    report = ServiceReport.objects.get(person=registration.person)
    assert list(report.recipients.all()) == [other_unit_liaison]


def test_a_report_without_any_liaison_is_kept_undelivered(world, members):
    generate("member")
    report = ServiceReport.objects.get(person=members["zhao"].person)  # unit B has no liaison
    assert report.delivered_at is None
    assert not report.recipients.exists()


def test_unit_reports_list_every_registered_member_across_communities(
    world, members, sample_service
):
    org_registration = org_registration_submit(
        actor=world.liaison,
        party_org=world.party_org_a,
        communities=[world.community_a, world.community_b],
        contact_name="顾文静",
        contact_phone="13900000005",
    )
    for registration, _created in org_registration:
        registration_confirm(actor=None, registration=registration)
    OrgRegistration.objects.update(confirmed_at=at("2020-05-01"))
    sample_service += [
        record(members["wang"], "2020-07-03", 2, "a1"),
        record(members["wang"], "2020-11-03", 1, "a9", community=world.community_b),
        record(members["li"], "2020-07-03", 2, "a1"),
        record(members["zhao"], "2020-07-03", 4, "a1", community=world.community_b),
    ]
    result = generate("unit", YEAR_2020)

    assert result.reports == 2  # unit A (organisation and members), unit B (a member)
    report = ServiceReport.objects.get(kind="unit", unit=world.unit_a)
    content = report.content
    assert content["totals"] == {
        "activities": 2,
        "person_times": 3,
        "hours": 5.0,
        "members": 2,
        "members_served": 2,
    }
    assert [m["name"] for m in content["members"]] == ["王建国", "李红"]
    wang = content["members"][0]
    assert wang["mobile"] == "136****0001"
    assert {c["community"]: c["hours"] for c in wang["communities"]} == {
        "华业居民区": 2.0,
        "威海居民区": 1.0,
    }
    assert [r["community"] for r in content["org_registrations"]] == ["华业居民区", "威海居民区"]
    assert set(report.communities.all()) == {world.community_a, world.community_b}
    assert list(report.recipients.all()) == [world.liaison]
    unit_b = ServiceReport.objects.get(kind="unit", unit=world.unit_b)
    assert unit_b.content["totals"]["hours"] == 4.0


def test_generating_needs_the_right_and_stays_in_scope(world, members):
    with pytest.raises(PermissionDenied):
        generate("member", actor=world.secretary_a)
    result = service_reports_generate(
        actor=world.officer, kind="member", period_start=H2_2020.start, period_end=H2_2020.end
    )
    assert result.reports == 3


def test_a_period_must_be_a_half_year_or_a_year(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        service_reports_generate(
            actor=None,
            kind="member",
            period_start=datetime.date(2020, 2, 1),
            period_end=datetime.date(2020, 3, 1),
        )


def test_the_command_defaults_to_the_last_completed_period(world, members, monkeypatch):
    monkeypatch.setattr(
        "fumin.registration.management.commands.generate_service_reports.last_completed_period",
        lambda kind: H2_2020 if kind == "half_year" else YEAR_2020,
    )
    out = io.StringIO()
    call_command("generate_service_reports", stdout=out)
    assert "member 2020H2: 3 reports" in out.getvalue()
    assert "unit 2020: 2 reports" in out.getvalue()
    call_command("generate_service_reports", "--kind", "member", "--period", "2020H2", stdout=out)
    assert ServiceReport.objects.count() == 5


def test_the_task_generates(world, members):
    from fumin.registration.tasks import generate_service_reports

    result = generate_service_reports.enqueue(kind="member", period="2020H2")
    assert result.return_value["reports"] == 3


# Documents ----------------------------------------------------------------------------------------


@pytest.fixture
def wang_report(world, members, sample_service):
    sample_service += [
        record(members["wang"], "2020-07-03", 2, "a1", "社区垃圾分类宣传"),
        record(members["wang"], "2020-09-12", "1.5", "a2", "敬老院探访"),
    ]
    generate("member")
    return ServiceReport.objects.get(person=members["wang"].person)


def test_the_docx_holds_title_subject_period_service_and_totals(wang_report):
    from docx import Document

    from fumin.registration.documents import report_docx

    with translation.override("en"):
        document = Document(report_docx(wang_report))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Community service report of an in-service party member (dual reporting)" in text
    assert "Generated on" in text
    assert "王建国" in cells
    assert "136****0001" in cells
    assert "13600000001" not in "".join(cells)  # never the full mobile
    assert any("2020, second half" in cell for cell in cells)
    assert "敬老院探访" in cells and "社区垃圾分类宣传" in cells
    totals = dict(zip(cells[-6::2], cells[-5::2], strict=True))
    assert totals == {"Activities": "2", "Person-times": "2", "Service hours": "3.5"}


def test_the_xlsx_holds_the_same(wang_report):
    from openpyxl import load_workbook

    from fumin.registration.documents import report_xlsx

    with translation.override("en"):
        sheet = load_workbook(report_xlsx(wang_report)).active
    rows = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["Community service report of an in-service party member (dual reporting)"]
    assert ["Name", "王建国"] in rows
    assert ["Mobile number", "136****0001"] in rows
    assert ["2020-09-12", "华业居民区", "敬老院探访", 1.5] in rows
    assert ["Service hours", 3.5] in rows
    assert "13600000001" not in str(rows)


def test_a_unit_report_document_lists_members(world, members, sample_service):
    from docx import Document

    from fumin.registration.documents import report_docx

    sample_service.append(record(members["li"], "2020-07-03", 2))
    generate("unit", YEAR_2020)
    report = ServiceReport.objects.get(kind="unit", unit=world.unit_a)
    with translation.override("en"):
        document = Document(report_docx(report))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Community service report of a unit's party organisation (dual reporting)" in text
    assert "Registered members' service across communities" in text
    assert "李红" in cells and "王建国" in cells and "136****0002" in cells


# Scope of the selectors ---------------------------------------------------------------------------


def test_who_sees_which_reports(world, members):
    generate("member")
    generate("unit", YEAR_2020)

    def names(viewer):
        return {r.subject_name for r in report_selectors.service_report_list(viewer=viewer)}

    everyone = {"王建国", "李红", "赵敏", "上海市作家协会", "公惠医院"}
    assert names(world.officer) == everyone
    assert names(world.coordinator) == everyone
    assert names(world.secretary_a) == {"王建国", "李红", "上海市作家协会"}
    assert names(world.secretary_b) == {"赵敏", "公惠医院"}
    assert names(world.liaison) == {"王建国", "李红", "上海市作家协会"}
    assert names(world.outsider) == set()
    assert names(world.member) == set()


def test_a_member_sees_their_own_reports(world, members):
    person = members["wang"].person
    person.user = world.member
    person.save(update_fields=["user"])
    generate("member")
    rows = report_selectors.service_report_list(viewer=world.member)
    assert [r.subject_name for r in rows] == ["王建国"]


def test_a_unit_sees_its_members_service_across_communities(world, members, sample_service):
    sample_service += [
        record(members["wang"], "2020-07-03", 2, "a1"),
        record(members["wang"], "2020-11-03", 1, "a9", community=world.community_b),
    ]
    rows = report_selectors.unit_member_service(
        world.liaison, world.unit_a, H2_2020.start, H2_2020.end
    )
    by_name = {row.person.name: row for row in rows}
    assert set(by_name) == {"王建国", "李红"}
    assert by_name["王建国"].hours == Decimal(3)
    assert by_name["王建国"].activities == 2
    assert set(by_name["王建国"].by_community) == {"华业居民区", "威海居民区"}
    assert by_name["李红"].person_times == 0
    assert (
        report_selectors.unit_member_service(
            world.liaison, world.unit_b, H2_2020.start, H2_2020.end
        )
        is None
    )
    officer_rows = report_selectors.unit_member_service(
        world.officer, world.unit_b, H2_2020.start, H2_2020.end
    )
    assert [row.person.name for row in officer_rows] == ["赵敏"]


def test_members_not_served_are_those_without_service_in_their_community(
    world, members, sample_service
):
    sample_service += [
        record(members["wang"], "2020-07-03", 2),
        record(members["li"], "2020-07-03", 2, community=world.community_b),  # elsewhere
    ]

    def names(viewer, area=None):
        rows = report_selectors.members_not_served(viewer, area, H2_2020.start, H2_2020.end)
        return [r.person.name for r in rows]

    assert names(world.secretary_a) == ["李红"]
    assert names(world.secretary_b) == ["赵敏"]
    assert sorted(names(world.officer)) == ["李红", "赵敏"]
    assert names(world.officer, world.community_b) == ["赵敏"]
    assert names(world.secretary_b, world.community_a) == []  # outside their scope
    assert names(world.liaison) == []
