"""The demo council: 南京西路街道区域化党建联席会议理事会.

From the article (社区晨报, 2020-12-23): on 2020-12-17, at 上海市作家协会, the 2020 council
meeting approved 《南京西路街道区域化党建联席会议理事会增补调整名单》, adding eight units;
上海国际集团有限公司 was the rotating chair of regional party building (区域化党建轮值主席单位)
in 2020.

Made up for the demo, because the article does not say (and marked so in the meetings' minutes):
the 2018 meeting that seated the founding member units, and the 2019 meeting that made
上海国际集团有限公司 the chair for 2020. Only organisations appear here, no people.

Idempotent: run it twice and nothing is duplicated.
"""

import datetime

from django.db import transaction

from fumin.registry.models import Area, Unit

from .models import Council, CouncilMeeting, CouncilMotion, CouncilMotionItem, SeatRole
from .services import (
    council_create,
    council_meeting_create,
    council_motion_add_item,
    council_motion_approve,
    council_motion_create,
)

COUNCIL_NAME = "南京西路街道区域化党建联席会议理事会"
SUBDISTRICT = "南京西路街道"
DEMO_NOTE = "演示数据：文章未载明，仅为演示而设。"

# Units by name; they come from the registry demo (``fumin.registry.demo.UNITS``).
FOUNDING_MEMBERS = [
    "上海市作家协会",
    "上海国际集团有限公司",
    "上海文化广播影视集团有限公司",
    "太古（中国）投资有限公司",
    "上海尚道企业管理有限公司",
    "公惠医院",
    "上海市第一妇婴保健院",
]
CHAIR_2020 = "上海国际集团有限公司"
# The eight units of the 2020 list of additions and adjustments, in the article's order.
ADDITIONS_2020 = [
    "中国建筑第二工程局有限公司华东分公司",
    "上海建筑装饰（集团）有限公司",
    "浙商银行股份有限公司上海分行",
    "上海静安置业（集团）有限公司",
    "沪港国际咨询集团有限公司",
    "陕西省人民政府驻沪办事处",
    "光明食品集团财务有限公司",
    "中共二大会址纪念馆",
]

# (title, held on, location, minutes)
MEETING_2018 = (
    "2018年区域化党建联席会议理事会",
    datetime.date(2018, 12, 20),
    "",
    f"{DEMO_NOTE}审议通过首届理事单位名单。",
)
MEETING_2019 = (
    "2019年区域化党建联席会议理事会",
    datetime.date(2019, 12, 19),
    "",
    f"{DEMO_NOTE}确定2020年度区域化党建轮值主席单位。",
)
MEETING_2020 = (
    "2020年区域化党建联席会议理事会",
    datetime.date(2020, 12, 17),
    "上海市作家协会",
    "审议通过《南京西路街道区域化党建联席会议理事会增补调整名单》"
    "《2020年度南京西路街道区域化党建工作总结》，并介绍了2021年南京西路街道区域化党建“三张清单”。"
    "会议决定增补8家单位为街道区域化党建联席会议理事单位，新任成员单位代表领取证书。",
)

FOUNDING_MOTION = "南京西路街道区域化党建联席会议理事会首届理事单位名单"
CHAIR_MOTION = "2020年度区域化党建轮值主席单位"
ADDITIONS_MOTION = "南京西路街道区域化党建联席会议理事会增补调整名单"

ADD = CouncilMotionItem.Action.ADD
CHANGE_ROLE = CouncilMotionItem.Action.CHANGE_ROLE


def _unit(name: str, units) -> Unit:
    return units.get(name) or Unit.objects.get(name=name)


def _meeting(council: Council, spec) -> CouncilMeeting:
    title, held_on, location, minutes = spec
    existing = CouncilMeeting.objects.filter(council=council, title=title).first()
    return existing or council_meeting_create(
        actor=None,
        council=council,
        title=title,
        held_on=held_on,
        location=location,
        minutes=minutes,
    )


def _approved_motion(council: Council, title: str, meeting: CouncilMeeting, items) -> None:
    """Create, fill and approve a motion, unless a motion of that title is already there."""
    if CouncilMotion.objects.filter(council=council, title=title).exists():
        return
    motion = council_motion_create(actor=None, council=council, title=title)
    for action, unit, role, term_start, term_end in items:
        council_motion_add_item(
            actor=None,
            motion=motion,
            action=action,
            unit=unit,
            role=role,
            term_start=term_start,
            term_end=term_end,
        )
    council_motion_approve(actor=None, motion=motion, meeting=meeting)


@transaction.atomic
def seed_council(areas: dict[str, Area], units: dict[str, Unit]) -> Council:
    subdistrict = areas[SUBDISTRICT]
    council = Council.objects.filter(area=subdistrict, name=COUNCIL_NAME).first()
    if council is None:
        council = council_create(actor=None, name=COUNCIL_NAME, area=subdistrict)

    founding_meeting = _meeting(council, MEETING_2018)
    founded_on = founding_meeting.held_on
    _approved_motion(
        council,
        FOUNDING_MOTION,
        founding_meeting,
        [
            (ADD, _unit(name, units), SeatRole.MEMBER_UNIT, founded_on, None)
            for name in FOUNDING_MEMBERS
        ],
    )

    _approved_motion(
        council,
        CHAIR_MOTION,
        _meeting(council, MEETING_2019),
        [
            (
                CHANGE_ROLE,
                _unit(CHAIR_2020, units),
                SeatRole.ROTATING_CHAIR,
                datetime.date(2020, 1, 1),
                datetime.date(2020, 12, 31),
            )
        ],
    )

    meeting_2020 = _meeting(council, MEETING_2020)
    _approved_motion(
        council,
        ADDITIONS_MOTION,
        meeting_2020,
        [
            (ADD, _unit(name, units), SeatRole.MEMBER_UNIT, meeting_2020.held_on, None)
            for name in ADDITIONS_2020
        ],
    )
    return council
