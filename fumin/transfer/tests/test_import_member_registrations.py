"""Bulk member registration (在职党员报到) from Excel, with the registry's import rules."""

import pytest

from conftest import make_user
from fumin.accounts.models import Role
from fumin.audit.models import AuditEntry
from fumin.core import crypto
from fumin.notifications.models import Notification
from fumin.registration.models import MemberRegistration
from fumin.registration.services import member_register
from fumin.registry.demo import synthetic_credit_code
from fumin.registry.models import Person, Unit
from fumin.registry.services import unit_create
from fumin.transfer import cells
from fumin.transfer import registrations as importer

from .helpers import last_job, reasons, upload, xlsx

KIND = "member_registrations"
ID_A = "310106198503120024"
GOOD = [
    {"姓名": "张三", "手机号": "+86 138-1111-2222", "居住居民区": "华业居民区",
     "技能特长": "书法", "服务意向": "周末值守"},
    {"姓名": "李四", "手机号": "13811112223", "身份证号": ID_A, "居住居民区": "华业居民区"},
    # Lives in a community outside the liaison's scope, in the same subdistrict: allowed.
    {"姓名": "王五", "手机号": "13811112224", "居住居民区": "陕南居民区"},
    # Registered already (conftest's person_a, found by ID number), but not registered with a
    # community: gets a registration.
    {"姓名": "金晓东", "身份证号": "11010519491231002X", "居住居民区": "华业居民区"},
]  # fmt: skip


def import_file(client, capture, rows, **options):
    upload(client, KIND, xlsx(KIND, rows, **options), capture)
    return last_job()


def test_a_liaisons_file_registers_every_member(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.liaison)
    people = Person.objects.count()
    job = import_file(client, django_capture_on_commit_callbacks, GOOD)
    assert (job.status, job.errors) == ("done", []), reasons(job)
    assert (job.created_count, job.updated_count, job.unchanged_count) == (4, 0, 0)
    assert Person.objects.count() == people + 3
    assert client.get(f"/console/transfer/jobs/{job.public_id}/").status_code == 200

    zhang = Person.objects.get(mobile="13811112222")
    assert (zhang.name_pinyin, zhang.name_initials) == ("zhangsan", "zs")
    assert (zhang.home_community, zhang.work_unit, zhang.is_party_member) == (
        world.community_a,
        world.unit_a,
        True,
    )
    assert zhang.party_org == world.party_org_a  # the unit's only organisation
    li = Person.objects.get(mobile="13811112223")
    assert li.id_number_hash == crypto.keyed_hash(ID_A)
    assert li.id_number_masked == "3101**********0024"

    registrations = MemberRegistration.objects.order_by("person__mobile", "pk")
    assert {r.status for r in registrations} == {"pending"}
    assert {r.channel for r in registrations} == {"unit"}
    assert {r.work_unit for r in registrations} == {world.unit_a}
    assert {r.submitted_by for r in registrations} == {world.liaison}
    mine = registrations.get(person=zhang)
    assert (mine.community, mine.grid, mine.specialities, mine.service_intent) == (
        world.community_a,
        world.grid_1,
        "书法",
        "周末值守",
    )
    assert registrations.get(person__mobile="13811112224").community == world.community_c
    # The registered person's record follows the registration: lives there, works at the unit.
    world.person_a.refresh_from_db()
    assert (world.person_a.work_unit, world.person_a.home_community) == (
        world.unit_a,
        world.community_a,
    )
    assert registrations.filter(person=world.person_a).count() == 1

    entries = AuditEntry.objects.filter(target_type="transfer.importjob", target_id=str(job.pk))
    assert [e.changes["after"] for e in entries] == [
        {"registrations": 4, "people_created": 3, "people_updated": 1}
    ]
    assert ID_A not in str(entries[0].changes) + entries[0].note


