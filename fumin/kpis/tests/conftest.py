"""A fixture counted by hand for the KPI tests: period boundaries decided in Shanghai, scope limits,
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

from fumin.activities.services import (
    activity_close,
    activity_mark_held,
    check_in,
    signup,
)
from fumin.activities.tests.helpers import Clock, make_activity, sh, volunteer
from fumin.kpis.periods import Period
from fumin.lists.models import Project
from fumin.lists.services import claim_withdraw, project_create
from fumin.lists.tests.helpers import make_claim, make_programme, make_project
from fumin.registration.services import (
    member_register,
    org_registration_submit,
    registration_confirm,
)

Y2020, Y2021 = Period.year(2020), Period.year(2021)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(sh("2020-01-02 09:00"))
    monkeypatch.setattr("django.utils.timezone.now", clock)
    return clock


@pytest.fixture
def counted(world, clock):
    w = world
    clock.set("2020-07-01 10:00")
    for registration, _ in org_registration_submit(
        actor=w.liaison,
        party_org=w.party_org_a,
        communities=[w.community_a, w.community_b],
        contact_name="顾文静",
        contact_phone="13900000005",
    ):
        registration_confirm(actor=w.officer, registration=registration)

    def register(name, mobile, confirm_at=None):
        registration, _ = member_register(
            actor=w.secretary_a, channel="community", name=name, community=w.community_a,
            mobile=mobile, work_unit=w.unit_a,
        )  # fmt: skip
        if confirm_at:
            clock.set(confirm_at)
            registration_confirm(actor=w.secretary_a, registration=registration)
        return registration.person

    jia = register("甲", "13600000001", "2020-12-31 23:30")
    yi = register("乙", "13600000002", "2021-01-01 00:10")
    bing = register("丙", "13600000003")
    ding = volunteer(w, "丁", "13600000004", community=w.community_b)

    def run(activity, attendees, *, at, beneficiaries=None, no_shows=(), actor=None):
        actor = actor or w.secretary_a
        clock.now = activity.starts_at - datetime.timedelta(days=1)
        for person in [*attendees, *no_shows]:
            signup(actor=actor, activity=activity, person=person)
        clock.set(at)
        for person in attendees:
            check_in(actor=actor, method="staff", activity=activity, person=person)
        if beneficiaries is not None:
            clock.now = activity.ends_at + datetime.timedelta(hours=1)
            activity_mark_held(actor=actor, activity=activity)
            activity_close(actor=actor, activity=activity, beneficiaries=beneficiaries)

    clock.set("2020-01-02 09:00")
    programme = make_programme(w, sector_name="公益志愿", name="社区益生圈")
    l1 = make_project(w, name="L1", year=2020, programme=programme)
    v1 = make_activity(
        w, title="V1", starts="2020-12-31 20:00", ends="2020-12-31 22:00", project=l1
    )
    v2 = make_activity(w, title="V2", starts="2021-01-01 07:30", ends="2021-01-01 09:00")
    v3 = make_activity(w, title="V3", community=w.community_b, actor=w.secretary_b,
                       starts="2020-06-10 09:00", ends="2020-06-10 11:00")  # fmt: skip
    p1 = make_activity(w, title="P1", kind="pairing", starts="2020-03-01 09:00",
                       ends="2020-03-01 11:00", host_units=[w.unit_a])  # fmt: skip
    make_activity(w, title="P2", kind="pairing", starts="2020-04-01 09:00", ends="2020-04-01 11:00")
    p3 = make_activity(w, title="P3", kind="pairing", community=w.community_b, actor=w.secretary_b,
                       starts="2020-11-11 09:00", ends="2020-11-11 11:00")  # fmt: skip
    run(v1, [jia, yi], no_shows=[bing], at="2020-12-31 20:05", beneficiaries=5)
    run(v2, [jia], at="2021-01-01 07:35")
    run(v3, [ding, jia], at="2020-06-10 09:05", actor=w.secretary_b)
    run(p1, [], at="2020-03-01 09:05", beneficiaries=12)
    run(p3, [], at="2020-11-11 09:05", beneficiaries=30, actor=w.secretary_b)

    clock.set("2020-05-01 10:00")
    make_claim(w, project=l1, unit=w.unit_a)
    clock.set("2020-06-01 10:00")
    make_claim(w, project=l1, unit=w.unit_b)
    l2 = make_project(w, name="L2", year=2020, kind=Project.Kind.CULTURE)
    claim_withdraw(actor=None, claim=make_claim(w, project=l2, unit=w.unit_a), reason="人手不足")
    project_create(actor=None, name="L3", level="community", kind="service", year=2020,
                   owner_area=w.community_b)  # fmt: skip
    return w


EXPECTED_2020 = {
    "organisations_registered": 1,
    "members_registered": 1,  # 甲 only: 乙's confirmation is 2021 in Shanghai
    "pairing_activities": 2,  # P1 and P3; P2 was never held
    "volunteer_projects_claimed": 1,  # L1; L2 is culture (and withdrawn)
    "volunteer_person_times": 4,  # V1: 甲 乙, V3: 丁 甲 — 甲 counts twice, 丙 not at all
    "beneficiary_person_times": 47,  # 5 + 12 + 30
    "community_small_projects": 2,  # L1, L2; L3 is a draft
    "sectors": 1,
    "programmes": 1,
    "participating_units": 2,  # unit_a (claim, hosted P1, members checked in), unit_b (claim)
    "people_reached": 2,  # 甲 and 乙 at V1, an activity of project L1
}
