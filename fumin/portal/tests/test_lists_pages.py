"""The three lists on the portal: the public project list and page, raising a need, my needs."""

from django.urls import reverse
from django.utils import timezone

from fumin.lists.models import Need, Project
from fumin.lists.services import milestone_add, milestone_set_done, project_archive
from fumin.lists.tests.helpers import category, make_claim, make_programme, make_project

LIST = reverse("portal:project_list")


def detail(project):
    return reverse("portal:project_detail", args=[project.public_id])


def test_anyone_sees_published_projects_with_their_units_and_progress_never_drafts(world, client):
    programme = make_programme(world, sector_name="公益志愿", name="社区益生圈")
    cats = make_project(world, "宠爱YOU+社区流浪猫项目", year=2020, programme=programme)
    make_claim(world, project=cats)
    make_claim(world, project=cats, unit=world.unit_b, plan="医护志愿者参与")
    first, _second = (milestone_add(actor=None, project=cats, title=t) for t in ("方案", "实施"))
    milestone_set_done(actor=None, milestone=first)
    draft = make_project(world, "筹备中的草稿项目", year=2020, publish=False)
    archived = make_project(world, "已归档项目", year=2020)
    project_archive(actor=None, project=archived)
    next_year = timezone.localdate().year + 1
    future = make_project(world, "明年的项目", year=next_year)

    response = client.get(LIST)  # anonymous: the list is public
    assert response.status_code == 200
    page = response.content.decode()
    assert "宠爱YOU+社区流浪猫项目" in page
    assert "上海市作家协会、公惠医院" in page  # the units that claimed it, in claim order
    assert "50%" in page  # one of two milestones done
    for hidden in ("筹备中的草稿项目", "已归档项目", "明年的项目"):
        assert hidden not in page
    assert client.get(detail(cats)).status_code == 200
    for hidden in (draft, archived, future):
        assert client.get(detail(hidden)).status_code == 404
    assert "accounts/login" in page  # anonymous visitors are offered to log in

    client.force_login(world.member)
    page = client.get(LIST).content.decode()
    assert "宠爱YOU+社区流浪猫项目" in page and reverse("portal:my_needs") in page


def test_the_list_filters_by_year_sector_and_level(world, client):
    service = make_programme(world, sector_name="为民服务", name="健康服务")
    culture = make_programme(world, sector_name="文化艺术", name="白领艺术学苑")
    make_project(world, "健康义诊2020", year=2020, programme=service)
    make_project(world, "艺术学苑2021", year=2021, programme=culture)
    make_project(
        world,
        "街道联组学习",
        year=2021,
        level=Project.Level.SUBDISTRICT,
        owner_area=world.subdistrict,
        kind="study",
    )
    client.force_login(world.member)

    def names(**query):
        response = client.get(LIST, query)
        assert response.status_code == 200
        return {p.name for p in response.context["page"].object_list}

    assert names() == {"健康义诊2020", "艺术学苑2021", "街道联组学习"}
    assert names(year=2021) == {"艺术学苑2021", "街道联组学习"}
    assert names(sector=culture.sector.pk) == {"艺术学苑2021"}
    assert names(level="subdistrict") == {"街道联组学习"}
    assert names(year=2021, level="community") == {"艺术学苑2021"}
    # Newest year first; an unknown filter value is ignored rather than failing.
    assert names(year=1999) == {"健康义诊2020", "艺术学苑2021", "街道联组学习"}
    years = [p.year for p in client.get(LIST).context["page"].object_list]
    assert years == sorted(years, reverse=True)


def test_a_projects_page_shows_the_claims_plans_milestones_and_adjustment(world, client):
    project = make_project(
        world,
        "“Nancy·show”白领艺术学苑",
        year=2021,
        adjusted=True,
        adjustment_note="开设电钢琴、古典舞课程",
    )
    make_claim(world, project=project, mode="expertise", plan="作家每月一次写作课")
    milestone_add(actor=None, project=project, title="招募学员")
    page = client.get(detail(project)).content.decode()
    assert "作家每月一次写作课" in page and "上海市作家协会" in page
    assert "招募学员" in page and "开设电钢琴、古典舞课程" in page
    assert 'data-testid="adjustment-note"' in page


def test_a_resident_raises_a_need_and_sees_it_with_its_status(world, client):
    client.force_login(world.member)
    form = client.get(reverse("portal:need_new"))
    assert form.status_code == 200 and "华业居民区" in form.content.decode()

    response = client.post(
        reverse("portal:need_new"),
        {
            "title": "中心花园健身器材损坏",
            "description": "两台健身器材螺丝松动，老人锻炼有危险。",
            "category": category("culture_sports").pk,
            "beneficiary_group": "老年居民",
            "expected_beneficiaries": "30",
        },
    )
    assert response.status_code == 302 and response.url == reverse("portal:my_needs")
    need = Need.objects.get(title="中心花园健身器材损坏")
    assert (need.source, need.area, need.raised_by, need.status) == (
        "resident",
        world.community_a,
        world.member,
        "open",
    )
    assert need.expected_beneficiaries == 30

    page = client.get(reverse("portal:my_needs")).content.decode()
    assert "中心花园健身器材损坏" in page and 'data-testid="need-status"' in page


def test_bad_input_names_the_field_and_keeps_what_was_typed(world, client):
    client.force_login(world.member)
    response = client.post(
        reverse("portal:need_new"),
        {"title": "", "description": "楼道灯坏了三个月，晚上看不见台阶。", "category": "",
         "expected_beneficiaries": "很多"},
    )  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    errors = response.context["form"].errors
    assert {"title", "category", "expected_beneficiaries"} <= set(errors)
    assert "楼道灯坏了三个月，晚上看不见台阶。" in page  # nothing typed is lost
    assert 'id="id_title-error"' in page
    assert not Need.objects.exists()


def test_an_account_without_a_community_is_told_so_and_keeps_its_text(world, client):
    client.force_login(world.outsider)
    assert 'data-testid="no-community"' in client.get(reverse("portal:need_new")).content.decode()
    response = client.post(
        reverse("portal:need_new"),
        {"title": "希望增加路灯", "description": "弄堂太暗", "category": category("other").pk},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert response.context["form"].non_field_errors()  # the service's reason, on the form
    assert "希望增加路灯" in page and "弄堂太暗" in page
    assert not Need.objects.exists()


def test_my_needs_shows_only_my_own(world, client):
    from fumin.lists.tests.helpers import make_need

    make_need(world, title="社工登记的需求")
    client.force_login(world.member)
    client.post(
        reverse("portal:need_new"),
        {"title": "居民自己提的需求", "description": "说明", "category": category("other").pk},
    )  # not "我的需求": that is the page's own title ("My needs")
    page = client.get(reverse("portal:my_needs")).content.decode()
    assert "居民自己提的需求" in page and "社工登记的需求" not in page
    client.force_login(world.secretary_a)
    assert "居民自己提的需求" not in client.get(reverse("portal:my_needs")).content.decode()
