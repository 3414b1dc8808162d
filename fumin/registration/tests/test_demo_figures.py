"""The demo's dual registrations add up to the article's 2020 figures, counted by the selectors."""

import io
from datetime import date

import pytest
from django.core.management import call_command

from fumin.registration.models import MemberRegistration, OrgRegistration
from fumin.registration.selectors import members_registered, organisations_registered
from fumin.registry.models import Area, PartyOrg, Person, Unit

SINCE_AUGUST = {"start": date(2020, 8, 1), "end": date(2020, 12, 31)}


def seed():
    call_command("seed_demo", stdout=io.StringIO())


def figures():
    subdistrict = Area.objects.get(name="南京西路街道")
    return (
        organisations_registered(**SINCE_AUGUST, area=subdistrict),
        members_registered(**SINCE_AUGUST, area=subdistrict),
    )


def counts():
    return tuple(
        model.objects.count()
        for model in (Unit, PartyOrg, Person, OrgRegistration, MemberRegistration)
    )


@pytest.mark.django_db
def test_the_demo_registrations_are_the_articles_figures_and_seeding_twice_adds_nothing():
    seed()
    # "自今年8月以来，辖区内已有97家……党组织……、7508名在职党员到所属居民区报到"
    assert figures() == (97, 7508)
    # Registrations that must not count are there: waiting, rejected, outside the period.
    for model in (OrgRegistration, MemberRegistration):
        assert model.objects.filter(status="pending").exists()
        assert model.objects.filter(status="rejected").exists()
        assert model.objects.filter(confirmed_at__year=2021).exists()
    assert organisations_registered(start=date(2020, 1, 1), end=date(2021, 12, 31)) > 97
    assert members_registered(start=date(2020, 1, 1), end=date(2021, 12, 31)) > 7508
    # Spread over the five months and the twelve communities, by every channel.
    assert len(members_registered(**SINCE_AUGUST, by="month")) == 5
    assert len(members_registered(**SINCE_AUGUST, by="community")) == 12
    assert set(MemberRegistration.objects.values_list("channel", flat=True)) == {
        "self",
        "unit",
        "community",
    }

    before = counts()
    seed()
    assert counts() == before
    assert figures() == (97, 7508)
