"""The console pages of the council: reading, the forms, refusals, the printable certificate."""

import datetime

import pytest
from django.urls import reverse

from fumin.council import services
from fumin.council.models import CouncilMotion, CouncilSeat

from .helpers import ADD, FOUNDED, MEMBER, motion_with_items, new_unit


def url(name, obj=None):
    return reverse(f"console:{name}", kwargs={"public_id": obj.public_id} if obj else None)


def test_the_council_page_shows_seats_rota_and_history(client, cw, world):
    client.force_login(world.officer)
    page = client.get(url("council_detail", cw.council)).content.decode()
    for text in (
        cw.council.name,
        "上海市作家协会",
        "公惠医院",
        "NJXL-2018-0001",
        cw.founding.title,
    ):
        assert text in page
    for section in ('id="seats"', 'id="rota"', 'id="history"', 'id="motions"'):
        assert section in page
    assert url("council_motion_create", cw.council) in page  # managers may start a motion


def test_the_sidebar_links_to_the_council(client, world):
    client.force_login(world.secretary_a)
    assert url("council_index") in client.get(url("home")).content.decode()


def test_a_secretary_reads_the_council_but_cannot_change_it(client, cw, world):
    client.force_login(world.secretary_a)
    page = client.get(url("council_detail", cw.council)).content.decode()
    assert "上海市作家协会" in page
    assert url("council_motion_create", cw.council) not in page
    motion_page = client.get(url("council_motion_detail", cw.draft)).content.decode()
    assert url("council_motion_approve", cw.draft) not in motion_page
    approve = client.post(
        url("council_motion_approve", cw.draft), {"approve-meeting": cw.meeting.pk}
    )
    assert approve.status_code == 403
    meeting = client.post(
        url("council_meeting_index", cw.council), {"title": "会议", "held_on": "2020-12-17"}
    )
    assert meeting.status_code == 403
    cw.draft.refresh_from_db()
    assert cw.draft.is_draft


def test_the_certificate_is_a_clean_a4_page_in_chinese(client, cw, world):
    seat = CouncilSeat.objects.get(unit=world.unit_a)
    client.force_login(world.officer)
    response = client.get(url("council_seat_certificate", seat))
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "上海市作家协会",
        "成员单位证书",
        "轮值主席单位",
        "NJXL-2018-0001",
        "2018年12月20日",  # term start and issue date
        cw.council.name,  # the issuing body
    ):
        assert text in page
    assert "@page" in page and "size: A4" in page
    # No console chrome at all; the only thing besides the certificate is a toolbar not printed.
    assert 'class="sidebar"' not in page and 'class="topbar"' not in page
    assert 'class="certificate-toolbar no-print"' in page
    assert "window.print()" in page


def test_a_closed_seat_keeps_its_certificate(client, cw, world):
    motion = motion_with_items(
        cw.council, "退出", ("end", world.unit_b, "", None, datetime.date(2019, 12, 31))
    )
    services.council_motion_approve(actor=None, motion=motion, meeting=cw.meeting)
    seat = CouncilSeat.objects.get(unit=world.unit_b)
    client.force_login(world.officer)
    page = client.get(url("council_seat_certificate", seat)).content.decode()
    assert "2019年12月31日" in page
    assert "公惠医院" in page


def test_an_officer_records_a_meeting_and_bad_input_names_the_fields(client, cw, world):
    client.force_login(world.officer)
    target = url("council_meeting_index", cw.council)
    bad = client.post(target, {"title": "", "held_on": "2020-13-45"})
    assert bad.status_code == 400
    assert {"title", "held_on"} <= set(bad.context["form"].errors)
    good = client.post(
        target, {"title": "2020年理事会", "held_on": "2020-12-17", "location": "上海市作家协会"}
    )
    assert good.status_code == 302
    assert cw.council.meetings.filter(title="2020年理事会").exists()


def test_a_motion_is_drafted_filled_and_approved_through_the_pages(client, cw, world):
    client.force_login(world.officer)
    bad = client.post(url("council_motion_create", cw.council), {"title": " "})
    assert bad.status_code == 400 and "title" in bad.context["form"].errors

    response = client.post(url("council_motion_create", cw.council), {"title": "增补调整名单"})
    motion = CouncilMotion.objects.get(title="增补调整名单")
    assert response.status_code == 302
    assert response["Location"] == url("council_motion_detail", motion)

    unit = new_unit(world, "中共二大会址纪念馆")
    item = {"action": "add", "unit": unit.pk, "role": "member_unit", "term_start": "2020-12-17"}
    assert client.post(url("council_motion_add_item", motion), item).status_code == 302

    no_meeting = client.post(url("council_motion_approve", motion), {})
    assert no_meeting.status_code == 400
    assert "meeting" in no_meeting.context["approve_form"].errors
    assert not CouncilSeat.objects.filter(unit=unit).exists()

    done = client.post(url("council_motion_approve", motion), {"approve-meeting": cw.meeting.pk})
    assert done.status_code == 302
    seat = CouncilSeat.objects.get(unit=unit)
    assert (seat.opened_by, seat.role) == (motion, MEMBER)
    page = client.get(url("council_detail", cw.council)).content.decode()
    assert "中共二大会址纪念馆" in page


