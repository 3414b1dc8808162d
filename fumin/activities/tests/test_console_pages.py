"""The staff console pages of activities: list and calendar, form, status changes, attendance
sheet with corrections and export, and the sign-in desk."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fumin.activities.models import Activity, Attendance, HoursCorrection
from fumin.activities.selectors import activity_list
from fumin.activities.services import check_in, personal_code, signup
from fumin.audit.models import AuditEntry

from .helpers import make_activity, volunteer

pytestmark = pytest.mark.usefixtures("clock")


def url(name, activity=None, **kwargs):
    if activity is not None:
        kwargs["public_id"] = activity.public_id
    return reverse(f"console:{name}", kwargs=kwargs or None)


def login(client, user):
    client.force_login(user)
    client.user = user
    return client


def tick(client, clock, when: str) -> None:
    """Move the clock; sessions end after 30 idle minutes, so log the same user in again."""
    clock.set(when)
    client.force_login(client.user)


@pytest.fixture
def staff(client, world):
    return login(client, world.secretary_a)


@pytest.fixture
def activity(world):
    return make_activity(world, capacity=10)


@pytest.fixture
def people(world, activity):
    """Three people signed up for the activity."""
    found = [
        volunteer(world, "王小明", "13600000001"),
        volunteer(world, "李芳", "13600000002"),
        volunteer(world, "张伟", "13600000003"),
    ]
    for person in found:
        signup(actor=None, activity=activity, person=person)
    return found


def form_data(world, **overrides):
    data = {
        "title": "敬老院慰问",
        "kind": "volunteer",
        "community": world.community_a.pk,
        "host_units": [world.unit_a.pk],
        "place": "华业居委会",
        "starts_at": "2020-09-20T09:00",
        "ends_at": "2020-09-20T11:30",
        "capacity": "20",
        "description": "",
    }
    data.update(overrides)
    return data


# Create, edit, publish, held, close -------------------------------------------------------------


def test_create_saves_a_draft_in_shanghai_time(staff, world):
    response = staff.post(url("activity_create"), form_data(world))
    assert response.status_code == 302
    activity = Activity.objects.get(title="敬老院慰问")
    assert activity.status == Activity.Status.DRAFT
    assert response["Location"] == url("activity_detail", activity)
    assert activity.starts_at.isoformat() == "2020-09-20T01:00:00+00:00"
    assert list(activity.host_units.all()) == [world.unit_a]


def test_create_with_bad_input_names_the_fields(staff, world):
    response = staff.post(
        url("activity_create"),
        form_data(world, title="", ends_at="2020-09-20T08:00", capacity="0", kind="party"),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) >= {"title", "ends_at", "capacity", "kind"}
    assert Activity.objects.filter(title="敬老院慰问").count() == 0


def test_community_choices_are_the_viewers_own(staff, world):
    response = staff.get(url("activity_create"))
    assert list(response.context["form"].fields["community"].queryset) == [world.community_a]
    response = staff.post(url("activity_create"), form_data(world, community=world.community_b.pk))
    assert response.status_code == 400
    assert "community" in response.context["form"].errors


def test_host_units_are_ticked_boxes_found_by_search(staff, world, activity):
    """A district has thousands of units: the form lists only the chosen ones, ticked, and a
    search in the viewer's scope adds matches; each search keeps the ticked ones first."""
    page = staff.get(url("activity_create")).content.decode()
    assert 'type="checkbox" name="host_units"' not in page and "尚未选择：搜索后勾选" in page
    options = "/console/units/options/"
    found = staff.get(options, {"q": "zuojia", "multiple": "host_units"}).content.decode()
    assert f'<input type="checkbox" name="host_units" value="{world.unit_a.pk}"> ' in found
    assert "上海市作家协会（华业居民区）" in found
    # The ticked unit comes back ticked, ahead of (and not repeated among) the matches; a unit
    # outside the viewer's scope is dropped, not shown.
    found = staff.get(
        options,
        {
            "q": "shanghai",
            "multiple": "host_units",
            "host_units": [world.unit_a.pk, world.unit_b.pk],
        },
    ).content.decode()
    assert found.count(f'value="{world.unit_a.pk}" checked>') == 1
    assert found.count(f'value="{world.unit_a.pk}"') == 1 and "公惠医院" not in found
    bad = staff.get(options, {"q": "x", "multiple": 'host_units"><b>'})
    assert bad.status_code == 400 and bad.content.decode() == "multiple：不是表单字段名。"
    assert staff.get(options, {"q": "", "multiple": "host_units"}).status_code == 204
    # The edit form shows the activity's host unit ticked; unticking all of them saves none.
    activity.host_units.set([world.unit_a])
    page = staff.get(url("activity_edit", activity)).content.decode()
    assert f'name="host_units" value="{world.unit_a.pk}" checked>' in page
    response = staff.post(url("activity_edit", activity), form_data(world, host_units=[]))
    assert response.status_code == 302 and not activity.host_units.exists()


