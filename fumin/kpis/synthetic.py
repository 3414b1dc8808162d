"""Synthetic data at a chosen scale, for measuring the KPIs (``manage.py generate_scale``).

One *subdistrict* is the unit of scale. Each one gets, by default, four grids, 30 residential
communities, 150 units with their party branches, 10,000 people (333 per community), dual
registrations of its in-service party members and of most units' branches, 100 activities per
community over two years (pairing, volunteer service, study, events…) with about 33 sign-ups each
— so about 100,000 attendances — and that year's projects and claims. A city is about 200
subdistricts: 6,000 communities, 2,000,000 people, 20,000,000 attendances.

Rows are written without model instances: explicit ids, one ``COPY`` per table and batch on
PostgreSQL, ``executemany`` on SQLite, one transaction per subdistrict. Everything comes from one
``random.Random`` per subdistrict seeded from ``seed`` and the subdistrict's number, and every
timestamp from the chosen year, so the same seed on the same starting database gives the same
rows. Area paths follow ``fumin.registry.services``' encoding (fixed-width base-36 steps after the
parent's path), so ``area_create`` goes on numbering after them.
"""

import datetime
import itertools
import random
import sys
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connection, models, transaction
from django.db.models import Max

from fumin.activities.models import CODE_ALPHABET, CODE_LENGTH, Activity, Attendance
from fumin.core.pinyin import pinyin_initials, pinyin_key
from fumin.lists.models import Claim, Programme, Project, Sector
from fumin.registration.models import MemberRegistration, OrgRegistration
from fumin.registry.models import PATH_STEP, Area, PartyOrg, Person, Unit
from fumin.registry.services import _encode_step

from . import tallies
from .periods import SHANGHAI

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国文斌宇浩凯佳慧晨欣怡"
GRID_NAMES = ("第一工作网格", "第二工作网格", "第三工作网格", "第四工作网格")
SECTORS = {
    "红色文化": ("红色寻访", "党史学习", "初心讲堂"),
    "为民服务": ("为老服务", "助残帮困", "便民服务", "法律援助"),
    "文明创建": ("垃圾分类", "文明楼组", "志愿者培训"),
    "文化共享": ("艺术课堂", "读书漫步", "社区剧场", "非遗体验"),
    "社区治理": ("楼宇议事", "睦邻点", "平安巡逻"),
    "健康生活": ("健康讲座", "运动打卡", "心理关爱"),
}
UNIT_KINDS = [
    (Unit.Kind.ENTERPRISE, 30),
    (Unit.Kind.STATE_OWNED, 10),
    (Unit.Kind.GOVERNMENT, 8),
    (Unit.Kind.PUBLIC_INSTITUTION, 10),
    (Unit.Kind.SOCIAL_ORGANISATION, 7),
    (Unit.Kind.NEW_ECONOMIC, 25),
    (Unit.Kind.NEW_SOCIAL, 10),
]
ACTIVITY_KINDS = [
    (Activity.Kind.PAIRING, 15),
    (Activity.Kind.VOLUNTEER, 45),
    (Activity.Kind.STUDY, 15),
    (Activity.Kind.EVENT, 15),
    (Activity.Kind.COURSE, 5),
    (Activity.Kind.OTHER, 5),
]
ACTIVITY_STATUSES = [
    (Activity.Status.HELD, 55),
    (Activity.Status.CLOSED, 35),
    (Activity.Status.PUBLISHED, 8),
    (Activity.Status.DRAFT, 2),
]
PROJECT_STATUSES = [
    (Project.Status.DRAFT, 5),
    (Project.Status.PUBLISHED, 20),
    (Project.Status.CLAIMED, 25),
    (Project.Status.IN_PROGRESS, 25),
    (Project.Status.COMPLETED, 20),
    (Project.Status.EVALUATED, 5),
]
PROJECT_KINDS = [
    (Project.Kind.PUBLIC_WELFARE, 45),
    (Project.Kind.CULTURE, 15),
    (Project.Kind.STUDY, 10),
    (Project.Kind.SERVICE, 15),
    (Project.Kind.GOVERNANCE, 10),
    (Project.Kind.OTHER, 5),
]
BATCH = 20_000


