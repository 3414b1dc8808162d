"""What each persona sees of activities and attendance."""

import pytest
from django.core.exceptions import PermissionDenied

from fumin.activities.selectors import (
    activity_get,
    activity_list,
    attendance_counts,
    attendance_list,
    my_attendances,
)
from fumin.activities.services import check_in, signup

from .helpers import make_activity, own_person, volunteer

pytestmark = pytest.mark.usefixtures("clock")


def test_staff_see_their_communities_drafts_and_everyone_sees_published_activities(world):
    draft_a = make_activity(world, title="草稿A", publish=False)
    published_a = make_activity(world, title="已发布A")
    with pytest.raises(PermissionDenied):
        make_activity(world, title="草稿B", community=world.community_b)
    make_activity(
        world, title="草稿B", community=world.community_b, actor=world.secretary_b, publish=False
    )

    def titles(persona):
        return set(activity_list(viewer=world.persona(persona)).values_list("title", flat=True))

    assert titles("secretary_a") == {"草稿A", "已发布A"}
    assert titles("secretary_b") == {"已发布A", "草稿B"}
    assert titles("coordinator") == {"草稿A", "已发布A", "草稿B"}
    assert titles("officer") == {"草稿A", "已发布A", "草稿B"}
    assert titles("member") == {"已发布A"}
    assert titles("outsider") == {"已发布A"}
    assert titles("anonymous") == set()
    assert activity_get(viewer=world.member, public_id=draft_a.public_id) is None
    assert activity_get(viewer=world.member, public_id=published_a.public_id) == published_a


def test_the_attendance_list_is_for_the_staff_who_run_the_activity(
    world, clock, django_assert_num_queries
):
    activity = make_activity(world, capacity=2)
    people = [volunteer(world, f"志愿者{i}", f"1360000000{i}") for i in range(3)]
    for person in people:
        signup(actor=None, activity=activity, person=person)
    clock.set("2020-09-12 09:00")
    check_in(actor=None, method="staff", activity=activity, person=people[0])

    with django_assert_num_queries(2):  # attendances with people, corrections (scope cached)
        rows = list(attendance_list(viewer=world.secretary_a, activity=activity))
    assert [r.person for r in rows] == people
    assert list(attendance_list(viewer=world.secretary_b, activity=activity)) == []
    assert list(attendance_list(viewer=world.member, activity=activity)) == []
    counts = attendance_counts(activity=activity)
    assert (counts.checked_in, counts.confirmed, counts.waitlisted, counts.places_left) == (
        1,
        1,
        1,
        0,
    )


def test_my_attendances_are_my_own(world):
    person = own_person(world, world.member)
    activity = make_activity(world)
    signup(actor=world.member, activity=activity)
    signup(actor=None, activity=activity, person=volunteer(world, "王芳", "13600000001"))
    assert [a.person for a in my_attendances(viewer=world.member)] == [person]
    assert list(my_attendances(viewer=world.outsider)) == []
