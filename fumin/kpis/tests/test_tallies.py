"""The activity tallies kept by the database equal the records, through every kind of write.

The hand-counted fixture (``conftest.counted``) is changed in every way that moves an activity
KPI — a check-in, an activity held, closed, moved to another day or community, given another kind
or a project, a check-in cleared by hand — and after each change the four tallied KPIs, read from
the tallies, equal the same KPIs counted over their facts, for every area level and for periods
around the changes; folding (``compact``) and rebuilding change no figure.
"""

import datetime
import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from fumin.activities.models import Activity, Attendance
from fumin.activities.services import (
    activity_create,
    activity_mark_held,
    activity_publish,
    activity_update,
    check_in,
    signup,
)
from fumin.activities.tests.helpers import sh
from fumin.kpis import tallies
from fumin.kpis.definitions import KPIS
from fumin.kpis.models import ActivityTally, ActivityTallyChange
from fumin.kpis.periods import Period
from fumin.kpis.selectors import _scoped, kpi_value
from fumin.kpis.tests.conftest import EXPECTED_2020, Y2020, Y2021
from fumin.lists.models import Claim
from fumin.registry.models import Person
from fumin.registry.services import person_create, person_update

pytestmark = pytest.mark.django_db

TALLIED = [kpi for kpi in KPIS.values() if kpi.tally or kpi.tallied_facts]
PERIODS = [
    Y2020,
    Y2021,
    Period(datetime.date(2020, 12, 31), datetime.date(2021, 1, 1)),
    Period(datetime.date(2020, 6, 10), datetime.date(2020, 6, 10)),
    Period(datetime.date(2020, 6, 1), datetime.date(2020, 12, 31)),  # whole months
    Period(datetime.date(2020, 6, 5), datetime.date(2021, 1, 31)),  # a part, then whole months
]


def assert_tallies_equal_records(w, periods=PERIODS):
    areas = [None, w.subdistrict, w.grid_1, w.community_a, w.community_b]
    for period in periods:
        for area in areas:
            for kpi in TALLIED:
                from_records = kpi._measure(_scoped(w.officer, kpi, period, area))
                tallied = kpi_value(viewer=w.officer, kpi=kpi, period=period, area=area)
                assert tallied == from_records, (kpi.code, str(period), area)
    assert tallies.differences() == []


def tally_rows() -> set[tuple]:
    return set(
        ActivityTally.objects.values_list(
            "area_id", "day", "kind", "held", "in_project", "activities", "check_ins",
            "beneficiaries",
        )
    )  # fmt: skip


def test_the_tallied_kpis_are_the_hand_counted_figures(counted):
    assert {k.code for k in TALLIED} == {
        "pairing_activities",
        "volunteer_person_times",
        "beneficiary_person_times",
        "people_reached",
        "participating_units",
    }
    for kpi in TALLIED:
        assert kpi_value(viewer=counted.officer, kpi=kpi, period=Y2020) == EXPECTED_2020[kpi.code]
    assert ActivityTallyChange.objects.exists()  # the triggers wrote them
    assert_tallies_equal_records(counted)


def test_folding_changes_no_figure_and_keeps_one_row_per_key(counted):
    w = counted
    before = {k.code: kpi_value(viewer=w.officer, kpi=k, period=Y2020) for k in TALLIED}
    assert tallies.compact() > 0
    assert not ActivityTallyChange.objects.exists()
    after = {k.code: kpi_value(viewer=w.officer, kpi=k, period=Y2020) for k in TALLIED}
    assert after == before
    # V1 (volunteer, community A, 2020-12-31, project L1, closed, 2 check-ins, 5 served) is
    # tallied at the community, its grid and the subdistrict (and the district above, if any).
    v1 = Activity.objects.get(title="V1")
    rows = ActivityTally.objects.filter(day=datetime.date(2020, 12, 31), kind="volunteer")
    assert {r.area_id for r in rows} >= {w.community_a.pk, w.grid_1.pk, w.subdistrict.pk}
    for row in rows:
        assert (row.held, row.in_project) == (True, True)
        assert (row.activities, row.check_ins, row.beneficiaries) == (1, 2, 5)
    assert v1.community_id == w.community_a.pk
    assert tallies.compact() == 0  # nothing left to fold


