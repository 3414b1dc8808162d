"""The dashboard in a browser: charts drawn by ECharts, a number clicked lands on a list of as
many records, the area filter swaps the figures in place (HTMX), and the big screen at 1920×1080.
"""

import pytest

from conftest import PASSWORD
from fumin.activities.tests.helpers import Clock, sh
from fumin.console.tests.test_dashboard_pages import make_figures_2020

from .conftest import screenshot

pytestmark = pytest.mark.browser
YEAR = "start=2020-01-01&end=2020-12-31"


def log_in(page, base_url, mobile):
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=mobile]", mobile)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()


@pytest.fixture
def world_2020(live_world, monkeypatch):
    """The 2020 records of the page tests, made under a fixed clock; the browser runs in real
    time (sessions and all)."""
    clock = Clock(sh("2020-09-10 09:00"))
    monkeypatch.setattr("django.utils.timezone.now", clock)
    make_figures_2020(live_world, clock)
    monkeypatch.undo()
    return live_world


def test_the_dashboard_draws_charts_and_each_number_opens_its_records(
    live_server, world_2020, desktop, chromium
):
    base, page = live_server.url, desktop
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, base, "13900000001")  # the subdistrict officer
    page.get_by_test_id("nav-dashboard").click()
    page.wait_for_load_state()
    page.goto(f"{base}/console/dashboard/?{YEAR}")
    page.locator('[data-chart="community"] canvas').wait_for()
    assert page.locator('[data-chart="trend-person-times"]').get_attribute("data-drawn") == "true"
    screenshot(page, "dashboard-1280")

    # A card's number opens the list of the check-ins it counts.
    figure = page.get_by_test_id("kpi-value-volunteer_person_times")
    assert figure.inner_text() == "3"
    figure.click()
    page.wait_for_url("**/volunteer_person_times/records/**")
    assert page.get_by_test_id("record-row").count() == 3
    assert page.get_by_test_id("records-count").inner_text() == "3"
    screenshot(page, "dashboard-records-1280")

    # A number in the table by community opens that community's records.
    page.go_back()
    cell = page.locator('[data-testid="table-community"] tbody tr', has_text="威海居民区")
    link = cell.locator("td a").nth(1)  # members registered in community B
    number = int(link.inner_text())
    link.click()
    page.wait_for_url("**/members_registered/records/**")
    assert page.get_by_test_id("record-row").count() == number == 1

    # The area filter swaps the figures and charts in place.
    page.goto(f"{base}/console/dashboard/?{YEAR}")
    page.get_by_test_id("area-select").select_option(label="　威海居民区")
    page.wait_for_function(
        "document.querySelector('[data-testid=kpi-value-members_registered]').innerText === '1'"
    )
    page.locator('[data-chart="community"] canvas').wait_for()
    assert "area=" in page.url
    # A period that ends before it starts is named on the page, in place.
    # Wait for the first change's answer: swapped in after the second fill, it would put the
    # old end date back ("networkidle" only concerns the page's own load, not later requests).
    with page.expect_response(lambda response: "start=2020-12-01" in response.url):
        page.get_by_test_id("period-start").fill("2020-12-01")
    page.wait_for_function(
        "!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
    page.get_by_test_id("period-end").fill("2020-11-01")
    page.get_by_test_id("filter-errors").wait_for()
    assert page.get_by_test_id("kpi-value-members_registered").count() == 0
    screenshot(page, "dashboard-bad-period-1280")
    assert not errors, errors

    # The big screen on a 1920×1080 wall display.
    context = chromium.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    wall = context.new_page()
    wall.on("pageerror", lambda error: errors.append(str(error)))
    log_in(wall, base, "13900000001")
    wall.goto(f"{base}/console/dashboard/screen/?{YEAR}")
    wall.locator('[data-chart="units"] canvas').wait_for()
    assert wall.get_by_test_id("screen-value-volunteer_person_times").inner_text() == "3"
    assert wall.evaluate("document.documentElement.scrollHeight") <= 1080
    wall.screenshot(path=str(screenshot(wall, "dashboard-screen-1920")), full_page=False)
    context.close()
    assert not errors, errors
