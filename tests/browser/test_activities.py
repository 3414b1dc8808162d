"""Activities as residents do them on a phone: sign up, the waiting list and its promotion,
check-in by the desk's QR URL, check-out, and hours and points on "my activities"."""

import datetime

import pytest
from django.utils import timezone

from conftest import PASSWORD, make_user
from fumin.accounts.models import Role
from fumin.activities.models import Activity, Attendance, PointsRule
from fumin.activities.services import activity_close
from fumin.activities.tests.helpers import make_activity, own_person

from .conftest import screenshot

pytestmark = pytest.mark.browser


def log_in(page, base_url, mobile):
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=mobile]", mobile)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()


def no_sideways_scroll(page, what):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{what} scrolls sideways on a phone ({width}px)"


def test_residents_sign_up_wait_check_in_and_see_their_hours(
    live_server, live_world, phone, desktop
):
    world = live_world
    PointsRule.objects.create(name="服务时长积分", basis="per_hour", points=10)
    own_person(world, world.member)  # 吴志远 13900000006
    for name, mobile in (("王芳", "13600000001"), ("李强", "13600000002")):
        own_person(world, make_user(name, mobile, Role.MEMBER, area=world.community_a))
    now = timezone.localtime()
    activity = make_activity(
        world,
        title="楼道清洁志愿服务",
        capacity=2,
        place="华业大楼一楼大堂",
        starts=(now + datetime.timedelta(days=1)).strftime("%Y-%m-%d %H:%M"),
        ends=(now + datetime.timedelta(days=1, hours=3)).strftime("%Y-%m-%d %H:%M"),
    )
    base = live_server.url
    page = phone
    detail_url = f"{base}/portal/activities/{activity.public_id}/"

    # The first resident finds the activity from the home page and signs up.
    log_in(page, base, "13900000006")
    page.get_by_test_id("home-activities").click()
    page.wait_for_load_state()
    no_sideways_scroll(page, "the activity list")
    screenshot(page, "activities-list-375")
    page.get_by_test_id("activity-card").filter(has_text="楼道清洁志愿服务").locator("a").click()
    page.get_by_test_id("sign-up").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("my-attendance-status").inner_text() == "已确认"

    log_in(page, base, "13600000001")
    page.goto(detail_url)
    page.get_by_test_id("sign-up").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("my-attendance-status").inner_text() == "已确认"
    assert page.get_by_test_id("places-left").inner_text() == "0"

    # The third is waitlisted, number 1.
    log_in(page, base, "13600000002")
    page.goto(detail_url)
    page.get_by_test_id("sign-up").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("my-attendance-status").inner_text() == "候补"
    assert "1" in page.get_by_test_id("waitlist-position").inner_text()
    no_sideways_scroll(page, "the activity page")
    screenshot(page, "activity-waitlisted-375")

    # The first cancels; the third is promoted.
    log_in(page, base, "13900000006")
    page.goto(detail_url)
    page.get_by_test_id("cancel-signup").click()
    page.wait_for_load_state()
    log_in(page, base, "13600000002")
    page.goto(detail_url)
    assert page.get_by_test_id("my-attendance-status").inner_text() == "已确认"

    # The activity begins (moved in time): both check in by the URL the desk's QR encodes.
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=10),
        ends_at=timezone.now() + datetime.timedelta(hours=2),
    )
    checkin_url = f"{base}/portal/activities/checkin/{activity.checkin_code}/"
    for mobile in ("13600000001", "13600000002"):
        log_in(page, base, mobile)
        page.goto(checkin_url)  # the QR code opens the activity with one button
        screenshot(page, "activity-checkin-tap-375")
        page.get_by_test_id("checkin-tap").click()
        assert page.get_by_test_id("checkin-ok").is_visible()
        page.goto(checkin_url)  # scanning again shows the same check-in
        assert page.get_by_test_id("checkin-ok").is_visible()
    no_sideways_scroll(page, "the check-in page")
    screenshot(page, "activity-checked-in-375")
    assert Attendance.objects.filter(activity=activity, checked_in_at__isnull=False).count() == 2

    # The sign-in desk's live count shows both.
    log_in(desktop, base, "13900000003")
    desktop.goto(f"{base}/console/activities/{activity.public_id}/desk/")
    assert desktop.get_by_test_id("live-count-value").inner_text().strip() == "2"
    screenshot(desktop, "activity-desk-1280")

    # Two hours later (moved in time) they check out on the activity page.
    earlier = datetime.timedelta(hours=2)
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=timezone.now() - earlier - datetime.timedelta(minutes=10)
    )
    for attendance in Attendance.objects.filter(activity=activity, checked_in_at__isnull=False):
        Attendance.objects.filter(pk=attendance.pk).update(
            checked_in_at=attendance.checked_in_at - earlier
        )
    for mobile in ("13600000001", "13600000002"):
        log_in(page, base, mobile)
        page.goto(detail_url)
        page.get_by_test_id("check-out").click()
        page.wait_for_load_state()
        hours = float(page.get_by_test_id("my-hours").inner_text())
        assert 1.99 <= hours <= 2.05

    # Staff close the activity; points follow the hours.
    activity_close(actor=world.secretary_a, activity=activity, beneficiaries=30)
    page.goto(f"{base}/portal/activities/mine/")
    total = float(page.get_by_test_id("total-hours").inner_text())
    points = int(page.get_by_test_id("points-balance").inner_text())
    assert 1.99 <= total <= 2.05 and points == round(total * 10)
    assert page.get_by_test_id("personal-qr").locator("svg").count() == 1
    no_sideways_scroll(page, "my activities")
    screenshot(page, "my-activities-375")

    # The first, who cancelled, has no hours.
    log_in(page, base, "13900000006")
    page.goto(f"{base}/portal/activities/mine/")
    assert page.get_by_test_id("total-hours").inner_text() == "0"


def test_staff_tick_host_units_found_by_search_on_a_phone(live_server, live_world, phone):
    """The activity form lists no units until a search; a ticked unit stays ticked through the
    next search, and both are saved."""
    world = live_world
    log_in(phone, live_server.url, world.officer.mobile)
    phone.goto(f"{live_server.url}/console/activities/new/")
    phone.fill("input[name=title]", "敬老院慰问")
    phone.select_option("select[name=community]", str(world.community_a.pk))
    phone.fill("input[name=starts_at]", "2020-09-20T09:00")
    phone.fill("input[name=ends_at]", "2020-09-20T11:30")
    boxes = phone.locator("input[type=checkbox][name=host_units]")
    assert boxes.count() == 0  # no unit listed until a search
    with phone.expect_response(lambda r: "/console/units/options/" in r.url):
        phone.fill("[data-testid=host_units-search]", "zuojia")  # 上海市作家协会 by pinyin
    phone.check(f"input[name=host_units][value='{world.unit_a.pk}']")
    with phone.expect_response(lambda r: "/console/units/options/" in r.url):
        phone.fill("[data-testid=host_units-search]", "ghyy")  # 公惠医院 by the initials
    assert phone.locator(f"input[name=host_units][value='{world.unit_a.pk}']").is_checked()
    phone.check(f"input[name=host_units][value='{world.unit_b.pk}']")
    no_sideways_scroll(phone, "the activity form")
    screenshot(phone, "activity-host-units-search")
    with phone.expect_navigation():
        phone.click("button[type=submit].primary")
    activity = Activity.objects.get(title="敬老院慰问")
    assert set(activity.host_units.all()) == {world.unit_a, world.unit_b}