def test_every_change_of_an_activity_moves_its_contribution(counted, clock):
    w = counted
    v3 = Activity.objects.get(title="V3")  # volunteer, community B, 2020-06-10, 2 check-ins
    tallies.compact()
    clock.set("2020-06-01 09:00")

    def update(**data):
        nonlocal v3
        v3 = activity_update(actor=w.officer, activity=v3, **data)
        assert_tallies_equal_records(w)

    update(kind="pairing")
    update(starts_at=sh("2020-12-31 23:30"), ends_at=sh("2021-01-01 01:00"))  # Shanghai day
    tallies.compact()
    update(community=w.community_a)
    update(project=Activity.objects.get(title="V1").project)
    update(kind="volunteer", starts_at=sh("2021-01-01 00:30"), ends_at=sh("2021-01-01 02:00"))
    clock.set("2021-01-01 03:00")
    activity_mark_held(actor=w.officer, activity=v3)
    assert_tallies_equal_records(w)
    Activity.objects.filter(pk=v3.pk).update(beneficiaries=9)  # by hand: the trigger sees it
    assert_tallies_equal_records(w)
    tallies.compact()
    assert_tallies_equal_records(w)


def test_check_ins_move_with_a_person_who_changes_work_unit(counted):
    w = counted
    jia = Person.objects.get(name="甲")  # of unit_a, checked in at V1, V2 and V3
    claims = Claim.objects.filter(unit=w.unit_b)
    claims.update(status=Claim.Status.WITHDRAWN)  # unit_b now only counts through its people
    participating = KPIS["participating_units"]
    before = kpi_value(viewer=w.officer, kpi=participating, period=Y2020)
    person_update(actor=w.officer, person=jia, work_unit=w.unit_b)
    assert_tallies_equal_records(w)
    assert kpi_value(viewer=w.officer, kpi=participating, period=Y2020) == before + 1
    tallies.compact()
    Person.objects.filter(pk=jia.pk).update(work_unit=None)  # by hand: the trigger sees it
    assert_tallies_equal_records(w)
    assert kpi_value(viewer=w.officer, kpi=participating, period=Y2020) == before


def test_whole_months_of_a_period():
    d = datetime.date
    assert Y2020.whole_months() == ([d(2020, m, 1) for m in range(1, 13)], [])
    assert Period(d(2020, 6, 10), d(2020, 8, 5)).whole_months() == (
        [d(2020, 7, 1)],
        [Period(d(2020, 6, 10), d(2020, 6, 30)), Period(d(2020, 8, 1), d(2020, 8, 5))],
    )
    short = Period(d(2020, 6, 10), d(2020, 6, 20))
    assert short.whole_months() == ([], [short])
    assert Period(d(2020, 2, 1), d(2020, 2, 29)).whole_months() == ([d(2020, 2, 1)], [])


def test_a_check_in_cleared_by_hand_is_taken_away(counted):
    w = counted
    attendance = Attendance.objects.filter(activity__title="V1", checked_in_at__isnull=False)[0]
    Attendance.objects.filter(pk=attendance.pk).update(checked_in_at=None)
    assert_tallies_equal_records(w)
    assert kpi_value(viewer=w.officer, kpi=KPIS["people_reached"], period=Y2020) == 1
    Attendance.objects.filter(pk=attendance.pk).update(checked_in_at=timezone.now())
    assert kpi_value(viewer=w.officer, kpi=KPIS["people_reached"], period=Y2020) == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="deletions are tallied on PostgreSQL")