def test_every_bad_row_is_reported_and_nothing_is_imported(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.liaison)
    rows = [
        {"姓名": "", "手机号": "13811112222", "居住居民区": "华业居民区"},
        {"姓名": "李四", "手机号": "12345", "居住居民区": "华业居民区"},
        {"姓名": "王五", "居住居民区": "华业居民区"},
        {"姓名": "赵六", "手机号": "13811112226", "居住居民区": "不存在居民区"},
        {"姓名": "钱七", "手机号": "13811112227", "居住居民区": ""},
        {"姓名": "吴十", "手机号": "13811112230", "居住居民区": "华业居民区"},  # a good row
        {"姓名": "孙八", "手机号": "13811112230", "居住居民区": "华业居民区"},
        {"姓名": "周九", "手机号": "13811112229", "居住居民区": "华业居民区",
         "党组织": "不存在的党支部"},
        {"姓名": "郑一", "身份证号": "310106198503120025", "居住居民区": "华业居民区"},
    ]  # fmt: skip
    people, registrations = Person.objects.count(), MemberRegistration.objects.count()
    job = import_file(client, django_capture_on_commit_callbacks, rows)
    assert job.status == "failed"
    assert [(row, column, message) for row, column, message, _p in job.errors] == [
        (2, "姓名", cells.REQUIRED),
        (3, "手机号", cells.INVALID_MOBILE),
        (4, "手机号", cells.PERSON_NO_KEY),
        (5, "居住居民区", cells.COMMUNITY_UNKNOWN),
        (6, "居住居民区", cells.REQUIRED),
        (8, "手机号", cells.DUPLICATE_MOBILE),
        (9, "党组织", cells.ORG_UNKNOWN),
        (10, "身份证号", cells.ID_INVALID),
    ]
    assert reasons(job)[5][2] == "第 7 行已有相同的手机号。"
    assert (Person.objects.count(), MemberRegistration.objects.count()) == (
        people,
        registrations,
    )
    assert not Notification.objects.exists()


def test_importing_the_same_file_again_changes_nothing(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.liaison)
    import_file(client, django_capture_on_commit_callbacks, GOOD)
    counts = (
        Person.objects.count(),
        MemberRegistration.objects.count(),
        AuditEntry.objects.count(),
        Notification.objects.count(),
    )
    again = import_file(client, django_capture_on_commit_callbacks, GOOD)
    assert (again.status, again.errors) == ("done", [])
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 4)
    assert counts == (
        Person.objects.count(),
        MemberRegistration.objects.count(),
        AuditEntry.objects.count(),
        Notification.objects.count(),
    )


def test_a_person_already_registered_is_unchanged_not_an_error(
    client, world, django_capture_on_commit_callbacks
):
    registration, _created = member_register(
        actor=world.secretary_b,
        channel="community",
        name="李四",
        community=world.community_b,
        mobile="13811112223",
        id_number=ID_A,
    )
    client.force_login(world.liaison)
    # Found by ID number although the mobile number is typed differently.
    rows = [
        {"姓名": "李四", "手机号": "138 1111 2223", "身份证号": ID_A, "居住居民区": "华业居民区"},
        {"姓名": "张三", "手机号": "13811112222", "居住居民区": "华业居民区"},
    ]  # fmt: skip
    job = import_file(client, django_capture_on_commit_callbacks, rows)
    assert (job.status, job.errors) == ("done", [])
    assert (job.created_count, job.unchanged_count) == (1, 1)
    registration.refresh_from_db()
    assert (registration.status, registration.community) == ("pending", world.community_b)
    assert registration.person.registrations.count() == 1


@pytest.fixture
def unit_c(world):
    return unit_create(
        actor=None,
        name="上海汇智信息科技有限公司",
        kind=Unit.Kind.NEW_ECONOMIC,
        area=world.community_b,
        credit_code=synthetic_credit_code(9),
    )


