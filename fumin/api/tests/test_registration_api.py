import json

from fumin.registration.models import MemberRegistration, Status


def post(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def test_a_member_registers_through_the_api_and_a_repeat_finds_it(client, world):
    client.force_login(world.member)
    body = {"name": "吴志远", "community_id": str(world.community_a.public_id)}
    created = post(client, "/api/registrations/members", body)
    assert created.status_code == 201
    assert created.json()["channel"] == "self" and created.json()["mobile_masked"] == "139****0006"
    again = post(client, "/api/registrations/members", body)
    assert again.status_code == 200 and again.json()["existing"] is True
    assert again.json()["id"] == created.json()["id"]
    assert client.get("/api/me/registration").json()["status"] == "pending"


def test_self_registration_is_for_ones_own_number(client, world):
    client.force_login(world.member)
    response = post(
        client,
        "/api/registrations/members",
        {
            "name": "别人",
            "mobile": "13600000001",
            "community_id": str(world.community_a.public_id),
        },
    )
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "mobile"
    assert not MemberRegistration.objects.exists()


def test_the_secretary_confirms_and_rejects_through_the_api(client, world):
    client.force_login(world.secretary_a)
    first = post(
        client,
        "/api/registrations/members",
        {
            "name": "新党员",
            "mobile": "13600000002",
            "community_id": str(world.community_a.public_id),
        },
    ).json()
    assert first["channel"] == "community"
    confirmed = post(client, f"/api/registrations/members/{first['id']}/confirm")
    assert confirmed.json()["status"] == Status.CONFIRMED
    second = post(
        client,
        "/api/registrations/members",
        {
            "name": "另一位",
            "mobile": "13600000003",
            "community_id": str(world.community_a.public_id),
        },
    ).json()
    refused = post(client, f"/api/registrations/members/{second['id']}/reject", {"reason": ""})
    assert refused.status_code == 400 and refused.json()["detail"][0]["field"] == "reason"


def test_figures_count_the_callers_area(client, world):
    client.force_login(world.secretary_a)
    registration = post(
        client,
        "/api/registrations/members",
        {
            "name": "新党员",
            "mobile": "13600000004",
            "community_id": str(world.community_a.public_id),
        },
    ).json()
    post(client, f"/api/registrations/members/{registration['id']}/confirm")
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    figures = client.get(
        "/api/registrations/figures", {"start": today, "end": today, "by": "community"}
    ).json()
    assert figures["area"]["name"] == "华业居民区"
    assert figures["members_registered"] == 1 and figures["organisations_registered"] == 0
    assert figures["by"]["members_registered"] == [["华业居民区", 1]]
    bad = client.get("/api/registrations/figures", {"start": today, "end": "2000-01-01"})
    assert bad.status_code == 400 and bad.json()["detail"][0]["field"] == "end"
