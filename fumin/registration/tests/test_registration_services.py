import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fumin.notifications.models import Notification
from fumin.registration import selectors, services
from fumin.registration.models import MemberRegistration, OrgRegistration, Status, UnitProposal
from fumin.registry.models import Person, Unit

SELF = MemberRegistration.Channel.SELF


def register_self(world, user, **fields):
    data = {"name": user.name, "mobile": user.mobile, "community": world.community_a}
    data.update(fields)
    return services.member_register(actor=user, channel=SELF, **data)


def test_a_member_registers_and_the_secretary_confirms(world):
    registration, created = register_self(world, world.member, work_unit=world.unit_a)
    assert created and registration.status == Status.PENDING
    assert registration.grid == world.grid_1
    assert registration.person.user == world.member
    assert registration.person.is_party_member
    # The community's secretary is told; nobody else.
    assert Notification.objects.filter(recipient=world.secretary_a).count() == 1
    assert not Notification.objects.filter(recipient=world.secretary_b).exists()
    services.registration_confirm(actor=world.secretary_a, registration=registration)
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED and registration.confirmed_at
    assert Notification.objects.filter(recipient=world.member).count() == 1


def test_a_second_registration_finds_the_existing_one(world):
    first, _ = register_self(world, world.member)
    again, created = services.member_register(
        actor=world.secretary_b,
        channel="community",
        name="吴志远",
        mobile="+86 139 0000 0006",
        community=world.community_b,
    )
    assert not created and again == first
    assert MemberRegistration.objects.count() == 1


def test_the_same_person_is_found_by_id_number_too(world):
    first, _ = services.member_register(
        actor=world.secretary_a,
        channel="community",
        name="金晓东",
        id_number="11010519491231002X",
        community=world.community_a,
    )
    assert first.person == world.person_a  # the registry's person, found by the ID hash
    again, created = services.member_register(
        actor=world.secretary_a,
        channel="community",
        name="金晓东",
        mobile="13711112222",
        id_number="11010519491231002x",
        community=world.community_a,
    )
    assert not created and again == first
    assert Person.objects.filter(name="金晓东").count() == 1


def test_bad_input_names_the_fields(world):
    with pytest.raises(ValidationError) as error:
        services.member_register(
            actor=world.member,
            channel=SELF,
            name="",
            mobile="123",
            id_number="110105194912310021",
            community=world.community_a,
        )
    assert {"name", "mobile", "id_number"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError) as error:
        register_self(world, world.member, community=world.grid_1)
    assert "community" in error.value.message_dict
    assert not MemberRegistration.objects.exists()


def test_only_the_communitys_staff_confirm_or_reject(world):
    registration, _ = register_self(world, world.member)
    with pytest.raises(PermissionDenied):
        services.registration_confirm(actor=world.secretary_b, registration=registration)
    with pytest.raises(PermissionDenied):
        services.registration_confirm(actor=world.member, registration=registration)
    with pytest.raises(ValidationError) as error:
        services.registration_reject(actor=world.secretary_a, registration=registration, reason=" ")
    assert "reason" in error.value.message_dict
    services.registration_reject(
        actor=world.secretary_a, registration=registration, reason="不住在本居民区"
    )
    registration.refresh_from_db()
    assert registration.status == Status.REJECTED and registration.reason == "不住在本居民区"
    # After a rejection the person may register again.
    _, created = register_self(world, world.member, community=world.community_b)
    assert created


def test_moving_home_transfers_with_history(world):
    registration, _ = register_self(world, world.member)
    services.registration_confirm(actor=world.secretary_a, registration=registration)
    moved = services.member_move(
        actor=world.member, registration=registration, community=world.community_b
    )
    registration.refresh_from_db()
    assert registration.status == Status.TRANSFERRED and registration.ended_at
    assert moved.previous == registration and moved.status == Status.PENDING
    assert moved.community == world.community_b
    moved.person.refresh_from_db()
    assert moved.person.home_community == world.community_b
    services.registration_end(actor=world.member, registration=moved, reason="退休")
    assert MemberRegistration.objects.filter(person=moved.person).count() == 2


def test_a_unit_registers_its_party_org_with_two_communities_once(world):
    results = services.org_registration_submit(
        actor=world.liaison,
        party_org=world.party_org_a,
        communities=[world.community_a, world.community_b],
        contact_name="顾文静",
        contact_phone="13800000005",
        resources="会议室、作家讲座",
    )
    assert [created for _, created in results] == [True, True]
    again = services.org_registration_submit(
        actor=world.liaison,
        party_org=world.party_org_a,
        communities=[world.community_a],
        contact_name="顾文静",
        contact_phone="13800000005",
    )
    assert again == [(results[0][0], False)]
    with pytest.raises(PermissionDenied):  # another unit's liaison cannot speak for it
        services.org_registration_submit(
            actor=world.secretary_b,
            party_org=world.party_org_a,
            communities=[world.community_a],
            contact_name="x",
            contact_phone="1",
        )


