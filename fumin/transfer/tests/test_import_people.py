from django.utils import translation

from fumin.audit.models import AuditEntry
from fumin.core import crypto
from fumin.registry.models import Person
from fumin.registry.services import person_create

from .helpers import last_job, reasons, upload, xlsx

ID_A = "310106198503120024"
ID_B = "310101197001010013"
GOOD = [
    {"姓名": "张三", "手机号": "+86 138-1111-2222", "居住居民区": "华业居民区", "是否党员": "否",
     "技能特长": "书法"},
    {"姓名": "李四", "手机号": "13811112223", "身份证号": ID_A, "性别": "女",
     "居住居民区": "华业居民区"},
    {"姓名": "王五", "身份证号": ID_B, "性别": "男", "居住居民区": "华业居民区",
     "工作单位": "上海市作家协会", "是否党员": "是", "所在党组织": "上海市作家协会机关党委"},
]  # fmt: skip


def import_people(client, capture, rows, **options):
    upload(client, "people", xlsx("people", rows, **options), capture)
    return last_job()


def test_a_good_file_imports_every_row(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.secretary_a)
    before = Person.objects.count()
    job = import_people(client, django_capture_on_commit_callbacks, GOOD)
    assert (job.status, job.errors) == ("done", []), job.errors
    assert (job.created_count, job.updated_count, job.unchanged_count) == (3, 0, 0)
    assert (job.total_rows, job.processed_rows) == (3, 3)
    assert Person.objects.count() == before + 3

    zhang = Person.objects.get(mobile="13811112222")
    assert (zhang.name_pinyin, zhang.name_initials) == ("zhangsan", "zs")
    assert (zhang.skills, zhang.home_community, zhang.is_party_member) == (
        "书法",
        world.community_a,
        False,
    )
    li = Person.objects.get(mobile="13811112223")
    assert (li.gender, li.id_number_masked) == ("female", "3101**********0024")
    assert li.id_number_hash == crypto.keyed_hash(ID_A)
    assert crypto.decrypt(li.id_number_encrypted) == ID_A
    wang = Person.objects.get(id_number_hash=crypto.keyed_hash(ID_B))
    assert (wang.mobile, wang.work_unit, wang.party_org, wang.is_party_member) == (
        None,
        world.unit_a,
        world.party_org_a,
        True,
    )
    # One audit entry for the whole import, pointing at the job; no ID number in it.
    entries = AuditEntry.objects.filter(target_type="transfer.importjob", target_id=str(job.pk))
    assert [(e.action, e.changes["after"]) for e in entries] == [
        ("create", {"created": 3, "updated": 0})
    ]
    assert ID_A not in str(entries[0].changes) + entries[0].note


def test_importing_the_same_file_twice_stores_it_once(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.secretary_a)
    import_people(client, django_capture_on_commit_callbacks, GOOD)
    count, audited = Person.objects.count(), AuditEntry.objects.count()
    again = import_people(client, django_capture_on_commit_callbacks, GOOD)
    assert again.status == "done"
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)
    assert Person.objects.count() == count
    assert AuditEntry.objects.count() == audited  # nothing changed, nothing to audit


def test_a_changed_row_updates_only_what_changed_and_empty_cells_keep_values(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.secretary_a)
    import_people(client, django_capture_on_commit_callbacks, GOOD)
    changed = [dict(row) for row in GOOD]
    changed[0].update({"姓名": "张三丰", "技能特长": "太极"})  # matched by mobile
    changed[2]["性别"] = None  # an empty cell: the stored value stays
    changed[2]["所在党组织"] = None
    job = import_people(client, django_capture_on_commit_callbacks, changed)
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 1, 2)
    zhang = Person.objects.get(mobile="13811112222")
    assert (zhang.name, zhang.name_pinyin, zhang.skills) == ("张三丰", "zhangsanfeng", "太极")
    wang = Person.objects.get(id_number_hash=crypto.keyed_hash(ID_B))
    assert (wang.gender, wang.party_org) == ("male", world.party_org_a)
    update = AuditEntry.objects.get(target_type="transfer.importjob", target_id=str(job.pk))
    assert (update.action, update.changes["after"]) == ("update", {"created": 0, "updated": 1})


