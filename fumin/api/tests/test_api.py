import json

from fumin.core.masking import mask_mobile


def test_anonymous_callers_get_a_json_401_not_a_login_page(client, db):
    response = client.get("/api/me")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_me_describes_the_caller_with_a_masked_mobile(client, world):
    client.force_login(world.secretary_a)
    body = client.get("/api/me").json()
    assert body["name"] == "沈美华"
    assert body["mobile_masked"] == mask_mobile("13900000003")
    assert body["roles"][0]["role"] == "community_secretary"
    assert body["roles"][0]["area"] == "华业居民区"
    assert "unmask_personal_data" in body["capabilities"]


def test_areas_are_scoped_like_the_pages(client, world):
    client.force_login(world.coordinator)
    body = client.get("/api/areas").json()
    assert sorted(item["name"] for item in body["items"]) == [
        "华业居民区",
        "威海居民区",
        "第一工作网格",
    ]
    assert body["count"] == 3
    client.force_login(world.secretary_b)
    assert client.get(f"/api/areas/{world.community_a.public_id}").status_code == 404


def test_areas_filter_by_kind_and_pinyin(client, world):
    client.force_login(world.officer)
    body = client.get("/api/areas", {"kind": "community", "q": "hy"}).json()
    assert [item["name"] for item in body["items"]] == ["华业居民区"]


def test_a_malformed_id_is_refused_naming_the_field(client, world):
    client.force_login(world.officer)
    response = client.get("/api/areas/not-a-uuid")
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "area_id"


def test_a_bad_page_size_is_refused_naming_the_field(client, world):
    client.force_login(world.officer)
    response = client.get("/api/areas", {"limit": "many"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "limit"


def test_errors_speak_the_callers_language(client, db):
    chinese = client.get("/api/me", HTTP_ACCEPT_LANGUAGE="zh-CN").json()["detail"]
    english = client.get("/api/me", HTTP_ACCEPT_LANGUAGE="en").json()["detail"]
    assert chinese == "请先登录。"
    assert english == "Log in first."


def test_the_openapi_schema_is_served_and_lists_the_endpoints(client, db):
    schema = json.loads(client.get("/api/openapi.json").content)
    assert {"/api/me", "/api/areas", "/api/areas/{area_id}"} <= set(schema["paths"])


def test_the_api_docs_page_loads_its_assets_locally(client, db):
    page = client.get("/api/docs").content.decode()
    assert "cdn" not in page.lower()
    assert "/static/ninja/" in page


def test_the_area_list_runs_a_bounded_number_of_queries(
    client, world, django_assert_max_num_queries
):
    from fumin.registry.services import area_create

    for i in range(20):  # more rows must not mean more queries
        area_create(actor=None, name=f"测试居民区{i}", kind="community", parent=world.grid_2)
    client.force_login(world.admin)
    # session, user, roles, count, rows, session save: a constant, whatever the row count
    with django_assert_max_num_queries(8):
        response = client.get("/api/areas")
    assert response.json()["count"] == 27


def test_alliance_members_are_added_and_removed_through_the_api(client, world):
    client.force_login(world.officer)
    url = f"/api/alliances/{world.alliance.public_id}/members"
    added = client.post(
        url, json.dumps({"unit_id": str(world.unit_b.public_id)}), content_type="application/json"
    )
    assert sorted(m["name"] for m in added.json()["members"]) == ["上海市作家协会", "公惠医院"]
    removed = client.delete(f"{url}/{world.unit_a.public_id}")
    assert [m["name"] for m in removed.json()["members"]] == ["公惠医院"]
    assert world.alliance.memberships.filter(left_on__isnull=False).count() == 1


def test_a_place_level_joint_meeting_without_its_place_is_refused_naming_it(client, world):
    client.force_login(world.officer)
    response = client.post(
        "/api/joint-meetings",
        json.dumps(
            {"name": "商圈联席会议", "level": "place", "area_id": str(world.community_a.public_id)}
        ),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "place"
