"""In-service party members' registrations (在职党员报到): bulk import by a unit or a community.

The registry's import rules apply: every cell checked, every bad row reported, all or nothing,
people found again by resident ID number (keyed hash), else by mobile number. Each good row
registers the person with the residential community they live in, waiting for the community's
confirmation:

- a person not yet registered is created (party member, living in that community, working in the
  unit) and gets a waiting registration;
- a registered person without a waiting or confirmed registration gets one, and their record is
  brought up to date (community, unit, party organisation) as ``member_register`` does;
- a person who already has a waiting or confirmed registration is left as they are and counted
  *unchanged*, so importing the same file again changes nothing.

Who may import: a unit liaison, for the members of their own unit(s), with any residential
community of the unit's subdistrict (people register where they live, which may lie outside the
liaison's scope); community, grid and subdistrict staff, for people living in their scope, with
any registered unit. The registrations are written by ``fumin.registration.bulk``.
"""

from django.utils.translation import gettext_noop

from fumin.accounts.models import Role
from fumin.accounts.scope import Capability, Scope
from fumin.core import crypto
from fumin.registration.bulk import member_registrations_import_apply
from fumin.registration.models import ACTIVE, MemberRegistration
from fumin.registry.models import Area, PartyOrg, Person, Unit

from . import cells
from .cells import CellError
from .columns import MEMBER_REGISTRATIONS
from .importing import BAD, Counts, Importer, Plan, changed, first_seen
from .lookups import PartyOrgNames, UnitRefs, in_scope, rows_in

UNIT_NEEDED = gettext_noop("Give the work unit: its credit code or exact name.")
UNIT_NOT_YOURS = gettext_noop("You may register the members of your own unit only.")
OTHER_SUBDISTRICT = gettext_noop(
    "This residential community is not in the subdistrict of the work unit."
)
ORG_OTHER_UNIT = gettext_noop("This party organisation belongs to another unit.")

EXISTING = ("pk", "mobile", "id_number_hash", "home_community_id", "work_unit_id",
            "is_party_member", "party_org_id", "skills")  # fmt: skip
COMPARED = EXISTING[3:8]


def liaison_units(scope: Scope) -> frozenset[int]:
    """The units the viewer is the liaison of."""
    return scope.unit_ids if Role.UNIT_LIAISON in scope.roles else frozenset()


def may_import(scope: Scope) -> bool:
    return scope.can(Capability.EDIT_REGISTRY) or bool(liaison_units(scope))