def test_edit_changes_the_activity(staff, world, activity):
    response = staff.get(url("activity_edit", activity))
    assert response.context["form"].initial["title"] == activity.title
    response = staff.post(
        url("activity_edit", activity),
        form_data(world, title="垃圾分类宣传（二）", starts_at="2020-09-12T09:00",
                  ends_at="2020-09-12T12:00"),
    )  # fmt: skip
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "垃圾分类宣传（二）"
    assert activity.capacity == 20


def test_publish_held_close_flow(staff, world, clock, people):
    draft = make_activity(world, title="草稿活动", publish=False)
    assert staff.post(url("activity_publish", draft)).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Activity.Status.PUBLISHED

    activity = Activity.objects.get(title="垃圾分类宣传")
    # Not started yet: marking held is refused, naming the field.
    response = staff.post(url("activity_mark_held", activity))
    assert response.status_code == 400
    assert any("status" in line or "状态" in line for line in response.context["errors"])

    tick(staff, clock, "2020-09-12 09:05")
    staff.post(url("activity_check_in", activity), {"person": str(people[0].public_id)})
    tick(staff, clock, "2020-09-12 12:30")
    response = staff.post(url("activity_mark_held", activity))
    assert response.status_code == 302, response
    assert response["Location"] == url("activity_detail", activity)
    activity.refresh_from_db()
    assert activity.status == Activity.Status.HELD
    assert activity.attendances.filter(status=Attendance.Status.NO_SHOW).count() == 2

    response = staff.post(url("activity_close", activity), {"beneficiaries": "-3"})
    assert response.status_code == 400
    assert "beneficiaries" in response.context["close_form"].errors
    response = staff.post(url("activity_close", activity), {"beneficiaries": "", "summary": "x"})
    assert response.status_code == 400

    response = staff.post(
        url("activity_close", activity), {"beneficiaries": "45", "summary": "慰问老人 45 人次"}
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.status, activity.beneficiaries) == (Activity.Status.CLOSED, 45)
    page = staff.get(url("activity_detail", activity))
    assert b'data-testid="beneficiaries">45<' in page.content


# The attendance sheet --------------------------------------------------------------------------


def test_detail_shows_counts_and_masked_attendance(staff, world, clock, activity, people):
    tick(staff, clock, "2020-09-12 08:30")
    check_in(actor=world.secretary_a, method="staff", activity=activity, person=people[1])
    response = staff.get(url("activity_detail", activity))
    assert response.status_code == 200
    counts = response.context["counts"]
    assert (counts.confirmed, counts.waitlisted, counts.checked_in) == (2, 0, 1)
    html = response.content.decode()
    assert "136****0001" in html and "13600000001" not in html
    assert html.count('data-testid="attendance-row"') == 3


def test_check_in_and_out_from_the_sheet_gives_hours(staff, world, clock, activity, people):
    tick(staff, clock, "2020-09-12 09:00")
    person = str(people[0].public_id)
    assert staff.post(url("activity_check_in", activity), {"person": person}).status_code == 302
    tick(staff, clock, "2020-09-12 11:30")
    assert staff.post(url("activity_check_out", activity), {"person": person}).status_code == 302
    attendance = Attendance.objects.get(activity=activity, person=people[0])
    assert attendance.hours == Decimal("2.50")
    assert attendance.checkin_method == Attendance.Method.STAFF


