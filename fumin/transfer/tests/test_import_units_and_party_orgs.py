from fumin.registry.models import PartyOrg, Unit

from .helpers import last_job, reasons, upload, xlsx

CODE_1 = "51310000MJ49775928"
CODE_2 = "91310000132200821H"


def run(client, capture, kind, rows):
    upload(client, kind, xlsx(kind, rows), capture)
    return last_job()


def test_units_import_once_and_a_reimport_changes_nothing(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.officer)
    rows = [
        {"单位名称": "静安寺商圈联合会", "单位类型": "新社会组织", "统一社会信用代码": CODE_1,
         "所在区域": "华业居民区", "楼宇/商圈": "恒隆广场", "联系人": "张明",
         "联系电话": "13811118888"},
        {"单位名称": "上海国际集团有限公司", "单位类型": "state_owned",
         "统一社会信用代码": CODE_2.lower(), "所在区域": "第一工作网格", "地址": "威海路511号"},
        # no credit code: found by its exact name in its area (the world's unit A)
        {"单位名称": "上海市作家协会", "单位类型": "社会团体", "所在区域": "华业居民区",
         "地址": "巨鹿路675号"},
    ]  # fmt: skip
    job = run(client, django_capture_on_commit_callbacks, "units", rows)
    assert job.status == "done", job.errors
    assert (job.created_count, job.updated_count, job.unchanged_count) == (2, 1, 0)
    first = Unit.objects.get(credit_code=CODE_1)
    assert (first.kind, first.place, first.area, first.name_initials) == (
        "new_social",
        world.place_a,
        world.community_a,
        "jassqlhh",
    )
    assert Unit.objects.get(credit_code=CODE_2).area == world.grid_1
    world.unit_a.refresh_from_db()
    assert world.unit_a.address == "巨鹿路675号"

    again = run(client, django_capture_on_commit_callbacks, "units", rows)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)

    rows[1]["单位名称"] = "上海国际集团"
    changed = run(client, django_capture_on_commit_callbacks, "units", rows)
    assert (changed.created_count, changed.updated_count, changed.unchanged_count) == (0, 1, 2)
    assert Unit.objects.get(credit_code=CODE_2).name_pinyin == "shanghaiguojijituan"


def test_bad_unit_rows_are_each_reported_and_nothing_is_stored(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.secretary_a)
    before = Unit.objects.count()
    rows = [
        {"单位名称": "好单位", "单位类型": "企业", "统一社会信用代码": CODE_1,
         "所在区域": "华业居民区"},
        {"单位名称": "坏代码", "单位类型": "企业", "统一社会信用代码": "91310000132200821X",
         "所在区域": "华业居民区"},
        {"单位名称": "坏类型", "单位类型": "公司", "所在区域": "华业居民区"},
        {"单位名称": "别人的", "单位类型": "企业", "所在区域": "威海居民区"},
        {"单位名称": "重复", "单位类型": "企业", "统一社会信用代码": CODE_1,
         "所在区域": "华业居民区"},
        {"单位类型": "企业", "所在区域": "华业居民区", "楼宇/商圈": "没有这栋楼"},
    ]  # fmt: skip
    job = run(client, django_capture_on_commit_callbacks, "units", rows)
    assert job.status == "failed"
    assert [(row, column) for row, column, _r in reasons(job)] == [
        (3, "统一社会信用代码"),
        (4, "单位类型"),
        (5, "所在区域"),
        (6, "统一社会信用代码"),
        (7, "单位名称"),
    ]
    assert "企业" in reasons(job)[1][2]  # the allowed values are listed
    assert Unit.objects.count() == before


def test_party_orgs_with_parents_in_the_same_file(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.officer)
    world.unit_b.credit_code = CODE_2
    world.unit_b.save()
    rows = [
        # the branch comes first; its parent is a row further down
        {"党组织名称": "公惠医院内科党支部", "类型": "党支部", "所属单位": CODE_2,
         "上级党组织": "公惠医院党委", "党员人数": 30},
        {"党组织名称": "公惠医院党委", "类型": "党委", "所属单位": "公惠医院",
         "上级党组织": "上海市作家协会机关党委", "书记": "李华", "党员人数": "120"},
        {"党组织名称": "华业居民区党总支", "类型": "党总支", "所属居民区": "华业居民区"},
        # the world's organisation, matched by name and unit
        {"党组织名称": "上海市作家协会机关党委", "类型": "党委", "所属单位": "上海市作家协会",
         "书记": "王安"},
    ]  # fmt: skip
    job = run(client, django_capture_on_commit_callbacks, "party_orgs", rows)
    assert job.status == "done", job.errors
    assert (job.created_count, job.updated_count, job.unchanged_count) == (3, 1, 0)
    branch = PartyOrg.objects.get(name="公惠医院内科党支部")
    committee = PartyOrg.objects.get(name="公惠医院党委")
    assert (branch.parent, branch.unit, branch.member_count) == (committee, world.unit_b, 30)
    assert (committee.parent, committee.secretary_name) == (world.party_org_a, "李华")
    assert PartyOrg.objects.get(name="华业居民区党总支").community == world.community_a
    world.party_org_a.refresh_from_db()
    assert (world.party_org_a.secretary_name, world.party_org_a.member_count) == ("王安", 120)

    again = run(client, django_capture_on_commit_callbacks, "party_orgs", rows)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 4)


def test_bad_party_org_rows_are_each_reported(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.secretary_a)
    before = PartyOrg.objects.count()
    rows = [
        {"党组织名称": "甲支部", "类型": "党支部", "所属居民区": "华业居民区",
         "上级党组织": "乙支部"},
        {"党组织名称": "乙支部", "类型": "党支部", "所属居民区": "华业居民区",
         "上级党组织": "甲支部"},
        {"党组织名称": "两个主人", "类型": "党支部", "所属单位": "上海市作家协会",
         "所属居民区": "华业居民区"},
        {"党组织名称": "没有主人", "类型": "党小组"},
        {"党组织名称": "自己", "类型": "党支部", "所属居民区": "华业居民区", "上级党组织": "自己"},
        {"党组织名称": "找不到上级", "类型": "党支部", "所属居民区": "华业居民区",
         "上级党组织": "不存在的党委"},
        {"党组织名称": "外单位党支部", "类型": "党支部", "所属单位": "公惠医院"},
        {"党组织名称": "人数不对", "类型": "党支部", "所属居民区": "华业居民区", "党员人数": "-3"},
    ]  # fmt: skip
    job = run(client, django_capture_on_commit_callbacks, "party_orgs", rows)
    assert job.status == "failed"
    assert [(row, column) for row, column, _r in reasons(job)] == [
        (2, "上级党组织"),  # a loop: 甲 → 乙 → 甲
        (3, "上级党组织"),
        (4, "所属居民区"),  # both owners
        (5, "类型"),
        (5, "所属单位"),  # no owner
        (6, "上级党组织"),  # its own parent
        (7, "上级党组织"),  # unknown
        (8, "所属单位"),  # not a unit secretary A can see
        (9, "党员人数"),
    ]
    assert PartyOrg.objects.count() == before
