import json

import pytest

from fumin.audit.models import AuditEntry
from fumin.registry.demo import synthetic_credit_code
from fumin.registry.models import PartyOrg, Person, Unit


def test_a_secretary_creates_a_unit_in_their_community(client, world):
    client.force_login(world.secretary_a)
    response = client.post(
        "/console/units/new/",
        {
            "name": "恒隆地产党建服务站",
            "kind": "new_economic",
            "area": world.community_a.pk,
            "credit_code": synthetic_credit_code(3),
        },
    )
    unit = Unit.objects.get(name="恒隆地产党建服务站")
    assert response.status_code == 302 and response.url == unit.get_absolute_url()
    assert AuditEntry.objects.filter(
        action="create",
        target_type="registry.unit",
        target_id=str(unit.pk),
        actor=world.secretary_a,
    ).exists()


def test_bad_unit_input_names_each_field_and_stores_nothing(client, world):
    client.force_login(world.secretary_a)
    before = Unit.objects.count()
    response = client.post(
        "/console/units/new/",
        {
            "name": "",
            "kind": "spaceship",
            "area": world.community_b.pk,
            "credit_code": "91310106MA1FL00010",
        },
    )
    assert response.status_code == 400
    assert {"name", "kind", "area", "credit_code"} <= set(response.context["form"].errors)
    assert Unit.objects.count() == before
    page = response.content.decode()
    assert "统一社会信用代码" in page  # the field is named in Chinese


def test_editing_a_unit_records_the_change(client, world):
    client.force_login(world.officer)
    data = {
        "name": world.unit_a.name,
        "kind": world.unit_a.kind,
        "area": world.community_a.pk,
        "address": "延安中路1号",
    }
    response = client.post(f"/console/units/{world.unit_a.public_id}/edit/", data)
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="update", target_type="registry.unit")
    assert entry.changes["after"] == {"address": "延安中路1号"}


