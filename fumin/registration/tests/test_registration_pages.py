from fumin.audit.models import AuditEntry
from fumin.registration.models import MemberRegistration, OrgRegistration, Status


def test_a_member_registers_on_the_portal_and_sees_the_status(client, world):
    client.force_login(world.member)
    form = client.get("/portal/registration/")
    assert form.status_code == 200
    assert form.context["form"].initial["mobile"] == "13900000006"
    response = client.post(
        "/portal/registration/",
        {
            "name": "吴志远",
            "mobile": "13900000006",
            "community": world.community_a.pk,
            "work_unit": world.unit_a.pk,
            "specialities": "法律咨询",
        },
    )
    assert response.status_code == 302
    page = client.get("/portal/registration/").content.decode()
    assert "华业居民区" in page and "待确认" in page


def test_the_portal_form_searches_units_and_party_orgs_instead_of_listing_them(client, world):
    """A city has tens of thousands of units: the member's form carries none of them until the
    member searches, by characters, pinyin or initials."""
    from fumin.registry.services import unit_create

    for n in range(25):
        unit_create(
            actor=None, name=f"静安{n:02d}号企业", kind="enterprise", area=world.community_c
        )
    client.force_login(world.member)
    page = client.get("/portal/registration/").content.decode()
    for name in ("work_unit", "party_org"):
        start = page.index(f'name="{name}"')
        assert page[start : page.index("</select>", start)].count("<option") == 1
        assert f'data-testid="{name}-search"' in page
    found = client.get("/portal/units/options/", {"q": "jingan"}).content.decode()
    assert found.count("<option") == 21 and "静安00号企业（陕南居民区）" in found
    assert "静安20号企业" not in found and "前 20" in found
    found = client.get("/portal/units/options/", {"q": "shszjxh"}).content.decode()
    assert f'<option value="{world.unit_a.pk}">上海市作家协会（华业居民区）</option>' in found
    found = client.get("/portal/party-orgs/options/", {"q": "作家协会"}).content.decode()
    assert f'value="{world.party_org_a.pk}">上海市作家协会机关党委（上海市作家协会）' in found
    assert "没有找到" in client.get("/portal/units/options/", {"q": "xyz"}).content.decode()
    assert client.get("/portal/units/options/", {"q": ""}).status_code == 204
    # A chosen unit that is no unit at all is refused on its field; a real one is saved.
    body = {"name": "吴志远", "mobile": "13900000006", "community": world.community_a.pk}
    bad = client.post("/portal/registration/", {**body, "work_unit": "作协"})
    assert bad.status_code == 400 and "work_unit" in bad.context["form"].errors
    good = client.post("/portal/registration/", {**body, "work_unit": world.unit_a.pk,
                                                  "party_org": world.party_org_a.pk})  # fmt: skip
    assert good.status_code == 302
    assert MemberRegistration.objects.get().person.work_unit == world.unit_a


def test_the_home_community_is_a_select_for_a_subdistrict_and_a_search_for_a_city(client, world):
    """A subdistrict's dozen communities stay a select; once there are more than a search shows
    (a district, a city), the member finds theirs by pinyin, labelled with its subdistrict."""
    from fumin.registry.models import Area
    from fumin.registry.services import area_create

    client.force_login(world.member)
    page = client.get("/portal/registration/").content.decode()
    start = page.index('<select name="community"')
    assert page[start : page.index("</select>", start)].count("<option") > 1
    assert 'data-testid="community-search"' not in page
    grid = world.community_a.parent
    for n in range(21):
        area_create(actor=None, name=f"新华{n:02d}居民区", kind=Area.Kind.COMMUNITY, parent=grid)
    page = client.get("/portal/registration/").content.decode()
    start = page.index('<select name="community"')
    assert page[start : page.index("</select>", start)].count("<option") == 1
    assert 'data-testid="community-search"' in page
    found = client.get("/portal/communities/options/", {"q": "hyjmq"}).content.decode()
    subdistrict = grid.parent.name
    assert f'<option value="{world.community_a.pk}">华业居民区（{subdistrict}）</option>' in found
    found = client.get("/portal/communities/options/", {"q": "xinhua"}).content.decode()
    assert found.count("<option") == 21 and "前 20" in found
    # The chosen community is saved as before; one that is no community is refused on its field.
    body = {"name": "吴志远", "mobile": "13900000006"}
    bad = client.post("/portal/registration/", {**body, "community": world.unit_a.public_id})
    assert bad.status_code == 400 and "community" in bad.context["form"].errors
    good = client.post("/portal/registration/", {**body, "community": world.community_a.pk})
    assert good.status_code == 302
    # Moving home offers the same search.
    page = client.get("/portal/registration/").content.decode()
    assert 'data-testid="community-search"' in page


