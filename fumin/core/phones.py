"""Mainland mobile numbers: one normal form (11 digits) for storage, login and de-duplication."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

INVALID_MOBILE = _("Enter a valid mainland China mobile number (11 digits, starting with 1).")


def normalize_mobile(raw: str) -> str:
    """Return the 11-digit national form of a mainland mobile number, or raise ValidationError.

    Accepts spaces and dashes and the +86 / 0086 prefixes people paste from contact cards.
    """
    text = (raw or "").strip().replace(" ", "").replace("-", "")
    if text.startswith("0086"):
        text = "+86" + text[4:]
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(INVALID_MOBILE, code="invalid_mobile") from exc
    if (
        number.country_code != 86
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number)
        not in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        )
    ):
        raise ValidationError(INVALID_MOBILE, code="invalid_mobile")
    return str(number.national_number)


def validate_mobile(value: str) -> None:
    normalize_mobile(value)
