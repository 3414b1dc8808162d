"""The demo reproduces the article: its 2020 figures, counted by the real KPI definitions over
generated records (never typed totals), and seeding twice changes nothing."""

import datetime
import io

import pytest
from django.core.management import call_command

from fumin.activities.models import Activity, Attendance
from fumin.kpis.definitions import KPIS
from fumin.kpis.periods import Period

SINCE_AUGUST = Period(datetime.date(2020, 8, 1), datetime.date(2020, 12, 31))
YEAR_2020 = Period.year(2020)

# "自今年8月以来，辖区内已有97家……党组织和7508名在职党员到所属居民区报到，主动开展结对共建活动64场，
#  认领公益志愿项目57个，667人次参与社区公益志愿服务，受益对象达6443人次。各居民区……推出了43项
#  “福民小项目”……组织开展了6大板块20个大项的“福民项目”，120家社区单位和“两新”组织参与，覆盖党员和
#  群众1万余人次"
SINCE_AUGUST_FIGURES = {
    "organisations_registered": 97,
    "members_registered": 7508,
    "pairing_activities": 64,
    "volunteer_projects_claimed": 57,
    "volunteer_person_times": 667,
    "beneficiary_person_times": 6443,
}
YEAR_FIGURES = {
    "community_small_projects": 43,
    "sectors": 6,
    "programmes": 20,
    "participating_units": 120,
}


def seed():
    call_command("seed_demo", stdout=io.StringIO())


@pytest.mark.django_db
def test_the_demo_gives_the_articles_figures_and_seeding_twice_adds_nothing():
    seed()
    for code, expected in SINCE_AUGUST_FIGURES.items():
        assert KPIS[code].value(SINCE_AUGUST) == expected, code
    for code, expected in YEAR_FIGURES.items():
        assert KPIS[code].value(YEAR_2020) == expected, code
    reached = KPIS["people_reached"].value(YEAR_2020)
    assert reached >= 10_000  # 1万余人次
    # Each one drills down to exactly that many records.
    assert KPIS["participating_units"].records(YEAR_2020).count() == 120
    assert KPIS["people_reached"].records(YEAR_2020).count() == reached

    counts = (Activity.objects.count(), Attendance.objects.count())
    seed()
    assert (Activity.objects.count(), Attendance.objects.count()) == counts
    assert KPIS["people_reached"].value(YEAR_2020) == reached
