import pytest

from fumin.accounts.models import User
from fumin.core.masking import mask_id_number, mask_mobile
from fumin.core.search import search_by_name


def test_phone_and_id_masks_keep_only_what_identifies_the_record_to_staff():
    assert mask_mobile("13812345678") == "138****5678"
    assert mask_id_number("310101199001011234") == "3101**********1234"
    assert mask_mobile("") == "" and mask_id_number("") == ""


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["沈美华", "美华", "shenmeihua", "shen", "smh", "SMH"])
def test_names_are_found_by_characters_full_pinyin_and_initials(query):
    User.objects.create_user("13900000003", name="沈美华")
    User.objects.create_user("13900000004", name="陆海峰")
    found = search_by_name(User.objects.all(), query)
    assert [u.name for u in found] == ["沈美华"]


@pytest.mark.django_db
def test_names_sort_by_pinyin_not_by_code_point():
    for mobile, name in [("13900000001", "周"), ("13900000002", "安"), ("13900000003", "陈")]:
        User.objects.create_user(mobile, name=name)
    assert [u.name for u in User.objects.order_by("name_pinyin")] == ["安", "陈", "周"]


@pytest.mark.django_db
def test_renaming_with_update_fields_keeps_the_pinyin_in_step():
    user = User.objects.create_user("13900000003", name="沈美华")
    user.name = "陆海峰"
    user.save(update_fields=["name"])
    user.refresh_from_db()
    assert (user.name_pinyin, user.name_initials) == ("luhaifeng", "lhf")
