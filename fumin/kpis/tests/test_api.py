"""The KPI endpoints: the same numbers as the definitions, scoped, with clear errors."""

import pytest

from .conftest import EXPECTED_2020

YEAR = {"start": "2020-01-01", "end": "2020-12-31"}


def get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params, HTTP_ACCEPT_LANGUAGE="en")


def test_every_kpi_with_its_definition(counted, client):
    answer = get(client, counted.officer, "/api/kpis", **YEAR).json()
    assert {k["code"]: k["value"] for k in answer["kpis"]} == EXPECTED_2020
    volunteers = next(k for k in answer["kpis"] if k["code"] == "volunteer_person_times")
    assert volunteers["measure"] == "rows" and volunteers["article_2020"] == "667"
    assert "community" in volunteers["breakdowns"]


def test_breakdown_and_records_agree_with_the_number(counted, client):
    url = "/api/kpis/volunteer_person_times/breakdown"
    rows = get(client, counted.officer, url, by="community", **YEAR).json()["rows"]
    assert [(r["label"], r["value"]) for r in rows] == [("华业居民区", 2), ("威海居民区", 2)]
    records = get(
        client, counted.officer, "/api/kpis/volunteer_person_times/records",
        by="community", key=rows[1]["key"], **YEAR,
    ).json()  # fmt: skip
    assert records["count"] == 2 and len(records["items"]) == 2
    summed = get(client, counted.officer, "/api/kpis/beneficiary_person_times/records", **YEAR)
    assert sum(item["amount"] for item in summed.json()["items"]) == 47


def test_a_secretary_counts_her_community_and_nothing_outside(counted, client):
    answer = get(client, counted.secretary_b, "/api/kpis", **YEAR).json()
    assert {k["code"]: k["value"] for k in answer["kpis"]}["volunteer_person_times"] == 2
    outside = get(client, counted.secretary_b, "/api/kpis", area_id=counted.community_a.public_id)
    assert outside.status_code == 403


@pytest.mark.parametrize("persona", ["liaison", "member", "outsider"])
def test_people_without_an_area_get_no_kpis(counted, client, persona):
    assert get(client, getattr(counted, persona), "/api/kpis").status_code == 403


def test_bad_input_is_named(counted, client):
    bad_date = get(client, counted.officer, "/api/kpis", start="2020-13-01")
    assert bad_date.status_code == 400
    assert bad_date.json()["detail"][0]["field"] == "start"
    reversed_period = get(
        client, counted.officer, "/api/kpis", start="2020-12-01", end="2020-01-01"
    )
    assert reversed_period.json()["detail"][0]["field"] == "end"
    bad_by = get(client, counted.officer, "/api/kpis/sectors/breakdown", by="month")
    assert bad_by.status_code == 400 and bad_by.json()["detail"][0]["field"] == "by"
    assert get(client, counted.officer, "/api/kpis/nonsense/records").status_code == 404