def activity_has_project() -> bool:
    """Whether ``Activity.project`` exists yet (the people-reached KPI needs it)."""
    try:
        Activity._meta.get_field("project")
    except Exception:  # FieldDoesNotExist
        return False
    return True


@dataclass
class Scale:
    subdistricts: int = 1
    communities_per_subdistrict: int = 30
    grids_per_subdistrict: int = 4
    people_per_community: int = 333
    units_per_subdistrict: int = 150
    activities_per_community: int = 100  # over the two years
    attendances_per_activity: int = 33  # on average
    projects_per_subdistrict: int = 15  # subdistrict-level, per year
    small_projects_per_community: float = 1.5  # community-level, per year
    year: int = 2020  # the data covers this year and the one before
    seed: int = 1


@dataclass
class Report:
    """Rows written, by table."""

    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def add(self, name: str, count: int) -> None:
        self.rows[name] = self.rows.get(name, 0) + count


# Writing rows -----------------------------------------------------------------------------------


class Table:
    """Rows of one model inserted by column, with explicit ids handed out here.

    ``columns`` are the attnames each row gives, in order; every other concrete field gets its
    constant default (or NULL), and a field whose default is a function must be given, so that
    nothing random slips in.
    """

    def __init__(self, model: type[models.Model], columns: Iterable[str], *, now, ids=True):
        self.model = model
        self.ids = ids
        given = list(columns)
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        missing = [c for c in given if c not in by_attname]
        if missing:
            raise ValueError(f"{model.__name__} has no {missing}")
        self.fields = [by_attname[c] for c in given]
        self.constants = []
        for f in model._meta.concrete_fields:
            if f.primary_key or f.attname in given:
                continue
            if f.attname in ("created_at", "updated_at"):
                value = now
            elif f.has_default():
                if callable(f.default):
                    raise ValueError(f"{model.__name__}.{f.attname} needs a value")
                value = f.default
            elif f.null:
                value = None
            elif isinstance(f, models.CharField | models.TextField):
                value = ""
            else:
                raise ValueError(f"{model.__name__}.{f.attname} needs a value")
            self.constants.append((f, value))
        self.next_id = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1 if ids else None
        self.pending: list[tuple] = []
        self.written = 0

    def take_id(self) -> int:
        pk = self.next_id
        self.next_id += 1
        return pk

    def add(self, *values) -> int | None:
        """Queue one row (values in ``columns`` order); returns its id."""
        pk = self.take_id() if self.ids else None
        self.pending.append((pk, values) if self.ids else (None, values))
        if len(self.pending) >= BATCH:
            self.flush()
        return pk

    def flush(self) -> None:
        if not self.pending:
            return
        fields = [f for f, _v in self.constants] + self.fields
        constants = [v for _f, v in self.constants]
        pk_field = self.model._meta.pk
        if self.ids:
            fields = [pk_field, *fields]
        quote = connection.ops.quote_name
        names = ", ".join(quote(f.column) for f in fields)
        table = quote(self.model._meta.db_table)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for pk, values in self.pending:
                        copy.write_row(((pk,) if self.ids else ()) + (*constants, *values))
            else:
                prepared_constants = [f.get_db_prep_save(v, connection) for f, v in self.constants]
                prep = [f.get_db_prep_save for f in self.fields]
                rows = []
                for pk, values in self.pending:
                    row = [pk] if self.ids else []
                    row += prepared_constants
                    row += [p(v, connection) for p, v in zip(prep, values, strict=True)]
                    rows.append(row)
                marks = ", ".join(["%s"] * len(fields))
                # Table and column names come from the model, quoted; the values are parameters.
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608
        self.written += len(self.pending)
        self.pending = []


def _reset_sequences(models_: list[type[models.Model]]) -> None:
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), models_)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


# Generating -------------------------------------------------------------------------------------


def _weighted(rng: random.Random, choices: list[tuple]) -> Callable[[], object]:
    values = [v for v, _w in choices]
    cumulative = list(itertools.accumulate(w for _v, w in choices))
    total = cumulative[-1]

    def pick():
        r = rng.random() * total
        for value, bound in zip(values, cumulative, strict=True):
            if r < bound:
                return value
        return values[-1]

    return pick


