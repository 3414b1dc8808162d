"""The resident's activity pages: sign up and the waiting list, check-in by the desk's QR URL and
by a typed code, check-out, my activities with hours and points, the service record document."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document

from conftest import make_user
from fumin.accounts.models import Role
from fumin.activities.models import Attendance, PointsRule
from fumin.activities.services import activity_close, signup
from fumin.registration.services import member_register

from .helpers import make_activity, own_person

pytestmark = pytest.mark.usefixtures("clock")


def resident(world, name, mobile, **register):
    """A logged-in-able resident of community A with a linked person (by dual registration)."""
    user = make_user(name, mobile, Role.MEMBER, area=world.community_a)
    member_register(actor=user, channel="self", name=name, community=world.community_a, **register)
    return user


def move(clock, client, user, text):
    """Set the clock and log in again: sessions end after 30 idle minutes."""
    clock.set(text)
    client.force_login(user)


def detail(activity):
    return reverse("portal:activity_detail", args=[activity.public_id])


def post(client, user, name, activity):
    client.force_login(user)
    return client.post(reverse(f"portal:{name}", args=[activity.public_id]))


def test_the_list_shows_published_activities_upcoming_first_and_never_drafts(world, client):
    make_activity(world, title="晚一点的活动", starts="2020-09-20 09:00", ends="2020-09-20 10:00")
    make_activity(world, title="早一点的活动", starts="2020-09-11 09:00", ends="2020-09-11 10:00")
    draft = make_activity(world, title="草稿活动", publish=False)
    make_activity(world, title="威海的活动", actor=world.secretary_b, community=world.community_b)
    client.force_login(world.secretary_a)  # staff see drafts in the console, not here
    page = client.get(reverse("portal:activity_list")).content.decode()
    assert page.index("早一点的活动") < page.index("晚一点的活动")
    assert "草稿活动" not in page
    assert client.get(detail(draft)).status_code == 404

    own_person(world, world.member)
    client.force_login(world.member)
    mine = client.get(reverse("portal:activity_list")).content.decode()
    assert "晚一点的活动" in mine and "威海的活动" not in mine
    everything = client.get(reverse("portal:activity_list"), {"scope": "all"}).content.decode()
    assert "威海的活动" in everything


def test_sign_up_waitlist_and_a_cancel_promotes_the_next(world, client):
    activity = make_activity(world, capacity=1)
    first = resident(world, "王芳", "13600000001")
    second = resident(world, "李强", "13600000002")

    assert post(client, first, "activity_signup", activity).status_code == 302
    page = client.get(detail(activity))
    assert page.context["attendance"].status == Attendance.Status.CONFIRMED
    assert page.context["counts"].places_left == 0

    post(client, second, "activity_signup", activity)
    page = client.get(detail(activity))
    assert page.context["attendance"].status == Attendance.Status.WAITLISTED
    assert page.context["position"] == 1
    assert 'data-testid="waitlist-position"' in page.content.decode()

    post(client, first, "activity_cancel", activity)
    assert client.get(detail(activity)).context["attendance"].status == "cancelled"
    client.force_login(second)
    assert client.get(detail(activity)).context["attendance"].status == "confirmed"


def test_an_account_without_a_person_is_told_to_register(world, client):
    activity = make_activity(world)
    response = post(client, world.outsider, "activity_signup", activity)
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages and not Attendance.objects.exists()


def test_check_in_by_the_code_url_is_idempotent(world, client, clock):
    activity = make_activity(world, capacity=5)
    user = resident(world, "王芳", "13600000001")
    client.force_login(user)
    client.post(reverse("portal:activity_signup", args=[activity.public_id]))
    url = reverse("portal:activity_checkin_code", args=[activity.checkin_code])
    assert url == f"/portal/activities/checkin/{activity.checkin_code}/"

    move(
        clock, client, user, "2020-09-12 06:00"
    )  # too early: check-in opens an hour before the start
    early = client.post(url)
    assert early.status_code == 400 and early.context["error"]

    move(clock, client, user, "2020-09-12 08:50")
    # Opening the link (or a link preview fetching it) checks nobody in: the tap does.
    opened = client.get(url)
    assert opened.status_code == 200 and 'data-testid="checkin-tap"' in opened.content.decode()
    assert not Attendance.objects.filter(checked_in_at__isnull=False).exists()
    first = client.post(url)
    assert first.status_code == 200 and 'data-testid="checkin-ok"' in first.content.decode()
    move(clock, client, user, "2020-09-12 09:30")
    again = client.post(url.lower())  # the code is normalised
    assert again.status_code == 200
    attendance = Attendance.objects.get()
    assert attendance.status == "attended" and attendance.checkin_method == "qr"
    assert again.context["attendance"].checked_in_at == first.context["attendance"].checked_in_at
    reopened = client.get(url)  # once checked in, the link shows that check-in
    assert 'data-testid="checkin-ok"' in reopened.content.decode()

    client.logout()
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert "next=" in anonymous["Location"]


def test_the_code_url_refuses_someone_not_signed_up_and_unknown_codes(world, client, clock):
    activity = make_activity(world)
    user = resident(world, "王芳", "13600000001")
    client.force_login(user)
    move(clock, client, user, "2020-09-12 09:10")
    response = client.post(reverse("portal:activity_checkin_code", args=[activity.checkin_code]))
    assert response.status_code == 400
    assert not Attendance.objects.filter(checked_in_at__isnull=False).exists()
    unknown = client.get(reverse("portal:activity_checkin_code", args=["ZZZZZZZZ"]))
    assert unknown.status_code == 404


def test_a_typed_wrong_code_is_named_on_the_form(world, client, clock):
    activity = make_activity(world)
    user = resident(world, "王芳", "13600000001")
    client.force_login(user)
    client.post(reverse("portal:activity_signup", args=[activity.public_id]))
    move(clock, client, user, "2020-09-12 09:05")
    url = reverse("portal:activity_checkin")
    wrong = client.post(url, {"code": "22222222"})
    assert wrong.status_code == 400
    assert "code" in wrong.context["form"].errors
    assert "签到码" in wrong.content.decode()  # the field's label, in the error summary
    short = client.post(url, {"code": "ABC"})
    assert short.status_code == 400 and "code" in short.context["form"].errors

    typed = client.post(
        url, {"code": activity.checkin_code.lower()[:4] + " " + activity.checkin_code[4:]}
    )
    assert typed.status_code == 302 and typed["Location"] == detail(activity)
    assert Attendance.objects.get().checkin_method == "typed_code"


def test_my_activities_show_hours_points_and_the_personal_code(world, client, clock):
    PointsRule.objects.create(name="服务时长", basis="per_hour", points=10)
    activity = make_activity(world, capacity=5)
    user = resident(world, "王芳", "13600000001")
    client.force_login(user)
    client.post(reverse("portal:activity_signup", args=[activity.public_id]))
    move(clock, client, user, "2020-09-12 08:50")
    client.post(reverse("portal:activity_checkin_code", args=[activity.checkin_code]))
    move(clock, client, user, "2020-09-12 11:00")
    assert (
        client.post(reverse("portal:activity_checkout", args=[activity.public_id])).status_code
        == 302
    )
    assert Attendance.objects.get().hours == Decimal("2.17")
    activity_close(actor=world.secretary_a, activity=activity, beneficiaries=40)

    page = client.get(reverse("portal:my_activities"))
    assert page.status_code == 200
    assert page.context["total_hours"] == Decimal("2.17")
    assert page.context["balance"] == 22
    html = page.content.decode()
    assert "2.17" in html and 'data-testid="points-balance">22<' in html
    assert page.context["personal_code"] in html and "<svg" in html


def test_the_service_record_document_shows_the_masked_id_only(world, client, clock):
    activity = make_activity(world, title="敬老院探访，陪伴老人", capacity=5)
    user = resident(world, "金晓东", "13600000009", id_number="11010519491231002X")
    signup(actor=user, activity=activity)
    move(clock, client, user, "2020-09-12 09:00")
    client.force_login(user)
    client.post(reverse("portal:activity_checkin_code", args=[activity.checkin_code]))
    move(clock, client, user, "2020-09-12 11:30")
    client.post(reverse("portal:activity_checkout", args=[activity.public_id]))

    response = client.get(reverse("portal:service_record"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    document = Document(io.BytesIO(response.content))
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    text = "\n".join([p.text for p in document.paragraphs] + cells)
    assert "金晓东" in text and "敬老院探访，陪伴老人" in text and "2.5" in text
    assert "1101**********002X" in text
    assert "11010519491231002X" not in text and "13600000009" not in text
    assert "华业居民区" in text  # the issuing community
    assert "FM-VS-" in text  # a record number

    client.force_login(world.outsider)
    assert client.get(reverse("portal:service_record")).status_code == 404
