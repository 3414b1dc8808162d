"""The three lists on a phone: anyone browses the Fumin projects; a resident raises a need, is
told which field is wrong without losing what they typed, and follows it in "my needs"."""

import pytest

from fumin.lists.models import Need
from fumin.lists.tests.helpers import make_claim, make_programme, make_project

from .conftest import screenshot
from .test_registration import log_in

pytestmark = pytest.mark.browser


def test_projects_on_a_phone_and_a_resident_raises_a_need(live_server, live_world, phone):
    world = live_world
    programme = make_programme(world, sector_name="公益志愿", name="社区益生圈")
    cats = make_project(world, "宠爱YOU+社区流浪猫项目", year=2020, programme=programme)
    make_claim(world, project=cats, plan="兴业太古汇白领志愿者参与喂养和领养日")
    make_project(world, "2021年的项目", year=2021)
    page = phone

    # Not signed in: the list is public, filtered by year in place of a page of everything.
    page.goto(f"{live_server.url}/portal/projects/")
    assert page.get_by_test_id("project-card").count() == 2
    page.select_option("select[name=year]", "2020")
    page.click("[data-testid=project-filters] button[type=submit]")
    page.wait_for_load_state()
    cards = page.get_by_test_id("project-card")
    assert cards.count() == 1 and "上海市作家协会" in cards.first.inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, "the list scrolls sideways on a phone"
    screenshot(page, "portal-projects-375")
    cards.first.locator("a").click()
    assert "兴业太古汇白领志愿者参与喂养和领养日" in page.get_by_test_id("claims").inner_text()

    # A resident raises a need: a missing title is named, the description survives.
    log_in(page, live_server.url, "13900000006")
    page.goto(f"{live_server.url}/portal/needs/new/")
    assert "华业居民区" in page.get_by_test_id("need-community").inner_text()
    page.fill("textarea[name=description]", "中心花园两台健身器材螺丝松动，老人锻炼有危险。")
    page.select_option("select[name=category]", label="文化体育")
    page.click("form[data-testid=need-form] button[type=submit]")
    assert page.locator(".field.has-error").count() == 1
    assert page.input_value("textarea[name=description]").startswith("中心花园两台健身器材")
    assert not Need.objects.exists()
    screenshot(page, "portal-need-error-375")
    page.fill("input[name=title]", "健身器材损坏")
    page.click("form[data-testid=need-form] button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith("/portal/needs/mine/")
    assert "健身器材损坏" in page.get_by_test_id("my-needs").inner_text()
    assert Need.objects.get().area == world.community_a
    screenshot(page, "portal-my-needs-375")
