"""The API's staff check-in by ``person_id`` checks the caller's rights on the row it read and
locked (``services.check_in_by_ids``): not visible is 404, visible but not theirs 403, a person
neither signed up nor in their scope 400, exactly as the lookups before the service used to."""

import uuid

import pytest

from fumin.activities.models import Activity, Attendance
from fumin.activities.selectors import activity_list, activity_visible
from fumin.activities.services import activity_create
from fumin.activities.tests.helpers import volunteer
from fumin.api.tests.test_activities_api import post, running, signed_up

PERSONAS = ("admin", "officer", "coordinator", "secretary_a", "secretary_b", "liaison", "member")


def checkin(client, activity_id, person, **body):
    url = f"/api/activities/{activity_id}/checkins"
    return post(client, url, {"person_id": str(person.public_id), **body})


@pytest.mark.parametrize("persona", ["secretary_b", "liaison", "member", "outsider"])
def test_a_published_activity_of_another_community_is_403(client, world, persona):
    activity = running(world)
    person = signed_up(activity, world=world)
    client.force_login(getattr(world, persona))
    assert checkin(client, activity.public_id, person).status_code == 403
    assert not Attendance.objects.filter(checked_in_at__isnull=False).exists()


def test_a_draft_the_caller_cannot_see_is_404_and_so_is_an_unknown_id(client, world):
    draft = activity_create(
        actor=None,
        title="筹备中",
        kind="volunteer",
        community=world.community_a,
        starts_at=running(world).starts_at,
        ends_at=running(world).ends_at,
    )
    person = volunteer(world, "李四", "13600000021")
    client.force_login(world.secretary_b)
    assert checkin(client, draft.public_id, person).status_code == 404
    assert checkin(client, uuid.uuid4(), person).status_code == 404
    client.force_login(world.secretary_a)  # sees it, runs it: it is not open for check-in
    refused = checkin(client, draft.public_id, person, walk_up=True)
    assert refused.status_code == 400 and refused.json()["detail"][0]["field"] == "status"


def test_the_person_must_be_signed_up_or_in_the_callers_scope(client, world):
    activity = running(world)
    client.force_login(world.secretary_a)
    outside = volunteer(world, "外区人", "13600000031", community=world.community_b)
    for person in (outside, type("Unknown", (), {"public_id": uuid.uuid4()})()):
        refused = checkin(client, activity.public_id, person, walk_up=True)
        assert refused.status_code == 400, refused.content
        assert refused.json()["detail"][0]["field"] == "person_id"
    signed = signed_up(activity, "外区报名", "13600000032", world)
    signed.home_community = world.community_b
    signed.save(update_fields=["home_community"])
    assert checkin(client, activity.public_id, signed).status_code == 201
    assert not Attendance.objects.filter(person=outside).exists()


def test_visible_is_the_rule_of_the_activity_list(world):
    published = running(world)
    draft_a = activity_create(
        actor=None,
        title="草稿甲",
        kind="volunteer",
        community=world.community_a,
        starts_at=published.starts_at,
        ends_at=published.ends_at,
    )
    draft_b = activity_create(
        actor=None,
        title="草稿乙",
        kind="volunteer",
        community=world.community_b,
        starts_at=published.starts_at,
        ends_at=published.ends_at,
    )
    for persona in (*PERSONAS, "outsider"):
        viewer = getattr(world, persona)
        listed = set(activity_list(viewer=viewer).values_list("pk", flat=True))
        for activity in Activity.objects.select_related("community").filter(
            pk__in=[published.pk, draft_a.pk, draft_b.pk]
        ):
            assert activity_visible(viewer=viewer, activity=activity) == (activity.pk in listed), (
                persona,
                activity.title,
            )
    assert not activity_visible(viewer=None, activity=published)
