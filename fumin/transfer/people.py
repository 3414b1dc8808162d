"""People (人员): import and export.

A row matches a registered person by resident ID number (its keyed hash: numbers are never
decrypted to compare), else by mobile number. Rows must give one of the two, so a second import
of the same file finds every person again.
"""

from fumin.accounts.scope import Capability, scope_of
from fumin.core import crypto
from fumin.core.masking import mask_mobile
from fumin.registry.models import Area, Person
from fumin.registry.selectors import person_list
from fumin.registry.services import people_import_apply

from . import cells
from .cells import CellError
from .columns import GENDER_LABELS, NO, PEOPLE, YES
from .importing import BAD, Counts, Importer, Plan, changed, first_seen
from .lookups import AreaNames, PartyOrgNames, UnitRefs, in_scope, rows_in

GENDERS = cells.choice_lookup(GENDER_LABELS, {"男性": "male", "女性": "female"})
EXISTING = ("pk", "mobile", "id_number_hash", "name", "gender", "home_community_id",
            "work_unit_id", "is_party_member", "party_org_id", "skills", "home_community__path",
            "work_unit__area__path")  # fmt: skip
COMPARED = EXISTING[3:10]


class PersonImporter(Importer):
    spec = PEOPLE

    def parse(self, number, row):
        cell = self.cell
        name = self.text(number, row, "name", 200, required=True)
        mobile = cell(number, row, "mobile", cells.mobile)
        id_number = cell(number, row, "id_number", cells.id_number)
        if mobile is None and id_number is None:
            self.error(number, "mobile", cells.PERSON_NO_KEY)
            mobile = BAD
        gender = cell(number, row, "gender", cells.choice, GENDERS, GENDER_LABELS.values())
        community = self.text(number, row, "community", 200)
        unit = self.text(number, row, "unit", 200)
        member = cell(number, row, "is_party_member", cells.yes_no)
        org = self.text(number, row, "party_org", 200)
        if org and member is False:
            column = self.headers["is_party_member"]
            self.error(number, "is_party_member", cells.ORG_BUT_NOT_MEMBER, {"column": column})
            member = BAD
        skills = self.text(number, row, "skills", 300)
        id_hash = crypto.keyed_hash(id_number) if id_number and id_number is not BAD else None
        values = (number, name, mobile, id_number, id_hash, gender, community, unit, member, org,
                  skills)  # fmt: skip
        return None if BAD in values else values

    def plan(self) -> Plan:
        rows = self.rows
        communities = AreaNames(
            self.scope,
            {r[6] for r in rows if r[6]},
            (Area.Kind.COMMUNITY,),
            unknown=cells.COMMUNITY_UNKNOWN,
        )
        units = UnitRefs(self.actor, {r[7] for r in rows if r[7]})
        org_units = set()
        for row in rows:
            if row[9] and row[7]:
                try:
                    org_units.add(units.resolve(row[7])[0])
                except CellError:
                    pass
        orgs = PartyOrgNames(self.actor, {r[9] for r in rows if r[9]}, org_units)
        everyone = Person.objects.all()
        hashes = {r[4] for r in rows if r[4]}
        by_hash = {p[2]: p for p in rows_in(everyone, "id_number_hash", hashes, *EXISTING)}
        by_mobile = {p[1]: p for p in by_hash.values() if p[1]}
        others = {r[2] for r in rows if r[2]} - by_mobile.keys()
        by_mobile.update((p[1], p) for p in rows_in(everyone, "mobile", others, *EXISTING))

        plan, seen_mobiles, seen_ids = Plan(), {}, {}
        for row in rows:
            number, name, mobile, id_number, id_hash, gender, community, unit, member, org = row[
                :10
            ]
            skills = row[10]
            earlier = first_seen(seen_ids, id_hash, number)
            if earlier is not None:
                self.error(number, "id_number", cells.DUPLICATE_ID, {"row": earlier})
                continue
            earlier = first_seen(seen_mobiles, mobile, number)
            if earlier is not None:
                self.error(number, "mobile", cells.DUPLICATE_MOBILE, {"row": earlier})
                continue
            try:
                key = "community"
                home = communities.resolve(community) if community else None
                key = "unit"
                work = units.resolve(unit) if unit else None
                key = "party_org"
                org_id = None
                if org:
                    org_id = orgs.resolve(
                        org, unit_id=work and work[0], community_id=home and home[0]
                    )
            except CellError as problem:
                self.error(number, key, problem.message, problem.params)
                continue
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
            wanted = {
                "name": name,
                "gender": gender,
                "home_community_id": home and home[0],
                "work_unit_id": work and work[0],
                "is_party_member": True if org_id and member is None else member,
                "party_org_id": org_id,
                "skills": skills,
            }
            if existing is None:
                path = home[1] if home else work and work[1]
                if not in_scope(self.scope, path):
                    self.error(number, "community", cells.PERSON_NO_AREA)
                    continue
                plan.creates.append(
                    {
                        **wanted,
                        "mobile": mobile,
                        "id_number": id_number,
                        "gender": gender or "",
                        "is_party_member": bool(wanted["is_party_member"]),
                        "skills": skills or "",
                    }
                )
                continue
            now_path = existing[10] or existing[11]
            after_path = home[1] if home else now_path if existing[10] else work and work[1]
            if not (
                in_scope(self.scope, now_path) and in_scope(self.scope, after_path or now_path)
            ):
                self.error(number, "name", cells.RECORD_OUTSIDE)
                continue
            differences = changed(dict(zip(COMPARED, existing[3:10], strict=True)), wanted)
            if mobile and mobile != existing[1]:
                differences["mobile"] = mobile
            if id_hash and not existing[2]:
                differences["id_number"] = id_number
            if differences:
                plan.updates.append((existing[0], differences))
            else:
                plan.unchanged += 1
        return plan

    def apply(self, plan: Plan, *, source=None) -> Counts:
        created, updated = people_import_apply(
            actor=self.actor, creates=plan.creates, updates=plan.updates, source=source
        )
        return Counts(created=created, updated=updated, unchanged=plan.unchanged)


def export_rows(*, viewer, text: str = "", kind: str = "", unmask: bool = False):
    """The people the viewer can see, as rows of the import's columns.

    Mobile and ID numbers are masked, unless ``unmask`` (the caller checked the right; the export
    is audited) and the person lives or works in the viewer's areas, the rule for showing one
    person's number on screen.
    """
    scope = scope_of(viewer)
    unmask = unmask and scope.can(Capability.UNMASK_PERSONAL_DATA)
    people = person_list(viewer=viewer, text=text, party_members_only=kind == "party_members")
    people = people.select_related("work_unit__area").order_by("name_pinyin", "pk")
    for person in people.iterator(chunk_size=2000):
        area = person.home_community or (person.work_unit.area if person.work_unit_id else None)
        if unmask and scope.contains_area(area):
            mobile = person.mobile or ""
            id_number = crypto.decrypt(person.id_number_encrypted) if person.id_number_hash else ""
        else:
            mobile, id_number = mask_mobile(person.mobile or ""), person.id_number_masked
        unit = person.work_unit
        yield [
            person.name,
            mobile,
            id_number,
            GENDER_LABELS.get(person.gender, ""),
            person.home_community.name if person.home_community_id else "",
            (unit.credit_code or unit.name) if unit else "",
            YES if person.is_party_member else NO,
            person.party_org.name if person.party_org_id else "",
            person.skills,
        ]
