"""A person logs in, switches the language, and sees only their own community's data."""

import pytest

from conftest import PASSWORD

from .conftest import screenshot

pytestmark = pytest.mark.browser


def log_in(page, base_url, mobile):
    page.goto(f"{base_url}/")
    page.fill("input[name=mobile]", mobile)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")


def test_secretary_logs_in_in_chinese_switches_to_english_and_sees_only_community_a(
    live_server, live_world, desktop
):
    page = desktop
    page.goto(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("h1").inner_text() == "福民"
    assert page.get_by_role("button", name="登录").is_visible()
    screenshot(page, "login-1280")

    # A number pasted from a contact card, with the +86 prefix and spaces, logs in.
    page.fill("input[name=mobile]", "+86 139 0000 0003")
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/console/")
    assert page.get_by_test_id("scope-area").all_inner_texts() == ["华业居民区"]
    assert page.get_by_test_id("community-count").inner_text() == "1"
    screenshot(page, "console-home-1280")

    page.get_by_role("link", name="用户").first.click()
    names = page.get_by_test_id("user-row").all_inner_texts()
    assert any("沈美华" in n for n in names) and any("吴志远" in n for n in names)
    assert not any("陆海峰" in n for n in names), "a secretary of A sees B's secretary"
    assert "139****0006" in page.content()  # phone numbers are masked in lists

    page.goto(f"{live_server.url}/console/areas/")
    areas = page.get_by_test_id("area-row").all_inner_texts()
    assert [a.split()[0] for a in areas] == ["华业居民区"]
    assert "威海" not in page.content()

    # B's community page is not found for A's secretary, not merely hidden from the menu.
    response = page.goto(f"{live_server.url}/console/areas/{live_world.community_b.public_id}/")
    assert response.status == 404
    assert "页面不存在" in page.content() and "Page not found" in page.content()

    page.goto(f"{live_server.url}/console/users/")
    page.get_by_test_id("lang-en").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Users"
    assert page.get_by_role("button", name="Log out").is_visible()
    screenshot(page, "console-users-en-1280")

    page.get_by_test_id("lang-zh-hans").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "用户"


def test_search_by_pinyin_initials_filters_the_user_table_in_place(
    live_server, live_world, desktop
):
    page = desktop
    log_in(page, live_server.url, "13900000001")  # the subdistrict officer sees everyone
    page.goto(f"{live_server.url}/console/users/")
    assert page.get_by_test_id("user-row").count() >= 6
    page.get_by_test_id("user-search").fill("smh")  # 沈美华 by initials, no page reload (HTMX)
    page.wait_for_function(
        "document.querySelectorAll('[data-testid=user-row]').length === 1", timeout=5000
    )
    assert "沈美华" in page.get_by_test_id("user-row").inner_text()
    assert "q=smh" in page.url


def test_member_portal_fits_a_phone_screen(live_server, live_world, phone):
    page = phone
    log_in(page, live_server.url, "13900000006")
    page.wait_for_url(f"{live_server.url}/portal/")
    assert "吴志远" in page.locator("h1").inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the portal scrolls sideways on a phone ({width}px)"
    screenshot(page, "portal-375")
    page.goto(f"{live_server.url}/console/")
    assert "没有访问权限" in page.content()


def test_console_is_usable_at_phone_width(live_server, live_world, phone):
    page = phone
    log_in(page, live_server.url, "13900000003")
    page.wait_for_url(f"{live_server.url}/console/")
    assert not page.locator("#sidebar").is_visible()
    page.click(".nav-toggle")
    assert page.locator("#sidebar").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the console scrolls sideways on a phone ({width}px)"
    screenshot(page, "console-375")