def test_a_liaison_registers_members_of_their_own_unit_only(
    client, world, unit_c, django_capture_on_commit_callbacks
):
    client.force_login(world.liaison)
    rows = [
        {"姓名": "张三", "手机号": "13811112222", "居住居民区": "华业居民区",
         "工作单位": synthetic_credit_code(9)},
        {"姓名": "李四", "手机号": "13811112223", "居住居民区": "华业居民区",
         "工作单位": "上海市作家协会"},
    ]  # fmt: skip
    job = import_file(client, django_capture_on_commit_callbacks, rows)
    assert job.status == "failed"
    assert [(row, column, message) for row, column, message, _p in job.errors] == [
        (2, "工作单位", importer.UNIT_NOT_YOURS)
    ]
    assert not MemberRegistration.objects.exists()


def test_a_liaison_of_several_units_names_the_unit(
    client, world, unit_c, django_capture_on_commit_callbacks
):
    from fumin.accounts.services import role_grant

    role_grant(actor=None, user=world.liaison, role=Role.UNIT_LIAISON, unit=unit_c)
    client.force_login(world.liaison)
    rows = [
        {"姓名": "张三", "手机号": "13811112222", "居住居民区": "华业居民区"},
        {"姓名": "李四", "手机号": "13811112223", "居住居民区": "威海居民区",
         "工作单位": synthetic_credit_code(9)},
    ]  # fmt: skip
    job = import_file(client, django_capture_on_commit_callbacks, rows)
    assert [(row, column, message) for row, column, message, _p in job.errors] == [
        (2, "工作单位", importer.UNIT_NEEDED)
    ]
    rows[0]["工作单位"] = "上海市作家协会"
    job = import_file(client, django_capture_on_commit_callbacks, rows)
    assert (job.status, job.created_count) == ("done", 2), job.errors
    li = MemberRegistration.objects.get(person__mobile="13811112223")
    assert (li.work_unit, li.party_org, li.channel) == (unit_c, None, "unit")


def test_community_staff_register_people_living_in_their_scope(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.secretary_a)
    rows = [
        {"姓名": "张三", "手机号": "13811112222", "居住居民区": "华业居民区",
         "工作单位": "上海市作家协会"},
        {"姓名": "李四", "手机号": "13811112223", "居住居民区": "威海居民区",
         "工作单位": "上海市作家协会"},
        {"姓名": "王五", "手机号": "13811112224", "居住居民区": "华业居民区"},
    ]  # fmt: skip
    job = import_file(client, django_capture_on_commit_callbacks, rows)
    assert [(row, column, message) for row, column, message, _p in job.errors] == [
        (3, "居住居民区", cells.AREA_OUTSIDE),
        (4, "工作单位", importer.UNIT_NEEDED),
    ]
    job = import_file(client, django_capture_on_commit_callbacks, rows[:1])
    assert (job.status, job.created_count) == ("done", 1), job.errors
    assert MemberRegistration.objects.get().channel == "community"


def test_a_member_may_not_import(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.member)
    response = upload(client, KIND, xlsx(KIND, GOOD), django_capture_on_commit_callbacks)
    assert response.status_code == 403
    assert not MemberRegistration.objects.exists()


def test_each_community_secretary_is_told_once(client, world, django_capture_on_commit_callbacks):
    second = make_user("华业社工", "13900000099", Role.COMMUNITY_SECRETARY, area=world.community_a)
    client.force_login(world.liaison)
    import_file(client, django_capture_on_commit_callbacks, GOOD)
    told = Notification.objects.order_by("recipient_id")
    assert [(n.recipient, n.url) for n in told] == [
        (world.secretary_a, "/console/registrations/"),
        (second, "/console/registrations/"),
    ]
    assert all("3" in n.title for n in told)  # 3 rows of the file live in 华业居民区


def test_the_template_downloads_for_a_liaison(client, world):
    from .helpers import read_back

    client.force_login(world.liaison)
    response = client.get(f"/console/transfer/templates/{KIND}/")
    assert response.status_code == 200
    rows = read_back(b"".join(response.streaming_content))
    assert rows[0][:4] == ["姓名", "手机号", "身份证号", "居住居民区"]
    assert client.get("/console/transfer/templates/people/").status_code == 403
