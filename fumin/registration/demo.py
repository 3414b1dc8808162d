"""Demo dual registrations, consistent with the article's 2020 figures.

The article (社区晨报, 2020-12-23): "自今年8月以来，辖区内已有97家“两新”党组织和区域单位党组织、
7508名在职党员到所属居民区报到". Here those figures are not typed anywhere: they come out of
``organisations_registered`` and ``members_registered`` (``fumin.registration.selectors``) over the
records made below, for 2020-08-01 to 2020-12-31 in the demo subdistrict:

- 97 party organisations with confirmed registrations first confirmed in the period: the
  organisations of the demo's regional units (``fumin.registry.demo.UNITS``) plus invented
  "two new" organisations (新经济组织 / 新社会组织), each with a party branch, registered with
  one or two of the 12 demo communities;
- 7,508 synthetic in-service party members, each with a confirmed registration with the community
  they live in, confirmed between August and December;
- and registrations that must not count: waiting, rejected, confirmed in July 2020 or in 2021.

Everything invented is marked so: units with synthetic (valid) credit codes, people with mobile
numbers 1372xxxxxxx and the consent method ``演示数据·双报到``. Written with bulk inserts (pinyin
and the stored forms of ID numbers precomputed), one audit entry for the whole seed. Idempotent: a
second run finds the demo members and does nothing.
"""

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from fumin.audit.models import AuditEntry
from fumin.audit.services import audit_record
from fumin.core.pinyin import pinyin_initials, pinyin_key
from fumin.registry.demo import (
    GIVEN,
    GRIDS,
    SKILLS,
    SUBDISTRICT,
    SURNAMES,
    synthetic_credit_code,
    synthetic_id_number,
)
from fumin.registry.models import PartyOrg, Person, Unit
from fumin.registry.services import _import_insert, id_number_fields

from .models import MemberRegistration, OrgRegistration, Status

SHANGHAI = ZoneInfo("Asia/Shanghai")
MARK = "演示数据·双报到"  # the consent method of the demo members: how they are found again
MEMBERS = 7508  # what the records below add up to; the test counts them with the selectors
ORGANISATIONS = 97
MOBILE_PREFIX = "1372"  # seed_people uses 139…, the demo accounts 138…
FIRST_CODE = 101  # synthetic credit codes 101… (the registry demo uses 1–10)

# Invented "two new" organisations: a made-up trade name and a line of business.
TRADE_NAMES = ("梧岭", "静禾", "澄远", "嘉溪", "云栖", "青榆", "拾光", "知微", "砚田", "朗川",
               "若水", "栖梧", "南屿", "北辰", "方圆", "合和", "立信", "众创", "启明",
               "星澜")  # fmt: skip
# Lines of business, one per block of trade names, so every invented name is different.
LINES = [("信息科技有限公司", Unit.Kind.NEW_ECONOMIC), ("社会工作服务社", Unit.Kind.NEW_SOCIAL),
         ("文化传媒有限公司", Unit.Kind.NEW_ECONOMIC), ("公益服务中心", Unit.Kind.NEW_SOCIAL),
         ("企业管理咨询有限公司", Unit.Kind.NEW_ECONOMIC), ("律师事务所", Unit.Kind.NEW_ECONOMIC),
         ("青少年发展中心", Unit.Kind.NEW_SOCIAL),
         ("建筑设计事务所", Unit.Kind.NEW_ECONOMIC)]  # fmt: skip
RESOURCES = ("法律咨询", "场地支持", "健康讲座", "志愿者队伍", "文化演出", "助老服务",
             "青少年课堂", "专业技术支持", "物资捐赠", "")  # fmt: skip
INTENTS = ("助老服务", "垃圾分类宣传", "社区治理", "文明实践", "关爱青少年", "")
# Share of the year's member confirmations by month, August to December.
MONTHS = {8: 30, 9: 25, 10: 20, 11: 15, 12: 10}
CHANNELS = (
    [MemberRegistration.Channel.SELF] * 8
    + [MemberRegistration.Channel.UNIT] * 9
    + [MemberRegistration.Channel.COMMUNITY] * 3
)
# Members' registrations that must not count (status, confirmed or decided on, how many).
NOT_COUNTED = [
    (Status.PENDING, None, 40),
    (Status.REJECTED, date(2020, 10, 12), 12),
    (Status.CONFIRMED, date(2020, 7, 20), 15),
    (Status.CONFIRMED, date(2021, 1, 8), 18),
]
# Organisations that must not count, each with one registration (status, confirmed/decided on).
ORGS_NOT_COUNTED = [
    (Status.PENDING, None),
    (Status.PENDING, None),
    (Status.REJECTED, date(2020, 9, 3)),
    (Status.CONFIRMED, date(2020, 7, 15)),
    (Status.CONFIRMED, date(2021, 3, 2)),
]