def test_a_person_with_a_duplicate_id_number_is_refused_on_the_form(client, world):
    client.force_login(world.secretary_a)
    response = client.post(
        "/console/people/new/",
        {
            "name": "金晓东",
            "id_number": "11010519491231002x",
            "home_community": world.community_a.pk,
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["id_number"]
    assert Person.objects.filter(name="金晓东").count() == 1


def test_a_bad_mobile_and_id_are_named_on_the_person_form(client, world):
    client.force_login(world.secretary_a)
    response = client.post(
        "/console/people/new/",
        {
            "name": "李娜",
            "mobile": "12345",
            "id_number": "310106198005121231",
            "home_community": world.community_a.pk,
        },
    )
    assert response.status_code == 400
    assert {"mobile", "id_number"} <= set(response.context["form"].errors)


def test_editing_a_person_without_an_id_keeps_the_stored_one(client, world):
    client.force_login(world.secretary_a)
    response = client.post(
        f"/console/people/{world.person_a.public_id}/edit/",
        {
            "name": "金晓东",
            "mobile": "13700000001",
            "home_community": world.community_a.pk,
            "is_party_member": "on",
            "id_number": "",
        },
    )
    assert response.status_code == 302
    world.person_a.refresh_from_db()
    assert world.person_a.id_number_masked == "1101**********002X"


def test_the_person_form_finds_units_and_party_orgs_by_search(client, world):
    """A district's units and branches number thousands: the person form lists none of them,
    only the one chosen, and finds the rest in the viewer's scope by pinyin."""
    client.force_login(world.officer)
    page = client.get("/console/people/new/").content.decode()
    for name in ("work_unit", "party_org"):
        start = page.index(f'name="{name}"')
        assert page[start : page.index("</select>", start)].count("<option") == 1
    found = client.get("/console/units/options/", {"q": "ghyy"}).content.decode()
    assert f'<option value="{world.unit_b.pk}">公惠医院（威海居民区）</option>' in found
    found = client.get("/console/party-orgs/options/", {"q": "作家协会"}).content.decode()
    assert f'value="{world.party_org_a.pk}">上海市作家协会机关党委（上海市作家协会）' in found
    # A person's unit is the one option of the edit form, chosen; saving another works.
    Person.objects.filter(pk=world.person_a.pk).update(work_unit=world.unit_a)
    page = client.get(f"/console/people/{world.person_a.public_id}/edit/").content.decode()
    start = page.index('name="work_unit"')
    select = page[start : page.index("</select>", start)]
    assert select.count("<option") == 2 and f'value="{world.unit_a.pk}" selected' in select
    response = client.post(
        f"/console/people/{world.person_a.public_id}/edit/",
        {
            "name": "金晓东",
            "mobile": "13700000001",
            "home_community": world.community_a.pk,
            "work_unit": world.unit_b.pk,
            "is_party_member": "on",
        },
    )
    assert response.status_code == 302
    world.person_a.refresh_from_db()
    assert world.person_a.work_unit == world.unit_b
    # Searches stay in the viewer's scope.
    client.force_login(world.secretary_b)
    found = client.get("/console/units/options/", {"q": "zuojia"}).content.decode()
    assert "上海市作家协会" not in found


def test_the_person_page_masks_and_reveals_with_an_audit_entry(client, world):
    client.force_login(world.secretary_a)
    page = client.get(f"/console/people/{world.person_a.public_id}/").content.decode()
    assert "1101**********002X" in page and "11010519491231002X" not in page
    assert "137****0001" in page and "13700000001" not in page
    shown = client.post(f"/console/people/{world.person_a.public_id}/reveal/id_number/")
    assert "11010519491231002X" in shown.content.decode()
    assert AuditEntry.objects.filter(action="view_unmasked", note="id_number").count() == 1
    assert (
        client.post(f"/console/people/{world.person_a.public_id}/reveal/password/").status_code
        == 400
    )


def test_people_are_found_by_pinyin_initials_and_full_mobile(client, world):
    client.force_login(world.secretary_a)
    by_initials = client.get("/console/people/", {"q": "jxd"}).context["people"]
    assert [p.name for p in by_initials] == ["金晓东"]
    by_mobile = client.get("/console/people/", {"q": "13700000001"}).context["people"]
    assert [p.name for p in by_mobile] == ["金晓东"]


def test_the_unit_list_filters_two_new_organisations(client, world):
    from fumin.registry.services import unit_create

    unit_create(actor=None, name="尚道咨询", kind="new_economic", area=world.community_a)
    client.force_login(world.officer)
    units = client.get("/console/units/", {"kind": "two_new"}).context["units"]
    assert [u.name for u in units] == ["尚道咨询"]


def test_a_party_org_needs_exactly_one_owner(client, world):
    client.force_login(world.officer)
    response = client.post(
        "/console/party-orgs/new/", {"name": "无主支部", "kind": "branch", "member_count": 3}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["unit"]
    assert not PartyOrg.objects.filter(name="无主支部").exists()


def test_members_are_added_to_and_removed_from_an_alliance(client, world):
    client.force_login(world.officer)
    url = f"/console/alliances/{world.alliance.public_id}/members/"
    client.post(url + "add/", {"unit": world.unit_b.pk})
    assert world.alliance.memberships.filter(unit=world.unit_b, left_on__isnull=True).exists()
    client.post(url + "remove/", {"unit": world.unit_b.pk})
    assert not world.alliance.memberships.filter(unit=world.unit_b, left_on__isnull=True).exists()
    page = client.get(f"/console/alliances/{world.alliance.public_id}/").content.decode()
    assert "公惠医院" in page  # the history stays visible
    # The unit to add is found by search, not listed; adding a member again changes nothing.
    start = page.index('<select name="unit"')
    assert page[start : page.index("</select>", start)].count("<option") == 1
    assert 'data-testid="unit-search"' in page
    client.post(url + "add/", {"unit": world.unit_b.pk})
    client.post(url + "add/", {"unit": world.unit_b.pk})
    assert world.alliance.memberships.filter(unit=world.unit_b, left_on__isnull=True).count() == 1


def test_list_pages_run_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    from fumin.registry.services import person_create, unit_create

    for i in range(30):
        unit = unit_create(actor=None, name=f"单位{i}", kind="enterprise", area=world.community_a)
        person_create(actor=None, name=f"居民{i}", home_community=world.community_a, work_unit=unit)
    client.force_login(world.officer)
    for url in (
        "/console/units/",
        "/console/people/",
        "/console/party-orgs/",
        "/console/places/",
        "/console/alliances/",
        "/console/joint-meetings/",
        f"/console/units/{world.unit_a.public_id}/",
    ):
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200


def test_the_api_creates_a_person_and_names_bad_fields(client, world):
    client.force_login(world.secretary_a)
    response = client.post(
        "/api/people",
        json.dumps(
            {
                "name": "赵敏",
                "mobile": "+8613600000009",
                "home_community_id": str(world.community_a.public_id),
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["mobile_masked"] == "136****0009" and "13600000009" not in json.dumps(body)
    bad = client.post(
        "/api/people",
        json.dumps(
            {"name": "赵敏", "mobile": "123", "home_community_id": str(world.community_b.public_id)}
        ),
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert bad.json()["detail"][0]["field"] == "home_community_id"


def test_the_api_refuses_an_edit_outside_scope(client, world):
    client.force_login(world.liaison)
    response = client.patch(
        f"/api/units/{world.unit_a.public_id}",
        json.dumps({"address": "x"}),
        content_type="application/json",
    )
    assert response.status_code == 403


def test_alliances_joint_meetings_and_places_can_be_edited(client, world):
    client.force_login(world.officer)
    response = client.post(
        f"/console/alliances/{world.alliance.public_id}/edit/",
        {
            "name": "南西文化联盟",
            "kind": "culture",
            "area": world.subdistrict.pk,
            "lead_unit": world.unit_a.pk,
        },
    )
    assert response.status_code == 302
    world.alliance.refresh_from_db()
    assert world.alliance.name == "南西文化联盟"
    response = client.post(
        f"/console/joint-meetings/{world.joint_meeting.public_id}/edit/",
        {"name": world.joint_meeting.name, "level": "place", "area": world.grid_1.pk},
    )
    assert response.status_code == 400  # a place-level meeting needs its place
    assert response.context["form"].errors["place"]
    response = client.post(
        f"/console/places/{world.place_a.public_id}/edit/",
        {
            "name": "恒隆广场",
            "kind": "office_building",
            "area": world.community_a.pk,
            "address": "南京西路1266号",
        },
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(target_type="registry.place", action="update").exists()


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        ("/console/party-orgs/new/", ["unit", "parent"]),
        ("/console/alliances/new/", ["lead_unit"]),
        ("/console/joint-meetings/new/", ["chair_unit"]),
        ("/console/users/new/", ["unit"]),
        ("/console/activities/teams/new/", ["unit"]),
        ("/console/registrations/members/new/", ["work_unit", "party_org"]),
    ],
)
def test_unit_and_party_org_choices_are_found_not_listed(client, world, path, fields):
    """Every console form choosing one unit or party organisation lists only the chosen one and
    searches the rest, as the person form does (a district holds thousands of each)."""
    client.force_login(world.officer)
    page = client.get(path).content.decode()
    for name in fields:
        start = page.index(f'<select name="{name}"')
        assert page[start : page.index("</select>", start)].count("<option") == 1, name
        assert f'data-testid="{name}-search"' in page


def test_communities_are_found_once_there_are_more_than_a_search_shows(client, world):
    """A subdistrict's communities stay a select; a district's hundreds are found by search, in
    the viewer's scope, or among all of them where any community may be chosen."""
    from fumin.registry.models import Area
    from fumin.registry.services import area_create

    def select(page, name):
        start = page.index(f'<select name="{name}"')
        return page[start : page.index("</select>", start)]

    client.force_login(world.officer)
    assert (
        select(client.get("/console/activities/new/").content.decode(), "community").count(
            "<option"
        )
        > 2
    )
    for n in range(21):
        area_create(
            actor=None, name=f"新华{n:02d}居民区", kind=Area.Kind.COMMUNITY, parent=world.grid_1
        )
    for path, name in (
        ("/console/activities/new/", "community"),
        ("/console/lists/needs/new/", "area"),
        ("/console/registrations/members/new/", "community"),
    ):
        page = client.get(path).content.decode()
        assert select(page, name).count("<option") == 1, path
        assert f'data-testid="{name}-search"' in page, path
    found = client.get("/console/communities/options/", {"q": "xinhua"}).content.decode()
    assert found.count("<option") == 21 and "新华00居民区（南京西路街道）" in found
    # A secretary searches their own community only, unless any community may be chosen.
    client.force_login(world.secretary_b)
    assert (
        "华业居民区"
        not in client.get("/console/communities/options/", {"q": "huaye"}).content.decode()
    )
    assert (
        "华业居民区"
        in client.get("/console/communities/options/", {"q": "huaye", "all": "1"}).content.decode()
    )
    # A unit registers with communities anywhere: ticked boxes found among all of them.
    client.force_login(world.liaison)
    page = client.get("/console/registrations/orgs/new/").content.decode()
    assert 'data-testid="communities-search"' in page
    assert 'type="checkbox" name="communities"' not in page  # none ticked yet
    found = client.get(
        "/console/communities/options/",
        {"q": "xinhua", "all": "1", "multiple": "communities"},
    ).content.decode()
    assert found.count('type="checkbox" name="communities"') == 20
    data = {
        "party_org": world.party_org_a.pk,
        "communities": [world.community_a.pk],
        "contact_name": "顾文静",
        "contact_phone": "13800000005",
    }
    bad = client.post("/console/registrations/orgs/new/", {**data, "contact_name": ""})
    assert bad.status_code == 400
    assert f'name="communities" value="{world.community_a.pk}" checked>' in bad.content.decode()
