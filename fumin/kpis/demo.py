"""Demo activities of the 2020 Fumin projects: the article's last two figures, from records.

The article: "组织开展了6大板块20个大项的“福民项目”，120家社区单位和“两新”组织参与，覆盖党员和群众
1万余人次". The other demos already give 6 sectors and 20 programmes (``fumin.lists.demo``) and
most of the participating units (claims, hosted pairing activities, members at volunteer
services). This adds what a year of Fumin projects also holds — study sessions, events and
courses of the 2020 projects, held, with their check-ins:

- 10,240 check-ins at activities that belong to a 2020 project (“people reached”, 1万余人次);
- host units for those activities among the units that had not taken part yet, so that exactly
  120 units took part in 2020 (``participating_units``); the registry demo has fewer units than
  that, so six more “two new” organisations are added here (invented names, marked as such).

These activities are of kinds that none of the article's other figures count (not pairing, not
volunteer service) and record no beneficiaries, so 64, 667 and 6,443 stay as they are. The people
checked in live in the activity's community and work at no unit or at one already taking part,
so they add person-times but no units. Bulk inserts and one audit entry; idempotent (a second run
finds the activities by ``MARK`` and does nothing).
"""

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q

from fumin.activities.demo import _codes, _split
from fumin.activities.models import Activity, Attendance
from fumin.audit.models import AuditEntry
from fumin.audit.services import audit_record
from fumin.lists.models import Project
from fumin.registry.demo import GRIDS, SUBDISTRICT
from fumin.registry.models import Person, Unit
from fumin.registry.services import unit_create

from .definitions import KPIS
from .periods import Period

SHANGHAI = ZoneInfo("Asia/Shanghai")
MARK = "演示数据·福民项目活动"
PEOPLE_REACHED = 10_240
PARTICIPATING_UNITS = 120
ACTIVITIES = 96
# Invented “two new” organisations of the subdistrict (the article does not name all 120 units).
MORE_UNITS = [
    ("上海南西律师事务所（演示）", Unit.Kind.NEW_ECONOMIC, "华业居民区"),
    ("上海静安寺商圈咖啡合作社（演示）", Unit.Kind.NEW_ECONOMIC, "威海居民区"),
    ("上海南西社区营造服务中心（演示）", Unit.Kind.NEW_SOCIAL, "重华居民区"),
    ("上海梧桐书苑文化传播有限公司（演示）", Unit.Kind.NEW_ECONOMIC, "陕南居民区"),
    ("上海南西青年志愿者协会（演示）", Unit.Kind.NEW_SOCIAL, "华业居民区"),
    ("上海吴江路商户联合会（演示）", Unit.Kind.NEW_SOCIAL, "威海居民区"),
]
KINDS = (Activity.Kind.STUDY, Activity.Kind.EVENT, Activity.Kind.COURSE)
TITLES = {
    Activity.Kind.STUDY: ("{project}·联组学习", "{project}·党课分享"),
    Activity.Kind.EVENT: ("{project}·主题活动", "{project}·社区开放日"),
    Activity.Kind.COURSE: ("{project}·课程第{n}讲", "{project}·工作坊"),
}


def seed_project_activities(areas, units) -> tuple[int, int]:
    """Returns (activities, attendances) created; (0, 0) when they are there already."""
    if Activity.objects.filter(description__startswith=MARK).exists():
        return 0, 0
    rng = random.Random(2020_120_10000)  # noqa: S311 (repeatable demo data, not secrets)
    year = Period.year(2020)
    communities = [areas[name] for names in GRIDS.values() for name in names]
    projects = list(
        Project.objects.filter(year=2020, archived_at__isnull=True)
        .exclude(status=Project.Status.DRAFT)
        .select_related("owner_area")
        .order_by("pk")
    )
    if not projects:
        return 0, 0
    for name, kind, community in MORE_UNITS:
        if not Unit.objects.filter(name=name).exists():
            unit_create(actor=None, name=name, kind=kind, area=areas[community])
    taking_part = set(KPIS["participating_units"].facts(year).values_list("pk", flat=True))
    newcomers = list(
        Unit.objects.filter(
            archived_at__isnull=True, area__path__startswith=areas[SUBDISTRICT].path
        )
        .exclude(pk__in=taking_part)
        .order_by("name_pinyin", "pk")[: max(PARTICIPATING_UNITS - len(taking_part), 0)]
    )
    # Who may be checked in: people of the community whose unit (if any) already takes part.
    people: dict[int, list[int]] = {c.pk: [] for c in communities}
    for pk, home in (
        Person.objects.filter(home_community__in=communities, archived_at__isnull=True)
        .filter(Q(work_unit__isnull=True) | Q(work_unit__in=taking_part))
        .order_by("pk")
        .values_list("pk", "home_community_id")
    ):
        people[home].append(pk)

    sizes = _split(PEOPLE_REACHED, ACTIVITIES, rng, low=40)
    plans = []
    for number in range(ACTIVITIES):
        project = projects[number % len(projects)]
        community = (
            project.owner_area
            if project.owner_area.kind == "community"
            else communities[number % len(communities)]
        )
        kind = KINDS[number % len(KINDS)]
        day = date(2020, rng.randint(3, 12), rng.randint(1, 28))
        starts = datetime.combine(day, time(rng.choice((9, 10, 14, 15, 19))), tzinfo=SHANGHAI)
        title = rng.choice(TITLES[kind]).format(project=project.name, n=number % 8 + 1)
        hosts = [newcomers[number]] if number < len(newcomers) else []
        plans.append((project, community, kind, starts, title, hosts, sizes[number]))

    codes = _codes(rng, len(plans))
    activities = [
        Activity(
            title=title[:200],
            kind=kind,
            community=community,
            project=project,
            place=f"{community.name}党群服务站",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            signup_closes_at=starts,
            status=Activity.Status.HELD,
            description=f"{MARK}：{project.name}。",
            checkin_code=code,
            created_at=starts - timedelta(days=10),
            updated_at=starts + timedelta(hours=2),
        )
        for (project, community, kind, starts, title, _hosts, _size), code in zip(
            plans, codes, strict=True
        )
    ]
    Activity.objects.bulk_create(activities)
    saved = {a.checkin_code: a for a in Activity.objects.filter(checkin_code__in=codes)}
    through = Activity.host_units.through
    host_rows, attendances = [], []
    for plan, code in zip(plans, codes, strict=True):
        activity, hosts, size = saved[code], plan[5], plan[6]
        host_rows += [through(activity_id=activity.pk, unit_id=unit.pk) for unit in hosts]
        pool = people[activity.community_id]
        for person_id in rng.sample(pool, k=min(len(pool), size)):
            arrived = activity.starts_at - timedelta(minutes=rng.randint(0, 15))
            attendances.append(
                Attendance(
                    activity_id=activity.pk,
                    person_id=person_id,
                    status=Attendance.Status.ATTENDED,
                    signed_up_at=activity.starts_at - timedelta(days=rng.randint(1, 5)),
                    checked_in_at=arrived,
                    checked_out_at=activity.ends_at - timedelta(minutes=rng.randint(0, 20)),
                    checkin_method=rng.choice(Attendance.Method.values),
                )
            )
    through.objects.bulk_create(host_rows)
    Attendance.objects.bulk_create(attendances, batch_size=2000)
    audit_record(
        actor=None,
        action=AuditEntry.Action.CREATE,
        after={"activities": len(activities), "attendances": len(attendances)},
        note="demo data: activities of the 2020 Fumin projects (seed_demo)",
        scope_path=areas[SUBDISTRICT].path,
    )
    return len(activities), len(attendances)
