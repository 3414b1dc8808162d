"""Turning one Excel cell into one value, or into a reason why not.

Reasons are English source strings (marked for translation with ``gettext_noop``) plus
parameters. They are stored that way and translated when shown, so a job's errors read in
Chinese on a Chinese page. Where the registry already words a rule (mobile numbers, ID numbers,
credit codes), the same source string is used, so the same rule reads the same everywhere.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_noop
from stdnum.cn import uscc

from fumin.core.phones import normalize_mobile
from fumin.registry.services import normalize_id_number, unit_clean_credit_code

from .columns import NO, YES

# Cells
REQUIRED = gettext_noop("This column must be filled in.")
TOO_LONG = gettext_noop("Too long: at most %(limit)d characters.")
NOT_A_CHOICE = gettext_noop("Not an allowed value; use one of: %(allowed)s.")
NOT_A_COUNT = gettext_noop("Enter a whole number, 0 or more.")
NOT_YES_NO = gettext_noop("Enter 是 or 否.")
INVALID_MOBILE = gettext_noop(
    "Enter a valid mainland China mobile number (11 digits, starting with 1)."
)
ID_LENGTH = gettext_noop("A resident ID number has 18 characters.")
ID_INVALID = gettext_noop(
    "This resident ID number is not valid (check the date and the last character)."
)
ID_AS_NUMBER = gettext_noop(
    "Excel stored this ID number as a number and lost its last digits; format the column as "
    "text and type the number again."
)
INVALID_CREDIT_CODE = gettext_noop("Not a valid unified social credit code (18 characters).")

# Rows and references
DUPLICATE_CODE = gettext_noop("The same credit code is already in row %(row)d.")
DUPLICATE_MOBILE = gettext_noop("The same mobile number is already in row %(row)d.")
DUPLICATE_ID = gettext_noop("The same resident ID number is already in row %(row)d.")
DUPLICATE_NAME = gettext_noop("The same name and owner are already in row %(row)d.")
AREA_UNKNOWN = gettext_noop("No area of this name is registered.")
COMMUNITY_UNKNOWN = gettext_noop("No residential community of this name is registered.")
AREA_OUTSIDE = gettext_noop("This area is outside your scope.")
AREA_AMBIGUOUS = gettext_noop("Several areas in your scope have this name.")
PLACE_UNKNOWN = gettext_noop(
    "No office building or commercial district of this name is in your scope."
)
PLACE_AMBIGUOUS = gettext_noop("Several office buildings or commercial districts have this name.")
UNIT_UNKNOWN = gettext_noop(
    "No unit found: give its credit code (units outside your scope are found by code only)."
)
UNIT_AMBIGUOUS = gettext_noop("Several units have this name; give the credit code instead.")
UNIT_OUTSIDE = gettext_noop("This unit is outside your scope.")
UNIT_NAME_TAKEN = gettext_noop(
    "Several units of this name are registered in this area; give the credit code."
)
ORG_UNKNOWN = gettext_noop("No party organisation of this name was found.")
ORG_AMBIGUOUS = gettext_noop("Several party organisations have this name.")
OWNER_MISSING = gettext_noop("Fill in %(unit)s or %(community)s.")
OWNER_BOTH = gettext_noop("Fill in only one of %(unit)s and %(community)s.")
PARENT_SELF = gettext_noop("An organisation cannot be its own parent.")
PARENT_LOOP = gettext_noop("This would make a loop of parents.")
RECORD_OUTSIDE = gettext_noop("This record is registered in an area outside your scope.")
PERSON_NO_KEY = gettext_noop(
    "Give a mobile number or a resident ID number, so the person can be found again."
)
PERSON_NO_AREA = gettext_noop("Give the residential community, or a work unit in your scope.")
MOBILE_TAKEN = gettext_noop("This mobile number belongs to another registered person.")
ID_CONFLICT = gettext_noop(
    "The person registered with this mobile number has a different resident ID number."
)
ORG_BUT_NOT_MEMBER = gettext_noop("A party organisation is given, but %(column)s says 否.")

# The whole file
NOT_ALLOWED = gettext_noop("You may not change registry records.")
CHANGED_MEANWHILE = gettext_noop(
    "Records changed while this file was being imported, so nothing was changed. Import the "
    "file again."
)
UNEXPECTED = gettext_noop("The import stopped because of an unexpected error; nothing was changed.")


class CellError(Exception):
    def __init__(self, message: str, params: dict | None = None):
        super().__init__(message)
        self.message, self.params = message, params


def text(value) -> str:
    """A cell as trimmed text. Whole numbers typed into number cells lose their ``.0``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    return str(value).strip()