def test_a_deleted_attendance_is_taken_away_on_postgresql(counted):
    Attendance.objects.filter(activity__title="V3", person__name="丁").delete()
    assert_tallies_equal_records(counted)
    assert (
        kpi_value(viewer=counted.officer, kpi=KPIS["volunteer_person_times"], period=Y2020)
        == EXPECTED_2020["volunteer_person_times"] - 1
    )


def test_rebuilding_gives_the_tallies_kept_running(counted, clock):
    w = counted
    activity_update(actor=w.officer, activity=Activity.objects.get(title="V3"), kind="pairing")
    tallies.compact()
    running = tally_rows()
    tallies.rebuild()
    assert not ActivityTallyChange.objects.exists()
    assert tally_rows() == running
    assert_tallies_equal_records(w)


def test_changes_are_folded_before_a_dashboard_reads_once_many_piled_up(counted):
    pending = ActivityTallyChange.objects.count()
    tallies.compact_if_many(threshold=pending + 1000)
    assert ActivityTallyChange.objects.count() == pending
    tallies.compact_if_many(threshold=pending)
    assert not ActivityTallyChange.objects.exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writers are only proven on PostgreSQL (SQLite serialises every write)",
)
def test_racing_check_ins_and_folding_lose_nothing(transactional_db):
    from conftest import build_world

    w = build_world()
    now = timezone.now()
    activity = activity_publish(
        actor=None,
        activity=activity_create(
            actor=None, title="并发统计", kind="volunteer", community=w.community_a,
            starts_at=now - datetime.timedelta(minutes=10),
            ends_at=now + datetime.timedelta(hours=2),
            signup_closes_at=now + datetime.timedelta(hours=1),
        ),
    )  # fmt: skip
    people = [
        person_create(
            actor=None, name=f"志愿者{i}", mobile=f"1367700{i:04d}", home_community=w.community_a
        )
        for i in range(12)
    ]
    for person in people:
        signup(actor=None, activity=activity, person=person)
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(people) + 1)

    def desk(person):
        try:
            barrier.wait(timeout=30)
            check_in(actor=w.secretary_a, method="staff", activity=activity, person=person)
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    def folder():
        try:
            barrier.wait(timeout=30)
            for _ in range(20):
                tallies.compact()
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=desk, args=(p,)) for p in people]
    threads.append(threading.Thread(target=folder))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    # The day the activity started, in Shanghai: "today" would be the next day when the test runs
    # in the first ten minutes after midnight there (16:00 UTC), and count nothing.
    started = timezone.localdate(activity.starts_at)
    today = Period(started, started)
    kpi = KPIS["volunteer_person_times"]
    assert kpi_value(viewer=w.officer, kpi=kpi, period=today) == len(people)
    tallies.compact()
    assert kpi_value(viewer=w.officer, kpi=kpi, period=today) == len(people)
    assert kpi_value(viewer=w.officer, kpi=kpi, period=today, area=w.community_a) == len(people)


def test_the_command_folds_checks_and_rebuilds(counted):
    w = counted
    out = StringIO()
    call_command("kpi_tallies", stdout=out)
    assert "changes folded" in out.getvalue()
    assert not ActivityTallyChange.objects.exists()
    call_command("kpi_tallies", "--check", stdout=StringIO())
    # A drift (as a deletion by hand on SQLite would leave) is found, and a rebuild mends it.
    ActivityTally.objects.filter(area=w.community_a, kind="volunteer").update(check_ins=99)
    errors = StringIO()
    with pytest.raises(CommandError):
        call_command("kpi_tallies", "--check", stdout=StringIO(), stderr=errors)
    assert "volunteer True True 0 -97 0" in errors.getvalue()  # V1 has 2 check-ins, not 99
    call_command("kpi_tallies", "--rebuild", stdout=StringIO())
    call_command("kpi_tallies", "--check", stdout=StringIO())
    assert_tallies_equal_records(w)
