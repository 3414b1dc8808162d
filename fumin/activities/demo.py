"""Demo activities, consistent with the article's 2020 figures.

The article (社区晨报, 2020-12-23): "主动开展结对共建活动64场 … 667人次参与社区公益志愿服务，
受益对象达6443人次". Those figures are not typed anywhere: ``fumin.activities.figures`` counts
them over the records made below, for 2020-01-01 to 2020-12-31 in the demo subdistrict:

- 64 pairing activities (结对共建) held between August and December 2020 across the 12
  communities, each hosted by one or two regional units and closed with its beneficiaries;
- volunteer activities (公益志愿服务) whose checked-in attendances add up to 667: demo people and
  registered members of the community, checked in shortly before the start and out around the
  end (hours > 0, capped by the activity's length);
- beneficiaries recorded on those closed activities adding up to 6,443 person-times;
- and records that must not count: no-shows and cancellations at the volunteer activities, a
  2020 pairing activity still in draft and one published but never held, activities starting on
  2021-01-01 in Shanghai (still 2020-12-31 in UTC), and a few draft and published 2021 ones.

Written with bulk inserts and one audit entry for the whole seed. Idempotent: a second run finds
the demo activities (description starting with ``MARK``) and does nothing.
"""

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from fumin.audit.models import AuditEntry
from fumin.audit.services import audit_record
from fumin.registration.demo import MARK as MEMBER_MARK
from fumin.registry.demo import GRIDS, SUBDISTRICT
from fumin.registry.models import Person

from .models import CODE_ALPHABET, CODE_LENGTH, Activity, Attendance

SHANGHAI = ZoneInfo("Asia/Shanghai")
MARK = "演示数据·活动"  # every demo activity's description starts with it
PAIRING = 64
VOLUNTEER_PERSON_TIMES = 667
BENEFICIARIES = 6443
VOLUNTEER_ACTIVITIES = 46
PAIRING_TITLES = ("结对共建·{unit}走进{community}", "“双报到”共建座谈·{unit}",
                  "{unit}党员进社区·政策宣讲", "{unit}与{community}联组学习",
                  "{unit}结对共建·为老服务日")  # fmt: skip
VOLUNTEER_TITLES = ("垃圾分类宣传志愿服务", "“创全”复评环境整治", "爱国卫生运动清洁家园",
                    "独居老人上门探访", "医院周边就医秩序引导", "社区流浪猫照护（宠爱YOU+）",
                    "社区撰稿人·口述历史采集", "食品配送到困难家庭（益生圈）",
                    "防疫宣传与测温值守", "楼道堆物清理")  # fmt: skip
PLACES = ("居民区党群服务站", "社区文化活动中心", "居委会会议室", "小区中心花园", "睦邻点")


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


def _split(total: int, parts: int, rng: random.Random, low: int = 1) -> list[int]:
    """``parts`` random positive numbers (at least ``low``) adding up to exactly ``total``."""
    weights = [rng.uniform(0.5, 1.5) for _ in range(parts)]
    spare = total - low * parts
    shares = [low + int(spare * w / sum(weights)) for w in weights]
    for i in range(total - sum(shares)):
        shares[i % parts] += 1
    return shares


def _codes(rng: random.Random, count: int) -> list[str]:
    taken = set(Activity.objects.values_list("checkin_code", flat=True))
    codes = []
    while len(codes) < count:
        code = "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in taken:
            taken.add(code)
            codes.append(code)
    return codes


def _day(rng: random.Random, months=(8, 9, 10, 11, 12)) -> date:
    month = rng.choice(months)
    last = 31 if month in (1, 3, 5, 7, 8, 10, 12) else 30
    return date(2020, month, rng.randint(1, last))