class MemberRegistrationImporter(Importer):
    spec = MEMBER_REGISTRATIONS

    @property
    def allowed(self) -> bool:
        return may_import(self.scope)

    def parse(self, number, row):
        cell = self.cell
        name = self.text(number, row, "name", 200, required=True)
        mobile = cell(number, row, "mobile", cells.mobile)
        id_number = cell(number, row, "id_number", cells.id_number)
        if mobile is None and id_number is None:
            self.error(number, "mobile", cells.PERSON_NO_KEY)
            mobile = BAD
        community = self.text(number, row, "community", 200, required=True)
        unit = self.text(number, row, "unit", 200)
        org = self.text(number, row, "party_org", 200)
        skills = self.text(number, row, "skills", 300)
        intent = self.text(number, row, "service_intent", 300)
        id_hash = crypto.keyed_hash(id_number) if id_number and id_number is not BAD else None
        values = (number, name, mobile, id_number, id_hash, community, unit, org, skills, intent)
        return None if BAD in values else values

    def plan(self) -> Plan:
        rows, scope = self.rows, self.scope
        mine = liaison_units(scope)
        staff = scope.can(Capability.EDIT_REGISTRY)
        units = UnitRefs(self.actor, {r[6] for r in rows if r[6]})
        default_unit = None
        if len(mine) == 1:
            default_unit = next(
                iter(
                    Unit.objects.filter(pk__in=mine, archived_at__isnull=True).values_list(
                        "pk", "area__path"
                    )
                ),
                None,
            )
        # Residential communities by name: (id, path, grid id).
        communities: dict[str, list[tuple]] = {}
        active = Area.objects.filter(kind=Area.Kind.COMMUNITY, archived_at__isnull=True)
        for pk, name, path, parent in rows_in(
            active, "name", {r[5] for r in rows}, "pk", "name", "path", "parent_id"
        ):
            communities.setdefault(name, []).append((pk, path, parent))
        subdistricts = list(
            Area.objects.filter(kind=Area.Kind.SUBDISTRICT).values_list("path", flat=True)
        )

        def subdistrict_of(path: str) -> str | None:
            return next((p for p in subdistricts if path.startswith(p)), None)

        resolved: list = []  # (row, unit) of the rows whose unit was found
        for row in rows:
            try:
                unit = units.resolve(row[6]) if row[6] else default_unit
            except CellError:
                unit = None
            resolved.append(unit)
        unit_ids = {unit[0] for unit in resolved if unit}
        orgs = PartyOrgNames(self.actor, {r[7] for r in rows if r[7]}, unit_ids)
        owners = {pk: owner for found in orgs.by_name.values() for pk, owner in found.items()}
        single_org: dict[int, int | None] = {}
        for unit_id, org_id in rows_in(
            PartyOrg.objects.filter(archived_at__isnull=True), "unit_id", unit_ids, "unit_id", "pk"
        ):
            single_org[unit_id] = None if unit_id in single_org else org_id

        everyone = Person.objects.all()
        hashes = {r[4] for r in rows if r[4]}
        by_hash = {p[2]: p for p in rows_in(everyone, "id_number_hash", hashes, *EXISTING)}
        by_mobile = {p[1]: p for p in by_hash.values() if p[1]}
        others = {r[2] for r in rows if r[2]} - by_mobile.keys()
        by_mobile.update((p[1], p) for p in rows_in(everyone, "mobile", others, *EXISTING))
        found_ids = {p[0] for p in by_hash.values()} | {p[0] for p in by_mobile.values()}
        registered = {
            pk
            for (pk,) in rows_in(
                MemberRegistration.objects.filter(status__in=ACTIVE),
                "person_id",
                found_ids,
                "person_id",
            )
        }

        plan, seen_mobiles, seen_ids = Plan(), {}, {}
        for row, unit in zip(rows, resolved, strict=True):
            number, name, mobile, id_number, id_hash, community, unit_ref, org = row[:8]
            skills, intent = row[8], row[9]
            earlier = first_seen(seen_ids, id_hash, number)
            if earlier is not None:
                self.error(number, "id_number", cells.DUPLICATE_ID, {"row": earlier})
                continue
            earlier = first_seen(seen_mobiles, mobile, number)
            if earlier is not None:
                self.error(number, "mobile", cells.DUPLICATE_MOBILE, {"row": earlier})
                continue
            # The work unit: named, or the liaison's only unit.
            if unit is None:
                if unit_ref:
                    try:
                        units.resolve(unit_ref)
                    except CellError as problem:
                        self.error(number, "unit", problem.message, problem.params)
                else:
                    self.error(number, "unit", UNIT_NEEDED)
                continue
            own_unit = unit[0] in mine
            if not (own_unit or staff):
                self.error(number, "unit", UNIT_NOT_YOURS)
                continue
            # The community: where the member lives, in the staff's scope or in the subdistrict
            # of the liaison's unit.
            candidates = communities.get(community)
            if not candidates:
                self.error(number, "community", cells.COMMUNITY_UNKNOWN)
                continue
            home_district = subdistrict_of(unit[1] or "") if own_unit else None
            allowed = [
                c
                for c in candidates
                if (staff and in_scope(scope, c[1]))
                or (home_district and c[1].startswith(home_district))
            ]
            if not allowed:
                problem = OTHER_SUBDISTRICT if own_unit and not staff else cells.AREA_OUTSIDE
                self.error(number, "community", problem)
                continue
            if len(allowed) > 1:
                self.error(number, "community", cells.AREA_AMBIGUOUS)
                continue
            home = allowed[0]
            org_id = None
            if org:
                try:
                    org_id = orgs.resolve(org, unit_id=unit[0], community_id=home[0])
                except CellError as problem:
                    self.error(number, "party_org", problem.message, problem.params)
                    continue
                if owners[org_id][0] not in (None, unit[0]):
                    self.error(number, "party_org", ORG_OTHER_UNIT)
                    continue
            # The person: by ID number, else by mobile number.
            existing = by_hash.get(id_hash) if id_hash else None
            with_mobile = by_mobile.get(mobile) if mobile else None
            if existing is None and with_mobile is not None:
                if id_hash and with_mobile[2] and with_mobile[2] != id_hash:
                    self.error(number, "id_number", cells.ID_CONFLICT)
                    continue
                existing = with_mobile
            elif existing is not None and with_mobile is not None and with_mobile is not existing:
                self.error(number, "mobile", cells.MOBILE_TAKEN)
                continue
            if existing is not None and existing[0] in registered:
                plan.unchanged += 1  # already waiting or confirmed: nothing to do
                continue
            if org_id is None and not (existing and existing[6]):
                org_id = single_org.get(unit[0])
            registration = {
                "community_id": home[0],
                "grid_id": home[2],
                "work_unit_id": unit[0],
                "party_org_id": org_id,
                "specialities": skills or "",
                "service_intent": intent or "",
                "channel": (
                    MemberRegistration.Channel.UNIT
                    if home_district and home[1].startswith(home_district)
                    else MemberRegistration.Channel.COMMUNITY
                ),
            }
            if existing is None:
                registration["person"] = {
                    "name": name,
                    "mobile": mobile,
                    "id_number": id_number,
                    "home_community_id": home[0],
                    "work_unit_id": unit[0],
                    "is_party_member": True,
                    "party_org_id": org_id,
                    "skills": skills or "",
                }
            else:
                registration["person_id"] = existing[0]
                wanted = {
                    "home_community_id": home[0],
                    "work_unit_id": unit[0],
                    "is_party_member": True,
                    "party_org_id": org_id,
                    "skills": skills,
                }
                differences = changed(dict(zip(COMPARED, existing[3:8], strict=True)), wanted)
                if mobile and mobile != existing[1]:
                    differences["mobile"] = mobile
                if id_hash and not existing[2]:
                    differences["id_number"] = id_number
                if differences:
                    plan.updates.append((existing[0], differences))
            plan.creates.append(registration)
        return plan

    def apply(self, plan: Plan, *, source=None) -> Counts:
        created, _people = member_registrations_import_apply(
            actor=self.actor,
            registrations=plan.creates,
            person_updates=plan.updates,
            source=source,
        )
        return Counts(created=created, updated=0, unchanged=plan.unchanged)
