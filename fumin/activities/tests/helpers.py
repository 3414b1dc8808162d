"""Shared setup for the activity tests: a clock, activities and people made through services."""

import datetime
from zoneinfo import ZoneInfo

from fumin.activities.services import activity_create, activity_publish
from fumin.registration.services import member_register
from fumin.registry.services import person_create

SHANGHAI = ZoneInfo("Asia/Shanghai")


def sh(text: str) -> datetime.datetime:
    """``YYYY-MM-DD HH:MM`` in Shanghai, as an aware datetime."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


class Clock:
    """The time services see (``django.utils.timezone.now``), set and moved by the test."""

    def __init__(self, now: datetime.datetime):
        self.now = now

    def set(self, text: str) -> None:
        self.now = sh(text)

    def __call__(self) -> datetime.datetime:
        return self.now


def make_activity(
    world,
    *,
    title="垃圾分类宣传",
    kind="volunteer",
    community=None,
    starts="2020-09-12 09:00",
    ends="2020-09-12 12:00",
    publish=True,
    actor=None,
    **fields,
):
    """An activity made (and published) by the secretary of community A, unless told."""
    actor = actor or world.secretary_a
    activity = activity_create(
        actor=actor,
        title=title,
        kind=kind,
        community=community or world.community_a,
        starts_at=sh(starts),
        ends_at=sh(ends),
        **fields,
    )
    if publish:
        activity = activity_publish(actor=actor, activity=activity)
    return activity


def volunteer(world, name: str, mobile: str, community=None):
    """A person without an account, living in community A unless told."""
    return person_create(
        actor=None, name=name, mobile=mobile, home_community=community or world.community_a
    )


def own_person(world, user, community=None):
    """The person linked to ``user``'s account, made by their own dual registration."""
    registration, _ = member_register(
        actor=user, channel="self", name=user.name, community=community or world.community_a
    )
    return registration.person


# For the permission matrix (real time, no clock): records made once per world.


def _cached(world, key, make):
    if key not in world.__dict__:
        world.__dict__[key] = make()
    return world.__dict__[key]


def _in_hours(hours: float) -> str:
    from django.utils import timezone

    moment = timezone.localtime(timezone.now(), SHANGHAI) + datetime.timedelta(hours=hours)
    return moment.strftime("%Y-%m-%d %H:%M")


def upcoming_activity_id(world):
    """URL kwargs of a published activity of community A that starts tomorrow."""
    activity = _cached(
        world,
        "_upcoming_activity",
        lambda: make_activity(world, title="明天的活动", starts=_in_hours(24), ends=_in_hours(26)),
    )
    return {"public_id": activity.public_id}


def ongoing_activity_code(world):
    """URL kwargs with the check-in code of a published activity of community A going on now."""
    activity = _cached(
        world,
        "_ongoing_activity",
        lambda: make_activity(
            world, title="正在进行的活动", starts=_in_hours(-0.2), ends=_in_hours(2)
        ),
    )
    return {"code": activity.checkin_code}


def member_with_person(world):
    """No URL kwargs; links the member persona to a person (their own dual registration)."""
    _cached(world, "_member_person", lambda: own_person(world, world.member))
    return {}
