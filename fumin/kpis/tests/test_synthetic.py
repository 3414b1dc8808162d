"""The synthetic-data generator at a tiny size: what it makes, that the same seed makes the same
rows, that area paths follow ``area_create``'s encoding, and that the command refuses production."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings

from fumin.activities.models import Activity, Attendance
from fumin.kpis.definitions import KPIS
from fumin.kpis.periods import Period
from fumin.kpis.synthetic import Scale, generate
from fumin.lists.models import Claim, Project
from fumin.registration.models import MemberRegistration, OrgRegistration
from fumin.registry.models import PATH_STEP, Area, PartyOrg, Person, Unit
from fumin.registry.services import area_create

pytestmark = pytest.mark.django_db

TINY = dict(
    subdistricts=2,
    communities_per_subdistrict=3,
    grids_per_subdistrict=2,
    people_per_community=20,
    units_per_subdistrict=5,
    activities_per_community=6,
    attendances_per_activity=6,
    projects_per_subdistrict=2,
    small_projects_per_community=1,
)


def fingerprint() -> tuple:
    """What was generated, without the timestamps Django sets itself."""
    return (
        list(Area.objects.order_by("path").values_list("public_id", "name", "kind", "path")),
        list(Person.objects.order_by("pk").values_list("public_id", "name", "home_community_id",
                                                       "work_unit_id", "is_party_member")),
        list(Activity.objects.order_by("pk").values_list("public_id", "kind", "status",
                                                         "starts_at", "beneficiaries")),
        list(Attendance.objects.order_by("pk").values_list("activity_id", "person_id", "status",
                                                           "checked_in_at")),
        list(MemberRegistration.objects.order_by("pk").values_list("person_id", "confirmed_at")),
        list(Claim.objects.order_by("pk").values_list("project_id", "unit_id", "claimed_on")),
    )  # fmt: skip


def test_counts_of_what_it_made():
    report = generate(Scale(**TINY))
    subdistricts = Area.objects.filter(kind=Area.Kind.SUBDISTRICT)
    assert Area.objects.filter(kind=Area.Kind.DISTRICT).count() == 1
    assert subdistricts.count() == 2
    assert Area.objects.filter(kind=Area.Kind.GRID).count() == 4
    assert Area.objects.filter(kind=Area.Kind.COMMUNITY).count() == 6
    assert Unit.objects.count() == 10
    assert PartyOrg.objects.count() == 10 + 6  # a branch per unit, one per community
    assert Person.objects.count() == 2 * 3 * 20
    assert Activity.objects.count() == 2 * 3 * 6
    # per year: 2 subdistrict projects + 1 small project per community; two years
    assert Project.objects.count() == 2 * 2 * (2 + 3)
    counted = {
        "areas": Area.objects.count(),
        "units": Unit.objects.count(),
        "party organisations": PartyOrg.objects.count(),
        "people": Person.objects.count(),
        "member registrations": MemberRegistration.objects.count(),
        "organisation registrations": OrgRegistration.objects.count(),
        "projects": Project.objects.count(),
        "claims": Claim.objects.count(),
        "activities": Activity.objects.count(),
        "attendances": Attendance.objects.count(),
        "activity host units": Activity.host_units.through.objects.count(),
    }
    assert report.rows == counted
    assert counted["attendances"] > 0 and counted["member registrations"] > 0

    # The rows are coherent with the domain's rules.
    for registration in MemberRegistration.objects.select_related("person"):
        assert registration.person.is_party_member
        assert registration.person.home_community_id == registration.community_id
        assert registration.work_unit_id == registration.person.work_unit_id
        assert registration.grid_id == registration.community.parent_id
        assert (registration.status == "confirmed") == (registration.confirmed_at is not None)
    for attendance in Attendance.objects.select_related("activity", "person"):
        assert attendance.person.home_community_id == attendance.activity.community_id
        if attendance.checked_in_at is not None:
            assert attendance.activity.status in ("held", "closed")
            assert attendance.checked_out_at >= attendance.checked_in_at
    assert not Attendance.objects.filter(activity__status="draft").exists()
    assert not Claim.objects.filter(project__status__in=["draft", "published"]).exists()
    assert all(a.ends_at > a.starts_at for a in Activity.objects.all())


def test_paths_follow_area_create():
    generate(Scale(**TINY))
    areas = {area.pk: area for area in Area.objects.all()}
    assert len({a.path for a in areas.values()}) == len(areas)
    for area in areas.values():
        assert len(area.path) == (area.depth + 1) * PATH_STEP
        if area.parent_id:
            parent = areas[area.parent_id]
            assert area.path.startswith(parent.path)
            assert area.depth == parent.depth + 1
            assert area.kind in Area.CHILD_KINDS[parent.kind]
        area.full_clean(exclude=("path", "name_pinyin", "name_initials"))
    # area_create goes on numbering after the generated areas: under a grid and at the root.
    grid = Area.objects.filter(kind=Area.Kind.GRID).order_by("path").first()
    last_child = grid.children.order_by("-path").first()
    added = area_create(actor=None, name="新居民区", kind=Area.Kind.COMMUNITY, parent=grid)
    assert added.path == grid.path + f"{int(last_child.path[-PATH_STEP:], 36) + 1:05d}"
    district = Area.objects.get(kind=Area.Kind.DISTRICT)
    other = area_create(actor=None, name="另一个区", kind=Area.Kind.DISTRICT)
    assert int(other.path, 36) == int(district.path, 36) + 1
    # …and a second generation numbers its district after that one.
    generate(Scale(**{**TINY, "subdistricts": 1}))
    third = Area.objects.filter(kind=Area.Kind.DISTRICT).order_by("-path").first()
    assert int(third.path, 36) == int(other.path, 36) + 1


def test_same_seed_same_rows_other_seed_other_rows():
    def run(seed: int) -> tuple:
        with transaction.atomic():
            generate(Scale(**TINY, seed=seed))
            made = fingerprint()
            transaction.set_rollback(True)
        return made

    first, again, other = run(7), run(7), run(8)
    assert first == again
    assert first[1] and first[3]
    assert first[1] != other[1]  # other names
    assert first[3] != other[3]  # other attendances


def test_every_kpi_counts_the_generated_data(django_user_model):
    from fumin.accounts.models import Role
    from fumin.accounts.services import role_grant, user_create
    from fumin.kpis.selectors import kpi_figures

    generate(Scale(**TINY, year=2020))
    district = Area.objects.get(kind=Area.Kind.DISTRICT)
    subdistrict = district.children.order_by("path").first()
    admin = user_create(actor=None, name="区管理员", mobile="13900000091", password=None)
    role_grant(actor=None, user=admin, role=Role.PLATFORM_ADMIN, area=district)
    staff = user_create(actor=None, name="街道", mobile="13900000092", password=None)
    role_grant(actor=None, user=staff, role=Role.SUBDISTRICT_STAFF, area=subdistrict)
    whole = {f.kpi.code: f.value for f in kpi_figures(viewer=admin, period=Period.year(2020))}
    part = {f.kpi.code: f.value for f in kpi_figures(viewer=staff, period=Period.year(2020))}
    assert set(whole) == set(KPIS)
    assert whole["volunteer_person_times"] > 0 and whole["pairing_activities"] > 0
    assert whole["members_registered"] > 0 and whole["community_small_projects"] > 0
    for code, value in part.items():
        assert value <= whole[code], code


def test_command_refuses_without_debug_unless_forced():
    out = io.StringIO()
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="--force"):
        call_command("generate_scale", subdistricts=1, stdout=out)
    assert not Area.objects.exists()
    with override_settings(DEBUG=False):
        call_command(
            "generate_scale", subdistricts=1, communities_per_subdistrict=2,
            people_per_community=5, units_per_subdistrict=2, activities_per_community=2,
            attendances_per_activity=3, force=True, no_progress=True, stdout=out,
        )  # fmt: skip
    assert Area.objects.filter(kind=Area.Kind.COMMUNITY).count() == 2
    assert "people" in out.getvalue()


@override_settings(DEBUG=True)  # a development installation: no --force needed
def test_command_shows_a_progress_bar():
    err = io.StringIO()
    call_command(
        "generate_scale", subdistricts=2, communities_per_subdistrict=1, people_per_community=3,
        units_per_subdistrict=1, activities_per_community=1, stdout=io.StringIO(), stderr=err,
    )  # fmt: skip
    assert "2/2 subdistricts" in err.getvalue() and "100%" in err.getvalue()