def limited(value, limit: int) -> str:
    result = text(value)
    if len(result) > limit:
        raise CellError(TOO_LONG, {"limit": limit})
    return result


def choice(value, lookup: dict[str, str], labels) -> str | None:
    """The code for a label or code in ``lookup``; None when the cell is empty."""
    key = text(value)
    if not key:
        return None
    code = lookup.get(key) or lookup.get(key.lower())
    if code is None:
        raise CellError(NOT_A_CHOICE, {"allowed": "、".join(labels)})
    return code


def choice_lookup(labels: dict, aliases: dict | None = None) -> dict[str, str]:
    lookup = {str(code): str(code) for code in labels}
    lookup.update({label: str(code) for code, label in labels.items()})
    lookup.update({alias: str(code) for alias, code in (aliases or {}).items()})
    return lookup


YES_NO = {YES: True, NO: False, "y": True, "n": False, "yes": True, "no": False,
          "true": True, "false": False, "1": True, "0": False, "是的": True}  # fmt: skip


def yes_no(value) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    key = text(value).lower()
    if not key:
        return None
    if key not in YES_NO:
        raise CellError(NOT_YES_NO)
    return YES_NO[key]


def count(value) -> int | None:
    if isinstance(value, bool):
        raise CellError(NOT_A_COUNT)
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        raw = text(value)
        if not raw:
            return None
        if not raw.isdigit():
            raise CellError(NOT_A_COUNT)
        number = int(raw)
    if number < 0 or number > 2_147_483_647:
        raise CellError(NOT_A_COUNT)
    return number


# Whether a number is a valid mainland mobile number is decided by libphonenumber's patterns,
# which look at the leading digits only (five at most today, while operators are given blocks of
# seven: 1xx-xxxx). So the answer for one 11-digit number starting with 1 holds for its whole
# 7-digit block, and a large import asks libphonenumber once per block instead of once per row
# (test_cells compares the two on random numbers).
_MOBILE_BLOCKS: dict[str, bool] = {}


def mobile(value) -> str | None:
    raw = text(value)
    if not raw:
        return None
    if len(raw) == 11 and raw[0] == "1" and raw.isdigit() and raw.isascii():
        valid = _MOBILE_BLOCKS.get(raw[:7])
        if valid is None:
            valid = _normalized(raw) == raw
            if len(_MOBILE_BLOCKS) < 200_000:
                _MOBILE_BLOCKS[raw[:7]] = valid
        if not valid:
            raise CellError(INVALID_MOBILE)
        return raw
    normalized = _normalized(raw)
    if normalized is None:
        raise CellError(INVALID_MOBILE)
    return normalized


def _normalized(raw: str) -> str | None:
    try:
        return normalize_mobile(raw)
    except ValidationError:
        return None


def id_number(value) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # 18 digits do not fit in Excel's numbers: the last three are already gone.
        raise CellError(ID_AS_NUMBER)
    raw = text(value)
    if not raw:
        return None
    try:
        return normalize_id_number(raw)
    except ValidationError as exc:
        compact = raw.replace(" ", "")
        raise CellError(ID_LENGTH if len(compact) != 18 else ID_INVALID) from exc


def credit_code(value) -> str | None:
    code = unit_clean_credit_code(text(value))
    if code is None:
        return None
    try:
        return uscc.validate(code)
    except Exception as exc:  # stdnum raises several ValidationError subclasses
        raise CellError(INVALID_CREDIT_CODE) from exc


def looks_like_credit_code(value: str) -> bool:
    """An 18-character reference in a unit column is taken for a credit code, else a name."""
    compact = value.replace(" ", "").replace("-", "")
    return len(compact) == 18 and compact.isascii() and compact.isalnum()
