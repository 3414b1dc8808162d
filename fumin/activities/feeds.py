"""A community's published activities as an iCalendar feed (RFC 5545), public and without login,
so residents can subscribe in their phone's calendar.

Written by hand: times in UTC (``...Z``), a stable UID per activity (its public id), text escaped
(backslash, semicolon, comma, newline) and lines folded at 75 octets without ever splitting a
UTF-8 character. Drafts never appear; only the community's public id is in the URL.
"""

import datetime

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from fumin.registry.models import Area

from .models import Activity

# Published, held and closed: an activity that took place stays in subscribers' calendars.
FEED_STATUSES = (Activity.Status.PUBLISHED, Activity.Status.HELD, Activity.Status.CLOSED)
# How far back the feed reaches; everything upcoming is in it.
FEED_HISTORY = datetime.timedelta(days=365)
MAX_OCTETS = 75
CRLF = "\r\n"


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11)."""
    return (
        (value or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets (RFC 5545 3.1); continuation lines
    start with a space, which counts. A multi-byte character is never split."""
    pieces, current, size = [], [], 0
    limit = MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, MAX_OCTETS - 1
        current.append(char)
        size += width
    pieces.append("".join(current))
    return (CRLF + " ").join(pieces)


def utc(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def community_calendar(community: Area, *, url: str = "", now=None) -> str:
    now = now or timezone.now()
    activities = (
        Activity.objects.filter(
            community=community,
            status__in=FEED_STATUSES,
            ends_at__gte=now - FEED_HISTORY,
        )
        .prefetch_related("host_units")
        .order_by("starts_at", "pk")
    )
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Fumin//Community activities//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(community.name)}",
        "X-WR-TIMEZONE:Asia/Shanghai",
    ]
    stamp = utc(now)
    for activity in activities:
        description = activity.description or ""
        hosts = "、".join(unit.name for unit in activity.host_units.all())
        if hosts:
            description = f"{description}\n{hosts}".strip()
        lines += [
            "BEGIN:VEVENT",
            f"UID:{activity.public_id}@fumin",
            f"DTSTAMP:{stamp}",
            f"LAST-MODIFIED:{utc(activity.updated_at)}",
            f"DTSTART:{utc(activity.starts_at)}",
            f"DTEND:{utc(activity.ends_at)}",
            f"SUMMARY:{escape_text(activity.title)}",
        ]
        if activity.place:
            lines.append(f"LOCATION:{escape_text(activity.place)}")
        if description:
            lines.append(f"DESCRIPTION:{escape_text(description)}")
        lines.append(f"CATEGORIES:{escape_text(activity.get_kind_display())}")
        if url:
            lines.append(f"URL:{url}{reverse('portal:activity_detail', args=[activity.public_id])}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)


@login_not_required
@require_GET
def community_activities_feed(request, public_id):
    community = Area.objects.filter(
        public_id=public_id, kind=Area.Kind.COMMUNITY, archived_at__isnull=True
    ).first()
    if community is None:
        raise Http404
    body = community_calendar(community, url=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="activities.ics"'
    response["Cache-Control"] = "public, max-age=900"
    return response
