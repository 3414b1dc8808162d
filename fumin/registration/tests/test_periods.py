import datetime

import pytest
from django.test import override_settings
from django.utils import translation

from fumin.registration.periods import (
    HALF_YEAR,
    YEAR,
    Period,
    last_completed_period,
    parse_period,
    period_containing,
    period_from_dates,
    recent_periods,
    report_period_kind,
)

UTC = datetime.UTC


def test_the_half_year_turns_at_shanghai_midnight_not_utc_midnight():
    last_minute_of_june = datetime.datetime(2020, 6, 30, 15, 59, tzinfo=UTC)  # 23:59 Shanghai
    first_minute_of_july = datetime.datetime(2020, 6, 30, 16, 0, tzinfo=UTC)  # 1 Jul 00:00

    assert period_containing(last_minute_of_june, HALF_YEAR).code == "2020H1"
    assert period_containing(first_minute_of_july, HALF_YEAR).code == "2020H2"


def test_the_year_turns_at_shanghai_midnight():
    new_year_in_shanghai = datetime.datetime(2020, 12, 31, 16, 0, tzinfo=UTC)
    assert period_containing(new_year_in_shanghai, YEAR).code == "2021"
    assert period_containing(new_year_in_shanghai - datetime.timedelta(minutes=1), YEAR).code == (
        "2020"
    )


def test_bounds_are_shanghai_midnights():
    since, until = parse_period("2020H1").bounds()
    assert since == datetime.datetime(2019, 12, 31, 16, 0, tzinfo=UTC)
    assert until == datetime.datetime(2020, 6, 30, 16, 0, tzinfo=UTC)
    assert parse_period("2020H1").contains(datetime.datetime(2020, 6, 30, 15, 59, tzinfo=UTC))
    assert not parse_period("2020H1").contains(datetime.datetime(2020, 6, 30, 16, 0, tzinfo=UTC))


def test_a_date_is_taken_as_a_shanghai_day():
    assert period_containing(datetime.date(2020, 6, 30), HALF_YEAR) == Period(
        datetime.date(2020, 1, 1), datetime.date(2020, 6, 30), HALF_YEAR
    )
    assert period_containing(datetime.date(2020, 7, 1), HALF_YEAR).start == datetime.date(
        2020, 7, 1
    )


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError):
        period_containing(datetime.datetime(2020, 7, 1), HALF_YEAR)


def test_last_completed_period():
    first_of_july = datetime.datetime(2020, 6, 30, 16, 0, tzinfo=UTC)
    assert last_completed_period(HALF_YEAR, first_of_july).code == "2020H1"
    assert last_completed_period(HALF_YEAR, first_of_july - datetime.timedelta(seconds=1)).code == (
        "2019H2"
    )
    assert last_completed_period(YEAR, first_of_july).code == "2019"


def test_previous_and_next_cross_years():
    assert parse_period("2020H1").previous().code == "2019H2"
    assert parse_period("2019H2").next().code == "2020H1"
    assert parse_period("2020").previous().code == "2019"


def test_parse_period_codes():
    assert parse_period("2020H2") == Period(
        datetime.date(2020, 7, 1), datetime.date(2020, 12, 31), HALF_YEAR
    )
    assert parse_period("2020h1").code == "2020H1"
    assert parse_period("2020") == Period(
        datetime.date(2020, 1, 1), datetime.date(2020, 12, 31), YEAR
    )
    for bad in ("2020H3", "20", "H1", "", "2020-H1"):
        with pytest.raises(ValueError):
            parse_period(bad)


def test_period_from_dates():
    assert period_from_dates(datetime.date(2020, 1, 1), datetime.date(2020, 6, 30)).kind == (
        HALF_YEAR
    )
    assert period_from_dates(datetime.date(2020, 1, 1), datetime.date(2020, 12, 31)).kind == YEAR
    with pytest.raises(ValueError):
        period_from_dates(datetime.date(2020, 2, 1), datetime.date(2020, 6, 30))


def test_labels_are_translatable():
    with translation.override("en"):
        assert parse_period("2020H1").label == "2020, first half"
        assert parse_period("2020H2").label == "2020, second half"
        assert parse_period("2020").label == "2020, full year"


def test_report_period_kinds_come_from_settings():
    assert report_period_kind("member") == HALF_YEAR
    assert report_period_kind("unit") == YEAR
    with override_settings(FUMIN_MEMBER_REPORT_PERIOD="year"):
        assert report_period_kind("member") == YEAR
    with override_settings(FUMIN_UNIT_REPORT_PERIOD="quarter"), pytest.raises(ValueError):
        report_period_kind("unit")


def test_recent_periods_newest_first():
    now = datetime.datetime(2021, 3, 1, tzinfo=UTC)
    assert [p.code for p in recent_periods(HALF_YEAR, 3, now)] == ["2021H1", "2020H2", "2020H1"]
