import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from stdnum.cn import ric

from fumin.audit.models import AuditEntry
from fumin.core import crypto
from fumin.registry import services
from fumin.registry.demo import synthetic_credit_code, synthetic_id_number
from fumin.registry.models import PartyOrg, Person, Unit

VALID_ID = "11010519491231002X"


def test_an_id_number_is_stored_encrypted_hashed_and_masked(world):
    body = "31010619800512123"
    id_number = body + ric.calc_check_digit(body + "0")  # stdnum ignores the last character
    person = services.person_create(
        actor=world.secretary_a,
        name="王芳",
        id_number=id_number.lower(),
        home_community=world.community_a,
    )
    stored = Person.objects.get(pk=person.pk)
    assert id_number not in stored.id_number_encrypted
    assert crypto.decrypt(stored.id_number_encrypted) == id_number
    assert stored.id_number_hash == crypto.keyed_hash(id_number)
    assert stored.id_number_masked == id_number[:4] + "*" * 10 + id_number[-4:]
    logged = AuditEntry.objects.filter(target_type="registry.person", target_id=str(person.pk))
    assert logged.exists() and id_number not in str(list(logged.values()))


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("110105194912310021", "not valid"),
        ("11010519491231", "18 characters"),
        ("110105491231002", "18 characters"),
    ],
)
def test_bad_id_numbers_are_refused_naming_the_field(world, raw, reason):
    with pytest.raises(ValidationError) as error:
        services.person_create(actor=None, name="王芳", id_number=raw)
    assert "id_number" in error.value.message_dict


def test_the_same_person_is_not_registered_twice_by_id_number_or_mobile(world):
    with pytest.raises(ValidationError) as error:
        services.person_create(actor=None, name="金晓东", id_number=VALID_ID)
    assert "id_number" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.person_create(actor=None, name="金晓东", mobile="+86 137 0000 0001")
    assert "mobile" in error.value.message_dict
    assert Person.objects.filter(name="金晓东").count() == 1


def test_chinese_names_of_any_length_are_kept_whole(world):
    for name in ["王", "欧阳娜娜", "阿卜杜热合曼·买买提明"]:
        person = services.person_create(actor=None, name=name)
        assert Person.objects.get(pk=person.pk).name == name


def test_credit_codes_are_validated_and_normalised(world):
    code = synthetic_credit_code(7)
    unit = services.unit_create(
        actor=None,
        name="测试公司",
        kind="new_economic",
        area=world.community_a,
        credit_code=f" {code[:9]}-{code[9:]} ",
    )
    assert unit.credit_code == code
    with pytest.raises(ValidationError) as error:
        services.unit_create(
            actor=None,
            name="错误代码公司",
            kind="enterprise",
            area=world.community_a,
            credit_code=code[:-1] + "0",
        )
    assert "credit_code" in error.value.message_dict


def test_a_secretary_edits_only_inside_their_community(world):
    services.unit_update(actor=world.secretary_a, unit=world.unit_a, address="延安中路1号")
    with pytest.raises(PermissionDenied):
        services.unit_update(actor=world.secretary_b, unit=world.unit_a, address="x")
    with pytest.raises(PermissionDenied):  # nor move a unit out of their scope
        services.unit_update(actor=world.secretary_a, unit=world.unit_a, area=world.community_b)
    with pytest.raises(PermissionDenied):
        services.unit_create(
            actor=world.liaison, name="x", kind="enterprise", area=world.community_a
        )


def test_an_update_records_only_what_changed(world):
    services.unit_update(
        actor=world.officer, unit=world.unit_a, address="延安中路1号", name=world.unit_a.name
    )
    updates = AuditEntry.objects.filter(
        action="update", target_type="registry.unit", target_id=str(world.unit_a.pk)
    )
    entry = updates.get()
    assert entry.changes == {"before": {"address": ""}, "after": {"address": "延安中路1号"}}
    services.unit_update(actor=world.officer, unit=world.unit_a, address="延安中路1号")
    assert updates.count() == 1


def test_archiving_keeps_the_record_and_hides_it_from_lists(world):
    from fumin.registry.selectors import unit_get, unit_list

    services.unit_archive(actor=world.officer, unit=world.unit_b)
    assert Unit.objects.filter(pk=world.unit_b.pk).exists()
    assert world.unit_b not in unit_list(viewer=world.officer)
    assert unit_get(viewer=world.officer, public_id=world.unit_b.public_id) == world.unit_b


def test_a_party_org_belongs_to_a_unit_or_a_community_not_both(world):
    with pytest.raises(ValidationError):
        services.party_org_create(
            actor=None,
            name="两头支部",
            kind="branch",
            unit=world.unit_a,
            community=world.community_a,
        )
    with pytest.raises(ValidationError):
        services.party_org_create(actor=None, name="无主支部", kind="branch")


def test_party_org_parents_cannot_loop(world):
    child = services.party_org_create(
        actor=None, name="第一支部", kind="branch", unit=world.unit_a, parent=world.party_org_a
    )
    with pytest.raises(ValidationError) as error:
        services.party_org_update(
            actor=world.officer, org=PartyOrg.objects.get(pk=world.party_org_a.pk), parent=child
        )
    assert "parent" in error.value.message_dict


def test_revealing_an_id_number_is_allowed_in_scope_and_audited(world):
    value = services.person_reveal(
        actor=world.secretary_a, person=world.person_a, field="id_number"
    )
    assert value == VALID_ID
    entry = AuditEntry.objects.get(action="view_unmasked")
    assert entry.note == "id_number" and entry.actor == world.secretary_a
    with pytest.raises(PermissionDenied):
        services.person_reveal(actor=world.secretary_b, person=world.person_a, field="id_number")
    with pytest.raises(PermissionDenied):
        services.person_reveal(actor=world.liaison, person=world.person_a, field="mobile")


def test_synthetic_demo_numbers_are_valid():
    import random

    from stdnum.cn import ric, uscc

    rng = random.Random(1)
    assert all(ric.is_valid(synthetic_id_number(rng)) for _ in range(20))
    assert all(uscc.is_valid(synthetic_credit_code(n)) for n in range(1, 20))


def test_memberships_are_kept_as_history(world):
    services.alliance_remove_member(actor=world.officer, alliance=world.alliance, unit=world.unit_a)
    membership = world.alliance.memberships.get(unit=world.unit_a)
    assert membership.left_on is not None
    services.alliance_add_member(actor=world.officer, alliance=world.alliance, unit=world.unit_a)
    assert world.alliance.memberships.filter(unit=world.unit_a).count() == 2
