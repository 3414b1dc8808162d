import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fumin.activities.tests.helpers import own_person
from fumin.lists.models import Claim, Match, Need, Resource
from fumin.lists.services import (
    ceremony_create,
    milestone_add,
    need_create,
    sector_create,
)
from fumin.lists.tests.helpers import (
    category,
    make_claim,
    make_need,
    make_programme,
    make_project,
    make_resource,
)


def post(client, url, body=None, **headers):
    return client.post(url, json.dumps(body or {}), content_type="application/json", **headers)


def patch(client, url, body, **headers):
    return client.patch(url, json.dumps(body), content_type="application/json", **headers)


def fields_of(response) -> set:
    return {e["field"] for e in response.json()["detail"]}


def message_of(response, field) -> str:
    return next(e["message"] for e in response.json()["detail"] if e["field"] == field)


# Categories, sectors, programmes ----------------------------------------------------------------


def test_categories_are_listed_in_the_callers_language(client, world):
    client.force_login(world.member)
    english = client.get("/api/categories", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["count"] == 10
    health = next(c for c in english["items"] if c["code"] == "health")
    assert health["label"] == "health" and "义诊" in health["keywords"]
    chinese = client.get("/api/categories", {"limit": 2}, HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert chinese["count"] == 10 and len(chinese["items"]) == 2
    assert chinese["items"][0]["label"] == chinese["items"][0]["name"]


def test_subdistrict_staff_build_the_sector_tree_others_may_only_read_it(client, world):
    client.force_login(world.officer)
    sector = post(client, "/api/sectors", {"name": "红色文化", "position": 1})
    assert sector.status_code == 201, sector.content
    programme = post(
        client, "/api/programmes", {"sector_id": sector.json()["id"], "name": "红色寻访"}
    )
    assert programme.status_code == 201
    again = post(client, "/api/sectors", {"name": "红色文化"}, HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 400 and fields_of(again) == {"name"}
    unknown = post(client, "/api/programmes", {"sector_id": programme.json()["id"], "name": "x"})
    assert unknown.status_code == 400 and fields_of(unknown) == {"sector_id"}

    client.force_login(world.secretary_a)
    assert post(client, "/api/sectors", {"name": "为民服务"}).status_code == 403
    tree = client.get("/api/sectors").json()
    assert tree["count"] == 1
    assert tree["items"][0]["programmes"][0]["name"] == "红色寻访"
    assert tree["items"][0]["id"] == sector.json()["id"]


# Needs ------------------------------------------------------------------------------------------


def need_in_b(world, title="楼道堆物"):
    return need_create(
        actor=None,
        title=title,
        description="楼道堆物影响通行",
        category=category("environment"),
        area=world.community_b,
    )


def need_body(world, **fields):
    body = {
        "title": "独居老人助餐",
        "description": "小区独居老人多，午餐没有着落",
        "category": "elderly_care",
        "community_id": str(world.community_a.public_id),
        "urgency": "high",
    }
    return body | fields


def test_staff_post_a_need_and_see_its_history(client, world):
    client.force_login(world.secretary_a)
    created = post(client, "/api/needs", need_body(world, expected_beneficiaries=12))
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["status"] == "open" and data["source"] == "staff" and data["editable"] is True
    assert data["community"]["name"] == "华业居民区" and data["category"]["code"] == "elderly_care"
    assert [h["to_status"] for h in data["history"]] == ["open"]
    assert data["history"][0]["actor"] == "沈美华"
    assert "pk" not in data and isinstance(data["id"], str)

    url = f"/api/needs/{data['id']}"
    patched = patch(client, url, {"urgency": "urgent", "beneficiary_group": "独居老人"})
    assert patched.status_code == 200 and patched.json()["urgency"] == "urgent"
    closing = post(client, f"{url}/status", {"status": "closed"}, HTTP_ACCEPT_LANGUAGE="en")
    assert closing.status_code == 400
    assert message_of(closing, "note") == "Say why the need is closed."
    closed = post(client, f"{url}/status", {"status": "closed", "note": "街道食堂已覆盖"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    history = client.get(url).json()["history"]
    assert [(h["from_status"], h["to_status"]) for h in history] == [
        ("", "open"),
        ("open", "closed"),
    ]
    assert history[-1]["note"] == "街道食堂已覆盖"
    met = post(client, f"{url}/status", {"status": "met"}, HTTP_ACCEPT_LANGUAGE="en")
    assert met.status_code == 400 and fields_of(met) == {"status"}


def test_need_list_filters(client, world):
    make_need(world)  # environment, normal
    make_need(
        world,
        title="助餐",
        description="老人午餐",
        category=category("elderly_care"),
        urgency="urgent",
    )
    need_in_b(world)
    client.force_login(world.officer)

    def count(**params):
        response = client.get("/api/needs", params)
        assert response.status_code == 200, response.content
        return response.json()["count"]

    assert count() == 3
    assert count(category="elderly_care") == 1
    assert count(urgency="urgent") == 1
    assert count(community_id=str(world.community_b.public_id)) == 1
    assert count(q="流浪猫") == 1
    assert count(status="open") == 3 and count(status="met") == 0
    assert count(limit=1) == 3 and len(client.get("/api/needs", {"limit": 1}).json()["items"]) == 1
    bad = client.get("/api/needs", {"category": "nope"}, HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400 and fields_of(bad) == {"category"}


def test_needs_are_scoped(client, world):
    need = make_need(world)
    url = f"/api/needs/{need.public_id}"
    for persona in ("secretary_b", "member", "outsider"):
        client.force_login(getattr(world, persona))
        assert client.get(url).status_code == 404, persona
        assert patch(client, url, {"urgency": "low"}).status_code == 404, persona
        assert client.get("/api/needs").json()["count"] == 0, persona
    client.force_login(world.liaison)  # sees the active needs of the subdistrict, edits none
    assert client.get(url).status_code == 200
    assert client.get(url).json()["editable"] is False
    assert patch(client, url, {"urgency": "low"}).status_code == 403
    assert client.get(f"{url}/suggestions").status_code == 403
    assert client.get("/api/needs").json()["count"] == 1


def test_a_resident_raises_a_need_and_sees_only_their_own(client, world):
    make_need(world)
    client.force_login(world.member)
    body = {"title": "楼道堆物", "description": "楼道堆物影响消防通道", "category": "public_order"}
    raised = post(client, "/api/needs/raise", body)
    assert raised.status_code == 201, raised.content
    assert raised.json()["source"] == "resident"
    assert raised.json()["community"]["id"] == str(world.community_a.public_id)
    assert raised.json()["editable"] is False
    listed = client.get("/api/needs").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == raised.json()["id"]
    assert client.get("/api/needs", {"mine": True}).json()["count"] == 1
    client.force_login(world.outsider)
    refused = post(client, "/api/needs/raise", body, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert "not linked to a residential community" in refused.json()["detail"][0]["message"]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_bad_need_input_names_the_field_in_either_language(client, world, language):
    client.force_login(world.secretary_a)
    outside = post(
        client,
        "/api/needs",
        need_body(world, community_id=str(world.community_b.public_id)),
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert outside.status_code == 400 and fields_of(outside) == {"community_id"}
    unknown = post(
        client, "/api/needs", need_body(world, category="nope"), HTTP_ACCEPT_LANGUAGE=language
    )
    assert unknown.status_code == 400 and fields_of(unknown) == {"category"}
    urgency = post(
        client, "/api/needs", need_body(world, urgency="very"), HTTP_ACCEPT_LANGUAGE=language
    )
    assert urgency.status_code == 400 and fields_of(urgency) == {"urgency"}
    need = make_need(world)
    emptied = patch(
        client, f"/api/needs/{need.public_id}", {"title": None}, HTTP_ACCEPT_LANGUAGE=language
    )
    assert emptied.status_code == 400 and fields_of(emptied) == {"title"}
    if language == "en":
        assert message_of(outside, "community_id") == (
            "No such record, or it is outside your scope."
        )
        assert message_of(unknown, "category") == "No such category."
        assert message_of(emptied, "title") == "This field cannot be empty."
    missing = post(client, "/api/needs", {"title": "缺字段"}, HTTP_ACCEPT_LANGUAGE=language)
    assert missing.status_code == 422
    assert {"payload.description", "payload.category"} <= fields_of(missing)


# Suggestions and matching -----------------------------------------------------------------------


def test_suggestions_accept_decline_and_the_decisions_on_the_need(client, world):
    need = make_need(world)
    first = make_resource(world)
    second = make_resource(world, title="流浪猫领养日", unit=world.unit_b)
    client.force_login(world.secretary_a)
    url = f"/api/needs/{need.public_id}"
    suggestions = client.get(f"{url}/suggestions").json()
    assert suggestions["count"] == 2
    top = suggestions["items"][0]
    assert top["resource"]["id"] == str(first.public_id)
    assert top["unit"]["name"] == "上海市作家协会" and top["score"] > 0
    assert {r["kind"] for r in top["reasons"]} >= {"category"}
    assert all({"kind", "label", "weight"} == set(r) for r in top["reasons"])

    declined = post(
        client,
        f"{url}/matches",
        {"resource_id": str(second.public_id), "decision": "declined", "note": "太远"},
    )
    assert declined.status_code == 201, declined.content
    assert declined.json()["need_status"] == "open"
    accepted = post(
        client, f"{url}/matches", {"resource_id": str(first.public_id), "decision": "accepted"}
    )
    assert accepted.status_code == 201
    assert accepted.json()["need_status"] == "matched" and accepted.json()["score"] > 0
    assert {r["kind"] for r in accepted.json()["reasons"]} == {r["kind"] for r in top["reasons"]}
    assert client.get(f"{url}/suggestions").json()["count"] == 0

    detail = client.get(url).json()
    assert detail["status"] == "matched"
    assert {(d["resource"]["title"], d["decision"]) for d in detail["decisions"]} == {
        ("宠物医院绝育义诊", "accepted"),
        ("流浪猫领养日", "declined"),
    }
    assert detail["decisions"][0]["decided_by"] == "沈美华"

    bad = post(client, f"{url}/matches", {"decision": "maybe"}, HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400 and fields_of(bad) == {"decision"}
    neither = post(client, f"{url}/matches", {"decision": "accepted"}, HTTP_ACCEPT_LANGUAGE="en")
    assert neither.status_code == 400 and fields_of(neither) == {"resource_id"}
    unit_only = post(
        client, f"{url}/matches", {"unit_id": str(world.unit_a.public_id), "decision": "declined"}
    )
    assert unit_only.status_code == 201 and unit_only.json()["unit"]["name"] == "上海市作家协会"


def test_start_a_project_from_a_need(client, world):
    need = make_need(world)
    resource = make_resource(world)
    client.force_login(world.secretary_a)
    body = {
        "name": "宠爱YOU+社区流浪猫项目",
        "kind": "public_welfare",
        "year": 2021,
        "resource_id": str(resource.public_id),
    }
    started = post(client, f"/api/needs/{need.public_id}/project", body)
    assert started.status_code == 201, started.content
    project = started.json()
    assert project["status"] == "draft" and project["level"] == "community"
    assert project["needs"] == [{"id": str(need.public_id), "title": need.title}]
    assert project["resources"][0]["id"] == str(resource.public_id)
    need.refresh_from_db()
    assert need.status == Need.Status.IN_PROJECT
    assert Match.objects.get(need=need).project.public_id.hex == project["id"].replace("-", "")
    need_status = post(client, f"/api/needs/{need.public_id}/status", {"status": "met"})
    assert need_status.json()["status"] == "met"
    again = post(client, f"/api/needs/{need.public_id}/project", body, HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 400
    assert again.json()["detail"][0]["message"] == "This need is no longer open."
    subdistrict = post(
        client,
        f"/api/needs/{make_need(world).public_id}/project",
        body | {"level": "subdistrict"},
    )
    assert subdistrict.status_code == 403  # only subdistrict staff run Fumin projects


def test_a_resources_suggested_needs_are_those_the_caller_may_see(client, world):
    make_need(world)
    need_in_b(world, "流浪猫绝育")
    resource = make_resource(world)
    client.force_login(world.secretary_a)
    mine = client.get(f"/api/resources/{resource.public_id}/suggestions").json()
    assert mine["count"] == 1 and mine["items"][0]["community"]["name"] == "华业居民区"
    client.force_login(world.officer)
    assert client.get(f"/api/resources/{resource.public_id}/suggestions").json()["count"] == 2
    client.force_login(world.secretary_b)
    assert client.get(f"/api/resources/{resource.public_id}/suggestions").status_code == 404


# Resources --------------------------------------------------------------------------------------


def resource_body(world, **fields):
    body = {
        "title": "作协会议室",
        "kind": "venue",
        "category": "culture_sports",
        "unit_id": str(world.unit_a.public_id),
        "capacity": 40,
        "availability": "工作日晚上",
    }
    return body | fields


def test_a_liaison_offers_edits_and_archives_a_resource_of_their_unit(client, world):
    client.force_login(world.liaison)
    created = post(client, "/api/resources", resource_body(world))
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["provider"] == "unit" and data["provider_name"] == "上海市作家协会"
    assert data["area"]["name"] == "华业居民区" and data["editable"] is True
    url = f"/api/resources/{data['id']}"
    patched = patch(client, url, {"capacity": 60, "available_from": "2021-03-01"})
    assert patched.status_code == 200 and patched.json()["capacity"] == 60
    backwards = patch(client, url, {"available_until": "2021-01-01"}, HTTP_ACCEPT_LANGUAGE="en")
    assert backwards.status_code == 400 and fields_of(backwards) == {"available_until"}
    assert client.get("/api/resources", {"kind": "venue"}).json()["count"] == 1
    archived = post(client, f"{url}/archive")
    assert archived.status_code == 200 and archived.json()["archived"] is True
    assert client.get("/api/resources").json()["count"] == 0
    assert client.get("/api/resources", {"include_archived": True}).json()["count"] == 1

    client.force_login(world.secretary_b)
    assert client.get(url).status_code == 404
    outside = post(client, "/api/resources", resource_body(world), HTTP_ACCEPT_LANGUAGE="en")
    assert outside.status_code == 400 and fields_of(outside) == {"unit_id"}


def test_a_member_offers_their_own_help_and_staff_a_departments(client, world):
    person = own_person(world, world.member)
    client.force_login(world.member)
    body = resource_body(world, unit_id=None, person_id=str(person.public_id), kind="expertise")
    created = post(client, "/api/resources", body)
    assert created.status_code == 201, created.content
    assert created.json()["provider"] == "member" and created.json()["person"]["name"] == "吴志远"
    assert client.get("/api/resources").json()["count"] == 1

    client.force_login(world.officer)
    department = resource_body(world, unit_id=None, department="街道社区服务办")
    no_area = post(client, "/api/resources", department, HTTP_ACCEPT_LANGUAGE="en")
    assert no_area.status_code == 400 and fields_of(no_area) == {"area_id"}
    assert message_of(no_area, "area_id") == "Choose where the resource is."
    placed = post(
        client, "/api/resources", department | {"area_id": str(world.subdistrict.public_id)}
    )
    assert placed.status_code == 201 and placed.json()["provider"] == "department"
    nobody = post(
        client, "/api/resources", resource_body(world, unit_id=None), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert nobody.status_code == 400 and fields_of(nobody) == {"provider"}
    client.force_login(world.secretary_a)  # a department's resource is subdistrict business
    refused = post(
        client, "/api/resources", department | {"area_id": str(world.community_a.public_id)}
    )
    assert refused.status_code == 403


# Projects ---------------------------------------------------------------------------------------


def project_body(world, **fields):
    body = {
        "name": "楼宇党建微课堂",
        "level": "community",
        "kind": "study",
        "year": 2021,
        "owner_area_id": str(world.community_a.public_id),
    }
    return body | fields


def test_staff_create_publish_and_run_a_project(client, world):
    programme = make_programme(world)
    need = make_need(world)
    client.force_login(world.officer)
    body = project_body(
        world,
        level="subdistrict",
        owner_area_id=str(world.subdistrict.public_id),
        programme_id=str(programme.public_id),
        need_ids=[str(need.public_id)],
    )
    created = post(client, "/api/projects", body)
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["status"] == "draft" and data["sector"]["name"] == "为民服务"
    assert data["needs"][0]["id"] == str(need.public_id) and data["progress"] == 0
    url = f"/api/projects/{data['id']}"

    published = post(client, f"{url}/status", {"status": "published"})
    assert published.status_code == 200 and published.json()["status"] == "published"
    assert [h["to_status"] for h in published.json()["history"]] == ["draft", "published"]
    wrong = post(client, f"{url}/status", {"status": "evaluated"}, HTTP_ACCEPT_LANGUAGE="en")
    assert wrong.status_code == 400 and fields_of(wrong) == {"status"}

    first = post(client, f"{url}/milestones", {"title": "招募志愿者", "due_on": "2021-04-01"})
    second = post(client, f"{url}/milestones", {"title": "开课"})
    assert first.status_code == second.status_code == 201
    done = post(client, f"{url}/milestones/{first.json()['id']}/done", {})
    assert done.status_code == 200 and done.json()["done"] is True
    detail = client.get(url).json()
    assert detail["progress"] == 50 and detail["status"] == "in_progress"
    assert [m["title"] for m in detail["milestones"]] == ["招募志愿者", "开课"]
    undone = post(client, f"{url}/milestones/{first.json()['id']}/done", {"done": False})
    assert undone.json()["done"] is False
    other = make_project(world, name="别的项目")
    assert (
        post(client, f"/api/projects/{other.public_id}/milestones/{first.json()['id']}/done")
    ).status_code == 404

    patched = patch(client, url, {"description": "每月一次", "need_ids": []})
    assert patched.status_code == 200 and patched.json()["needs"] == []
    not_area = patch(
        client, url, {"owner_area_id": str(world.community_a.public_id)}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert not_area.status_code == 400 and fields_of(not_area) == {"owner_area_id"}

    no_note = post(client, f"{url}/adjusted", {"note": " "}, HTTP_ACCEPT_LANGUAGE="en")
    assert no_note.status_code == 400 and message_of(no_note, "note") == "Say what was adjusted."
    adjusted = post(client, f"{url}/adjusted", {"note": "改为线上线下结合"})
    assert adjusted.json()["adjusted"] is True
    assert client.get("/api/projects", {"adjusted": True}).json()["count"] == 1

    copy = post(client, f"{url}/copy-forward", {})
    assert copy.status_code == 201 and copy.json()["year"] == 2022
    assert copy.json()["copied_from"]["id"] == data["id"]
    assert len(copy.json()["milestones"]) == 2 and copy.json()["status"] == "draft"
    twice = post(client, f"{url}/copy-forward", {}, HTTP_ACCEPT_LANGUAGE="en")
    assert twice.status_code == 400 and fields_of(twice) == {"year"}


def test_project_list_filters(client, world):
    programme = make_programme(world)
    make_project(world, programme=programme)
    make_project(world, name="邻里节", year=2020, kind="culture")
    make_project(world, name="草稿项目", publish=False)
    client.force_login(world.officer)

    def count(**params):
        response = client.get("/api/projects", params)
        assert response.status_code == 200, response.content
        return response.json()["count"]

    assert count() == 3
    assert count(year=2021) == 2 and count(kind="culture") == 1
    assert count(status="draft") == 1 and count(level="subdistrict") == 0
    assert count(sector_id=str(programme.sector.public_id)) == 1
    assert count(programme_id=str(programme.public_id)) == 1
    assert count(area_id=str(world.community_a.public_id)) == 3
    assert count(q="邻里") == 1 and count(adjusted=False) == 3
    client.force_login(world.member)  # the public list: published projects only
    assert count() == 2 and count(manageable=True) == 0
    assert count(area_id=str(world.community_a.public_id)) == 2
    bad = client.get("/api/projects", {"sector_id": str(world.unit_a.public_id)})
    assert bad.status_code == 400 and fields_of(bad) == {"sector_id"}


def test_projects_are_scoped(client, world):
    draft = make_project(world, name="草稿项目", publish=False)
    public = make_project(world)
    client.force_login(world.secretary_b)
    assert client.get(f"/api/projects/{draft.public_id}").status_code == 404
    assert client.get(f"/api/projects/{public.public_id}").status_code == 200
    assert patch(client, f"/api/projects/{public.public_id}", {"name": "x"}).status_code == 403
    outside = post(client, "/api/projects", project_body(world), HTTP_ACCEPT_LANGUAGE="en")
    assert outside.status_code == 400 and fields_of(outside) == {"owner_area_id"}
    client.force_login(world.coordinator)  # grid staff: small projects, not Fumin projects
    fumin = project_body(world, level="subdistrict", owner_area_id=str(world.grid_1.public_id))
    assert post(client, "/api/projects", fumin).status_code == 403
    wrong_area = post(
        client,
        "/api/projects",
        project_body(world, owner_area_id=str(world.grid_1.public_id)),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert wrong_area.status_code == 400 and fields_of(wrong_area) == {"owner_area_id"}
    assert post(client, "/api/projects", project_body(world)).status_code == 201


# Claims and ceremonies --------------------------------------------------------------------------


def test_a_liaison_claims_a_project_and_withdraws_the_claim(client, world):
    project = make_project(world)
    client.force_login(world.liaison)
    url = f"/api/projects/{project.public_id}/claims"
    body = {"unit_id": str(world.unit_a.public_id), "mode": "volunteers", "plan": "每月一次"}
    claimed = post(client, url, body)
    assert claimed.status_code == 201, claimed.content
    claim = claimed.json()
    assert (
        claim["certificate_number"] == "FM2021-0001" and claim["unit"]["name"] == "上海市作家协会"
    )
    twice = post(client, url, body, HTTP_ACCEPT_LANGUAGE="en")
    assert twice.status_code == 400 and fields_of(twice) == {"unit_id"}
    other_unit = post(client, url, body | {"unit_id": str(world.unit_b.public_id)})
    assert other_unit.status_code == 400 and fields_of(other_unit) == {"unit_id"}
    bad_mode = post(
        client,
        f"/api/projects/{make_project(world, name='另一个').public_id}/claims",
        body | {"mode": "magic"},
    )
    assert bad_mode.status_code == 400 and fields_of(bad_mode) == {"mode"}
    detail = client.get(f"/api/projects/{project.public_id}").json()
    assert detail["status"] == "claimed" and detail["claim_count"] == 1
    assert detail["claims"][0]["id"] == claim["id"]

    assert client.get("/api/claims", {"year": 2021}).json()["count"] == 1
    assert client.get("/api/claims", {"year": 2020}).json()["count"] == 0
    assert client.get("/api/claims", {"project_id": str(project.public_id)}).json()["count"] == 1
    no_reason = post(client, f"/api/claims/{claim['id']}/withdraw", {"reason": " "})
    assert no_reason.status_code == 400 and fields_of(no_reason) == {"reason"}
    withdrawn = post(client, f"/api/claims/{claim['id']}/withdraw", {"reason": "人手不足"})
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert client.get("/api/claims").json()["count"] == 0
    assert client.get("/api/claims", {"include_withdrawn": True}).json()["count"] == 1

    client.force_login(world.member)  # who claimed a public project is public
    assert client.get("/api/claims", {"project_id": str(project.public_id)}).json()["count"] == 0
    client.force_login(world.secretary_b)
    assert post(client, f"/api/claims/{claim['id']}/withdraw", {"reason": "x"}).status_code == 404


def test_a_ceremonys_claims_are_recorded_all_or_nothing(client, world):
    first = make_project(world, name="项目一")
    second = make_project(world, name="项目二")
    draft = make_project(world, name="草稿", publish=False)
    client.force_login(world.officer)
    created = post(
        client, "/api/ceremonies", {"title": "2021年福民项目认领仪式", "held_on": "2021-03-05"}
    )
    assert created.status_code == 201, created.content
    ceremony = created.json()
    assert ceremony["area"]["name"] == "南京西路街道"
    url = f"/api/ceremonies/{ceremony['id']}/claims"

    def line(project, unit=None, mode="volunteers"):
        unit_id = (unit or world.unit_a).public_id
        return {"project_id": str(project), "unit_id": str(unit_id), "mode": mode, "plan": "参与"}

    wrong = post(
        client,
        url,
        {
            "lines": [
                line(first.public_id),
                line(world.unit_b.public_id),  # not a project
                line(draft.public_id),  # not published
                line(second.public_id, mode="magic"),
            ]
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert wrong.status_code == 400, wrong.content
    assert fields_of(wrong) == {"lines.1.project_id", "lines.2", "lines.3"}
    assert message_of(wrong, "lines.1.project_id").startswith("Line 2: ")
    assert "Only a published project can be claimed." in message_of(wrong, "lines.2")
    assert message_of(wrong, "lines.3").startswith("Line 4: ")
    assert Claim.objects.count() == 0
    zh = post(client, url, {"lines": [line(draft.public_id)]}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert zh.status_code == 400 and fields_of(zh) == {"lines.0"}

    recorded = post(
        client, url, {"lines": [line(first.public_id), line(second.public_id, world.unit_b)]}
    )
    assert recorded.status_code == 201, recorded.content
    assert recorded.json()["count"] == 2
    assert {c["ceremony"]["id"] for c in recorded.json()["items"]} == {ceremony["id"]}
    listed = client.get("/api/ceremonies").json()
    assert listed["count"] == 1 and listed["items"][0]["claim_count"] == 2
    assert client.get("/api/claims", {"ceremony_id": ceremony["id"]}).json()["count"] == 2
    assert post(client, url, {"lines": []}).status_code == 422

    client.force_login(world.secretary_a)
    assert post(client, "/api/ceremonies", {"title": "x", "held_on": "2021-03-05"}).status_code == (
        403
    )
    assert post(client, url, {"lines": [line(first.public_id)]}).status_code == 404


# Query counts -----------------------------------------------------------------------------------


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.content
    return len(context.captured_queries)


def _grow(world, number):
    for _ in range(number):
        n = _next(world, "_grow")
        need = make_need(world, title=f"需求{n}")
        resource = make_resource(world, title=f"资源{n}", unit=world.unit_b if n % 2 else None)
        project = make_project(world, name=f"项目{n}", programme=make_programme(world, f"板块{n}"))
        milestone_add(actor=None, project=project, title="第一步")
        make_claim(world, project=project)
        assert need and resource


@pytest.mark.parametrize(
    "url", ["/api/needs", "/api/resources", "/api/projects", "/api/claims", "/api/sectors"]
)
def test_list_queries_do_not_grow_with_the_rows(client, world, url):
    _grow(world, 2)
    client.force_login(world.officer)
    _queries(client, url)  # warm the caches (content types, scope)
    few = _queries(client, url)
    _grow(world, 4)
    many = _queries(client, url)
    assert many == few, f"{url}: {few} queries for 2 rows, {many} for 6"
    assert many <= 10


# Records for the permission matrix (tests/matrix/lists_api.py) ---------------------------------


def _cached(world, key, make):
    if key not in world.__dict__:
        world.__dict__[key] = make()
    return world.__dict__[key]


def _next(world, key="_lists_api_count") -> int:
    count = world.__dict__.setdefault(key, [0])
    count[0] += 1
    return count[0]


def matrix_need_ref(world) -> dict:
    return {"need_id": _cached(world, "_lists_api_need", lambda: make_need(world)).public_id}


def matrix_fresh_need_ref(world) -> dict:
    """A new open need of community A per request: deciding on one changes it."""
    return {"need_id": make_need(world, title=f"新需求{_next(world)}").public_id}


def matrix_resource(world) -> Resource:
    return _cached(world, "_lists_api_resource", lambda: make_resource(world))


def matrix_resource_ref(world) -> dict:
    return {"resource_id": matrix_resource(world).public_id}


def matrix_fresh_resource_ref(world) -> dict:
    return {"resource_id": make_resource(world, title=f"新资源{_next(world)}").public_id}


def matrix_project_ref(world) -> dict:
    """A published small project of community A."""
    return {
        "project_id": _cached(world, "_lists_api_project", lambda: make_project(world)).public_id
    }


def matrix_fresh_project_ref(world) -> dict:
    return {"project_id": make_project(world, name=f"新项目{_next(world)}").public_id}


def matrix_milestone_ref(world) -> dict:
    project = make_project(world, name=f"里程碑项目{_next(world)}")
    milestone = milestone_add(actor=None, project=project, title="第一步")
    return {"project_id": project.public_id, "milestone_id": milestone.public_id}


def matrix_claim_ref(world) -> dict:
    project = make_project(world, name=f"认领项目{_next(world)}")
    return {"claim_id": make_claim(world, project=project).public_id}


def matrix_sector_body(world) -> dict:
    return {"name": f"板块{_next(world)}"}


def matrix_programme_body(world) -> dict:
    sector = _cached(
        world,
        "_lists_api_sector",
        lambda: sector_create(actor=None, name="为民服务", area=world.subdistrict),
    )
    return {"sector_id": str(sector.public_id), "name": f"大项{_next(world)}"}


def matrix_need_body(world) -> dict:
    return need_body(world)


def matrix_raise_body(world) -> dict:
    return {"title": "楼道堆物", "description": "影响消防通道", "category": "public_order"}


def matrix_match_body(world) -> dict:
    return {"resource_id": str(matrix_resource(world).public_id), "decision": "accepted"}


def matrix_from_need_body(world) -> dict:
    return {"name": "流浪猫项目", "kind": "public_welfare", "year": 2021}


def matrix_resource_body(world) -> dict:
    return resource_body(world)


def matrix_project_body(world) -> dict:
    return project_body(world)


def matrix_claim_body(world) -> dict:
    return {"unit_id": str(world.unit_a.public_id), "mode": "volunteers", "plan": "每月一次"}


def matrix_ceremony_ref(world) -> dict:
    ceremony = _cached(
        world,
        "_lists_api_ceremony",
        lambda: ceremony_create(
            actor=None, title="认领仪式", held_on=datetime.date(2021, 3, 5), area=world.subdistrict
        ),
    )
    return {"ceremony_id": ceremony.public_id}


def matrix_ceremony_body(world) -> dict:
    project = make_project(world, name=f"仪式项目{_next(world)}")
    line = {
        "project_id": str(project.public_id),
        "unit_id": str(world.unit_a.public_id),
        "mode": "volunteers",
        "plan": "参与",
    }
    return {"lines": [line]}
