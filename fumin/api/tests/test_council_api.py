import json

from fumin.council.models import CouncilSeat
from fumin.council.tests.helpers import make_council, new_unit


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_seats_list_the_chair_first_and_history_keeps_closed_ones(client, world):
    cw = make_council(world)
    client.force_login(world.secretary_a)
    seats = client.get(f"/api/councils/{cw.council.public_id}/seats").json()
    assert [s["unit"]["name"] for s in seats] == ["上海市作家协会", "公惠医院"]
    assert seats[0]["role"] == "rotating_chair" and seats[0]["open"]
    history = client.get(f"/api/councils/{cw.council.public_id}/seats?history=true").json()
    assert len(history) == 2


def test_a_motion_drafted_and_approved_through_the_api_opens_seats(client, world):
    cw = make_council(world)
    unit = new_unit(world, "浙商银行股份有限公司上海分行")
    client.force_login(world.officer)
    created = post(
        client,
        f"/api/councils/{cw.council.public_id}/motions",
        {
            "title": "2020年增补调整名单",
            "items": [
                {
                    "action": "add",
                    "unit_id": str(unit.public_id),
                    "role": "member_unit",
                    "term_start": "2020-12-17",
                }
            ],
        },
    )
    assert created.status_code == 201
    motion = created.json()
    assert motion["status"] == "draft"
    assert not CouncilSeat.objects.filter(unit=unit).exists()  # a draft changes nothing
    approved = post(
        client,
        f"/api/council-motions/{motion['id']}/approve",
        {"meeting_id": str(cw.meeting.public_id)},
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert CouncilSeat.objects.filter(unit=unit, closed_by__isnull=True).exists()


def test_a_motion_with_a_unit_out_of_sight_is_refused_whole(client, world):
    cw = make_council(world)
    client.force_login(world.officer)
    response = post(
        client,
        f"/api/councils/{cw.council.public_id}/motions",
        {
            "title": "错误的名单",
            "items": [
                {
                    "action": "add",
                    "unit_id": str(new_unit(world, "甲单位").public_id),
                    "role": "member_unit",
                    "term_start": "2021-01-01",
                },
                {
                    "action": "add",
                    "unit_id": "00000000-0000-0000-0000-000000000000",
                    "role": "member_unit",
                    "term_start": "2021-01-01",
                },
            ],
        },
    )
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "items.1.unit_id"
    assert not cw.council.motions.filter(title="错误的名单").exists()


def test_approving_needs_a_meeting_and_names_it(client, world):
    cw = make_council(world)
    client.force_login(world.officer)
    response = post(client, f"/api/council-motions/{cw.draft.public_id}/approve", {})
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "meeting"
