"""The three lists' console pages in a real browser: the matching workbench, a project's page, the
ceremony sheet with "add a line" and pinyin filtering, and the claim certificate on one A4 page;
each at desktop and phone widths."""

import pytest

from fumin.lists.models import Claim, Resource
from fumin.lists.services import ceremony_create, milestone_add, milestone_set_done
from fumin.lists.tests.helpers import (
    category,
    make_claim,
    make_need,
    make_programme,
    make_project,
    make_resource,
)

from .conftest import screenshot
from .test_activities import log_in, no_sideways_scroll

pytestmark = pytest.mark.browser


@pytest.fixture
def lists(live_world):
    world = live_world
    need = make_need(world, beneficiary_group="小区居民", expected_beneficiaries=300)
    make_resource(world)
    make_resource(
        world,
        title="公惠医院宠物门诊志愿者",
        unit=world.unit_b,
        kind=Resource.Kind.VOLUNTEERS,
        description="医院志愿者每周为流浪猫体检",
    )
    make_need(
        world,
        title="独居老人助餐",
        description="独居老人午餐难以解决，需要助餐点",
        category=category("elderly_care"),
        urgency="urgent",
    )
    programme = make_programme(world)
    project = make_project(world, programme=programme, description="社区流浪猫绝育与领养")
    for title in ("招募志愿者", "绝育手术", "领养日"):
        milestone_add(actor=None, project=project, title=title)
    milestone_set_done(actor=None, milestone=project.milestones.first())
    claim = make_claim(world, project=project, plan="每月组织作家协会党员志愿者参与领养日宣传")
    make_project(world, name="老街故事", kind="culture", year=2021)
    ceremony = ceremony_create(
        actor=None, title="2021年福民项目认领仪式", held_on="2021-03-05", area=world.subdistrict
    )
    return world, need, project, claim, ceremony


def test_lists_pages_at_desktop_and_phone_widths(live_server, desktop, phone, lists):
    world, need, project, claim, ceremony = lists
    base = live_server.url
    pages = {
        "needs": "/console/lists/needs/",
        "need": f"/console/lists/needs/{need.public_id}/",
        "resources": "/console/lists/resources/",
        "projects": "/console/lists/projects/",
        "project": f"/console/lists/projects/{project.public_id}/",
        "ceremony": f"/console/lists/ceremonies/{ceremony.public_id}/",
        "sectors": "/console/lists/projects/sectors/",
    }
    for page, width in ((desktop, 1280), (phone, 375)):
        log_in(page, base, world.officer.mobile)
        for name, path in pages.items():
            page.goto(base + path)
            assert page.locator("h1").first.is_visible()
            screenshot(page, f"lists-{name}-{width}")
            if width == 375:
                no_sideways_scroll(page, name)
    # The certificate: one A4 page when printed.
    desktop.goto(f"{base}/console/lists/claims/{claim.public_id}/certificate/")
    screenshot(desktop, "lists-certificate-1280")
    pdf = desktop.pdf(format="A4", print_background=True)
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 1


def test_the_workbench_accepts_a_suggestion(live_server, desktop, lists):
    world, need, *_ = lists
    log_in(desktop, live_server.url, world.secretary_a.mobile)
    desktop.goto(f"{live_server.url}/console/lists/needs/{need.public_id}/")
    suggestions = desktop.locator("[data-testid=suggestion]")
    assert suggestions.count() == 2
    suggestions.first.locator("[data-testid=accept]").click()
    desktop.wait_for_load_state()
    assert desktop.locator("[data-testid=decision-row]").count() == 1
    assert desktop.locator("[data-testid=suggestion]").count() == 1


def test_the_ceremony_sheet_adds_lines_and_finds_units_by_pinyin(live_server, desktop, lists):
    world, _need, project, _claim, ceremony = lists
    log_in(desktop, live_server.url, world.officer.mobile)
    desktop.goto(f"{live_server.url}/console/lists/ceremonies/{ceremony.public_id}/")
    rows = desktop.locator("[data-testid=sheet-row]")
    assert rows.count() == 3
    desktop.click("[data-testid=add-row]")
    desktop.wait_for_function("document.querySelectorAll('[data-testid=sheet-row]').length === 4")
    first = rows.nth(0)
    first.locator("td:nth-child(2) .option-filter").fill("laojie")
    first.locator("td:nth-child(3) .option-filter").fill("ghyy")  # 公惠医院 by its initials
    assert first.locator("select[name=unit]").input_value() == str(world.unit_b.public_id)
    first.locator("select[name=mode]").select_option("funds")
    first.locator("textarea[name=plan]").fill("资助老街故事")
    second = rows.nth(1)
    second.locator("select[name=project]").select_option(str(project.public_id))
    second.locator("select[name=mode]").select_option("volunteers")
    second.locator("textarea[name=plan]").fill("忘了选单位")
    with desktop.expect_navigation():
        desktop.click("[data-testid=record-claims]")
    assert desktop.locator("[data-testid=sheet-errors]").is_visible()
    screenshot(desktop, "lists-ceremony-errors-1280")
    assert Claim.objects.filter(ceremony=ceremony).count() == 0
    # What was typed is still there; choosing the unit records both lines.
    assert rows.count() == 2
    assert rows.nth(0).locator("textarea[name=plan]").input_value() == "资助老街故事"
    rows.nth(1).locator("select[name=unit]").select_option(str(world.unit_b.public_id))
    with desktop.expect_navigation():
        desktop.click("[data-testid=record-claims]")
    screenshot(desktop, "lists-ceremony-recorded-1280")
    assert Claim.objects.filter(ceremony=ceremony).count() == 2


def test_a_member_resource_finds_its_member_by_pinyin_on_a_phone(live_server, phone, lists):
    world, *_ = lists
    log_in(phone, live_server.url, world.officer.mobile)
    phone.goto(f"{live_server.url}/console/lists/resources/new/")
    phone.fill("input[name=title]", "法律咨询服务")
    phone.select_option("select[name=kind]", "expertise")
    phone.select_option("select[name=category]", label=category("health").name)
    phone.check("input[name=provider][value=member]")
    member = phone.locator("select[name=person]")
    assert member.locator("option").count() == 1  # nobody listed until a search
    with phone.expect_response(lambda r: "/console/people/options/" in r.url):
        phone.fill("[data-testid=person-search]", "jxd")  # 金晓东 by the initials
    phone.wait_for_function("document.querySelectorAll('select[name=person] option').length === 2")
    member.select_option(str(world.person_a.pk))
    no_sideways_scroll(phone, "the resource form")
    screenshot(phone, "resource-member-search")
    with phone.expect_navigation():
        phone.click("button[type=submit].primary")
    assert "金晓东" in phone.content()
    assert Resource.objects.get(title="法律咨询服务").person == world.person_a
