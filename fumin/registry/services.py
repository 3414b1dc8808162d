"""Writes to the registry. Every page, API endpoint and command creates areas and units here."""

from django.db import transaction

from fumin.audit.services import audit_change

from .models import PATH_STEP, Area, Unit

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def _encode_step(number: int) -> str:
    text = ""
    while number:
        number, rest = divmod(number, 36)
        text = _DIGITS[rest] + text
    return text.rjust(PATH_STEP, "0")


def _next_child_path(parent: Area | None) -> str:
    siblings = Area.objects.filter(parent=parent) if parent else Area.objects.filter(parent=None)
    last = siblings.select_for_update().order_by("-path").values_list("path", flat=True).first()
    next_number = int(last[-PATH_STEP:], 36) + 1 if last else 1
    return (parent.path if parent else "") + _encode_step(next_number)


@transaction.atomic
def area_create(*, actor, name: str, kind: str, parent: Area | None = None, code: str = "") -> Area:
    area = Area(name=name, kind=kind, parent=parent, code=code)
    area.full_clean(exclude=["path", "name_pinyin", "name_initials"])
    area.path = _next_child_path(parent)
    area.depth = len(area.path) // PATH_STEP - 1
    area.save()
    audit_change(actor=actor, action="create", target=area, after={"name": name, "kind": kind})
    return area


@transaction.atomic
def unit_create(
    *, actor, name: str, kind: str, area: Area, credit_code: str | None = None, address: str = ""
) -> Unit:
    unit = Unit(name=name, kind=kind, area=area, credit_code=credit_code or None, address=address)
    unit.full_clean(exclude=["name_pinyin", "name_initials"])
    unit.save()
    audit_change(
        actor=actor,
        action="create",
        target=unit,
        after={"name": name, "kind": kind, "area": area.name, "credit_code": unit.credit_code},
    )
    return unit