def test_hours_correction_needs_a_reason(staff, world, clock, activity, people):
    tick(staff, clock, "2020-09-12 09:00")
    check_in(actor=world.secretary_a, method="staff", activity=activity, person=people[0])
    data = {"person": str(people[0].public_id), "delta": "1.5", "reason": "  "}
    response = staff.post(url("activity_hours_correct", activity), data)
    assert response.status_code == 400
    assert response.context["rows"][0][1].errors.keys() == {"reason"}
    assert not HoursCorrection.objects.exists()

    response = staff.post(url("activity_hours_correct", activity), {**data, "delta": "0"})
    assert response.status_code == 400

    data["reason"] = "忘记签退，实际服务到 10:30"
    assert staff.post(url("activity_hours_correct", activity), data).status_code == 302
    correction = HoursCorrection.objects.get()
    assert correction.delta == Decimal("1.50") and correction.corrected_by == world.secretary_a
    page = staff.get(url("activity_detail", activity)).content.decode()
    assert "忘记签退" in page


def test_hours_of_someone_who_did_not_come_cannot_be_corrected(staff, activity, people):
    data = {"person": str(people[0].public_id), "delta": "1", "reason": "补录"}
    response = staff.post(url("activity_hours_correct", activity), data)
    assert response.status_code == 400
    assert not HoursCorrection.objects.exists()


def test_export_is_masked_and_audited(staff, world, clock, activity, people):
    tick(staff, clock, "2020-09-12 09:00")
    check_in(actor=world.secretary_a, method="staff", activity=activity, person=people[0])
    response = staff.get(url("activity_export", activity))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert "王小明" in values and "136****0001" in values
    assert not any("13600000001" in value for value in values)
    entry = AuditEntry.objects.get(action="export")
    assert entry.actor == world.secretary_a
    assert entry.target_id == str(activity.pk)


# The sign-in desk ------------------------------------------------------------------------------


def test_desk_shows_a_qr_code_and_the_typed_code(staff, activity):
    response = staff.get(url("activity_desk", activity))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html
    assert activity.checkin_code[:4] in html and activity.checkin_code[4:] in html
    assert response.context["checkin_url"] == (
        f"http://testserver/portal/activities/checkin/{activity.checkin_code}/"
    )
    assert 'data-testid="live-count"' in html and 'hx-trigger="every 3s' in html


def test_live_count_counts_checked_in_people(staff, world, clock, activity, people):
    response = staff.get(url("activity_desk_count", activity))
    assert response.context["counts"].checked_in == 0
    tick(staff, clock, "2020-09-12 08:30")
    for person in people[:2]:
        check_in(actor=world.secretary_a, method="staff", activity=activity, person=person)
    response = staff.get(url("activity_desk_count", activity))
    assert response.status_code == 200
    assert b'data-testid="live-count-value">2<' in response.content


def test_search_by_initials_finds_the_person_and_checks_them_in_once(
    staff, world, clock, activity, people
):
    response = staff.get(url("activity_desk_search", activity), {"q": "wxm"})
    found = response.context["attendances"]
    assert [a.person.name for a in found] == ["王小明"]
    assert (
        staff.get(url("activity_desk_search", activity), {"q": "lifang"})
        .context["attendances"][0]
        .person
        == people[1]
    )

    tick(staff, clock, "2020-09-12 08:45")
    post = {"person": str(people[0].public_id)}
    first = staff.post(url("activity_check_in", activity), post, HTTP_HX_REQUEST="true")
    assert first.status_code == 200
    assert first["HX-Trigger"] == "attendance-changed"
    assert "✓" in first.content.decode()
    tick(staff, clock, "2020-09-12 08:50")
    again = staff.post(url("activity_check_in", activity), post, HTTP_HX_REQUEST="true")
    assert again.status_code == 200
    attendance = Attendance.objects.get(activity=activity, person=people[0])
    assert attendance.status == Attendance.Status.ATTENDED
    assert attendance.checked_in_at.strftime("%H:%M") == "00:45"  # 08:45 in Shanghai, kept
    assert Attendance.objects.filter(activity=activity, checked_in_at__isnull=False).count() == 1


