"""The demo world: Nanjing West Road subdistrict, Jing'an district, as the 2020 article tells it.

The places, units, alliances and joint meetings are the ones the article names (华业, 威海, 重华
and 陕南 communities; 恒隆广场 and 兴业太古汇; the council's member units). The other communities
and units are plausible neighbours. People are synthetic: nobody named in the article is turned
into a personal record. Every function is idempotent: run it twice and nothing is duplicated.
"""

import random
from datetime import date

from stdnum.cn import ric, uscc

from .models import Alliance, Area, JointMeeting, PartyOrg, Person, Place, Unit
from .services import (
    alliance_add_member,
    alliance_create,
    area_create,
    joint_meeting_add_member,
    joint_meeting_create,
    party_org_create,
    person_create,
    place_create,
    unit_create,
)

DISTRICT = "静安区"
SUBDISTRICT = "南京西路街道"
GRIDS = {
    "第一工作网格": ["华业居民区", "威海居民区", "静安别墅居民区"],
    "第二工作网格": ["重华居民区", "大中里居民区", "茂名居民区"],
    "第三工作网格": ["陕南居民区", "泰兴居民区", "南阳居民区"],
    "第四工作网格": ["新福康里居民区", "成都北居民区", "石门二路居民区"],
}
# (name, kind, community)
PLACES = [
    ("恒隆广场", Place.Kind.OFFICE_BUILDING, "华业居民区"),
    ("兴业太古汇", Place.Kind.COMMERCIAL_DISTRICT, "华业居民区"),
    ("静安嘉里中心", Place.Kind.OFFICE_BUILDING, "陕南居民区"),
    ("中信泰富广场", Place.Kind.OFFICE_BUILDING, "威海居民区"),
    ("吴江路街区", Place.Kind.BLOCK, "泰兴居民区"),
]
K = Unit.Kind
# (name, kind, community, place or "", suffix naming its party organisation, party members).
# The units the article names; real units carry no invented credit code.
UNITS = [
    ("上海市作家协会", K.SOCIAL_ORGANISATION, "威海居民区", "", "机关党委", 186),
    ("上海国际集团有限公司", K.STATE_OWNED, "华业居民区", "恒隆广场", "党委", 420),
    ("上海文化广播影视集团有限公司", K.STATE_OWNED, "威海居民区", "", "党委", 2100),
    ("太古（中国）投资有限公司", K.ENTERPRISE, "华业居民区", "兴业太古汇", "党支部", 38),
    ("上海尚道企业管理有限公司", K.NEW_ECONOMIC, "华业居民区", "恒隆广场", "党支部", 12),
    ("公惠医院", K.PUBLIC_INSTITUTION, "重华居民区", "", "党支部", 45),
    ("上海静安地铁投资有限公司", K.STATE_OWNED, "威海居民区", "", "党支部", 30),
    ("中国建筑第二工程局有限公司华东分公司", K.STATE_OWNED, "茂名居民区", "", "党委", 350),
    ("上海建筑装饰（集团）有限公司", K.STATE_OWNED, "大中里居民区", "", "党委", 640),
    ("浙商银行股份有限公司上海分行", K.ENTERPRISE, "陕南居民区", "静安嘉里中心", "党委", 260),
    ("上海静安置业（集团）有限公司", K.STATE_OWNED, "石门二路居民区", "", "党委", 310),
    ("沪港国际咨询集团有限公司", K.ENTERPRISE, "泰兴居民区", "", "党委", 150),
    ("陕西省人民政府驻沪办事处", K.PROVINCIAL_OFFICE, "茂名居民区", "", "党总支", 64),
    ("光明食品集团财务有限公司", K.STATE_OWNED, "南阳居民区", "", "党支部", 41),
    ("中共二大会址纪念馆", K.PUBLIC_INSTITUTION, "成都北居民区", "", "党支部", 18),
    ("上海市城市规划设计研究院", K.PUBLIC_INSTITUTION, "新福康里居民区", "", "党委", 230),
    ("上海市第一妇婴保健院", K.PUBLIC_INSTITUTION, "陕南居民区", "", "党委", 520),
    ("多特瑞（上海）商贸有限公司", K.NEW_ECONOMIC, "威海居民区", "中信泰富广场", "党支部", 25),
]
# A party organisation is named after its unit; the suffix says which kind it is.
PARTY_ORG_SUFFIXES = {
    "党委": PartyOrg.Kind.COMMITTEE,
    "机关党委": PartyOrg.Kind.COMMITTEE,
    "党总支": PartyOrg.Kind.GENERAL_BRANCH,
    "党支部": PartyOrg.Kind.BRANCH,
}
# Plausible, invented neighbours (schools, property managers, "two new" organisations) so the
# alliances and lists have members. Their credit codes are synthetic but valid.
SYNTHETIC_UNITS = [
    ("静安区南西第一小学", K.PUBLIC_INSTITUTION, "静安别墅居民区", "school"),
    ("静安区南西实验中学", K.PUBLIC_INSTITUTION, "重华居民区", "school"),
    ("南西艺术幼儿园", K.PUBLIC_INSTITUTION, "泰兴居民区", "school"),
    ("上海南西物业管理有限公司", K.NEW_ECONOMIC, "新福康里居民区", "property"),
    ("上海梧桐物业服务有限公司", K.NEW_ECONOMIC, "成都北居民区", "property"),
    ("静安区南西社区志愿者协会", K.NEW_SOCIAL, "大中里居民区", "culture"),
    ("上海悦读公益服务中心", K.NEW_SOCIAL, "威海居民区", "culture"),
    ("上海青禾律师事务所", K.NEW_ECONOMIC, "陕南居民区", ""),
    ("上海汇智信息科技有限公司", K.NEW_ECONOMIC, "泰兴居民区", ""),
    ("上海锦程健康管理有限公司", K.NEW_ECONOMIC, "南阳居民区", ""),
]
ALLIANCES = [
    ("南京西路街道校际联盟", Alliance.Kind.SCHOOL, "静安区南西实验中学", "school"),
    ("南京西路街道文化联盟", Alliance.Kind.CULTURE, "上海市作家协会", "culture"),
    ("南京西路街道物业联盟", Alliance.Kind.PROPERTY, "上海静安置业（集团）有限公司", "property"),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁沈任姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"  # noqa: E501
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红春梅海燕晓东玉兰文婷立新佳怡子涵浩然思远雨欣嘉怡俊杰宇轩欣怡梓萱晨阳一鸣"  # noqa: E501
SKILLS = [
    "法律咨询",
    "医疗保健",
    "心理疏导",
    "书法",
    "摄影",
    "电脑维修",
    "英语",
    "财务",
    "烹饪",
    "钢琴",
    "舞蹈",
    "急救",
    "写作",
    "设计",
    "垃圾分类宣传",
    "",
]


def _ensure_area(name: str, kind: str, parent: Area | None) -> Area:
    existing = Area.objects.filter(name=name, parent=parent).first()
    return existing or area_create(actor=None, name=name, kind=kind, parent=parent)


def seed_areas() -> dict[str, Area]:
    """Create the area tree if missing; return every demo area by name."""
    areas: dict[str, Area] = {}
    areas[DISTRICT] = _ensure_area(DISTRICT, Area.Kind.DISTRICT, None)
    areas[SUBDISTRICT] = _ensure_area(SUBDISTRICT, Area.Kind.SUBDISTRICT, areas[DISTRICT])
    for grid_name, communities in GRIDS.items():
        grid = _ensure_area(grid_name, Area.Kind.GRID, areas[SUBDISTRICT])
        areas[grid_name] = grid
        for community in communities:
            areas[community] = _ensure_area(community, Area.Kind.COMMUNITY, grid)
    return areas


def synthetic_credit_code(number: int) -> str:
    """A valid, obviously made-up unified social credit code (registration area 310106)."""
    body = f"91310106MA1FL{number:04d}"
    return body + uscc.calc_check_digit(body)


def synthetic_id_number(rng: random.Random) -> str:
    birth = date(rng.randint(1950, 2000), rng.randint(1, 12), rng.randint(1, 28))
    body = f"310106{birth:%Y%m%d}{rng.randint(0, 999):03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum ignores the last character


def seed_places(areas) -> dict[str, Place]:
    places = {}
    for name, kind, community in PLACES:
        existing = Place.objects.filter(name=name).first()
        places[name] = existing or place_create(
            actor=None, name=name, kind=kind, area=areas[community]
        )
    return places


def seed_units(areas) -> dict[str, Unit]:
    places = seed_places(areas)
    units: dict[str, Unit] = {}
    for name, kind, community, place, org_suffix, members in UNITS:
        org_name, org_kind = name + org_suffix, PARTY_ORG_SUFFIXES[org_suffix]
        unit = Unit.objects.filter(name=name).first() or unit_create(
            actor=None,
            name=name,
            kind=kind,
            area=areas[community],
            place=places[place] if place else None,
        )
        units[name] = unit
        if not PartyOrg.objects.filter(name=org_name).exists():
            party_org_create(
                actor=None, name=org_name, kind=org_kind, unit=unit, member_count=members
            )
    for number, (name, kind, community, _alliance) in enumerate(SYNTHETIC_UNITS, start=1):
        units[name] = Unit.objects.filter(name=name).first() or unit_create(
            actor=None,
            name=name,
            kind=kind,
            area=areas[community],
            credit_code=synthetic_credit_code(number),
        )
    for community in ("华业居民区", "威海居民区", "重华居民区", "陕南居民区"):
        org_name = f"{community.removesuffix('居民区')}居民区党总支"
        if not PartyOrg.objects.filter(name=org_name).exists():
            party_org_create(
                actor=None,
                name=org_name,
                kind=PartyOrg.Kind.GENERAL_BRANCH,
                community=areas[community],
                member_count=80,
            )
    return units


def seed_bodies(areas, units) -> None:
    subdistrict = areas[SUBDISTRICT]
    for name, kind, lead, group in ALLIANCES:
        alliance = Alliance.objects.filter(name=name).first() or alliance_create(
            actor=None, name=name, kind=kind, area=subdistrict, lead_unit=units[lead]
        )
        members = [units[lead]] + [units[n] for n, _k, _c, g in SYNTHETIC_UNITS if g == group]
        for unit in members:
            alliance_add_member(actor=None, alliance=alliance, unit=unit)

    def meeting(name, level, area, chair, members, place=None):
        found = JointMeeting.objects.filter(name=name).first() or joint_meeting_create(
            actor=None, name=name, level=level, area=area, place=place, chair_unit=chair
        )
        for unit in members:
            joint_meeting_add_member(actor=None, joint_meeting=found, unit=unit)

    meeting(
        "南京西路街道区域化党建联席会议",
        JointMeeting.Level.SUBDISTRICT,
        subdistrict,
        units["上海国际集团有限公司"],
        [units[row[0]] for row in UNITS],
    )
    for grid_name, communities in GRIDS.items():
        members = [u for u in units.values() if u.area.name in communities]
        meeting(
            f"{grid_name}区域化党建联席会议",
            JointMeeting.Level.GRID,
            areas[grid_name],
            members[0] if members else None,
            members,
        )
    place = Place.objects.get(name="兴业太古汇")
    meeting(
        "兴业太古汇商圈党建联席会议",
        JointMeeting.Level.PLACE,
        place.area,
        units["太古（中国）投资有限公司"],
        [
            units["太古（中国）投资有限公司"],
            units["上海国际集团有限公司"],
            units["上海尚道企业管理有限公司"],
        ],
        place=place,
    )


def seed_people(areas, units, count: int = 240) -> int:
    """Synthetic residents and in-service party members, the same ones on every run."""
    if Person.objects.filter(consent_method="演示数据").count() >= count:
        return 0
    rng = random.Random(2020)  # noqa: S311 (repeatable demo data, not secrets)
    communities = [areas[c] for cs in GRIDS.values() for c in cs]
    unit_list = list(units.values())
    orgs = {org.unit_id: org for org in PartyOrg.objects.filter(unit__isnull=False)}
    created = 0
    for number in range(count):
        mobile = f"139{number:08d}"
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))
        work_unit = rng.choice(unit_list) if rng.random() < 0.7 else None
        is_member = rng.random() < 0.6
        id_number = synthetic_id_number(rng) if rng.random() < 0.5 else None
        if Person.objects.filter(mobile=mobile).exists():
            continue
        person_create(
            actor=None,
            name=name,
            mobile=mobile,
            id_number=id_number,
            gender=rng.choice(["female", "male"]),
            home_community=rng.choice(communities),
            work_unit=work_unit,
            is_party_member=is_member,
            party_org=orgs.get(work_unit.pk) if (is_member and work_unit) else None,
            skills=rng.choice(SKILLS),
            consent_scope="社区服务联系与志愿服务记录",
            consent_method="演示数据",
        )
        created += 1
    return created
