"""Permission matrix rows for this area; merged into tests/test_permission_matrix.MATRIX.

Column order: anonymous, admin, officer, coordinator, secretary_a, secretary_b, liaison,
member, outsider.

The rest of issue 6: repeating activities, staff signing people up, photos at closing, points
rules and volunteer teams. Records are made through the services, in community A.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.matrix.common import Row, row

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def _cached(world, key, make):
    if key not in world.__dict__:
        world.__dict__[key] = make()
    return world.__dict__[key]


def _activity(world, *, hours_from_now: float, title: str):
    from fumin.activities.services import activity_create, activity_publish

    start = timezone.now() + datetime.timedelta(hours=hours_from_now)
    activity = activity_create(
        actor=None,
        title=title,
        kind="volunteer",
        community=world.community_a,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    return activity_publish(actor=None, activity=activity)


def running_ref(world):
    """A published activity of community A that started half an hour ago."""
    activity = _cached(
        world, "_more_running", lambda: _activity(world, hours_from_now=-0.5, title="进行中的活动")
    )
    return {"public_id": activity.public_id}


def upcoming_api_ref(world):
    activity = _cached(
        world, "_more_upcoming", lambda: _activity(world, hours_from_now=48, title="后天的活动")
    )
    return {"activity_id": activity.public_id}


def photo_ref(world):
    """A closed activity of community A with one photo added at closing."""

    def make():
        from fumin.activities.services import activity_close

        activity = _activity(world, hours_from_now=-3, title="已结束的活动")
        activity = activity_close(
            actor=None,
            activity=activity,
            beneficiaries=3,
            photos=[SimpleUploadedFile("现场.png", PNG, content_type="image/png")],
        )
        return activity

    activity = _cached(world, "_more_photo", make)
    return {"public_id": activity.public_id, "photo_id": activity.photos.get().pk}


def series(world):
    def make():
        from fumin.activities.services import series_create

        return series_create(
            actor=None,
            title="每周六垃圾分类",
            kind="volunteer",
            community=world.community_a,
            rrule="FREQ=WEEKLY;BYDAY=SA;COUNT=4",
            starts_on=timezone.localdate() + datetime.timedelta(days=1),
            start_time=datetime.time(9, 0),
            duration_minutes=120,
        )

    return _cached(world, "_more_series", make)


def series_ref(world):
    return {"public_id": series(world).public_id}


def series_api_ref(world):
    return {"series_id": series(world).public_id}


def new_series_body(world):
    return {
        "title": "每月读书会",
        "kind": "study",
        "community_id": str(world.community_a.public_id),
        "rrule": "FREQ=MONTHLY;BYMONTHDAY=15;COUNT=3",
        "starts_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
        "start_time": "19:00",
        "duration_minutes": 90,
    }


def points_rule_ref(world):
    def make():
        from fumin.activities.services import points_rule_create

        return points_rule_create(actor=None, name="每小时积分", basis="per_hour", points=10)

    return {"pk": _cached(world, "_more_rule", make).pk}


def team_ref(world):
    def make():
        from fumin.activities.services import team_create

        return team_create(actor=None, name="华业志愿服务队", community=world.community_a)

    return {"public_id": _cached(world, "_more_team", make).public_id}


def fresh_person_body(world):
    """A new resident of community A per request, so each sign-up is a new one (201)."""
    from fumin.registry.services import person_create

    count = world.__dict__.setdefault("_more_people", [0])
    count[0] += 1
    person = person_create(actor=None, name=f"新居民{count[0]}", home_community=world.community_a)
    return {"person_id": str(person.public_id)}


#                         anon adm off crd sA  sB  lia mem out
MATRIX: dict[str, Row] = {
    # --- activities: staff sign people up, photos ---
    "console:activity_people_search":  row("302 200 200 200 200 404 403 403 403",
                                           kwargs=running_ref, data={"q": "jin"}),
    # Posted empty: a manager is told to choose a person (400), nobody else gets in.
    "console:activity_signup_person":  row("302 400 400 400 400 404 403 403 403", method="post",
                                           kwargs=running_ref),
    "console:activity_photo":          row("302 200 200 200 200 404 403 403 403",
                                           kwargs=photo_ref),
    "api:activity_signup_person":      row("401 201 201 201 201 403 403 403 403", method="post",
                                           kwargs=upcoming_api_ref, json=fresh_person_body),
    # --- activities: repeating ---
    "console:activity_series_create":  row("302 200 200 200 200 200 403 403 403"),
    "console:activity_series_detail":  row("302 200 200 200 200 404 403 403 403",
                                           kwargs=series_ref),
    "console:activity_series_generate": row("302 302 302 302 302 404 403 403 403",
                                            method="post", kwargs=series_ref),
    # A community outside the caller's scope is named as the bad field (400).
    "api:activity_series_create":      row("401 201 201 201 201 400 400 400 400", method="post",
                                           json=new_series_body),
    "api:activity_series_generate":    row("401 200 200 200 200 404 404 404 404", method="post",
                                           kwargs=series_api_ref, json=lambda w: {}),
    # --- points rules: seen by activity staff, changed by subdistrict staff and admins ---
    "console:points_rule_index":       row("302 200 200 200 200 200 403 403 403"),
    "console:points_rule_create":      row("302 200 200 403 403 403 403 403 403"),
    "console:points_rule_edit":        row("302 200 200 403 403 403 403 403 403",
                                           kwargs=points_rule_ref),
    # --- volunteer teams ---
    "console:team_index":              row("302 200 200 200 200 200 403 403 403"),
    "console:team_create":             row("302 200 200 200 200 200 403 403 403"),
    "console:team_detail":             row("302 200 200 200 200 404 403 403 403",
                                           kwargs=team_ref),
    "console:team_edit":               row("302 200 200 200 200 404 403 403 403",
                                           kwargs=team_ref),
    "console:team_people":             row("302 200 200 200 200 404 403 403 403",
                                           kwargs=team_ref, data={"q": "jin"}),
    # Posted empty: back to the team with "choose a person"; other communities: 404.
    "console:team_add_member":         row("302 302 302 302 302 404 403 403 403", method="post",
                                           kwargs=team_ref),
    "console:team_remove_member":      row("302 302 302 302 302 404 403 403 403", method="post",
                                           kwargs=team_ref),
    "console:team_set_leader":         row("302 302 302 302 302 404 403 403 403", method="post",
                                           kwargs=team_ref),
}  # fmt: skip
