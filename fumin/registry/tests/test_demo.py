from django.core.management import call_command

from fumin.accounts.models import RoleAssignment, User
from fumin.registry.models import Alliance, Area, JointMeeting, PartyOrg, Person, Unit


def counts():
    return [
        m.objects.count()
        for m in (Area, Unit, PartyOrg, Person, Alliance, JointMeeting, User, RoleAssignment)
    ]


def test_the_demo_world_is_the_articles_and_loads_once(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    first = counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert counts() == first
    subdistrict = Area.objects.get(name="南京西路街道")
    assert subdistrict.children.count() == 4
    communities = set(Area.objects.filter(kind="community").values_list("name", flat=True))
    assert {"华业居民区", "威海居民区", "重华居民区", "陕南居民区"} <= communities
    assert Alliance.objects.filter(kind__in=["school", "culture", "property"]).count() == 3
    assert JointMeeting.objects.filter(name="兴业太古汇商圈党建联席会议", level="place").exists()
    assert Unit.objects.filter(name="中共二大会址纪念馆").exists()
    assert Person.objects.filter(consent_method="演示数据").count() == 240