def test_desk_check_in_by_personal_code(staff, world, clock, activity, people):
    code = personal_code(person=people[2])
    tick(staff, clock, "2020-09-12 08:40")
    response = staff.post(
        url("activity_check_in", activity),
        {"personal_code": code.lower()[:4] + "-" + code.lower()[4:]},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "张伟" in response.content.decode()
    assert Attendance.objects.get(person=people[2]).checkin_method == "personal_code"

    response = staff.post(
        url("activity_check_in", activity), {"personal_code": "ZZZZZZZZ"}, HTTP_HX_REQUEST="true"
    )
    assert 'role="alert"' in response.content.decode()
    response = staff.post(url("activity_check_in", activity), {"personal_code": "ZZZZZZZZ"})
    assert response.status_code == 400


def test_check_in_before_it_opens_is_refused_with_the_reason(staff, activity, people):
    response = staff.post(url("activity_check_in", activity), {"person": str(people[0].public_id)})
    assert response.status_code == 400
    assert response.context["errors"]
    assert not Attendance.objects.filter(checked_in_at__isnull=False).exists()


# Scope and queries ------------------------------------------------------------------------------


def test_secretary_of_b_cannot_open_or_act_on_a(client, world, clock, activity, people):
    login(client, world.secretary_b)
    for name in ("activity_detail", "activity_edit", "activity_desk", "activity_desk_count",
                 "activity_desk_search", "activity_export"):  # fmt: skip
        assert client.get(url(name, activity)).status_code == 404, name
    tick(client, clock, "2020-09-12 09:00")
    post = {"person": str(people[0].public_id), "beneficiaries": "3", "delta": "1", "reason": "x"}
    for name in ("activity_publish", "activity_mark_held", "activity_close", "activity_check_in",
                 "activity_check_out", "activity_hours_correct"):  # fmt: skip
        assert client.post(url(name, activity), post).status_code == 404, name
    assert not Attendance.objects.filter(checked_in_at__isnull=False).exists()
    listed = client.get(url("activity_index")).context["activities"]
    assert activity not in list(listed)


def test_people_without_the_editing_right_are_refused(client, world, activity):
    login(client, world.liaison)
    assert client.get(url("activity_index")).status_code == 403
    assert client.get(url("activity_detail", activity)).status_code == 403


def test_manageable_list_leaves_out_published_activities_elsewhere(world, activity):
    assert activity in activity_list(viewer=world.secretary_b)
    assert activity not in activity_list(viewer=world.secretary_b, manageable=True)
    assert activity in activity_list(viewer=world.coordinator, manageable=True)
    assert not activity_list(viewer=world.liaison, manageable=True).exists()


def test_list_filters_and_runs_bounded_queries(staff, world, django_assert_max_num_queries):
    for day in range(1, 21):
        make_activity(
            world,
            title=f"活动{day}",
            kind="study" if day % 2 else "volunteer",
            starts=f"2020-09-{day:02d} 09:00",
            ends=f"2020-09-{day:02d} 10:00",
            publish=day % 3 == 0,
        )
    with django_assert_max_num_queries(12):
        response = staff.get(url("activity_index"))
    assert response.status_code == 200
    assert response.context["activities"].paginator.count == 20
    response = staff.get(url("activity_index"), {"kind": "study", "status": "published"})
    assert {a.title for a in response.context["activities"]} == {"活动3", "活动9", "活动15"}
    assert (
        staff.get(url("activity_index"), {"q": "活动1"}).context["activities"].paginator.count == 11
    )
    partial = staff.get(url("activity_index"), HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content

    with django_assert_max_num_queries(12):
        response = staff.get(url("activity_calendar"), {"month": "2020-09"})
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="calendar-item"') == 20
    assert response.context["previous"] == "2020-08" and response.context["next"] == "2020-10"
    october = staff.get(url("activity_calendar"), {"month": "2020-10"})
    assert october.content.decode().count('data-testid="calendar-item"') == 0


def test_detail_runs_bounded_queries(staff, world, clock, activity, django_assert_max_num_queries):
    tick(staff, clock, "2020-09-10 10:00")
    for n in range(8):
        signup(
            actor=None, activity=activity, person=volunteer(world, f"志愿者{n}", f"1360000100{n}")
        )
    with django_assert_max_num_queries(15):
        response = staff.get(url("activity_detail", activity))
    assert response.status_code == 200
