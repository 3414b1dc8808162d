"""Console pages for points rules and volunteer teams, and the team chosen at a member's
confirmation."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fumin.activities.models import PointsRule, TeamMembership
from fumin.activities.services import (
    points_rule_create,
    points_rule_update,
    team_add_member,
    team_create,
    team_set_leader,
)
from fumin.audit.models import AuditEntry
from fumin.registration.services import member_register, registration_confirm

from .helpers import volunteer

# Points rules -------------------------------------------------------------------------------


def test_only_subdistrict_staff_change_points_rules(world):
    rule = points_rule_create(actor=world.officer, name="每小时积分", basis="per_hour", points=10)
    for actor in (world.secretary_a, world.coordinator, world.member):
        with pytest.raises(PermissionDenied):
            points_rule_update(actor=actor, rule=rule, active=False)
    points_rule_update(actor=world.admin, rule=rule, active=False, points=12)
    rule.refresh_from_db()
    assert (rule.active, rule.points) == (False, 12)
    assert AuditEntry.objects.filter(target_type="activities.pointsrule").count() == 2


def test_the_console_lists_creates_and_deactivates_rules(world, client):
    client.force_login(world.officer)
    response = client.post(
        reverse("console:points_rule_create"),
        {"name": "参加一次", "basis": "per_attendance", "points": "5", "active": "on"},
    )
    assert response.status_code == 302
    rule = PointsRule.objects.get(name="参加一次")
    assert rule.active and rule.activity_kind == ""
    edit = reverse("console:points_rule_edit", args=[rule.pk])
    response = client.post(edit, {"name": "参加一次", "basis": "per_attendance", "points": "5"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.active is False
    bad = client.post(edit, {"name": "", "basis": "weekly", "points": "0"})
    assert bad.status_code == 400
    assert {"name", "basis", "points"} <= set(bad.context["form"].errors)
    client.force_login(world.secretary_a)
    page = client.get(reverse("console:points_rule_index")).content.decode()
    assert "参加一次" in page and edit not in page
    assert client.get(edit).status_code == 403


# Volunteer teams ----------------------------------------------------------------------------


def test_set_leader_needs_a_current_member(world):
    team = team_create(actor=world.secretary_a, name="华业益生军", community=world.community_a)
    person = volunteer(world, "王芳", "13600000001")
    with pytest.raises(ValidationError) as error:
        team_set_leader(actor=world.secretary_a, team=team, person=person)
    assert "person" in error.value.message_dict
    team_add_member(actor=world.secretary_a, team=team, person=person)
    assert team_set_leader(actor=world.secretary_a, team=team, person=person).is_leader
    with pytest.raises(PermissionDenied):
        team_set_leader(actor=world.secretary_b, team=team, person=person, is_leader=False)


def test_the_console_makes_a_team_and_manages_its_members(world, client):
    client.force_login(world.secretary_a)
    response = client.post(
        reverse("console:team_create"), {"name": "华业益生军", "community": world.community_a.pk}
    )
    assert response.status_code == 302
    team = world.community_a.volunteer_teams.get()
    person = volunteer(world, "王小明", "13600000001")
    volunteer(world, "王大明", "13600000002", community=world.community_b)
    found = client.get(reverse("console:team_people", args=[team.public_id]), {"q": "wang"})
    assert "王小明" in found.content.decode() and "王大明" not in found.content.decode()
    add = reverse("console:team_add_member", args=[team.public_id])
    assert client.post(add, {"person": str(person.public_id)}).status_code == 302
    membership = TeamMembership.objects.get(team=team, left_on__isnull=True)
    assert membership.person == person and not membership.is_leader
    leader = reverse("console:team_set_leader", args=[team.public_id])
    client.post(leader, {"person": str(person.public_id), "is_leader": "1"})
    membership.refresh_from_db()
    assert membership.is_leader
    page = client.get(reverse("console:team_detail", args=[team.public_id])).content.decode()
    assert "王小明" in page and 'data-testid="leader"' in page
    remove = reverse("console:team_remove_member", args=[team.public_id])
    client.post(remove, {"person": str(person.public_id)})
    membership.refresh_from_db()
    assert membership.left_on is not None
    listed = client.get(reverse("console:team_index")).content.decode()
    assert "华业益生军" in listed
    edit = reverse("console:team_edit", args=[team.public_id])
    assert client.post(edit, {"name": "华业益生军", "archived": "on"}).status_code == 302
    team.refresh_from_db()
    assert team.archived_at is not None
    assert "华业益生军" not in client.get(reverse("console:team_index")).content.decode()


def test_a_team_needs_a_community_or_a_unit(world, client):
    client.force_login(world.secretary_a)
    response = client.post(reverse("console:team_create"), {"name": "无主队伍"})
    assert response.status_code == 400 and "community" in response.context["form"].errors


def test_the_sidebar_links_the_teams(world, client):
    client.force_login(world.secretary_a)
    page = client.get(reverse("console:home")).content.decode()
    assert reverse("console:team_index") in page
    client.force_login(world.liaison)
    assert reverse("console:team_index") not in client.get(reverse("console:home")).content.decode()


# A team chosen at confirmation --------------------------------------------------------------


def pending(world, name="报到党员", mobile="13500000001"):
    registration, _ = member_register(
        actor=None, channel="community", name=name, mobile=mobile, community=world.community_a
    )
    return registration


def test_confirming_a_member_can_add_them_to_a_team(world):
    team = team_create(actor=world.secretary_a, name="华业益生军", community=world.community_a)
    registration = pending(world)
    registration_confirm(actor=world.secretary_a, registration=registration, volunteer_team=team)
    assert team.memberships.get().person == registration.person


def test_a_team_of_another_community_is_refused_and_nothing_is_confirmed(world):
    other = team_create(actor=None, name="威海志愿队", community=world.community_b)
    registration = pending(world)
    with pytest.raises(ValidationError) as error:
        registration_confirm(
            actor=world.secretary_a, registration=registration, volunteer_team=other
        )
    assert "volunteer_team" in error.value.message_dict
    registration.refresh_from_db()
    assert registration.status == "pending" and not other.memberships.exists()


def test_the_console_confirm_form_offers_the_community_teams(world, client):
    team = team_create(actor=None, name="华业益生军", community=world.community_a)
    team_create(actor=None, name="威海志愿队", community=world.community_b)
    registration = pending(world)
    client.force_login(world.secretary_a)
    detail = reverse("console:registration_detail", args=["member", registration.public_id])
    page = client.get(detail).content.decode()
    assert "华业益生军" in page and "威海志愿队" not in page
    confirm = reverse("console:registration_confirm", args=["member", registration.public_id])
    response = client.post(confirm, {"volunteer_team": "not-a-team"}, follow=True)
    registration.refresh_from_db()
    assert registration.status == "pending"
    assert any("volunteer team" in str(m) or "志愿" in str(m) for m in response.context["messages"])
    client.post(confirm, {"volunteer_team": str(team.public_id)})
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    assert team.memberships.get().person == registration.person
    # No team chosen: confirmed without one.
    plain = pending(world, "另一党员", "13500000002")
    client.post(
        reverse("console:registration_confirm", args=["member", plain.public_id]),
        {"volunteer_team": ""},
    )
    plain.refresh_from_db()
    assert plain.status == "confirmed" and team.memberships.count() == 1
