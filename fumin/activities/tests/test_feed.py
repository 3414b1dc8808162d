"""The iCalendar feed of a community's activities: public, RFC 5545, UTF-8 intact, folded."""

import datetime

import pytest
from django.urls import reverse

from fumin.activities.feeds import escape_text, fold
from fumin.activities.services import activity_update

from .helpers import make_activity, sh

pytestmark = pytest.mark.usefixtures("clock")

LONG_TITLE = (
    "南京西路街道华业居民区“两新”组织党员志愿服务：垃圾分类宣传，楼道清洁；敬老院探访与陪伴"
)


def feed_url(community):
    return reverse("activity_feed", kwargs={"public_id": community.public_id})


def unfold(raw: bytes) -> list[str]:
    """Content lines as a calendar client reads them (RFC 5545 3.1)."""
    text = raw.decode("utf-8")
    assert "\n" not in text.replace("\r\n", "")  # every line ends with CRLF
    return text.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")[:-1]


def unescape(value: str) -> str:
    out, chars = [], iter(value)
    for char in chars:
        if char == "\\":
            following = next(chars)
            out.append("\n" if following in "nN" else following)
        else:
            out.append(char)
    return "".join(out)


def events(lines: list[str]) -> list[dict[str, str]]:
    found, current = [], None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            found.append(current)
            current = None
        elif current is not None:
            name, _, value = line.partition(":")
            current[name] = value
    return found


def test_the_feed_is_public_valid_and_keeps_chinese_intact(world, client):
    activity = make_activity(
        world,
        title=LONG_TITLE,
        place="华业大楼 3 楼, 会议室; 东侧",
        description="第一行\n第二行，带逗号, 和分号; 还有反斜杠 \\ 结束",
        starts="2020-09-12 09:00",
        ends="2020-09-12 12:00",
    )
    make_activity(world, title="草稿活动", publish=False)
    make_activity(world, title="威海的活动", actor=world.secretary_b, community=world.community_b)

    response = client.get(feed_url(world.community_a))  # nobody logged in
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    raw = response.content
    for physical in raw.split(b"\r\n"):
        assert len(physical) <= 75
        physical.decode("utf-8")  # a fold never splits a character
    lines = unfold(raw)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    assert "X-WR-CALNAME:华业居民区" in lines
    assert "X-WR-TIMEZONE:Asia/Shanghai" in lines

    found = events(lines)
    assert len(found) == 1  # no draft, no other community
    event = found[0]
    assert event["UID"] == f"{activity.public_id}@fumin"
    assert unescape(event["SUMMARY"]) == LONG_TITLE
    assert unescape(event["LOCATION"]) == "华业大楼 3 楼, 会议室; 东侧"
    assert unescape(event["DESCRIPTION"]) == "第一行\n第二行，带逗号, 和分号; 还有反斜杠 \\ 结束"
    assert "\\," in event["LOCATION"] and "\\;" in event["LOCATION"]
    # 09:00 in Shanghai is 01:00 UTC
    assert event["DTSTART"] == "20200912T010000Z"
    assert event["DTEND"] == "20200912T040000Z"
    start = datetime.datetime.strptime(event["DTSTART"], "%Y%m%dT%H%M%SZ").replace(
        tzinfo=datetime.UTC
    )
    assert start == sh("2020-09-12 09:00")
    assert event["DTSTAMP"].endswith("Z")


def test_the_uid_is_stable_across_requests_and_changes(world, client):
    activity = make_activity(world, title="读书会")
    first = events(unfold(client.get(feed_url(world.community_a)).content))
    activity_update(actor=world.secretary_a, activity=activity, title="读书会（改期）")
    second = events(unfold(client.get(feed_url(world.community_a)).content))
    assert first[0]["UID"] == second[0]["UID"] == f"{activity.public_id}@fumin"
    assert second[0]["SUMMARY"] == "读书会（改期）"


def test_only_communities_have_feeds(world, client):
    url = reverse("activity_feed", kwargs={"public_id": world.grid_1.public_id})
    assert client.get(url).status_code == 404


def test_folding_and_escaping():
    line = "SUMMARY:" + "福" * 40  # 8 + 120 octets
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in pieces)
    assert all(p.startswith(" ") for p in pieces[1:])
    assert folded.replace("\r\n ", "") == line
    assert fold("SHORT:abc") == "SHORT:abc"
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
