"""The fast paths of the dashboard equal the plain counts, after random writes through the real
services (sign-ups, cancellations, check-ins, activities moved, retyped or put under a project,
holding and closing with beneficiaries, member registrations and confirmations, claims and
withdrawals).

The dashboard reads four KPIs from the activity tallies kept by database triggers
(``fumin/kpis/tallies.py``), folded at random moments here, computes every KPI in one query
(``measure_together``) and asks "participating units" unit by unit (``EXISTS``); docs/scale.md.
So the proof is that, for every KPI and several periods, viewers and areas,

- the one-query figures (``kpi_figures``, tallies included) equal each KPI counted alone over its
  facts (``Kpi._measure``);
- for ``rows`` and ``distinct`` KPIs, both equal the number of records behind the number;
- the participating units equal the first formulation of the KPI (``IN`` over all check-ins).

Synthetic data of another district is generated alongside (with the triggers standing aside on
PostgreSQL and its tallies added from the records), so that scopes have something to leave out.
"""

import datetime
import random

import pytest
from django.db.models import Q

from fumin.activities.models import Activity, Attendance
from fumin.activities.services import (
    activity_close,
    activity_mark_held,
    activity_update,
    check_in,
    signup,
    signup_cancel,
)
from fumin.activities.tests.helpers import Clock, make_activity, sh
from fumin.kpis import tallies
from fumin.kpis.definitions import HELD, KPIS, _activities
from fumin.kpis.periods import Period
from fumin.kpis.selectors import _scoped, kpi_figures
from fumin.kpis.synthetic import Scale, generate
from fumin.lists.models import Claim
from fumin.lists.services import claim_withdraw
from fumin.lists.tests.helpers import make_claim, make_programme, make_project
from fumin.registration.services import member_register, registration_confirm
from fumin.registry.models import Unit
from fumin.registry.services import person_create

pytestmark = pytest.mark.django_db

PERIODS = [
    Period.year(2020),
    Period.year(2021),
    Period(datetime.date(2020, 12, 1), datetime.date(2021, 1, 31)),
    Period(datetime.date(2020, 6, 1), datetime.date(2020, 6, 30)),
]


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(sh("2020-01-02 09:00"))
    monkeypatch.setattr("django.utils.timezone.now", clock)
    return clock


def participating_units_first_formulation(period: Period) -> set[int]:
    """The KPI as first written: units in any of three ``IN`` sets over the whole database."""
    claims = Claim.objects.filter(
        status=Claim.Status.ACTIVE, claimed_on__gte=period.start, claimed_on__lte=period.end
    ).values("unit_id")
    hosted = _activities(period).filter(status__in=HELD).values("host_units")
    attended = Attendance.objects.filter(
        activity__in=_activities(period).values("pk"),
        checked_in_at__isnull=False,
        person__work_unit__isnull=False,
    ).values("person__work_unit_id")
    return set(
        Unit.objects.filter(Q(pk__in=claims) | Q(pk__in=hosted) | Q(pk__in=attended)).values_list(
            "pk", flat=True
        )
    )


