"""The demo's three lists are the article's: its 2020 figures counted over records with plain
queries (and by ``fumin.lists.figures``), its 2021 projects, and needs in its communities."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from fumin.lists.figures import (
    community_small_projects,
    sectors_and_programmes_with_projects,
    volunteer_projects_claimed,
)
from fumin.lists.models import (
    Claim,
    ClaimCeremony,
    Match,
    Milestone,
    Need,
    Programme,
    Project,
    Resource,
    Sector,
)
from fumin.registry.models import Area, Unit


def seed():
    call_command("seed_demo", stdout=io.StringIO())


def counted_2020():
    """Projects of 2020 that count: published or later, not archived."""
    return Project.objects.filter(year=2020, archived_at__isnull=True).exclude(status="draft")


def counts():
    models = (Sector, Programme, Project, Claim, ClaimCeremony, Need, Resource, Match, Milestone)
    return [m.objects.count() for m in models] + [Unit.objects.count()]


@pytest.mark.django_db
def test_the_demo_lists_are_the_articles_figures_and_seeding_twice_adds_nothing():
    seed()
    subdistrict = Area.objects.get(name="南京西路街道")

    # "各居民区结合自身实际推出了43项“福民小项目”"
    assert counted_2020().filter(level="community").count() == 43
    # "认领公益志愿项目57个": distinct public-welfare projects with an active claim.
    claimed = (
        counted_2020()
        .filter(kind="public_welfare", claims__status="active")
        .values("pk")
        .distinct()
        .count()
    )
    assert claimed == 57
    # The dashboard counts claims by their date: from August to December 2020 (the article's
    # "since August", which includes the ceremony of 2020-12-17) that is 57 projects too.
    since_august = (
        Project.objects.filter(
            kind="public_welfare",
            archived_at__isnull=True,
            claims__status="active",
            claims__claimed_on__range=(date(2020, 8, 1), date(2020, 12, 31)),
        )
        .values("pk")
        .distinct()
        .count()
    )
    assert since_august == 57
    from fumin.kpis.definitions import KPIS
    from fumin.kpis.periods import Period

    period = Period(date(2020, 8, 1), date(2020, 12, 31))
    assert KPIS["volunteer_projects_claimed"].value(period) == 57
    assert KPIS["community_small_projects"].value(Period.year(2020)) == 43
    assert KPIS["sectors"].value(Period.year(2020)) == 6
    assert KPIS["programmes"].value(Period.year(2020)) == 20
    # "6大板块20个大项": sectors and programmes with projects in 2020.
    programmes = Programme.objects.filter(projects__in=counted_2020()).distinct()
    sectors = Sector.objects.filter(programmes__in=programmes).distinct()
    assert (sectors.count(), programmes.count()) == (6, 20)
    # The figures module counts the same, for the whole tree and for the subdistrict.
    for area in (None, subdistrict):
        assert community_small_projects(2020, area) == 43
        assert volunteer_projects_claimed(2020, area) == 57
        assert sectors_and_programmes_with_projects(2020, area) == (6, 20)

    # Records that must not count are there.
    assert Project.objects.filter(year=2020, level="community", status="draft").exists()
    unclaimed = counted_2020().filter(kind="public_welfare").exclude(claims__status="active")
    assert unclaimed.count() >= 2  # one published and unclaimed, one with its claim withdrawn
    assert Claim.objects.filter(status="withdrawn", project__year=2020).count() >= 2
    assert counted_2020().exclude(kind="public_welfare").filter(claims__status="active").exists()
    assert Programme.objects.filter(name="南西红", projects__year=2021).exists()
    assert not Programme.objects.filter(name="南西红", projects__year=2020).exists()
    several = (
        counted_2020()
        .annotate(active=Count("claims", filter=Q(claims__status="active")))
        .filter(active__gte=2)
    )
    assert several.count() >= 10  # several projects are claimed by two units, counted once
    # All 12 communities have small projects; the article's are there.
    assert counted_2020().filter(level="community").values("owner_area").distinct().count() == 12
    for community, name in [
        ("华业居民区", "“宠爱YOU+”社区流浪猫项目"),
        ("威海居民区", "“社区撰稿人”项目"),
        ("重华居民区", "爱国卫生运动·重华清洁家园"),
        ("威海居民区", "“创全”复评·威海洁净家园"),
        ("陕南居民区", "医院周边就医秩序志愿者队伍"),
    ]:
        assert counted_2020().get(name=name, owner_area__name=community).level == "community"
    assert Claim.objects.filter(
        project__name="爱国卫生运动·重华清洁家园", unit__name="公惠医院", status="active"
    ).exists()
    assert Claim.objects.filter(
        project__name="“创全”复评·威海洁净家园",
        unit__name="上海静安地铁投资有限公司",
        status="active",
    ).exists()

    # 2021: the seven adjusted projects, each saying what changed.
    adjusted = Project.objects.filter(year=2021, adjusted=True)
    assert adjusted.count() == 7
    assert not adjusted.filter(adjustment_note="").exists()
    names = set(adjusted.values_list("name", flat=True))
    for words in ("共话初心", "红色定向赛", "白领艺术学苑", "白领艺术团", "新联会读书会"):
        assert any(words in name for name in names), words
    assert {"社区益生圈", "爱的旋律"} <= names
    assert adjusted.filter(copied_from__year=2020).count() >= 3
    # The ceremony: four projects, each claimed by the unit the article names, with a plan.
    ceremony = ClaimCeremony.objects.get()
    ceremony_claims = {
        (c.project.name, c.unit.name): c for c in ceremony.claims.select_related("project", "unit")
    }
    assert set(ceremony_claims) == {
        ("红色印迹——优秀历史建筑参观", "上海建筑装饰（集团）有限公司"),
        ("对话十四五——规划师进社区", "上海市城市规划设计研究院"),
        ("“情暖妇幼 爱洒南西”——健康宣教义诊服务", "上海市第一妇婴保健院"),
        ("蓝天下的至爱——扶幼助学", "多特瑞（上海）商贸有限公司"),
    }
    for claim in ceremony_claims.values():
        assert len(claim.plan) > 40 and claim.mode and claim.project.year == 2021
        assert claim.claimed_on == ceremony.held_on
    assert Project.objects.filter(year=2021, name__contains="南西红").count() == 3

    # Needs where the article has them, in every state, with declined suggestions.
    for community, category in [
        ("华业居民区", "environment"),
        ("陕南居民区", "public_order"),
        ("重华居民区", "environment"),
        ("威海居民区", "environment"),
    ]:
        assert Need.objects.filter(area__name=community, category__code=category).exists()
    assert Need.objects.filter(title__contains="流浪猫", area__name="华业居民区").exists()
    statuses = set(Need.objects.values_list("status", flat=True))
    assert {"open", "matched", "in_project", "met", "closed"} <= statuses
    assert Match.objects.filter(decision="declined").exclude(note="").count() >= 3
    assert Match.objects.filter(decision="accepted").count() >= 5
    assert Need.objects.filter(source="resident", raised_by__mobile="13800000006").count() == 2
    assert Resource.objects.filter(provider="member").exists()
    assert Resource.objects.filter(provider="department").exists()
    assert Unit.objects.filter(name="上海南西爱宠动物诊所", credit_code__isnull=False).exists()

    before = counts()
    seed()
    assert counts() == before
    assert volunteer_projects_claimed(2020) == 57


@pytest.mark.django_db
def test_the_figures_leave_out_drafts_archived_projects_withdrawn_claims_and_other_areas(world):
    from fumin.lists.services import claim_withdraw, project_archive

    from .helpers import make_claim, make_programme, make_project

    programme = make_programme(world)
    counted = make_project(world, "流浪猫", year=2020, programme=programme)
    make_claim(world, project=counted)
    make_claim(world, project=counted, unit=world.unit_b)  # two claims: one project
    make_project(world, "草稿", year=2020, programme=programme, publish=False)
    withdrawn = make_project(world, "撤回", year=2020)
    claim_withdraw(actor=None, claim=make_claim(world, project=withdrawn), reason="人员调整")
    archived = make_project(world, "归档", year=2020, programme=programme)
    make_claim(world, project=archived)
    project_archive(actor=None, project=archived)
    culture = make_project(world, "文化", year=2020, kind="culture")
    make_claim(world, project=culture)
    make_project(world, "威海", year=2020, owner_area=world.community_b)

    assert volunteer_projects_claimed(2020) == 1
    assert volunteer_projects_claimed(2021) == 0
    assert community_small_projects(2020) == 4  # 流浪猫, 撤回, 文化, 威海
    assert community_small_projects(2020, world.community_b) == 1
    assert community_small_projects(2020, world.grid_2) == 0
    assert sectors_and_programmes_with_projects(2020) == (1, 1)
    assert sectors_and_programmes_with_projects(2020, world.community_b) == (0, 0)