def _at(day: date, rng: random.Random) -> datetime:
    """A working-hours moment of ``day`` in Shanghai."""
    return datetime.combine(day, time(rng.randint(9, 16), rng.randint(0, 59)), tzinfo=SHANGHAI)


def _day_in_period(rng: random.Random, month: int | None = None) -> date:
    month = month or rng.choices(list(MONTHS), weights=list(MONTHS.values()))[0]
    last = 31 if month in (8, 10, 12) else 30
    return date(2020, month, rng.randint(1, last))


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))


def _ensure_units(communities, rng: random.Random, count: int) -> list[tuple[Unit, PartyOrg]]:
    """``count`` invented "two new" units, each with its party branch (created when missing)."""
    wanted = []
    for number in range(count):
        trade = TRADE_NAMES[number % len(TRADE_NAMES)]
        line, kind = LINES[number // len(TRADE_NAMES) % len(LINES)]
        name = f"{'静安区' if kind == Unit.Kind.NEW_SOCIAL else '上海'}{trade}{line}"
        code = synthetic_credit_code(FIRST_CODE + number)
        wanted.append((code, name, kind, communities[number % len(communities)]))
    codes = [code for code, *_rest in wanted]
    found = {u.credit_code: u for u in Unit.objects.filter(credit_code__in=codes)}
    created_at = datetime(2020, 6, 30, 10, tzinfo=SHANGHAI)
    missing = [
        {
            "name": name,
            "name_pinyin": pinyin_key(name),
            "name_initials": pinyin_initials(name),
            "kind": kind,
            "credit_code": code,
            "area_id": community.pk,
            "description": "演示数据：虚构的“两新”组织。",
            "created_at": created_at,
            "updated_at": created_at,
        }
        for code, name, kind, community in wanted
        if code not in found
    ]
    if missing:
        _import_insert(Unit, missing)
        found = {u.credit_code: u for u in Unit.objects.filter(credit_code__in=codes)}
    units = [found[code] for code in codes]
    orgs = {o.unit_id: o for o in PartyOrg.objects.filter(unit__in=units)}
    new_orgs = [
        {
            "name": f"{unit.name}党支部",
            "name_pinyin": pinyin_key(f"{unit.name}党支部"),
            "name_initials": pinyin_initials(f"{unit.name}党支部"),
            "kind": PartyOrg.Kind.BRANCH,
            "unit_id": unit.pk,
            "secretary_name": _name(rng),
            "member_count": rng.randint(3, 30),
            "created_at": created_at,
            "updated_at": created_at,
        }
        for unit in units
        if unit.pk not in orgs
    ]
    if new_orgs:
        _import_insert(PartyOrg, new_orgs)
        orgs = {o.unit_id: o for o in PartyOrg.objects.filter(unit__in=units)}
    return [(unit, orgs[unit.pk]) for unit in units]


def _registration_times(status: str, day: date | None, rng: random.Random) -> dict:
    """created, decided and confirmed moments consistent with ``status`` decided on ``day``."""
    if day is None:  # waiting: submitted lately, not decided
        created = _at(date(2020, 12, 1) + timedelta(days=rng.randint(0, 29)), rng)
        return {"created_at": created, "updated_at": created, "decided_at": None,
                "confirmed_at": None, "last_confirmed_at": None}  # fmt: skip
    decided = _at(day, rng)
    created = decided - timedelta(days=rng.randint(1, 10), hours=rng.randint(0, 6))
    confirmed = decided if status == Status.CONFIRMED else None
    return {"created_at": created, "updated_at": decided, "decided_at": decided,
            "confirmed_at": confirmed, "last_confirmed_at": confirmed}  # fmt: skip


def seed_registrations(areas, units) -> tuple[int, int]:
    """Seed the 2020 dual registrations; returns (organisation registrations, member
    registrations) created, (0, 0) when they are there already."""
    if Person.objects.filter(consent_method=MARK).exists():
        return 0, 0
    rng = random.Random(97_7508)  # noqa: S311 (repeatable demo data, not secrets)
    communities = [areas[name] for names in GRIDS.values() for name in names]
    grid_of = {c.pk: c.parent_id for c in communities}
    subdistrict = areas[SUBDISTRICT]
    phone = iter(range(62_100_000, 62_200_000, 37))

    # Organisations: the regional units' own, then invented "two new" ones up to 97, plus a few
    # that must not count.
    unit_orgs = list(
        PartyOrg.objects.filter(
            unit__in=list(units.values()),
            unit__area__path__startswith=subdistrict.path,
            archived_at__isnull=True,
        )
        .select_related("unit")
        .order_by("pk")
    )
    synthetic = _ensure_units(
        communities, rng, ORGANISATIONS - len(unit_orgs) + len(ORGS_NOT_COUNTED)
    )
    counted = [(org.unit, org) for org in unit_orgs] + synthetic[: -len(ORGS_NOT_COUNTED)]
    org_rows = []

    def org_registration(org, unit, community, status, day):
        org_rows.append(
            {
                "party_org_id": org.pk,
                "community_id": community.pk,
                "status": status,
                "contact_name": _name(rng),
                "contact_phone": f"021-{next(phone)}",
                "resources": rng.choice(RESOURCES),
                "service_intent": rng.choice(INTENTS),
                "reason": "演示：材料不全，请补充后重新报到。" if status == Status.REJECTED else "",
                "ended_at": None,
                **_registration_times(status, day, rng),
            }
        )

    for unit, org in counted:
        home = next((c for c in communities if c.pk == unit.area_id), None)
        first = home or rng.choice(communities)
        org_registration(org, unit, first, Status.CONFIRMED, _day_in_period(rng))
        if rng.random() < 0.3:
            second = rng.choice([c for c in communities if c.pk != first.pk])
            org_registration(org, unit, second, Status.CONFIRMED, _day_in_period(rng))
    for (unit, org), (status, day) in zip(
        synthetic[-len(ORGS_NOT_COUNTED) :], ORGS_NOT_COUNTED, strict=True
    ):
        community = next((c for c in communities if c.pk == unit.area_id), communities[0])
        org_registration(org, unit, community, status, day)
    _import_insert(OrgRegistration, org_rows)

    # Members: 7,508 confirmed in the period, and some that must not count.
    work_units = list(units.values()) + [unit for unit, _org in counted[len(unit_orgs) :]]
    org_of = {org.unit_id: org.pk for org in unit_orgs}
    org_of.update((unit.pk, org.pk) for unit, org in synthetic)
    used_ids = set(
        Person.objects.filter(id_number_hash__isnull=False).values_list("id_number_hash", flat=True)
    )
    plan = [(Status.CONFIRMED, None)] * MEMBERS
    for status, day, how_many in NOT_COUNTED:
        plan += [(status, day)] * how_many
    people, registrations, names = [], [], {}
    for number, (status, day) in enumerate(plan):
        community = rng.choice(communities)
        unit = rng.choice(work_units)
        name = _name(rng)
        if name not in names:
            names[name] = (pinyin_key(name), pinyin_initials(name))
        id_fields = id_number_fields(None)
        if rng.random() < 1 / 3:
            while True:
                fields = id_number_fields(synthetic_id_number(rng))
                if fields["id_number_hash"] not in used_ids:
                    used_ids.add(fields["id_number_hash"])
                    id_fields = fields
                    break
        if status == Status.CONFIRMED and day is None:
            day = _day_in_period(rng)
        times = _registration_times(status, day, rng)
        skills = rng.choice(SKILLS)
        people.append(
            {
                "name": name,
                "name_pinyin": names[name][0],
                "name_initials": names[name][1],
                "mobile": f"{MOBILE_PREFIX}{number:07d}",
                **id_fields,
                "gender": rng.choice(["female", "male"]),
                "home_community_id": community.pk,
                "work_unit_id": unit.pk,
                "is_party_member": True,
                "party_org_id": org_of.get(unit.pk),
                "skills": skills,
                "consent_scope": "社区服务联系与志愿服务记录",
                "consent_method": MARK,
                "consent_at": times["created_at"],
                "created_at": times["created_at"],
                "updated_at": times["created_at"],
            }
        )
        registrations.append(
            {
                "community_id": community.pk,
                "grid_id": grid_of[community.pk],
                "work_unit_id": unit.pk,
                "party_org_id": org_of.get(unit.pk),
                "status": status,
                "channel": rng.choice(CHANNELS),
                "specialities": skills,
                "service_intent": rng.choice(INTENTS),
                "reason": "演示：不是本居民区居民。" if status == Status.REJECTED else "",
                "ended_at": None,
                **times,
            }
        )
    _import_insert(Person, people)
    person_ids = dict(Person.objects.filter(consent_method=MARK).values_list("mobile", "pk"))
    for person, registration in zip(people, registrations, strict=True):
        registration["person_id"] = person_ids[person["mobile"]]
    _import_insert(MemberRegistration, registrations)

    audit_record(
        actor=None,
        action=AuditEntry.Action.CREATE,
        after={
            "organisation_registrations": len(org_rows),
            "member_registrations": len(registrations),
            "people": len(people),
        },
        note="demo data: the 2020 dual registrations (seed_demo)",
        scope_path=subdistrict.path,
    )
    return len(org_rows), len(registrations)
