"""The console pages of the three lists: needs with the matching workbench, resources, projects
with milestones and claims, claim certificates and ceremonies, and the Excel exports."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fumin.audit.models import AuditEntry
from fumin.lists.models import Claim, Match, Milestone, Need, Project, Resource
from fumin.lists.services import ceremony_create, milestone_add, need_create, need_set_status
from fumin.lists.tests.helpers import (
    category,
    make_claim,
    make_need,
    make_programme,
    make_project,
    make_resource,
)


def need_in_b(world, title, **fields):
    fields.setdefault("category", category("environment"))
    return need_create(
        actor=world.secretary_b,
        title=title,
        description=fields.pop("description", "威海居民区的需求"),
        area=world.community_b,
        **fields,
    )


def url(name, record=None, **kwargs):
    if record is not None:
        kwargs["public_id"] = record.public_id
    return reverse(f"console:{name}", kwargs=kwargs or None)


def sheet_rows(response):
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(workbook.active.iter_rows(values_only=True))


@pytest.fixture
def need(world):
    return make_need(world)


@pytest.fixture
def resource(world):
    return make_resource(world)


# Needs: list, filters, export -------------------------------------------------------------------


def test_needs_list_filters_by_text_status_category_community_and_urgency(client, world):
    make_need(world, title="流浪猫扰民")
    make_need(world, title="楼道堆物", description="楼道里堆满杂物", urgency="urgent")
    need_in_b(world, "老人助餐", description="独居老人吃饭难", category=category("elderly_care"))
    client.force_login(world.officer)

    def titles(**params):
        response = client.get(url("need_index"), params)
        assert response.status_code == 200
        return {n.title for n in response.context["needs"]}

    assert titles() == {"流浪猫扰民", "楼道堆物", "老人助餐"}
    assert titles(q="楼道") == {"楼道堆物"}
    assert titles(urgency="urgent") == {"楼道堆物"}
    assert titles(category="elderly_care") == {"老人助餐"}
    assert titles(community=str(world.community_b.public_id)) == {"老人助餐"}
    assert titles(status="closed") == set()
    assert titles(status="bogus") == {"流浪猫扰民", "楼道堆物", "老人助餐"}


def test_needs_list_is_scoped_and_htmx_returns_the_table(client, world):
    make_need(world, title="华业的需求")
    need_in_b(world, "威海的需求")
    client.force_login(world.secretary_b)
    response = client.get(url("need_index"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.templates[0].name == "console/lists/needs/_table.html"
    assert {n.title for n in response.context["needs"]} == {"威海的需求"}


def test_needs_list_runs_bounded_queries(client, world, django_assert_max_num_queries):
    for number in range(30):
        make_need(world, title=f"需求{number}")
    client.force_login(world.officer)
    with django_assert_max_num_queries(12):
        response = client.get(url("need_index"))
    assert response.status_code == 200
    assert len(response.context["needs"]) == 25


def test_needs_export_has_the_filtered_rows_and_is_audited(client, world):
    make_need(world, title="流浪猫扰民")
    make_need(world, title="楼道堆物", description="楼道里堆满杂物")
    client.force_login(world.secretary_a)
    response = client.get(url("need_export"), {"q": "楼道"})
    assert response.status_code == 200
    rows = sheet_rows(response)
    assert len(rows) == 2 and rows[1][0] == "楼道堆物"
    assert "沈美华" not in str(rows)  # the raiser is named by role only
    entry = AuditEntry.objects.get(action="export")
    assert entry.changes["after"]["list"] == "needs" and entry.changes["after"]["rows"] == 1


# Needs: form and status -------------------------------------------------------------------------


def test_a_secretary_posts_a_need(client, world):
    client.force_login(world.secretary_a)
    response = client.post(
        url("need_create"),
        {
            "title": "楼道灯坏了",
            "description": "3号楼楼道灯不亮",
            "category": category("environment").pk,
            "area": world.community_a.pk,
            "urgency": "high",
        },
    )
    need = Need.objects.get(title="楼道灯坏了")
    assert response.status_code == 302 and response.url == url("need_detail", need)
    assert need.events.count() == 1


def test_bad_need_input_names_the_fields(client, world):
    client.force_login(world.secretary_a)
    response = client.post(
        url("need_create"),
        {"title": "", "description": "", "area": world.community_b.pk, "urgency": "x"},
    )
    assert response.status_code == 400
    assert {"title", "description", "category", "area", "urgency"} <= set(
        response.context["form"].errors
    )
    assert not Need.objects.exists()


def test_editing_a_need_of_another_community_is_not_found(client, world, need):
    client.force_login(world.secretary_b)
    assert client.get(url("need_edit", need)).status_code == 404
    client.force_login(world.liaison)  # sees the open need, may not edit it
    assert client.get(url("need_edit", need)).status_code == 403


def test_closing_a_need_needs_a_reason_and_is_kept_in_the_history(client, world, need):
    client.force_login(world.secretary_a)
    response = client.post(url("need_close", need), {"note": ""})
    assert response.status_code == 400
    assert response.context["close_form"].errors["note"]
    need.refresh_from_db()
    assert need.status == "open"
    response = client.post(url("need_close", need), {"note": "已由物业解决"})
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.status == "closed"
    page = client.get(url("need_detail", need)).content.decode()
    assert "已由物业解决" in page
    assert client.post(url("need_reopen", need)).status_code == 302
    need.refresh_from_db()
    assert need.status == "open"


def test_an_open_need_cannot_be_marked_met(client, world, need):
    client.force_login(world.secretary_a)
    response = client.post(url("need_mark_met", need))
    assert response.status_code == 400
    need.refresh_from_db()
    assert need.status == "open"


# The matching workbench -------------------------------------------------------------------------


def test_the_workbench_shows_suggestions_with_score_and_reasons(client, world, need, resource):
    client.force_login(world.secretary_a)
    response = client.get(url("need_detail", need))
    assert response.status_code == 200
    (item,) = response.context["suggestions"]
    assert item["suggestion"].resource == resource
    page = response.content.decode()
    assert resource.title in page and 'data-testid="score"' in page
    assert "chip-reason" in page


def test_accepting_a_suggestion_stores_the_decision_and_matches_the_need(
    client, world, need, resource
):
    client.force_login(world.secretary_a)
    response = client.post(url("need_accept", need), {"resource": resource.public_id})
    assert response.status_code == 302
    match = Match.objects.get(need=need, resource=resource)
    assert match.decision == "accepted" and match.decided_by == world.secretary_a
    assert match.score is not None and match.reasons
    need.refresh_from_db()
    assert need.status == "matched"
    response = client.get(url("need_detail", need))
    assert response.context["suggestions"] == []
    assert len(response.context["decisions"]) == 1


def test_declining_a_suggestion_with_a_note_hides_it(client, world, need, resource):
    client.force_login(world.secretary_a)
    response = client.post(
        url("need_decline", need), {"resource": resource.public_id, "note": "距离太远"}
    )
    assert response.status_code == 302
    match = Match.objects.get(need=need, resource=resource)
    assert match.decision == "declined" and match.note == "距离太远"
    need.refresh_from_db()
    assert need.status == "open"
    assert client.get(url("need_detail", need)).context["suggestions"] == []


def test_a_decision_without_a_resource_is_refused(client, world, need):
    client.force_login(world.secretary_a)
    response = client.post(url("need_accept", need), {"resource": "not-a-uuid"})
    assert response.status_code == 400
    assert response.context["errors"]
    assert not Match.objects.exists()


def test_a_liaison_may_not_decide_on_a_need(client, world, need, resource):
    client.force_login(world.liaison)
    response = client.post(url("need_accept", need), {"resource": resource.public_id})
    assert response.status_code == 403
    assert not Match.objects.exists()


def test_starting_a_project_from_a_suggestion(client, world, need, resource):
    client.force_login(world.secretary_a)
    response = client.post(
        url("need_start_project", need),
        {
            "resource": resource.public_id,
            "name": "宠爱YOU+",
            "kind": "public_welfare",
            "year": "2021",
            "level": "community",
        },
    )
    project = Project.objects.get(name="宠爱YOU+")
    assert response.status_code == 302 and response.url == url("project_detail", project)
    assert list(project.needs.all()) == [need] and list(project.resources.all()) == [resource]
    assert Match.objects.get(need=need, resource=resource).project == project
    need.refresh_from_db()
    assert need.status == "in_project"


def test_a_bad_start_project_form_keeps_what_was_typed(client, world, need, resource):
    client.force_login(world.secretary_a)
    response = client.post(
        url("need_start_project", need),
        {"resource": resource.public_id, "name": "宠爱YOU+", "kind": "", "year": "1900"},
    )
    assert response.status_code == 400
    (item,) = response.context["suggestions"]
    form = item["start_form"]
    assert {"kind", "year", "level"} <= set(form.errors)
    assert 'value="宠爱YOU+"' in response.content.decode()
    assert not Project.objects.exists()


# Resources --------------------------------------------------------------------------------------


def test_resources_list_filters(client, world):
    make_resource(world, title="宠物医院绝育义诊")
    make_resource(world, title="会议室", kind="venue", unit=world.unit_b)
    client.force_login(world.officer)

    def titles(**params):
        return {r.title for r in client.get(url("resource_index"), params).context["resources"]}

    assert titles() == {"宠物医院绝育义诊", "会议室"}
    assert titles(kind="venue") == {"会议室"}
    assert titles(q="公惠") == {"会议室"}  # the provider's name
    assert titles(community=str(world.community_b.public_id)) == {"会议室"}
    assert titles(provider="department") == set()
    assert titles(category="elderly_care") == set()


def test_resources_list_runs_bounded_queries(client, world, django_assert_max_num_queries):
    for number in range(30):
        make_resource(world, title=f"资源{number}")
    client.force_login(world.officer)
    with django_assert_max_num_queries(12):
        response = client.get(url("resource_index"))
    assert len(response.context["resources"]) == 25


def test_a_liaison_offers_a_resource_of_their_unit(client, world):
    client.force_login(world.liaison)
    response = client.post(
        url("resource_create"),
        {
            "title": "作协讲座",
            "kind": "expertise",
            "category": category("culture_sports").pk,
            "provider": "unit",
            "unit": world.unit_a.pk,
        },
    )
    resource = Resource.objects.get(title="作协讲座")
    assert response.status_code == 302, response.context["form"].errors
    assert resource.unit == world.unit_a and resource.area == world.community_a


def test_a_liaison_cannot_offer_for_another_unit_or_a_department(client, world):
    client.force_login(world.liaison)
    response = client.post(
        url("resource_create"),
        {
            "title": "医院义诊",
            "kind": "services",
            "category": category("health").pk,
            "provider": "unit",
            "unit": world.unit_b.pk,
        },
    )
    assert response.status_code == 400 and "unit" in response.context["form"].errors
    form = client.get(url("resource_create")).context["form"]
    assert "department" not in form.fields


def test_subdistrict_staff_offer_a_department_resource(client, world):
    client.force_login(world.officer)
    response = client.post(
        url("resource_create"),
        {
            "title": "社区卫生服务中心健康讲座",
            "kind": "expertise",
            "category": category("health").pk,
            "provider": "department",
            "department": "社区事务受理服务中心",
            "area": world.subdistrict.pk,
        },
    )
    assert response.status_code == 302
    assert Resource.objects.get(department="社区事务受理服务中心").provider == "department"


def test_a_provider_missing_is_named(client, world):
    client.force_login(world.officer)
    response = client.post(
        url("resource_create"),
        {"title": "x", "kind": "venue", "category": category("health").pk, "provider": "member"},
    )
    assert response.status_code == 400
    assert "person" in response.context["form"].errors


def test_resource_detail_suggests_needs_and_accepts_from_there(client, world, need, resource):
    client.force_login(world.secretary_a)
    response = client.get(url("resource_detail", resource))
    (item,) = response.context["suggestions"]
    assert item["need"] == need and item["can_decide"]
    next_url = url("resource_detail", resource)
    response = client.post(
        url("need_accept", need), {"resource": resource.public_id, "next": next_url}
    )
    assert response.status_code == 302 and response.url == next_url
    assert Match.objects.get(need=need, resource=resource).decision == "accepted"


def test_archiving_a_resource_and_export(client, world, resource):
    client.force_login(world.liaison)
    assert client.post(url("resource_archive", resource)).status_code == 302
    resource.refresh_from_db()
    assert resource.archived_at is not None
    make_resource(world, title="会议室", kind="venue")
    client.force_login(world.officer)
    rows = sheet_rows(client.get(url("resource_export")))
    assert [r[0] for r in rows[1:]] == ["会议室"]


# Projects ---------------------------------------------------------------------------------------


def test_projects_list_filters_and_shows_claims_and_progress(client, world):
    programme = make_programme(world)
    claimed = make_project(world, name="宠爱YOU+", programme=programme)
    make_claim(world, project=claimed)
    milestone_add(actor=None, project=claimed, title="启动")
    milestone_add(actor=None, project=claimed, title="结项")
    make_project(world, name="老街故事", year=2020, kind="culture")
    make_project(world, name="草稿项目", publish=False)
    client.force_login(world.officer)

    def rows(**params):
        response = client.get(url("project_index"), params)
        return {p.name: p for p in response.context["projects"]}

    everything = rows()
    assert set(everything) == {"宠爱YOU+", "老街故事", "草稿项目"}
    assert everything["宠爱YOU+"].claim_count == 1 and everything["宠爱YOU+"].progress == 0
    assert set(rows(year="2020")) == {"老街故事"}
    assert set(rows(kind="culture")) == {"老街故事"}
    assert set(rows(status="draft")) == {"草稿项目"}
    assert set(rows(programme=str(programme.pk))) == {"宠爱YOU+"}
    assert set(rows(sector=str(programme.sector.pk))) == {"宠爱YOU+"}
    assert set(rows(q="laojie")) == {"老街故事"}
    assert set(rows(adjusted="yes")) == set()
    client.force_login(world.liaison)  # a liaison sees published projects only
    assert set(rows()) == {"宠爱YOU+", "老街故事"}


def test_projects_list_runs_bounded_queries(client, world, django_assert_max_num_queries):
    for number in range(30):
        project = make_project(world, name=f"项目{number}")
        milestone_add(actor=None, project=project, title="启动")
    client.force_login(world.officer)
    with django_assert_max_num_queries(14):
        response = client.get(url("project_index"))
    assert len(response.context["projects"]) == 25


def test_project_export_rows(client, world):
    project = make_project(world, name="宠爱YOU+")
    make_claim(world, project=project)
    make_project(world, name="老街故事", year=2020)
    client.force_login(world.officer)
    rows = sheet_rows(client.get(url("project_export"), {"year": "2021"}))
    assert len(rows) == 2
    assert rows[1][0] == 2021 and rows[1][1] == "宠爱YOU+" and rows[1][8] == 1


def test_a_secretary_creates_a_small_project_and_a_bad_area_is_named(client, world):
    client.force_login(world.secretary_a)
    data = {
        "name": "楼道微更新",
        "level": "community",
        "kind": "governance",
        "year": "2021",
        "owner_area": world.community_a.pk,
    }
    response = client.post(url("project_create"), data)
    project = Project.objects.get(name="楼道微更新")
    assert response.status_code == 302 and project.status == "draft"
    client.force_login(world.officer)
    response = client.post(
        url("project_create"), data | {"name": "街道项目", "level": "subdistrict"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["owner_area"]


def test_project_status_actions_and_evaluation(client, world):
    project = make_project(world, publish=False)
    client.force_login(world.secretary_a)
    detail = url("project_detail", project)

    def move(status, **extra):
        return client.post(url("project_set_status", project), {"status": status, **extra})

    assert move("published").status_code == 302
    assert move("draft").status_code == 302
    assert move("published").status_code == 302
    assert move("in_progress").status_code == 302
    assert move("completed").status_code == 302
    response = move("evaluated", evaluation="")
    assert response.status_code == 400
    assert response.context["evaluate_form"].errors["evaluation"]
    assert move("evaluated", evaluation="居民满意度高").status_code == 302
    project.refresh_from_db()
    assert project.status == "evaluated" and project.evaluation == "居民满意度高"
    response = move("draft")
    assert response.status_code == 400 and response.context["errors"]
    page = client.get(detail).content.decode()
    assert "居民满意度高" in page


def test_another_communitys_secretary_cannot_change_a_project(client, world):
    project = make_project(world, publish=False)
    client.force_login(world.secretary_b)
    assert client.get(url("project_detail", project)).status_code == 404  # a draft elsewhere
    project = make_project(world, name="已发布")
    assert client.get(url("project_detail", project)).status_code == 200
    response = client.post(url("project_set_status", project), {"status": "in_progress"})
    assert response.status_code == 403


def test_milestones_give_the_progress(client, world):
    project = make_project(world)
    client.force_login(world.secretary_a)
    assert client.post(url("project_milestone_add", project), {"title": ""}).status_code == 400
    for title in ("招募志愿者", "绝育手术", "领养日"):
        client.post(url("project_milestone_add", project), {"title": title})
    first = Milestone.objects.get(title="招募志愿者")
    response = client.post(
        url("project_milestone_done", public_id=project.public_id, milestone_id=first.pk)
    )
    assert response.status_code == 302
    response = client.get(url("project_detail", project))
    assert response.context["progress"] == 33
    project.refresh_from_db()
    assert project.status == "in_progress"  # the first ticked milestone starts it


def test_copy_forward_and_mark_adjusted(client, world):
    project = make_project(world)
    milestone_add(actor=None, project=project, title="启动")
    client.force_login(world.secretary_a)
    response = client.post(url("project_copy_forward", project), {"year": "2022"})
    copy = Project.objects.get(copied_from=project)
    assert response.status_code == 302 and response.url == url("project_detail", copy)
    assert copy.year == 2022 and copy.status == "draft" and copy.milestones.count() == 1
    response = client.post(url("project_copy_forward", project), {"year": "2022"})
    assert response.status_code == 400 and response.context["copy_form"].errors["year"]
    response = client.post(url("project_mark_adjusted", copy), {"note": ""})
    assert response.status_code == 400
    assert (
        client.post(url("project_mark_adjusted", copy), {"note": "改为季度活动"}).status_code == 302
    )
    copy.refresh_from_db()
    assert copy.adjusted and copy.adjustment_note == "改为季度活动"


def test_a_liaison_claims_a_project_for_their_unit(client, world):
    project = make_project(world)
    client.force_login(world.liaison)
    page = client.get(url("project_detail", project))
    assert list(page.context["claim_form"].fields["unit"].queryset) == [world.unit_a]
    response = client.post(
        url("project_claim_record", project),
        {"unit": world.unit_a.pk, "mode": "volunteers", "plan": "每月组织志愿者"},
    )
    assert response.status_code == 302
    claim = Claim.objects.get(project=project)
    assert claim.unit == world.unit_a and claim.certificate_number.startswith("FM2021-")
    response = client.post(
        url("project_claim_record", project),
        {"unit": world.unit_a.pk, "mode": "volunteers", "plan": "再认领一次"},
    )
    assert response.status_code == 400
    assert response.context["claim_form"].errors["unit"]


def test_a_liaison_is_offered_to_withdraw_only_their_own_units_claim(client, world):
    """Every liaison sees who claimed a project; withdrawing is offered only where allowed (the
    other unit's claim is refused: not found for the liaison)."""
    project = make_project(world)
    own = make_claim(world, project=project)
    other = make_claim(world, project=project, unit=world.unit_b)
    client.force_login(world.liaison)
    page = client.get(url("project_detail", project))
    offered = {c.unit for c in page.context["claims"] if c.can_withdraw}
    assert offered == {world.unit_a}
    html = page.content.decode()
    assert html.count('data-testid="claim-withdraw"') == 1
    assert url("claim_withdraw", own) in html and url("claim_withdraw", other) not in html
    assert client.post(url("claim_withdraw", other), {"reason": "试试"}).status_code in (403, 404)
    other.refresh_from_db()
    assert other.status == Claim.Status.ACTIVE
    client.force_login(world.officer)
    page = client.get(url("project_detail", project))
    assert all(c.can_withdraw for c in page.context["claims"])


def test_sectors_and_programmes_page(client, world):
    client.force_login(world.officer)
    response = client.post(url("sector_index"), {"form": "sector", "sector-name": "红色文化"})
    assert response.status_code == 302
    response = client.post(url("sector_index"), {"form": "sector", "sector-name": "红色文化"})
    assert response.status_code == 400  # the name is taken
    sector = response.context["programme_form"].fields["sector"].queryset.get()
    response = client.post(
        url("sector_index"),
        {"form": "programme", "programme-sector": sector.pk, "programme-name": "红色寻访"},
    )
    assert response.status_code == 302
    assert sector.programmes.get().name == "红色寻访"
    client.force_login(world.secretary_a)
    assert client.get(url("sector_index")).status_code == 403


# Claims: certificate, withdrawal ----------------------------------------------------------------


def test_the_claim_certificate(client, world):
    claim = make_claim(world)
    client.force_login(world.liaison)
    response = client.get(url("claim_certificate", claim))
    assert response.status_code == 200
    page = response.content.decode()
    assert claim.certificate_number in page and world.unit_a.name in page
    assert claim.project.name in page and "南京西路街道" in page
    client.force_login(world.secretary_b)
    assert client.get(url("claim_certificate", claim)).status_code == 404


def test_withdrawing_a_claim_needs_a_reason(client, world):
    claim = make_claim(world)
    client.force_login(world.secretary_a)
    response = client.post(url("claim_withdraw", claim), {"reason": ""})
    assert response.status_code == 400
    claim.refresh_from_db()
    assert claim.status == "active"
    response = client.post(url("claim_withdraw", claim), {"reason": "单位搬迁"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == "withdrawn"
    assert "已撤回" in client.get(url("claim_certificate", claim)).content.decode()


# Ceremonies -------------------------------------------------------------------------------------


@pytest.fixture
def ceremony(world):
    return ceremony_create(
        actor=None, title="2021年福民项目认领仪式", held_on="2021-03-05", area=world.subdistrict
    )


def sheet(*lines):
    data = {"project": [], "unit": [], "mode": [], "plan": []}
    for project, unit, mode, plan in lines:
        data["project"].append(str(project.public_id) if project else "")
        data["unit"].append(str(unit.public_id) if unit else "")
        data["mode"].append(mode)
        data["plan"].append(plan)
    return data


def test_a_ceremony_records_all_claims_at_once(client, world, ceremony):
    one, two = make_project(world, name="宠爱YOU+"), make_project(world, name="老街故事")
    client.force_login(world.officer)
    response = client.post(
        url("ceremony_detail", ceremony),
        sheet(
            (one, world.unit_a, "volunteers", "每月志愿服务"),
            (None, None, "", ""),  # an empty line is skipped
            (two, world.unit_b, "funds", "资助活动经费"),
        ),
    )
    assert response.status_code == 302
    assert Claim.objects.filter(ceremony=ceremony).count() == 2
    page = client.get(url("ceremony_detail", ceremony))
    assert len(page.context["claims"]) == 2


def test_a_ceremony_with_wrong_lines_records_nothing_and_names_every_line(client, world, ceremony):
    one = make_project(world, name="宠爱YOU+")
    draft = make_project(world, name="草稿项目", publish=False)
    client.force_login(world.officer)
    response = client.post(
        url("ceremony_detail", ceremony),
        sheet(
            (one, world.unit_a, "volunteers", "每月志愿服务"),
            (one, None, "funds", "没有选单位"),
            (draft, world.unit_b, "funds", "草稿不可认领"),
            (one, world.unit_b, "", "方式没选"),
        ),
    )
    assert response.status_code == 400
    assert not Claim.objects.exists()
    errors = response.context["errors"]
    assert len(errors) == 3
    # The console speaks Chinese by default: "Line %(number)s: %(message)s".
    assert [e.split("：")[0] for e in errors] == ["第 2 行", "第 3 行", "第 4 行"]
    page = response.content.decode()
    for typed in ("每月志愿服务", "没有选单位", "草稿不可认领", "方式没选"):
        assert typed in page  # nothing typed is lost
    assert [r["plan"] for r in response.context["rows"]] == [
        "每月志愿服务",
        "没有选单位",
        "草稿不可认领",
        "方式没选",
    ]


def test_an_empty_ceremony_sheet_is_refused(client, world, ceremony):
    client.force_login(world.officer)
    response = client.post(url("ceremony_detail", ceremony), sheet((None, None, "", "")))
    assert response.status_code == 400 and response.context["errors"]


def test_ceremony_pages(client, world, ceremony):
    client.force_login(world.officer)
    assert client.get(url("ceremony_index")).status_code == 200
    response = client.get(url("ceremony_row", ceremony), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'name="project"' in response.content.decode()
    response = client.post(
        url("ceremony_create"),
        {"title": "第二场", "held_on": "2021-04-01", "area": world.subdistrict.pk},
    )
    assert response.status_code == 302
    client.force_login(world.secretary_a)
    assert client.get(url("ceremony_index")).status_code == 403


def test_every_lists_page_renders_for_the_officer(client, world, need, resource):
    project = make_project(world)
    claim = make_claim(world, project=project)
    need_set_status(actor=None, need=need, status="closed", note="测试")
    client.force_login(world.officer)
    for name, record in [
        ("need_index", None),
        ("need_create", None),
        ("need_detail", need),
        ("need_edit", need),
        ("resource_index", None),
        ("resource_create", None),
        ("resource_detail", resource),
        ("resource_edit", resource),
        ("project_index", None),
        ("project_create", None),
        ("project_detail", project),
        ("project_edit", project),
        ("sector_index", None),
        ("claim_certificate", claim),
        ("ceremony_create", None),
    ]:
        response = client.get(url(name, record))
        assert response.status_code == 200, name


def test_a_project_lists_its_activities_and_adds_one(client, world):
    from fumin.activities.tests.helpers import make_activity

    project = make_project(world, name="宠爱YOU+")
    make_activity(world, title="流浪猫绝育日", project=project)
    client.force_login(world.secretary_a)
    page = client.get(url("project_detail", project)).content.decode()
    assert "流浪猫绝育日" in page
    add = f"{reverse('console:activity_create')}?project={project.public_id}"
    assert add in page
    form = client.get(add).content.decode()
    assert f'<option value="{project.public_id}" selected>' in form


def test_a_unit_that_claimed_is_not_offered_the_claim_form_again(client, world):
    project = make_project(world, name="已认领的项目")
    client.force_login(world.liaison)
    assert 'data-testid="claim-open"' in client.get(url("project_detail", project)).content.decode()
    make_claim(world, project=project, unit=world.unit_a)
    assert (
        'data-testid="claim-open"'
        not in client.get(url("project_detail", project)).content.decode()
    )


def party_member(world, name, mobile, community):
    from fumin.registry.services import person_create

    return person_create(
        actor=None, name=name, mobile=mobile, home_community=community, is_party_member=True
    )


def test_the_member_field_carries_only_the_chosen_member_and_searches_the_rest(client, world):
    """A subdistrict has thousands of party members: the resource form's member select holds the
    chosen one only; the search box above it asks ``person_options`` for the matches."""
    for n in range(30):
        party_member(world, f"张{n:02d}", f"136000001{n:02d}", world.community_a)
    client.force_login(world.officer)
    page = client.get(url("resource_create")).content.decode()
    select = page[
        page.index('name="person"') : page.index("</select>", page.index('name="person"'))
    ]
    assert select.count("<option") == 1  # the empty choice, not thirty-one members
    assert 'data-testid="person-search"' in page and url("person_options") in page

    # Found by pinyin initials, in pinyin order, twenty at most, with a note that there is more.
    found = client.get(url("person_options"), {"q": "z", "party": "1"}).content.decode()
    assert found.count("<option") == 21 and "张00" in found and "张19" in found
    assert "张20" not in found, found
    assert "前 20" in found
    # A full mobile number finds its owner; non-members are left out with party=1.
    assert "张07" in client.get(url("person_options"), {"q": "13600000107"}).content.decode()
    party_member(world, "李非党员", "13600000199", world.community_a)
    from fumin.registry.models import Person

    Person.objects.filter(name="李非党员").update(is_party_member=False)
    assert (
        "李非党员"
        not in client.get(url("person_options"), {"q": "li", "party": "1"}).content.decode()
    )
    assert "李非党员" in client.get(url("person_options"), {"q": "li"}).content.decode()
    assert "136****0199" in client.get(url("person_options"), {"q": "li"}).content.decode()

    # Choosing one of them saves it; with another field in error the page keeps the choice.
    chosen = Person.objects.get(name="张03")
    form = {"title": "法律咨询", "kind": "expertise", "category": category("health").pk,
            "provider": "member", "person": chosen.pk}  # fmt: skip
    again = client.post(url("resource_create"), {**form, "title": ""})
    assert again.status_code == 400
    assert f'<option value="{chosen.pk}" selected>' in again.content.decode()
    assert client.post(url("resource_create"), form).status_code == 302
    assert Resource.objects.get(title="法律咨询").person == chosen


def test_a_claims_unit_is_a_select_for_a_few_and_a_search_for_many(client, world):
    """A liaison claims for their own unit from a select; staff with more units in scope than a
    search shows find the unit with a search box, among the units they may claim for."""
    from fumin.registry.services import unit_create

    def unit_field(page, name="unit"):
        start = page.index(f'<select name="{name}"')
        return page[start : page.index("</select>", start)]

    client.force_login(world.officer)
    assert unit_field(client.get(url("resource_create")).content.decode()).count("<option") > 1
    for n in range(21):
        unit_create(actor=None, name=f"静安企业{n:02d}", kind="enterprise", area=world.community_a)
    page = client.get(url("resource_create")).content.decode()
    assert unit_field(page).count("<option") == 1 and 'data-testid="unit-search"' in page
    found = client.get(url("unit_options"), {"q": "jaqy", "claimable": "1"}).content.decode()
    assert "静安企业00（华业居民区）" in found and "前 20" in found
    project = make_project(world, name="老街故事")
    page = client.get(url("project_detail", project)).content.decode()
    assert unit_field(page).count("<option") == 1  # the claim form
    # A liaison may claim for their own unit only: a select of it, and a search finds no other.
    client.force_login(world.liaison)
    page = client.get(url("project_detail", project)).content.decode()
    assert unit_field(page).count("<option") == 2 and "上海市作家协会" in unit_field(page)
    found = client.get(url("unit_options"), {"q": "jaqy", "claimable": "1"})
    assert found.status_code == 200 and "静安企业" not in found.content.decode()


def test_member_search_stays_in_the_viewers_scope(client, world):
    party_member(world, "王在A", "13600000201", world.community_a)
    outside = party_member(world, "王在B", "13600000202", world.community_b)
    client.force_login(world.secretary_a)
    found = client.get(url("person_options"), {"q": "wang", "party": "1"}).content.decode()
    assert "王在A" in found and "王在B" not in found
    # Posting someone outside the scope is refused, naming the field.
    response = client.post(
        url("resource_create"),
        {
            "title": "x",
            "kind": "venue",
            "category": category("health").pk,
            "provider": "member",
            "person": outside.pk,
        },
    )
    assert response.status_code == 400 and "person" in response.context["form"].errors
    # A value that is no id at all is refused the same way, and the form shows again.
    response = client.post(
        url("resource_create"),
        {
            "title": "x",
            "kind": "venue",
            "category": category("health").pk,
            "provider": "member",
            "person": "王在A",
        },
    )
    assert response.status_code == 400 and "person" in response.context["form"].errors
    # An empty search answers 204 (nothing to swap in: the choice made stays).
    assert client.get(url("person_options"), {"q": " "}).status_code == 204