def test_an_agreement_needs_a_confirmed_registration_and_a_sane_term(world):
    ((registration, _),) = services.org_registration_submit(
        actor=world.liaison,
        party_org=world.party_org_a,
        communities=[world.community_a],
        contact_name="顾文静",
        contact_phone="13800000005",
    )
    day = datetime.date(2021, 1, 1)
    with pytest.raises(ValidationError):
        services.agreement_add(
            actor=world.secretary_a,
            registration=registration,
            title="共建协议",
            signed_on=day,
            term_start=day,
            term_end=day,
        )
    services.registration_confirm(actor=world.secretary_a, registration=registration)
    with pytest.raises(ValidationError) as error:
        services.agreement_add(
            actor=world.secretary_a,
            registration=registration,
            title="共建协议",
            signed_on=day,
            term_start=day,
            term_end=day.replace(year=2020),
        )
    assert "term_end" in error.value.message_dict
    agreement = services.agreement_add(
        actor=world.secretary_a,
        registration=registration,
        title="2021年共建协议",
        signed_on=day,
        term_start=day,
        term_end=day.replace(year=2022),
    )
    assert registration.agreements.get() == agreement


def test_a_proposed_unit_is_created_only_when_staff_approve(world):
    proposal = services.unit_propose(
        actor=world.liaison,
        name="南西新联会",
        kind="new_social",
        area=world.community_a,
        party_org_name="南西新联会党支部",
        party_org_kind="branch",
        communities=[world.community_a],
        contact_name="李明",
        contact_phone="13600000001",
    )
    registration = proposal.registrations.get()
    assert not Unit.objects.filter(name="南西新联会").exists()
    with pytest.raises(ValidationError):  # nothing to confirm yet
        services.registration_confirm(actor=world.secretary_a, registration=registration)
    with pytest.raises(PermissionDenied):
        services.unit_proposal_decide(actor=world.secretary_a, proposal=proposal, approve=True)
    services.unit_proposal_decide(actor=world.officer, proposal=proposal, approve=True)
    registration.refresh_from_db()
    assert registration.party_org.unit.name == "南西新联会"
    services.registration_confirm(actor=world.secretary_a, registration=registration)
    proposal.refresh_from_db()
    assert proposal.status == UnitProposal.Decision.APPROVED


def test_the_figures_count_distinct_confirmed_registrations_in_the_period(world):
    def confirm_on(registration, day):
        services.registration_confirm(actor=world.secretary_a, registration=registration)
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
        type(registration).objects.filter(pk=registration.pk).update(confirmed_at=moment)

    (org_a, _), (org_b, _) = services.org_registration_submit(
        actor=world.liaison,
        party_org=world.party_org_a,
        communities=[world.community_a, world.community_b],
        contact_name="x",
        contact_phone="1",
    )
    confirm_on(org_a, datetime.date(2020, 8, 1))
    services.registration_confirm(actor=world.secretary_b, registration=org_b)
    member, _ = register_self(world, world.member)
    confirm_on(member, datetime.date(2020, 12, 31))
    early, _ = services.member_register(
        actor=world.secretary_a,
        channel="community",
        name="早报到",
        mobile="13600000002",
        community=world.community_a,
    )
    confirm_on(early, datetime.date(2020, 7, 31))
    pending, _ = services.member_register(
        actor=world.secretary_a,
        channel="community",
        name="待确认",
        mobile="13600000003",
        community=world.community_a,
    )
    period = {"start": datetime.date(2020, 8, 1), "end": datetime.date(2020, 12, 31)}
    assert selectors.organisations_registered(**period) == 1  # one organisation, two communities
    assert selectors.members_registered(**period) == 1
    assert selectors.members_registered(**period, area=world.community_b) == 0
    assert selectors.members_registered(**period, by="community") == [("华业居民区", 1)]
    assert pending.status == Status.PENDING


def test_overdue_registrations_are_listed_after_the_reconfirmation_date(world, settings):
    registration, _ = register_self(world, world.member)
    services.registration_confirm(actor=world.secretary_a, registration=registration)
    assert not selectors.member_registration_list(viewer=world.secretary_a, status="overdue")
    last_year = timezone.now() - datetime.timedelta(days=400)
    MemberRegistration.objects.filter(pk=registration.pk).update(last_confirmed_at=last_year)
    overdue = selectors.member_registration_list(viewer=world.secretary_a, status="overdue")
    assert list(overdue) == [registration]
    services.registration_reconfirm(actor=world.secretary_a, registration=registration)
    assert not selectors.member_registration_list(viewer=world.secretary_a, status="overdue")


def test_each_viewer_sees_their_own_registrations(world):
    mine, _ = register_self(world, world.member, work_unit=world.unit_a)
    other, _ = services.member_register(
        actor=world.secretary_b,
        channel="community",
        name="威海居民",
        mobile="13600000004",
        community=world.community_b,
    )
    assert list(selectors.member_registration_list(viewer=world.member)) == [mine]
    assert list(selectors.member_registration_list(viewer=world.secretary_a)) == [mine]
    assert list(selectors.member_registration_list(viewer=world.liaison)) == [mine]
    assert list(selectors.member_registration_list(viewer=world.secretary_b)) == [other]
    assert not selectors.member_registration_list(viewer=world.outsider).exists()
    assert OrgRegistration.objects.count() == 0