def random_writes(w, clock, rng: random.Random) -> None:
    units = [w.unit_a, w.unit_b]
    people = []
    for n in range(14):
        clock.set("2020-01-02 09:00")
        community = rng.choice([w.community_a, w.community_b])
        mobile = f"1370000{n:04d}"
        if rng.random() < 0.5:
            registration, _ = member_register(
                actor=w.officer, channel="community", name=f"志愿者{n}", community=community,
                mobile=mobile, work_unit=rng.choice(units),
            )  # fmt: skip
            person = registration.person
            if rng.random() < 0.8:
                clock.set(rng.choice(["2020-06-15 10:00", "2020-12-31 23:30",
                                      "2021-01-01 00:10", "2021-03-03 09:00"]))  # fmt: skip
                registration_confirm(actor=w.officer, registration=registration)
        else:
            person = person_create(
                actor=None, name=f"居民{n}", mobile=mobile, home_community=community,
                work_unit=rng.choice([*units, None]),
            )  # fmt: skip
        people.append(person)

    programme = make_programme(w, sector_name="测试板块")
    projects = [
        make_project(w, f"项目{n}", year=rng.choice([2020, 2021]), programme=programme,
                     owner_area=rng.choice([w.community_a, w.community_b]),
                     kind=rng.choice(["public_welfare", "culture"]))
        for n in range(4)
    ]  # fmt: skip
    for project in projects:
        for unit in rng.sample(units, rng.randint(0, 2)):
            claimed_on = datetime.date(project.year, rng.randint(1, 12), rng.randint(1, 28))
            claim = make_claim(w, project=project, unit=unit, claimed_on=claimed_on)
            if rng.random() < 0.3:
                claim_withdraw(actor=None, claim=claim, reason="计划调整")

    starts = ["2020-06-10 09:00", "2020-12-31 20:00", "2021-01-01 07:30", "2021-05-05 14:00"]
    for n in range(8):
        start = sh(rng.choice(starts))
        community = rng.choice([w.community_a, w.community_b])
        actor = w.secretary_a if community == w.community_a else w.secretary_b
        clock.now = start - datetime.timedelta(days=3)
        activity = make_activity(
            w, title=f"活动{n}", kind=rng.choice(["volunteer", "pairing", "event"]),
            community=community, actor=actor,
            starts=f"{start:%Y-%m-%d %H:%M}",
            ends=f"{start + datetime.timedelta(hours=2):%Y-%m-%d %H:%M}",
        )  # fmt: skip
        if rng.random() < 0.5:
            activity.host_units.add(rng.choice(units))
        signed = [p for p in people if rng.random() < 0.6]
        for person in signed:
            signup(actor=actor, activity=activity, person=person)
        for person in signed:
            if rng.random() < 0.2:
                signup_cancel(actor=actor, activity=activity, person=person)
        clock.now = start + datetime.timedelta(minutes=10)
        activity.refresh_from_db()
        for attendance in activity.attendances.exclude(status="cancelled"):
            if rng.random() < 0.7:
                check_in(actor=actor, method="staff", activity=activity, person=attendance.person)
        if rng.random() < 0.3:  # moved, retyped or put under a project after its check-ins
            change = rng.choice(["kind", "starts_at", "community", "project"])
            moved = start + datetime.timedelta(days=rng.choice([-200, 1, 200]))
            data = {
                "kind": {"kind": rng.choice(["volunteer", "pairing", "event"])},
                "starts_at": {"starts_at": moved, "ends_at": moved + datetime.timedelta(hours=2)},
                "community": {"community": rng.choice([w.community_a, w.community_b])},
                "project": {"project": next(
                    (p for p in projects if p.owner_area_id == activity.community_id), None
                )},
            }[change]  # fmt: skip
            activity = activity_update(actor=w.officer, activity=activity, **data)
        if rng.random() < 0.3:
            tallies.compact()  # figures are read half folded, half not
        if rng.random() < 0.8:
            clock.now = activity.starts_at + datetime.timedelta(hours=3)
            activity = activity_mark_held(actor=actor, activity=activity)
            if rng.random() < 0.7:
                activity_close(actor=actor, activity=activity, beneficiaries=rng.randint(0, 40))


@pytest.mark.parametrize("seed", [1, 2])
def test_fast_paths_equal_plain_counts_after_random_writes(world, clock, seed):
    generate(Scale(subdistricts=1, communities_per_subdistrict=2, people_per_community=15,
                   units_per_subdistrict=4, activities_per_community=8,
                   attendances_per_activity=6, year=2021, seed=seed))  # fmt: skip
    random_writes(world, clock, random.Random(seed))
    assert Attendance.objects.filter(checked_in_at__isnull=False).exists()
    assert Activity.objects.filter(status="closed", beneficiaries__gt=0).exists()
    w = world
    viewers = [
        (w.officer, None),
        (w.officer, w.community_a),
        (w.officer, w.grid_1),
        (w.coordinator, None),
        (w.secretary_b, None),
    ]
    for period in PERIODS:
        units = participating_units_first_formulation(period)
        assert set(KPIS["participating_units"].facts(period).values_list("pk", flat=True)) == units
        for viewer, area in viewers:
            viewer.__dict__.pop("_fumin_scope", None)
            together = {f.kpi.code: f.value for f in kpi_figures(viewer=viewer, period=period,
                                                                 area=area)}  # fmt: skip
            for code, kpi in KPIS.items():
                facts = _scoped(viewer, kpi, period, area)
                alone = kpi._measure(facts)
                assert together[code] == alone, (code, period, viewer, area)
                if kpi.measure != "sum":
                    assert kpi.records_of(facts).count() == alone, (code, period, viewer, area)
                else:
                    assert alone == sum(getattr(f, kpi.sum_field) or 0 for f in facts)
