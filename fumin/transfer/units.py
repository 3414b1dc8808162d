"""Units (单位): import and export.

A row matches a registered unit by its credit code; a row without a code matches a unit of the
same exact name in the same area that has no code either.
"""

from collections import defaultdict

from fumin.accounts.scope import Capability, scope_of
from fumin.core.masking import mask_mobile
from fumin.registry.models import Area, Unit
from fumin.registry.selectors import unit_list
from fumin.registry.services import units_import_apply

from . import cells
from .cells import CellError
from .columns import UNIT_KIND_ALIASES, UNIT_KIND_LABELS, UNITS
from .importing import BAD, Counts, Importer, Plan, changed, first_seen
from .lookups import AreaNames, PlaceNames, in_scope, rows_in

KINDS = cells.choice_lookup(UNIT_KIND_LABELS, UNIT_KIND_ALIASES)
AREA_KINDS = (Area.Kind.SUBDISTRICT, Area.Kind.GRID, Area.Kind.COMMUNITY)
FIELDS = ("name", "kind", "credit_code", "area_id", "place_id", "address", "contact_name",
          "contact_phone")  # fmt: skip


class UnitImporter(Importer):
    spec = UNITS

    def parse(self, number, row):
        name = self.text(number, row, "name", 200, required=True)
        kind = self.cell(number, row, "kind", cells.choice, KINDS, UNIT_KIND_LABELS.values())
        if kind is None:
            self.error(number, "kind", cells.REQUIRED)
            kind = BAD
        code = self.cell(number, row, "credit_code", cells.credit_code)
        area = self.text(number, row, "area", 200, required=True)
        place = self.text(number, row, "place", 200)
        address = self.text(number, row, "address", 300)
        contact = self.text(number, row, "contact_name", 100)
        phone = self.text(number, row, "contact_phone", 30)
        values = (number, name, kind, code, area, place, address, contact, phone)
        return None if BAD in values else values

    def plan(self) -> Plan:
        rows = self.rows
        areas = AreaNames(self.scope, {r[4] for r in rows}, AREA_KINDS)
        places = PlaceNames(self.scope, {r[5] for r in rows if r[5]})
        columns = ("pk", *FIELDS, "area__path")
        units = Unit.objects.all()
        by_code = {
            u[3]: u for u in rows_in(units, "credit_code", {r[3] for r in rows if r[3]}, *columns)
        }
        by_name = defaultdict(list)  # (name, area id) -> units without a credit code
        uncoded = Unit.objects.filter(credit_code__isnull=True)
        for unit in rows_in(uncoded, "name", {r[1] for r in rows}, *columns):
            by_name[(unit[1], unit[4])].append(unit)

        plan, seen_codes, seen_names = Plan(), {}, {}
        for number, name, kind, code, area_name, place_name, address, contact, phone in rows:
            try:
                area_id, _path = areas.resolve(area_name)
            except CellError as problem:
                self.error(number, "area", problem.message, problem.params)
                continue
            place_id = None
            if place_name:
                try:
                    place_id = places.resolve(place_name)
                except CellError as problem:
                    self.error(number, "place", problem.message, problem.params)
                    continue
            earlier = first_seen(seen_codes, code, number)
            if earlier is None and not code:
                earlier = first_seen(seen_names, (name, area_id), number)
            if earlier is not None:
                key = "credit_code" if code else "name"
                message = cells.DUPLICATE_CODE if code else cells.DUPLICATE_NAME
                self.error(number, key, message, {"row": earlier})
                continue
            existing = by_code.get(code) if code else None
            if existing is None:
                namesakes = by_name.get((name, area_id), [])
                if len(namesakes) > 1:
                    self.error(number, "credit_code", cells.UNIT_NAME_TAKEN)
                    continue
                existing = namesakes[0] if namesakes else None
            wanted = {
                "name": name,
                "kind": kind,
                "credit_code": code,
                "area_id": area_id,
                "place_id": place_id,
                "address": address,
                "contact_name": contact,
                "contact_phone": phone,
            }
            if existing is None:
                blank = {"address": address or "", "contact_name": contact or ""}
                plan.creates.append({**wanted, **blank, "contact_phone": phone or ""})
                continue
            if not in_scope(self.scope, existing[-1]):
                self.error(number, "name", cells.RECORD_OUTSIDE)
                continue
            differences = changed(dict(zip(FIELDS, existing[1:-1], strict=True)), wanted)
            if differences:
                plan.updates.append((existing[0], differences))
            else:
                plan.unchanged += 1
        return plan

    def apply(self, plan: Plan, *, source=None) -> Counts:
        created, updated = units_import_apply(
            actor=self.actor, creates=plan.creates, updates=plan.updates, source=source
        )
        return Counts(created=created, updated=updated, unchanged=plan.unchanged)


def export_rows(*, viewer, text: str = "", kind: str = "", unmask: bool = False):
    """The units the viewer can see, as rows of the import's columns. Contact phones are masked
    unless ``unmask`` (the caller checked the right) and the unit lies in the viewer's areas."""
    scope = scope_of(viewer)
    unmask = unmask and scope.can(Capability.UNMASK_PERSONAL_DATA)
    units = unit_list(viewer=viewer, text=text, kind=kind).order_by("name_pinyin", "pk")
    for unit in units.iterator(chunk_size=2000):
        phone = unit.contact_phone
        if not (unmask and scope.contains_area(unit.area)):
            phone = mask_mobile(phone)
        yield [
            unit.name,
            UNIT_KIND_LABELS.get(unit.kind, unit.kind),
            unit.credit_code or "",
            unit.area.name,
            unit.place.name if unit.place_id else "",
            unit.address,
            unit.contact_name,
            phone,
        ]