def test_a_motions_unit_is_found_among_the_councils_area(client, cw, world):
    """The item form lists no units: its search box finds those of the council's area."""
    client.force_login(world.officer)
    motion = services.council_motion_create(actor=world.officer, council=cw.council, title="增补")
    page = client.get(url("council_motion_detail", motion)).content.decode()
    start = page.index('<select name="unit"')
    assert page[start : page.index("</select>", start)].count("<option") == 1
    search = f"/console/units/options/?area={cw.council.area.public_id}"
    assert f'hx-get="{search}"' in page
    found = client.get(search + "&q=ghyy").content.decode()
    assert f'value="{world.unit_b.pk}">公惠医院' in found
    # An area outside the viewer's scope finds nothing; a value that is no id is refused.
    client.force_login(world.secretary_a)
    elsewhere = {"area": str(world.community_b.public_id), "q": "ghyy"}
    assert "公惠医院" not in client.get("/console/units/options/", elsewhere).content.decode()
    broken = client.get("/console/units/options/", {"area": "not-an-id", "q": "ghyy"})
    assert broken.status_code == 400 and broken.content.decode() == "area：不是区域编号。"


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({}, {"action", "unit"}),
        ({"action": "add", "unit": "999999", "role": "member_unit"}, {"unit"}),
        ({"action": "add", "role": "boss", "term_start": "2020-02-30"}, {"role", "term_start"}),
        # Accepted by the form, refused by the service: the unit already holds a seat.
        (
            {"action": "add", "role": "member_unit", "term_start": "2020-12-17", "unit": "A"},
            {"unit"},
        ),
        ({"action": "end", "unit": "B"}, {"term_end"}),
        (
            {
                "action": "add",
                "unit": "N",
                "role": "member_unit",
                "term_start": "2020-12-17",
                "term_end": "2020-01-01",
            },
            {"term_end"},
        ),
    ],
)
def test_a_bad_item_is_refused_with_400_naming_the_field(client, cw, world, data, fields):
    units = {"A": world.unit_a.pk, "B": world.unit_b.pk, "N": new_unit(world, "新单位").pk}
    data = {k: units.get(v, v) if k == "unit" else v for k, v in data.items()}
    client.force_login(world.officer)
    response = client.post(url("council_motion_add_item", cw.draft), data)
    assert response.status_code == 400
    assert fields <= set(response.context["item_form"].errors)
    assert cw.draft.items.count() == 1


def test_a_refused_approval_lists_the_bad_items_and_changes_nothing(client, cw, world):
    unit = new_unit(world, "抢先单位")
    motion = motion_with_items(cw.council, "增补", (ADD, unit, MEMBER, FOUNDED, None))
    first = motion_with_items(cw.council, "抢先", (ADD, unit, MEMBER, FOUNDED, None))
    services.council_motion_approve(actor=None, motion=first, meeting=cw.meeting)
    client.force_login(world.officer)
    response = client.post(
        url("council_motion_approve", motion), {"approve-meeting": cw.meeting.pk}
    )
    assert response.status_code == 400
    errors = response.context["approve_form"].non_field_errors()
    assert any("抢先单位" in e for e in errors)
    assert "抢先单位" in response.content.decode()
    assert CouncilSeat.objects.filter(unit=unit).count() == 1


def test_approving_twice_is_refused(client, cw, world):
    client.force_login(world.officer)
    response = client.post(
        url("council_motion_approve", cw.founding), {"approve-meeting": cw.meeting.pk}
    )
    assert response.status_code == 400
    assert CouncilSeat.objects.filter(opened_by=cw.founding).count() == 2


def test_reject_through_the_page(client, cw, world):
    client.force_login(world.officer)
    response = client.post(url("council_motion_reject", cw.draft), {})
    assert response.status_code == 302
    cw.draft.refresh_from_db()
    assert cw.draft.status == CouncilMotion.Status.REJECTED


def test_a_council_is_created_only_for_a_subdistrict(client, world):
    client.force_login(world.officer)
    bad = client.post(url("council_create"), {"name": "网格理事会", "area": world.grid_1.pk})
    assert bad.status_code == 400 and "area" in bad.context["form"].errors
    good = client.post(
        url("council_create"), {"name": "南京西路街道理事会", "area": world.subdistrict.pk}
    )
    assert good.status_code == 302


def test_list_pages_use_a_bounded_number_of_queries(
    client, cw, world, django_assert_max_num_queries
):
    motion = motion_with_items(
        cw.council,
        "增补",
        *[(ADD, new_unit(world, f"单位{n}"), MEMBER, FOUNDED, None) for n in range(10)],
    )
    services.council_motion_approve(actor=None, motion=motion, meeting=cw.meeting)
    for n in range(5):
        services.council_meeting_create(
            actor=None, council=cw.council, title=f"会议{n}", held_on=FOUNDED
        )
    client.force_login(world.officer)
    for name, obj in [
        ("council_index", None),
        ("council_detail", cw.council),
        ("council_meeting_index", cw.council),
        ("council_motion_detail", motion),
    ]:
        with django_assert_max_num_queries(14):
            assert client.get(url(name, obj)).status_code == 200