class _Pinyin:
    def __init__(self):
        self.cache: dict[str, tuple[str, str]] = {}

    def __call__(self, name: str) -> tuple[str, str]:
        found = self.cache.get(name)
        if found is None:
            found = self.cache[name] = (pinyin_key(name), pinyin_initials(name))
        return found


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _code(number: int) -> str:
    """A check-in code from a number: distinct numbers give distinct codes."""
    base = len(CODE_ALPHABET)
    text = ""
    for _ in range(CODE_LENGTH):
        number, rest = divmod(number, base)
        text = CODE_ALPHABET[rest] + text
    return text


def _next_root_path() -> str:
    last = Area.objects.filter(parent=None).order_by("-path").values_list("path", flat=True).first()
    return _encode_step(int(last[-PATH_STEP:], 36) + 1 if last else 1)


def _sectors_and_programmes(now) -> list[Programme]:
    """The six sectors and their programmes, shared by every subdistrict (found or created)."""
    programmes = []
    for position, (sector_name, names) in enumerate(SECTORS.items(), start=1):
        sector, _ = Sector.objects.get_or_create(name=sector_name, defaults={"position": position})
        for number, name in enumerate(names, start=1):
            programme, _ = Programme.objects.get_or_create(
                sector=sector, name=name, defaults={"position": number}
            )
            programmes.append(programme)
    return programmes


class Progress:
    """A text progress bar on stderr: ``[#####-----] 50% 1/2 subdistricts …``."""

    def __init__(self, total: int, stream=None, width: int = 30):
        self.total, self.width, self.done = total, width, 0
        self.stream = stream if stream is not None else sys.stderr
        self.started = time.monotonic()

    def update(self, done: int, note: str = "") -> None:
        self.done = done
        share = done / self.total if self.total else 1
        filled = int(self.width * share)
        elapsed = time.monotonic() - self.started
        eta = elapsed / done * (self.total - done) if done else 0
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(
            f"\r[{bar}] {share:4.0%} {done}/{self.total} subdistricts"
            f"  {_clock(elapsed)} elapsed, {_clock(eta)} left  {note}"
        )
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


def _clock(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes}:{seconds:02d}"


def generate(scale: Scale, *, progress: Progress | None = None) -> Report:
    """Write ``scale.subdistricts`` subdistricts under a new district; returns what was written."""
    started = time.monotonic()
    report = Report()
    year = scale.year
    now = datetime.datetime(year + 1, 1, 1, 12, tzinfo=SHANGHAI)  # "today" for every row
    linked = activity_has_project()
    with transaction.atomic():
        programmes = _sectors_and_programmes(now)
        areas = Table(
            Area,
            ["public_id", "name", "name_pinyin", "name_initials", "kind", "parent_id", "code",
             "path", "depth"],
            now=now,
        )  # fmt: skip
        district_path = _next_root_path()
        # Seeded from the path too: a second district in the same database gets new UUIDs.
        rng = random.Random(f"fumin-scale-{scale.seed}-{district_path}")  # noqa: S311
        number = int(district_path, 36)
        district_name = f"合成区{number}"
        district_id = areas.add(
            _uuid(rng), district_name, *_Pinyin()(district_name), Area.Kind.DISTRICT, None,
            f"SYN{scale.seed}", district_path, 0,
        )  # fmt: skip
        areas.flush()
        report.add("areas", 1)
    if progress:
        progress.update(0)
    for index in range(scale.subdistricts):
        with transaction.atomic(), tallies.bulk_load(district_path + _encode_step(index + 1)):
            _subdistrict(scale, index, district_id, district_path, programmes, now, linked, report)
        if progress:
            progress.update(
                index + 1,
                f"{report.rows.get('people', 0):,} people, "
                f"{report.rows.get('attendances', 0):,} attendances",
            )
    _reset_sequences(
        [Area, Unit, PartyOrg, Person, OrgRegistration, MemberRegistration, Activity,
         Activity.host_units.through, Attendance, Project, Claim]
    )  # fmt: skip
    tallies.compact()  # the tallies each subdistrict added, folded once
    report.seconds = time.monotonic() - started
    return report


