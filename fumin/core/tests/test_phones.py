import pytest
from django.core.exceptions import ValidationError

from fumin.core.phones import normalize_mobile


@pytest.mark.parametrize(
    "raw",
    ["13812345678", "+8613812345678", "008613812345678", "+86 138 1234 5678", "138-1234-5678"],
)
def test_mainland_mobile_numbers_in_common_forms_normalize_to_eleven_digits(raw):
    assert normalize_mobile(raw) == "13812345678"


@pytest.mark.parametrize(
    "raw", ["", "12345", "02112345678", "+85291234567", "1381234567", "138123456789", "abc"]
)
def test_landlines_foreign_and_malformed_numbers_are_refused(raw):
    with pytest.raises(ValidationError) as error:
        normalize_mobile(raw)
    assert error.value.code == "invalid_mobile"