def seed_activities(areas, units) -> tuple[int, int]:
    """Seed the 2020 activities; returns (activities, attendances) created, (0, 0) when they are
    there already."""
    if Activity.objects.filter(description__startswith=MARK).exists():
        return 0, 0
    rng = random.Random(64_667_6443)  # noqa: S311 (repeatable demo data, not secrets)
    communities = [areas[name] for names in GRIDS.values() for name in names]
    subdistrict = areas[SUBDISTRICT]
    unit_list = list(units.values())
    local_units = {c.pk: [u for u in unit_list if u.area_id == c.pk] for c in communities}
    people: dict[int, list[int]] = {c.pk: [] for c in communities}
    for pk, home in (
        Person.objects.filter(
            consent_method__in=("演示数据", MEMBER_MARK),
            archived_at__isnull=True,
            home_community__in=communities,
        )
        .order_by("pk")
        .values_list("pk", "home_community_id")
    ):
        people[home].append(pk)

    plans = []  # (activity fields, host units, attendances: [(status, checked in?)])

    def plan(kind, title, community, day, hours, status, beneficiaries=None, attended=0, **more):
        hour = rng.choice((9, 9, 10, 13, 14, 14, 15))
        starts = _at(day, hour, rng.choice((0, 0, 30)))
        ends = starts + timedelta(hours=hours)
        fields = {
            "title": title,
            "kind": kind,
            "community": community,
            "place": f"{community.name}{rng.choice(PLACES)}",
            "starts_at": starts,
            "ends_at": ends,
            "signup_closes_at": starts,
            "status": status,
            "beneficiaries": beneficiaries,
            "summary": "演示：活动已完成，已记录受益人次。" if beneficiaries is not None else "",
            "description": f"{MARK}：{title}。",
            "created_at": starts - timedelta(days=rng.randint(7, 20)),
            "updated_at": ends if status in ("held", "closed") else starts - timedelta(days=3),
        }
        fields.update(more)
        plans.append((fields, attended))
        return fields

    # 64 pairing activities, August to December 2020, every community in turn, hosted by units.
    pairing_benefit, volunteer_benefit = _split(BENEFICIARIES, 2, rng, low=2000)
    pairing_shares = _split(pairing_benefit, PAIRING, rng, low=20)
    for number in range(PAIRING):
        community = communities[number % len(communities)]
        hosts = local_units[community.pk] or unit_list
        host = rng.choice(hosts)
        title = rng.choice(PAIRING_TITLES).format(
            unit=host.name, community=community.name.removesuffix("居民区")
        )
        fields = plan(
            Activity.Kind.PAIRING,
            title,
            community,
            _day(rng),
            rng.choice((2, 2, 3)),
            Activity.Status.CLOSED,
            beneficiaries=pairing_shares[number],
            attended=rng.randint(3, 8),
        )
        fields["_hosts"] = [host, *rng.sample(unit_list, k=rng.choice((0, 0, 1)))]

    # Volunteer activities whose check-ins add up to 667, with their beneficiaries.
    attended = _split(VOLUNTEER_PERSON_TIMES, VOLUNTEER_ACTIVITIES, rng, low=5)
    benefit = _split(volunteer_benefit, VOLUNTEER_ACTIVITIES, rng, low=10)
    for number in range(VOLUNTEER_ACTIVITIES):
        community = communities[number % len(communities)]
        fields = plan(
            Activity.Kind.VOLUNTEER,
            rng.choice(VOLUNTEER_TITLES),
            community,
            _day(rng),
            rng.choice((2, 3, 3, 4)),
            Activity.Status.CLOSED,
            beneficiaries=benefit[number],
            attended=attended[number],
        )
        fields["_extra"] = rng.randint(0, 3)  # no-shows and cancellations: never counted

    # Records that must not count in 2020.
    first = communities[0]
    plan(Activity.Kind.PAIRING, "结对共建·筹备中（草稿）", first, date(2020, 12, 20), 2, "draft")
    plan(Activity.Kind.PAIRING, "结对共建·因故未举办", communities[1], date(2020, 11, 5), 2,
         "published")  # fmt: skip
    new_year = plan(Activity.Kind.VOLUNTEER, "元旦清晨环境整治", communities[2],
                    date(2021, 1, 1), 2, "closed", beneficiaries=120, attended=12)  # fmt: skip
    new_year.update(starts_at=_at(date(2021, 1, 1), 7, 30), ends_at=_at(date(2021, 1, 1), 9, 30))
    new_year["signup_closes_at"] = new_year["starts_at"]
    pairing_new_year = plan(Activity.Kind.PAIRING, "新年结对共建联欢", communities[3],
                            date(2021, 1, 1), 2, "closed", beneficiaries=80)  # fmt: skip
    pairing_new_year.update(
        starts_at=_at(date(2021, 1, 1), 0, 30), ends_at=_at(date(2021, 1, 1), 2, 30)
    )
    pairing_new_year["signup_closes_at"] = pairing_new_year["starts_at"]
    for number, (title, status) in enumerate(
        [
            ("迎建党百年红色定向赛", "published"),
            ("对话十四五——规划师进社区", "published"),
            ("“情暖妇幼 爱洒南西”健康宣教义诊", "draft"),
            ("南西红色革命遗址阅读行走", "draft"),
        ]
    ):
        kind = Activity.Kind.PAIRING if number % 2 else Activity.Kind.EVENT
        plan(kind, title, communities[4 + number], date(2021, 3 + number, 13), 3, status,
             capacity=30)  # fmt: skip

    # Write: activities, host units, attendances.
    codes = _codes(rng, len(plans))
    activities = []
    for (fields, _attended), code in zip(plans, codes, strict=True):
        model_fields = {k: v for k, v in fields.items() if not k.startswith("_")}
        activities.append(Activity(checkin_code=code, **model_fields))
    Activity.objects.bulk_create(activities)
    saved = {
        a.checkin_code: a for a in Activity.objects.filter(checkin_code__in=codes).order_by("pk")
    }
    through = Activity.host_units.through
    host_rows, attendances = [], []
    for (fields, count), code in zip(plans, codes, strict=True):
        activity = saved[code]
        for unit in dict.fromkeys(fields.get("_hosts", ())):
            host_rows.append(through(activity_id=activity.pk, unit_id=unit.pk))
        extra = fields.get("_extra", 0)
        pool = people[activity.community_id]
        chosen = rng.sample(pool, k=min(len(pool), count + extra))
        length = activity.ends_at - activity.starts_at
        for index, person_id in enumerate(chosen):
            signed_up = activity.starts_at - timedelta(
                days=rng.randint(1, 6), hours=rng.randint(0, 9)
            )
            if index < count:
                checked_in = activity.starts_at - timedelta(minutes=rng.randint(0, 20))
                checked_out = activity.starts_at + length - timedelta(minutes=rng.randint(0, 30))
                attendances.append(
                    Attendance(
                        activity_id=activity.pk,
                        person_id=person_id,
                        status=Attendance.Status.ATTENDED,
                        signed_up_at=signed_up,
                        checked_in_at=checked_in,
                        checked_out_at=checked_out,
                        checkin_method=rng.choice(Attendance.Method.values),
                    )
                )
            else:
                status = rng.choice((Attendance.Status.NO_SHOW, Attendance.Status.CANCELLED))
                attendances.append(
                    Attendance(
                        activity_id=activity.pk,
                        person_id=person_id,
                        status=status,
                        signed_up_at=signed_up,
                    )
                )
    through.objects.bulk_create(host_rows)
    Attendance.objects.bulk_create(attendances, batch_size=1000)
    audit_record(
        actor=None,
        action=AuditEntry.Action.CREATE,
        after={"activities": len(activities), "attendances": len(attendances)},
        note="demo data: the 2020 activities (seed_demo)",
        scope_path=subdistrict.path,
    )
    return len(activities), len(attendances)