def test_bad_portal_input_names_the_fields_and_registers_nothing(client, world):
    client.force_login(world.member)
    response = client.post(
        "/portal/registration/",
        {
            "name": "",
            "mobile": "12345",
            "id_number": "110105194912310021",
            "community": "",
        },
    )
    assert response.status_code == 400
    assert {"name", "community"} <= set(response.context["form"].errors)
    response = client.post(
        "/portal/registration/",
        {
            "name": "吴志远",
            "mobile": "12345",
            "id_number": "110105194912310021",
            "community": world.community_a.pk,
        },
    )
    assert response.status_code == 400
    assert {"mobile", "id_number"} <= set(response.context["form"].errors)
    assert not MemberRegistration.objects.exists()


def test_a_duplicate_on_the_portal_shows_the_existing_registration(client, world):
    client.force_login(world.secretary_a)
    client.post(
        "/console/registrations/members/new/",
        {
            "name": "吴志远",
            "mobile": "13900000006",
            "community": world.community_a.pk,
        },
    )
    client.force_login(world.member)
    response = client.post(
        "/portal/registration/",
        {
            "name": "吴志远",
            "mobile": "+8613900000006",
            "community": world.community_b.pk,
        },
        follow=True,
    )
    assert MemberRegistration.objects.count() == 1
    assert "已在" in response.content.decode() or "华业居民区" in response.content.decode()


def test_the_secretary_confirms_from_the_console(client, world):
    client.force_login(world.secretary_a)
    response = client.post(
        "/console/registrations/members/new/",
        {
            "name": "新党员",
            "mobile": "13500000009",
            "community": world.community_a.pk,
        },
    )
    registration = MemberRegistration.objects.get()
    assert response.url == f"/console/registrations/member/{registration.public_id}/"
    listed = client.get("/console/registrations/", {"status": "pending"})
    assert [r.person.name for r in listed.context["rows"]] == ["新党员"]
    client.post(f"/console/registrations/member/{registration.public_id}/confirm/")
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED
    assert AuditEntry.objects.filter(
        target_type="registration.memberregistration", action="update"
    ).exists()


def test_a_secretary_cannot_confirm_another_communitys_registration(client, world):
    client.force_login(world.secretary_b)
    client.post(
        "/console/registrations/members/new/",
        {
            "name": "威海党员",
            "mobile": "13500000008",
            "community": world.community_b.pk,
        },
    )
    registration = MemberRegistration.objects.get()
    client.force_login(world.secretary_a)
    response = client.post(f"/console/registrations/member/{registration.public_id}/confirm/")
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == Status.PENDING


def test_the_liaison_registers_its_party_org_and_adds_nothing_twice(client, world):
    client.force_login(world.liaison)
    data = {
        "party_org": world.party_org_a.pk,
        "communities": [world.community_a.pk, world.community_b.pk],
        "contact_name": "顾文静",
        "contact_phone": "13800000005",
        "resources": "讲座",
    }
    assert client.post("/console/registrations/orgs/new/", data).status_code == 302
    assert client.post("/console/registrations/orgs/new/", data).status_code == 302
    assert OrgRegistration.objects.count() == 2
    bad = client.post("/console/registrations/orgs/new/", {"party_org": world.party_org_a.pk})
    assert bad.status_code == 400
    assert {"communities", "contact_name", "contact_phone"} <= set(bad.context["form"].errors)


def test_rejecting_needs_a_reason(client, world):
    client.force_login(world.secretary_a)
    client.post(
        "/console/registrations/members/new/",
        {
            "name": "新党员",
            "mobile": "13500000007",
            "community": world.community_a.pk,
        },
    )
    registration = MemberRegistration.objects.get()
    response = client.post(
        f"/console/registrations/member/{registration.public_id}/reject/",
        {"reason": ""},
        follow=True,
    )
    assert "原因" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == Status.PENDING


def test_the_registration_list_runs_a_bounded_number_of_queries(
    client, world, django_assert_max_num_queries
):
    from fumin.registration.services import member_register

    for i in range(25):
        member_register(
            actor=None,
            channel="community",
            name=f"党员{i}",
            mobile=f"1350000{i:04d}",
            community=world.community_a,
            work_unit=world.unit_a,
        )
    client.force_login(world.secretary_a)
    with django_assert_max_num_queries(14):
        response = client.get("/console/registrations/", {"status": ""})
    assert response.context["rows"].paginator.count == 25


def test_the_portal_shows_my_service_this_period(client, world, monkeypatch):
    import datetime
    from decimal import Decimal

    from fumin.registration.service_records import ServiceRecord
    from fumin.registration.services import member_register

    registration, _ = member_register(
        actor=world.member, channel="self", name="吴志远", community=world.community_a
    )
    record = ServiceRecord(
        person_id=registration.person_id,
        community_id=world.community_a.pk,
        activity_id="x",
        activity_title="垃圾分类宣传",
        held_on=datetime.date.today(),
        hours=Decimal("2.50"),
    )
    monkeypatch.setattr("fumin.portal.views.service_records", lambda *args: [record])
    client.force_login(world.member)
    page = client.get("/portal/registration/").content.decode()
    assert "垃圾分类宣传" in page and "2.50" in page