def _subdistrict(scale, index, district_id, district_path, programmes, now, linked, report):
    """One subdistrict with everything in it, in the current transaction."""
    rng = random.Random(f"fumin-scale-{scale.seed}-{district_path}-{index}")  # noqa: S311
    pinyin = _Pinyin()
    year = scale.year
    first_day = datetime.date(year - 1, 1, 1)
    days = (datetime.date(year, 12, 31) - first_day).days + 1

    def moment(day_offset: int, minutes: int) -> datetime.datetime:
        day = first_day + datetime.timedelta(days=day_offset)
        return datetime.datetime.combine(day, datetime.time(), tzinfo=SHANGHAI) + (
            datetime.timedelta(minutes=minutes)
        )

    # Areas: subdistrict → grids → communities, paths numbered like area_create does.
    areas = Table(
        Area,
        ["public_id", "name", "name_pinyin", "name_initials", "kind", "parent_id", "code", "path",
         "depth"],
        now=now,
    )  # fmt: skip
    name = f"合成街道{index + 1:03d}"
    sub_path = district_path + _encode_step(index + 1)
    subdistrict = areas.add(
        _uuid(rng), name, *pinyin(name), Area.Kind.SUBDISTRICT, district_id, "", sub_path, 1
    )
    grids, grid_paths = [], []
    for g in range(scale.grids_per_subdistrict):
        grid_name = GRID_NAMES[g] if g < len(GRID_NAMES) else f"第{g + 1}工作网格"
        path = sub_path + _encode_step(g + 1)
        grids.append(
            areas.add(_uuid(rng), grid_name, *pinyin(grid_name), Area.Kind.GRID, subdistrict, "",
                      path, 2)
        )  # fmt: skip
        grid_paths.append(path)
    communities, community_grid = [], {}
    children = [0] * len(grids)
    for c in range(scale.communities_per_subdistrict):
        g = c % len(grids)
        children[g] += 1
        community_name = f"{name}第{c + 1}居民区"
        pk = areas.add(
            _uuid(rng), community_name, *pinyin(community_name), Area.Kind.COMMUNITY, grids[g],
            "", grid_paths[g] + _encode_step(children[g]), 3,
        )  # fmt: skip
        communities.append(pk)
        community_grid[pk] = grids[g]
    areas.flush()
    report.add("areas", areas.written)

    # Units and their party branches; a party organisation for every community.
    units = Table(
        Unit,
        ["public_id", "name", "name_pinyin", "name_initials", "kind", "area_id"],
        now=now,
    )
    orgs = Table(
        PartyOrg,
        ["public_id", "name", "name_pinyin", "name_initials", "kind", "unit_id", "community_id",
         "member_count"],
        now=now,
    )  # fmt: skip
    unit_kind = _weighted(rng, UNIT_KINDS)
    unit_ids, unit_org = [], {}
    for u in range(scale.units_per_subdistrict):
        unit_name = f"{name}合成单位{u + 1:04d}"
        area = rng.choice(communities) if communities and rng.random() < 0.8 else subdistrict
        pk = units.add(_uuid(rng), unit_name, *pinyin(unit_name), unit_kind(), area)
        unit_ids.append(pk)
        org_name = unit_name + "党支部"
        unit_org[pk] = orgs.add(
            _uuid(rng), org_name, *pinyin(org_name), PartyOrg.Kind.BRANCH, pk, None,
            rng.randint(3, 60),
        )  # fmt: skip
    for c in communities:
        org_name = f"居民区党总支{c}"
        orgs.add(_uuid(rng), org_name, *pinyin(org_name), PartyOrg.Kind.GENERAL_BRANCH, None, c,
                 rng.randint(20, 200))  # fmt: skip
    units.flush()
    orgs.flush()
    report.add("units", units.written)
    report.add("party organisations", orgs.written)

    # People: residents of each community, a third party members, a third working at a unit.
    people = Table(
        Person,
        ["public_id", "name", "name_pinyin", "name_initials", "gender", "home_community_id",
         "work_unit_id", "is_party_member", "party_org_id"],
        now=now,
    )  # fmt: skip
    residents: dict[int, list[int]] = {}
    in_service = []  # (person, community, unit)
    for c in communities:
        ids = residents[c] = []
        for _ in range(scale.people_per_community):
            person_name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            if rng.random() < 0.6:
                person_name += rng.choice(GIVEN)
            member = rng.random() < 0.3
            unit = rng.choice(unit_ids) if unit_ids and rng.random() < 0.35 else None
            pk = people.add(
                _uuid(rng), person_name, *pinyin(person_name),
                Person.Gender.FEMALE if rng.random() < 0.52 else Person.Gender.MALE, c, unit,
                member, unit_org[unit] if member and unit else None,
            )  # fmt: skip
            ids.append(pk)
            if member and unit:
                in_service.append((pk, c, unit))
    people.flush()
    report.add("people", people.written)

    # Dual registration: most in-service members and most units' branches, mostly confirmed.
    member_regs = Table(
        MemberRegistration,
        ["public_id", "community_id", "status", "decided_at", "confirmed_at",
         "last_confirmed_at", "person_id", "grid_id", "work_unit_id", "party_org_id", "channel"],
        now=now,
    )  # fmt: skip
    for person, c, unit in in_service:
        if rng.random() < 0.15:
            continue
        confirmed = rng.random() < 0.92
        at = moment(rng.randrange(days), rng.randrange(8 * 60, 20 * 60)) if confirmed else None
        member_regs.add(
            _uuid(rng), c, "confirmed" if confirmed else "pending", at, at, at, person,
            community_grid[c], unit, unit_org[unit],
            rng.choice(("self", "unit", "community")),
        )  # fmt: skip
    member_regs.flush()
    report.add("member registrations", member_regs.written)

    org_regs = Table(
        OrgRegistration,
        ["public_id", "community_id", "status", "decided_at", "confirmed_at",
         "last_confirmed_at", "party_org_id", "contact_name", "contact_phone"],
        now=now,
    )  # fmt: skip
    for unit in unit_ids:
        if rng.random() < 0.35 or not communities:
            continue
        for c in rng.sample(communities, min(len(communities), rng.choice((1, 1, 1, 2)))):
            confirmed = rng.random() < 0.9
            at = moment(rng.randrange(days), rng.randrange(9 * 60, 18 * 60)) if confirmed else None
            org_regs.add(
                _uuid(rng), c, "confirmed" if confirmed else "pending", at, at, at,
                unit_org[unit], "联络人", f"139{rng.randrange(10**8):08d}",
            )  # fmt: skip
    org_regs.flush()
    report.add("organisation registrations", org_regs.written)

    # Projects of both years and their claims.
    project_columns = ["public_id", "name", "name_pinyin", "name_initials", "level", "kind",
                       "year", "programme_id", "owner_area_id", "status"]  # fmt: skip
    projects = Table(Project, project_columns, now=now)
    claims = Table(
        Claim,
        ["public_id", "project_id", "unit_id", "mode", "plan", "claimed_on", "status",
         "certificate_number"],
        now=now,
    )  # fmt: skip
    project_kind = _weighted(rng, PROJECT_KINDS)
    project_status = _weighted(rng, PROJECT_STATUSES)
    modes = [m for m, _label in Claim.Mode.choices]
    projects_by_year: dict[int, list[tuple[int, int]]] = {year - 1: [], year: []}
    for project_year in (year - 1, year):
        owners = [(Project.Level.SUBDISTRICT, subdistrict)] * scale.projects_per_subdistrict
        small = round(scale.small_projects_per_community * len(communities))
        owners += [(Project.Level.COMMUNITY, rng.choice(communities)) for _ in range(small)]
        for n, (level, owner) in enumerate(owners, start=1):
            title = f"{name}{project_year}年福民项目{n}"
            kind, status = project_kind(), project_status()
            programme = rng.choice(programmes).pk if rng.random() < 0.85 else None
            pk = projects.add(_uuid(rng), title, *pinyin(title), level, kind, project_year,
                              programme, owner, status)  # fmt: skip
            projects_by_year[project_year].append((pk, owner))
            if status in (Project.Status.DRAFT, Project.Status.PUBLISHED) or not unit_ids:
                continue
            for unit in rng.sample(unit_ids, min(len(unit_ids), rng.choice((1, 1, 2, 3)))):
                claimed = datetime.date(project_year, 1, 1) + datetime.timedelta(
                    days=rng.randrange(365)
                )
                number = claims.next_id
                claims.add(
                    _uuid(rng), pk, unit, rng.choice(modes), "合成认领计划", claimed,
                    Claim.Status.WITHDRAWN if rng.random() < 0.05 else Claim.Status.ACTIVE,
                    f"SYN-{number}",
                )  # fmt: skip
    projects.flush()
    claims.flush()
    report.add("projects", projects.written)
    report.add("claims", claims.written)

    # Activities with their host units, sign-ups and check-ins.
    activity_columns = ["public_id", "title", "kind", "community_id", "starts_at", "ends_at",
                        "status", "beneficiaries", "checkin_code"]  # fmt: skip
    if linked:
        activity_columns.append("project_id")
    activities = Table(Activity, activity_columns, now=now)
    hosts = Table(Activity.host_units.through, ["activity_id", "unit_id"], now=now, ids=False)
    attendances = Table(
        Attendance,
        ["activity_id", "person_id", "status", "signed_up_at", "checked_in_at", "checked_out_at",
         "checkin_method"],
        now=now,
    )  # fmt: skip
    activity_kind = _weighted(rng, ACTIVITY_KINDS)
    activity_status = _weighted(rng, ACTIVITY_STATUSES)
    held = (Activity.Status.HELD, Activity.Status.CLOSED)
    low = max(1, scale.attendances_per_activity // 3)
    high = max(low, 2 * scale.attendances_per_activity - low)
    attended, no_show, cancelled = (Attendance.Status.ATTENDED, Attendance.Status.NO_SHOW,
                                    Attendance.Status.CANCELLED)  # fmt: skip
    confirmed, waitlisted = Attendance.Status.CONFIRMED, Attendance.Status.WAITLISTED
    for c in communities:
        community_projects = {
            y: [pk for pk, owner in projects_by_year[y] if owner in (c, subdistrict)]
            for y in projects_by_year
        }
        for _ in range(scale.activities_per_community):
            kind, status = activity_kind(), activity_status()
            day = rng.randrange(days)
            starts = moment(day, rng.randrange(8 * 60, 19 * 60, 30))
            ends = starts + datetime.timedelta(minutes=rng.choice((60, 90, 120, 180)))
            is_held = status in held
            beneficiaries = None
            if status == Activity.Status.CLOSED or (is_held and rng.random() < 0.5):
                beneficiaries = rng.randrange(0, 60) if kind != Activity.Kind.STUDY else 0
            values = [_uuid(rng), f"合成活动{kind}", kind, c, starts, ends, status,
                      beneficiaries, _code(activities.next_id)]  # fmt: skip
            if linked:
                choices = community_projects[starts.year]
                values.append(rng.choice(choices) if choices and rng.random() < 0.3 else None)
            activity = activities.add(*values)
            if kind in (Activity.Kind.PAIRING, Activity.Kind.VOLUNTEER) and unit_ids:
                for unit in rng.sample(unit_ids, min(len(unit_ids), rng.choice((1, 1, 2)))):
                    hosts.add(activity, unit)
            if status == Activity.Status.DRAFT:
                continue
            signed_up = starts - datetime.timedelta(days=1, minutes=rng.randrange(600))
            people_here = residents[c]
            count = min(len(people_here), rng.randint(low, high))
            for i, person in enumerate(rng.sample(people_here, count)):
                r = rng.random()
                if is_held:
                    if r < 0.85:
                        checked_in = starts + datetime.timedelta(minutes=i % 20)
                        out = ends - datetime.timedelta(minutes=i % 10)
                        attendances.add(activity, person, attended, signed_up, checked_in, out,
                                        "qr")  # fmt: skip
                    else:
                        attendances.add(activity, person, no_show if r < 0.95 else cancelled,
                                        signed_up, None, None, "")  # fmt: skip
                else:
                    status_ = confirmed if r < 0.9 else waitlisted if r < 0.95 else cancelled
                    attendances.add(activity, person, status_, signed_up, None, None, "")
    activities.flush()
    hosts.flush()
    attendances.flush()
    report.add("activities", activities.written)
    report.add("activity host units", hosts.written)
    report.add("attendances", attendances.written)
