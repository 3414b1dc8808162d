"""Dual registration as people do it: a member registers on a phone, the community secretary
confirms at a desk, a second attempt shows the existing registration."""

import pytest
from django.utils import timezone
from docx import Document

from conftest import PASSWORD
from fumin.registration.models import MemberRegistration
from fumin.registration.periods import HALF_YEAR, period_containing
from fumin.registration.reporting import service_reports_generate

from .conftest import screenshot

pytestmark = pytest.mark.browser


def log_in(page, base_url, mobile):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=mobile]", mobile)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()


def test_member_registers_on_a_phone_and_the_secretary_confirms(
    live_server, live_world, phone, desktop
):
    page = phone
    log_in(page, live_server.url, "13900000006")
    page.get_by_test_id("start-registration").click()
    # A bad ID number is named on the form and nothing is stored.
    page.select_option("select[name=community]", label="华业居民区")
    page.fill("input[name=id_number]", "110105194912310021")
    page.click("form[data-testid=register-form] button[type=submit]")
    assert page.locator(".field.has-error").count() >= 1
    assert "身份证号" in page.locator(".form-errors").inner_text()
    assert not MemberRegistration.objects.exists()
    screenshot(page, "register-error-375")

    page.fill("input[name=id_number]", "")
    # The work unit is found by its pinyin initials, not scrolled for among a city's units.
    with page.expect_response(lambda r: "/portal/units/options/" in r.url):
        page.fill("[data-testid=work_unit-search]", "shszjxh")
    page.wait_for_function(
        "document.querySelectorAll('select[name=work_unit] option').length === 2"
    )
    page.select_option("select[name=work_unit]", label="上海市作家协会（华业居民区）")
    screenshot(page, "register-unit-search-375")
    page.fill("input[name=specialities]", "法律咨询")
    page.click("form[data-testid=register-form] button[type=submit]")
    page.wait_for_url(f"{live_server.url}/portal/registration/")
    assert page.get_by_test_id("my-community").inner_text() == "华业居民区"
    assert page.get_by_test_id("my-status").inner_text() == "待确认"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the registration page scrolls sideways on a phone ({width}px)"
    screenshot(page, "registration-pending-375")

    desk = desktop
    log_in(desk, live_server.url, "13900000003")
    desk.goto(f"{live_server.url}/console/registrations/")
    rows = desk.get_by_test_id("registration-row")
    assert rows.count() == 1 and "吴志远" in rows.first.inner_text()
    rows.first.locator("a").click()
    desk.get_by_test_id("confirm").click()
    desk.wait_for_load_state()
    assert desk.get_by_test_id("registration-status").inner_text() == "已确认"
    screenshot(desk, "registration-confirmed-1280")

    # The member sees the confirmation and a message in the inbox.
    page.goto(f"{live_server.url}/portal/registration/")
    assert page.get_by_test_id("my-status").inner_text() == "已确认"
    page.goto(f"{live_server.url}/inbox/")
    assert "已确认" in page.get_by_test_id("notification").first.inner_text()

    # Dual reporting: the half-year's report goes to the unit's liaison, who downloads it.
    period = period_containing(timezone.now(), HALF_YEAR)
    service_reports_generate(
        actor=None, kind="member", period_start=period.start, period_end=period.end
    )
    office = desktop
    office.context.clear_cookies()
    log_in(office, live_server.url, "13900000005")
    office.goto(f"{live_server.url}/console/reports/")
    office.get_by_test_id("report-row").first.locator("a").first.click()
    office.wait_for_load_state()
    assert "吴志远" in office.content()
    with office.expect_download() as download_info:
        office.get_by_test_id("download-docx").click()
    path = download_info.value.path()
    document = Document(str(path))
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    text = "\n".join([p.text for p in document.paragraphs] + cells)
    assert "吴志远" in text and "双报告" in text
    assert "13900000006" not in text  # personal data stays masked in documents
    screenshot(office, "report-liaison-1280")


def test_a_second_registration_shows_the_existing_one(live_server, live_world, desktop):
    page = desktop
    log_in(page, live_server.url, "13900000003")
    page.goto(f"{live_server.url}/console/registrations/members/new/")
    page.fill("input[name=name]", "金晓东")
    page.fill("input[name=mobile]", "13700000001")
    page.select_option("select[name=community]", label="华业居民区")
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    first_url = page.url
    page.goto(f"{live_server.url}/console/registrations/members/new/")
    page.fill("input[name=name]", "金晓东")
    page.fill("input[name=id_number]", "11010519491231002x")  # the same person, by ID number
    page.select_option("select[name=community]", label="华业居民区")
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    assert page.url == first_url
    assert "已登记" in page.locator(".messages").inner_text()
    assert MemberRegistration.objects.count() == 1
