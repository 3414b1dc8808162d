"""The one scoping mechanism: what each persona sees, and that no row leaks across communities."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fumin.accounts.models import Role, RoleAssignment, User
from fumin.accounts.scope import Capability, scope_of
from fumin.accounts.selectors import user_list
from fumin.accounts.services import role_grant, role_revoke
from fumin.registry.selectors import area_list, unit_list


def names(queryset):
    return sorted(str(row) for row in queryset)


def test_each_persona_sees_the_areas_under_its_scope(world):
    assert names(area_list(viewer=world.secretary_a)) == ["华业居民区"]
    assert names(area_list(viewer=world.coordinator)) == [
        "华业居民区",
        "威海居民区",
        "第一工作网格",
    ]
    assert len(area_list(viewer=world.officer)) == 6  # subdistrict, 2 grids, 3 communities
    assert len(area_list(viewer=world.admin)) == 7
    for persona in ("liaison", "member", "outsider"):
        assert not area_list(viewer=getattr(world, persona)).exists()


def test_a_secretary_of_a_never_sees_a_row_of_b(world):
    seen_users = names(user_list(viewer=world.secretary_a))
    assert "陆海峰" not in seen_users and "沈美华" in seen_users and "吴志远" in seen_users
    assert names(unit_list(viewer=world.secretary_a)) == ["上海市作家协会"]
    assert names(unit_list(viewer=world.secretary_b)) == ["公惠医院"]


def test_a_unit_liaison_sees_its_unit_and_its_people_only(world):
    assert names(unit_list(viewer=world.liaison)) == ["上海市作家协会"]
    assert names(user_list(viewer=world.liaison)) == ["顾文静"]


def test_capabilities_follow_roles(world):
    assert scope_of(world.officer).can(Capability.VIEW_AUDIT)
    assert not scope_of(world.secretary_a).can(Capability.MANAGE_USERS)
    assert scope_of(world.secretary_a).can(Capability.UNMASK_PERSONAL_DATA)
    assert not scope_of(world.liaison).can(Capability.VIEW_AREAS)
    assert not scope_of(world.member).can(Capability.CONSOLE)
    assert not scope_of(world.outsider).capabilities


def test_a_revoked_role_no_longer_gives_its_scope(client, world):
    assignment = RoleAssignment.objects.get(user=world.secretary_b)
    role_revoke(actor=world.officer, assignment=assignment)
    client.force_login(world.secretary_b)
    assert client.get("/console/").status_code == 403


def test_a_scope_is_read_once_until_the_roles_change(world, django_assert_num_queries):
    """Every request loads its user afresh; the scope is kept by the user's roles version, which
    role_grant and role_revoke change: a granted right counts at once, a revoked one never again."""

    def fresh():
        return User.objects.get(pk=world.outsider.pk)

    user = fresh()
    with django_assert_num_queries(1):  # the role assignments, once
        assert not scope_of(user).roles
    user = fresh()
    with django_assert_num_queries(0):
        assert not scope_of(user).roles
    granted = role_grant(
        actor=world.officer, user=fresh(), role=Role.COMMUNITY_SECRETARY, area=world.community_c
    )
    user = fresh()
    with django_assert_num_queries(1):
        assert scope_of(user).contains_area(world.community_c)
    assert scope_of(fresh()).can(Capability.EDIT_REGISTRY)
    role_revoke(actor=world.officer, assignment=RoleAssignment.objects.get(pk=granted.pk))
    revoked = scope_of(fresh())
    assert not revoked.roles and not revoked.contains_area(world.community_c)


def test_roles_are_bound_to_areas_of_the_right_kind(world):
    with pytest.raises(ValidationError) as error:
        role_grant(
            actor=None, user=world.outsider, role=Role.COMMUNITY_SECRETARY, area=world.grid_1
        )
    assert "area" in error.value.message_dict
    with pytest.raises(ValidationError):
        role_grant(actor=None, user=world.outsider, role=Role.SUBDISTRICT_STAFF)


def test_staff_can_only_grant_inside_their_own_scope(world):
    with pytest.raises(PermissionDenied):
        role_grant(
            actor=world.officer, user=world.outsider, role=Role.PLATFORM_ADMIN, area=world.district
        )
    with pytest.raises(PermissionDenied):
        role_grant(
            actor=world.secretary_a,
            user=world.outsider,
            role=Role.COMMUNITY_SECRETARY,
            area=world.community_a,
        )
    granted = role_grant(
        actor=world.officer,
        user=world.outsider,
        role=Role.COMMUNITY_SECRETARY,
        area=world.community_c,
    )
    assert granted.granted_by == world.officer
    # Granting the same role twice keeps one assignment.
    again = role_grant(
        actor=world.officer,
        user=world.outsider,
        role=Role.COMMUNITY_SECRETARY,
        area=world.community_c,
    )
    assert again.pk == granted.pk


def test_subtree_queries_follow_the_materialized_path(world):
    assert world.community_a.is_within(world.grid_1)
    assert not world.community_c.is_within(world.grid_1)
    assert [a.name for a in world.community_a.ancestors()] == [
        "静安区",
        "南京西路街道",
        "第一工作网格",
    ]
    assert world.grid_1.subtree().count() == 3
