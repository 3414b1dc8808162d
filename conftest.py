"""Personas shared by every test: a small world of two grids, three communities and one unit,
built through the real services, and one person for each role.

  officer       subdistrict staff of 南京西路街道 (sees everything in the subdistrict)
  coordinator   grid coordinator of 第一工作网格 (communities A and B)
  secretary_a   community secretary of 华业居民区 (community A)
  secretary_b   community secretary of 威海居民区 (community B)
  liaison       unit liaison of 上海市作家协会 (a unit in community A)
  member        party member living in community A
  outsider      a logged-in account with no role at all
"""

from dataclasses import dataclass

import pytest

from fumin.accounts.models import Role, User
from fumin.accounts.services import role_grant, user_create
from fumin.registry.models import Alliance, Area, JointMeeting, PartyOrg, Person, Place, Unit
from fumin.registry.services import (
    alliance_add_member,
    alliance_create,
    area_create,
    joint_meeting_add_member,
    joint_meeting_create,
    party_org_create,
    person_create,
    place_create,
    unit_create,
)

PASSWORD = "Fumin@2020-test"


@dataclass
class World:
    district: Area
    subdistrict: Area
    grid_1: Area
    grid_2: Area
    community_a: Area
    community_b: Area
    community_c: Area
    unit_a: Unit
    unit_b: Unit
    party_org_a: PartyOrg
    person_a: Person
    place_a: Place
    alliance: Alliance
    joint_meeting: JointMeeting
    admin: User
    officer: User
    coordinator: User
    secretary_a: User
    secretary_b: User
    liaison: User
    member: User
    outsider: User

    def persona(self, name: str) -> User | None:
        return None if name == "anonymous" else getattr(self, name)


def make_user(name: str, mobile: str, role: str | None = None, *, area=None, unit=None) -> User:
    user = user_create(actor=None, name=name, mobile=mobile, password=PASSWORD)
    if role:
        role_grant(actor=None, user=user, role=role, area=area, unit=unit)
    return user


def build_world() -> World:
    district = area_create(actor=None, name="静安区", kind=Area.Kind.DISTRICT)
    subdistrict = area_create(
        actor=None, name="南京西路街道", kind=Area.Kind.SUBDISTRICT, parent=district
    )
    grid_1 = area_create(actor=None, name="第一工作网格", kind=Area.Kind.GRID, parent=subdistrict)
    grid_2 = area_create(actor=None, name="第三工作网格", kind=Area.Kind.GRID, parent=subdistrict)
    community_a = area_create(
        actor=None, name="华业居民区", kind=Area.Kind.COMMUNITY, parent=grid_1
    )
    community_b = area_create(
        actor=None, name="威海居民区", kind=Area.Kind.COMMUNITY, parent=grid_1
    )
    community_c = area_create(
        actor=None, name="陕南居民区", kind=Area.Kind.COMMUNITY, parent=grid_2
    )
    unit_a = unit_create(
        actor=None, name="上海市作家协会", kind=Unit.Kind.SOCIAL_ORGANISATION, area=community_a
    )
    unit_b = unit_create(
        actor=None, name="公惠医院", kind=Unit.Kind.PUBLIC_INSTITUTION, area=community_b
    )
    party_org_a = party_org_create(
        actor=None,
        name="上海市作家协会机关党委",
        kind=PartyOrg.Kind.COMMITTEE,
        unit=unit_a,
        member_count=120,
    )
    person_a = person_create(
        actor=None,
        name="金晓东",
        mobile="13700000001",
        id_number="11010519491231002X",
        home_community=community_a,
        is_party_member=True,
    )
    place_a = place_create(
        actor=None, name="恒隆广场", kind=Place.Kind.OFFICE_BUILDING, area=community_a
    )
    alliance = alliance_create(
        actor=None, name="文化联盟", kind=Alliance.Kind.CULTURE, area=subdistrict, lead_unit=unit_a
    )
    alliance_add_member(actor=None, alliance=alliance, unit=unit_a)
    joint_meeting = joint_meeting_create(
        actor=None, name="第一网格区域化党建联席会议", level=JointMeeting.Level.GRID, area=grid_1
    )
    joint_meeting_add_member(actor=None, joint_meeting=joint_meeting, unit=unit_b)
    return World(
        district=district,
        subdistrict=subdistrict,
        grid_1=grid_1,
        grid_2=grid_2,
        community_a=community_a,
        community_b=community_b,
        community_c=community_c,
        unit_a=unit_a,
        unit_b=unit_b,
        party_org_a=party_org_a,
        person_a=person_a,
        place_a=place_a,
        alliance=alliance,
        joint_meeting=joint_meeting,
        admin=make_user("平台管理员", "13900000000", Role.PLATFORM_ADMIN, area=district),
        officer=make_user("周晓岚", "13900000001", Role.SUBDISTRICT_STAFF, area=subdistrict),
        coordinator=make_user("陈立群", "13900000002", Role.GRID_COORDINATOR, area=grid_1),
        secretary_a=make_user("沈美华", "13900000003", Role.COMMUNITY_SECRETARY, area=community_a),
        secretary_b=make_user("陆海峰", "13900000004", Role.COMMUNITY_SECRETARY, area=community_b),
        liaison=make_user("顾文静", "13900000005", Role.UNIT_LIAISON, unit=unit_a),
        member=make_user("吴志远", "13900000006", Role.MEMBER, area=community_a),
        outsider=make_user("路人甲", "13900000007"),
    )


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture(autouse=True)
def _sms_outbox():
    from fumin.notifications.sms import MemorySmsBackend

    MemorySmsBackend.outbox.clear()
    yield MemorySmsBackend.outbox


@pytest.fixture
def sms_outbox(_sms_outbox):
    return _sms_outbox
