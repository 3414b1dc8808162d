"""Volunteer teams: of a community or a unit, members join and leave, in scope only."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fumin.activities.services import team_add_member, team_create, team_remove_member

from .helpers import volunteer


def test_a_team_keeps_its_members_and_who_left(world):
    team = team_create(actor=world.secretary_a, name="华业益生军", community=world.community_a)
    person = volunteer(world, "王芳", "13600000001")
    first = team_add_member(actor=world.secretary_a, team=team, person=person, is_leader=True)
    assert team_add_member(actor=world.secretary_a, team=team, person=person).pk == first.pk
    team_remove_member(actor=world.secretary_a, team=team, person=person)
    first.refresh_from_db()
    assert first.left_on is not None
    again = team_add_member(actor=world.secretary_a, team=team, person=person)
    assert again.pk != first.pk and team.memberships.count() == 2


def test_teams_need_an_owner_in_scope(world):
    with pytest.raises(ValidationError) as error:
        team_create(actor=None, name="无主队伍")
    assert "community" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        team_create(actor=world.secretary_b, name="华业益生军", community=world.community_a)
    unit_team = team_create(actor=world.secretary_a, name="作协志愿队", unit=world.unit_a)
    assert unit_team.area == world.community_a