def test_every_bad_row_is_reported_in_chinese_and_nothing_is_stored(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.secretary_a)
    before, audited = Person.objects.count(), AuditEntry.objects.count()
    rows = [
        {"姓名": "好人", "手机号": "13811113333", "居住居民区": "华业居民区"},  # row 2: good
        {"姓名": "坏号码", "手机号": "12345", "居住居民区": "华业居民区"},  # row 3
        {"姓名": "坏证件", "身份证号": "310106198503120025", "居住居民区": "华业居民区"},  # 4
        {"手机号": "13811113334", "居住居民区": "华业居民区", "性别": "未知"},  # 5: two errors
        {"姓名": "无处", "手机号": "13811113335", "居住居民区": "不存在居民区"},  # 6
        {"姓名": "重复", "手机号": "13811113333", "居住居民区": "华业居民区"},  # 7
        {"姓名": "无号", "居住居民区": "华业居民区"},  # 8
        {"姓名": "党员?", "手机号": "13811113336", "居住居民区": "华业居民区", "是否党员": "也许"},
        {"姓名": "数字证件", "身份证号": 310106198503120024, "居住居民区": "华业居民区"},  # 10
    ]
    job = import_people(client, django_capture_on_commit_callbacks, rows)
    assert job.status == "failed"
    with translation.override("zh-hans"):
        mobile_reason = translation.gettext(
            "Enter a valid mainland China mobile number (11 digits, starting with 1)."
        )
    assert mobile_reason == "请输入有效的中国大陆手机号（11 位数字，以 1 开头）。"
    found = reasons(job)
    assert [(row, column) for row, column, _reason in found] == [
        (3, "手机号"),
        (4, "身份证号"),
        (5, "姓名"),
        (5, "性别"),
        (6, "居住居民区"),
        (7, "手机号"),
        (8, "手机号"),
        (9, "是否党员"),
        (10, "身份证号"),
    ]
    assert found[0][2] == mobile_reason
    assert all(reason for _row, _column, reason in found)
    assert "2" in found[5][2]  # the duplicate names the row it repeats
    assert Person.objects.count() == before
    assert AuditEntry.objects.count() == audited

    page = client.get(f"/console/transfer/jobs/{job.public_id}/").content.decode()
    assert page.count('data-testid="error-row"') == 9
    assert mobile_reason in page


def test_duplicate_id_numbers_within_the_file_are_rejected(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.secretary_a)
    rows = [
        {"姓名": "甲", "身份证号": ID_A, "居住居民区": "华业居民区"},
        {"姓名": "乙", "身份证号": ID_A.lower(), "手机号": "13811114444",
         "居住居民区": "华业居民区"},
    ]  # fmt: skip
    job = import_people(client, django_capture_on_commit_callbacks, rows)
    assert [(row, column) for row, column, _r in reasons(job)] == [(3, "身份证号")]
    assert job.errors[0][3] == {"row": 2}
    assert not Person.objects.filter(name__in=["甲", "乙"]).exists()


def test_a_secretary_cannot_import_people_of_another_community(
    client, world, django_capture_on_commit_callbacks
):
    person_create(
        actor=None, name="威海居民", mobile="13811115555", home_community=world.community_b
    )
    client.force_login(world.secretary_a)
    rows = [
        {"姓名": "越界", "手机号": "13811115556", "居住居民区": "威海居民区"},
        {"姓名": "改别人", "手机号": "13811115555", "技能特长": "篡改"},
        {"姓名": "没有居民区", "手机号": "13811115557"},
        {"姓名": "外单位", "手机号": "13811115558", "工作单位": "公惠医院"},
    ]
    job = import_people(client, django_capture_on_commit_callbacks, rows)
    assert [(row, column) for row, column, _r in reasons(job)] == [
        (2, "居住居民区"),
        (3, "姓名"),
        (4, "居住居民区"),
        (5, "工作单位"),  # not a unit secretary A can see, and it has no credit code
    ]
    assert not Person.objects.filter(mobile__in=["13811115556", "13811115557"]).exists()
    assert Person.objects.get(mobile="13811115555").skills == ""


def test_a_person_is_found_by_id_number_then_mobile_and_conflicts_are_refused(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.secretary_a)
    person_a_id = "11010519491231002X"
    rows = [
        # person A by ID number, with a new mobile number
        {"姓名": "金晓东", "身份证号": person_a_id, "手机号": "13811116666"},
    ]
    job = import_people(client, django_capture_on_commit_callbacks, rows)
    assert (job.status, job.updated_count) == ("done", 1)
    world.person_a.refresh_from_db()
    assert world.person_a.mobile == "13811116666"

    conflicting = [{"姓名": "金晓东", "手机号": "13811116666", "身份证号": ID_A}]
    job = import_people(client, django_capture_on_commit_callbacks, conflicting)
    assert [(row, column) for row, column, _r in reasons(job)] == [(2, "身份证号")]

    # found by mobile, the ID number missing so far is added
    person_create(actor=None, name="赵六", mobile="13811117777", home_community=world.community_a)
    job = import_people(
        client, django_capture_on_commit_callbacks,
        [{"姓名": "赵六", "手机号": "13811117777", "身份证号": ID_B}],
    )  # fmt: skip
    assert (job.status, job.updated_count) == ("done", 1)
    assert Person.objects.get(mobile="13811117777").id_number_masked == "3101**********0013"


def test_a_liaison_may_not_import(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.liaison)
    response = upload(client, "people", xlsx("people", GOOD), django_capture_on_commit_callbacks)
    assert response.status_code == 403
    assert last_job() is None


def test_the_example_row_of_the_template_is_skipped(
    client, world, django_capture_on_commit_callbacks
):
    from fumin.transfer.columns import PEOPLE

    example = {column.header: column.example for column in PEOPLE.columns}
    client.force_login(world.secretary_a)
    job = import_people(client, django_capture_on_commit_callbacks, [example, GOOD[0]])
    assert (job.status, job.created_count) == ("done", 1)
    assert not Person.objects.filter(name="王小明").exists()
