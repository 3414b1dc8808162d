"""Each KPI against a fixture counted by hand: period boundaries decided in Shanghai, scope limits,
person-times against distinct people, statuses that count and statuses that do not.

The fixture (built through the real services, the clock moved by the test):

  registrations  party_org_a with communities A and B, confirmed 2020-07-01 → 1 organisation
                 member 甲 confirmed 2020-12-31 23:30 Shanghai (15:30 UTC)   → 2020
                 member 乙 confirmed 2021-01-01 00:10 Shanghai (2020 in UTC) → 2021
                 member 丙 waiting                                            → never
  activities     V1 volunteer, A, 2020-12-31 20:00, of project L1: 甲 乙 checked in, 丙 no-show;
                    closed, 5 served
                 V2 volunteer, A, 2021-01-01 07:30 Shanghai (2020 in UTC): 甲 checked in
                 V3 volunteer, B, 2020-06-10: 丁 and 甲 checked in
                 P1 pairing, A, 2020-03-01, held and closed with 12 served
                 P2 pairing, A, 2020-04-01, published, never held
                 P3 pairing, B, 2020-11-11, held and closed with 30 served
  projects       L1 community small project of A, public welfare, 2020, programme X of sector S,
                    claimed by unit_a (2020-05-01) and unit_b (2020-06-01)
                 L2 community small project of A, culture, 2020, claimed by unit_a, withdrawn
                 L3 community small project of B, 2020, a draft
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from fumin.kpis.definitions import KPIS
from fumin.kpis.periods import Period
from fumin.kpis.selectors import kpi_breakdown, kpi_figures, kpi_records, kpi_value
from fumin.lists.models import Claim

from .conftest import EXPECTED_2020, Y2020, Y2021


def test_every_kpi_of_2020_as_counted_by_hand(counted):
    values = {code: kpi.value(Y2020) for code, kpi in KPIS.items()}
    assert values == EXPECTED_2020


def test_the_next_year_starts_at_midnight_in_shanghai(counted):
    assert KPIS["members_registered"].value(Y2021) == 1  # 乙
    assert KPIS["volunteer_person_times"].value(Y2021) == 1  # 甲 at V2, 07:30 on 1 January
    assert KPIS["beneficiary_person_times"].value(Y2021) == 0
    last_day = Period(datetime.date(2020, 12, 31), datetime.date(2020, 12, 31))
    assert KPIS["members_registered"].value(last_day) == 1
    assert KPIS["volunteer_person_times"].value(last_day) == 2


def test_person_times_and_people_are_different_figures(counted):
    attendances = KPIS["volunteer_person_times"].records(Y2020)
    assert attendances.count() == 4
    assert attendances.values("person").distinct().count() == 3  # 甲 乙 丁


def test_every_drill_down_list_has_as_many_rows_as_the_number(counted):
    for code, kpi in KPIS.items():
        records = kpi.records(Y2020)
        if kpi.measure == "sum":
            total = sum(getattr(r, kpi.sum_field) or 0 for r in records)
            assert total == EXPECTED_2020[code], code
        else:
            assert records.count() == EXPECTED_2020[code], code


def test_breakdowns_and_their_drill_downs_agree(counted):
    for kpi in KPIS.values():
        for by in kpi.breakdowns:
            for row in kpi.breakdown(by, Y2020):
                records = kpi.records(Y2020, by=by, key=row["key"])
                if kpi.measure == "sum":
                    assert sum(getattr(r, kpi.sum_field) for r in records) == row["value"]
                else:
                    assert records.count() == row["value"], (kpi.code, by, row)


def test_an_organisation_with_two_communities_counts_once_in_the_total_and_in_each(counted):
    kpi = KPIS["organisations_registered"]
    rows = {row["label"]: row["value"] for row in kpi.breakdown("community", Y2020)}
    assert rows == {"华业居民区": 1, "威海居民区": 1}
    assert kpi.value(Y2020) == 1


def test_scope_limits_what_a_viewer_counts(counted):
    w = counted
    figures_b = {f.kpi.code: f.value for f in kpi_figures(viewer=w.secretary_b, period=Y2020)}
    assert figures_b["volunteer_person_times"] == 2  # V3 only
    assert figures_b["pairing_activities"] == 1  # P3
    assert figures_b["beneficiary_person_times"] == 30
    assert figures_b["organisations_registered"] == 1  # registered with B too
    assert figures_b["members_registered"] == 0
    figures_officer = {f.kpi.code: f.value for f in kpi_figures(viewer=w.officer, period=Y2020)}
    assert figures_officer == EXPECTED_2020
    kpi = KPIS["volunteer_person_times"]
    names = sorted(a.person.name for a in kpi_records(viewer=w.secretary_b, kpi=kpi, period=Y2020))
    assert names == ["丁", "甲"]
    assert kpi_value(viewer=w.coordinator, kpi=kpi, period=Y2020, area=w.community_a) == 2


def test_a_viewer_may_not_count_outside_their_scope(counted):
    w = counted
    kpi = KPIS["volunteer_person_times"]
    with pytest.raises(PermissionDenied):
        kpi_value(viewer=w.secretary_b, kpi=kpi, period=Y2020, area=w.community_a)
    for viewer in (w.liaison, w.member, w.outsider):
        with pytest.raises(PermissionDenied):
            kpi_figures(viewer=viewer, period=Y2020)


def test_breakdown_names_sort_by_pinyin(counted):
    rows = kpi_breakdown(
        viewer=counted.officer, kpi=KPIS["volunteer_person_times"], by="community", period=Y2020
    )
    assert [r["label"] for r in rows] == ["华业居民区", "威海居民区"]  # hua < wei


def test_claims_withdrawn_do_not_count(counted):
    assert Claim.objects.filter(status="withdrawn").count() == 1
    rows = KPIS["volunteer_projects_claimed"].breakdown("unit", Y2020)
    assert {(row["label"], row["value"]) for row in rows} == {
        ("公惠医院", 1),
        ("上海市作家协会", 1),
    }


def test_an_activity_belongs_only_to_a_published_project_covering_its_community(counted):
    from django.core.exceptions import ValidationError

    from fumin.activities.tests.helpers import make_activity
    from fumin.lists.tests.helpers import make_project

    w = counted
    elsewhere = make_project(w, name="威海的项目", owner_area=w.community_b)
    with pytest.raises(ValidationError) as error:
        make_activity(w, title="不对", publish=False, project=elsewhere)
    assert "project" in error.value.message_dict
    draft = make_project(w, name="草稿项目", publish=False)
    with pytest.raises(ValidationError):
        make_activity(w, title="也不对", publish=False, project=draft)
