"""Party organisations (党组织): import and export.

A row matches a registered organisation of the same exact name and the same owner (its unit or
its residential community). A parent may be registered already or be another row of the file.
"""

from fumin.registry.models import Area, PartyOrg
from fumin.registry.selectors import party_org_list
from fumin.registry.services import party_orgs_import_apply

from . import cells
from .cells import CellError
from .columns import PARTY_ORG_KIND_LABELS, PARTY_ORGS
from .importing import BAD, Counts, Importer, Plan, first_seen
from .lookups import AreaNames, UnitRefs, in_scope, rows_in

KINDS = cells.choice_lookup(PARTY_ORG_KIND_LABELS)


class PartyOrgImporter(Importer):
    spec = PARTY_ORGS

    def parse(self, number, row):
        name = self.text(number, row, "name", 200, required=True)
        kind = self.cell(number, row, "kind", cells.choice, KINDS, PARTY_ORG_KIND_LABELS.values())
        if kind is None:
            self.error(number, "kind", cells.REQUIRED)
            kind = BAD
        unit = self.text(number, row, "unit", 200)
        community = self.text(number, row, "community", 200)
        owners = {"unit": self.headers["unit"], "community": self.headers["community"]}
        if unit is None and community is None:
            self.error(number, "unit", cells.OWNER_MISSING, owners)
            unit = BAD
        elif unit and community and BAD not in (unit, community):
            self.error(number, "community", cells.OWNER_BOTH, owners)
            community = BAD
        parent = self.text(number, row, "parent", 200)
        secretary = self.text(number, row, "secretary_name", 100)
        members = self.cell(number, row, "member_count", cells.count)
        values = (number, name, kind, unit, community, parent, secretary, members)
        return None if BAD in values else values

    def plan(self) -> Plan:
        rows = self.rows
        units = UnitRefs(self.actor, {r[3] for r in rows if r[3]})
        communities = AreaNames(
            self.scope,
            {r[4] for r in rows if r[4]},
            (Area.Kind.COMMUNITY,),
            unknown=cells.COMMUNITY_UNKNOWN,
        )
        columns = ("pk", "name", "unit_id", "community_id", "kind", "parent_id", "secretary_name",
                   "member_count")  # fmt: skip
        existing = {}
        for org in rows_in(PartyOrg.objects.all(), "name", {r[1] for r in rows}, *columns):
            existing.setdefault((org[1], org[2], org[3]), []).append(org)

        # First pass: each good row's owner and identity (a registered id or a new position).
        plan, seen, placed = Plan(), {}, []
        for number, name, kind, unit_ref, community, parent, secretary, members in rows:
            try:
                if unit_ref:
                    unit_id, path = units.resolve(unit_ref)
                    if not in_scope(self.scope, path):
                        raise CellError(cells.UNIT_OUTSIDE)
                    owner = (unit_id, None)
                else:
                    owner = (None, communities.resolve(community)[0])
            except CellError as problem:
                key = "unit" if unit_ref else "community"
                self.error(number, key, problem.message, problem.params)
                continue
            earlier = first_seen(seen, (name, *owner), number)
            if earlier is not None:
                self.error(number, "name", cells.DUPLICATE_NAME, {"row": earlier})
                continue
            matches = existing.get((name, *owner), [])
            if len(matches) > 1:
                self.error(number, "name", cells.ORG_AMBIGUOUS)
                continue
            if matches:
                identity = ("id", matches[0][0])
            else:
                identity = ("new", len(plan.creates))
                plan.creates.append(
                    {
                        "name": name,
                        "kind": kind,
                        "unit_id": owner[0],
                        "community_id": owner[1],
                        "secretary_name": secretary or "",
                        "member_count": members or 0,
                        "parent_id": None,
                    }
                )
            placed.append((number, name, identity, matches[0] if matches else None, kind,
                           parent, secretary, members))  # fmt: skip

        # Second pass: parents, which may be rows further down the file.
        parents = self._parents(placed)
        for number, _name, identity, current, kind, parent, secretary, members in placed:
            parent_node = None
            if parent:
                parent_node = parents.get(number)
                if parent_node is None:
                    continue  # its error is recorded
            if identity[0] == "new":
                create = plan.creates[identity[1]]
                if parent_node:
                    create["parent_id" if parent_node[0] == "id" else "parent_new"] = parent_node[1]
                continue
            _pk, _n, _u, _c, now_kind, now_parent, now_secretary, now_members = current
            differences = {}
            if kind != now_kind:
                differences["kind"] = kind
            if secretary is not None and secretary != now_secretary:
                differences["secretary_name"] = secretary
            if members is not None and members != now_members:
                differences["member_count"] = members
            if parent_node and parent_node != ("id", now_parent):
                key = "parent_id" if parent_node[0] == "id" else "parent_new"
                differences[key] = parent_node[1]
            if differences:
                plan.updates.append((identity[1], differences))
            else:
                plan.unchanged += 1
        return plan

    def apply(self, plan: Plan, *, source=None) -> Counts:
        created, updated = party_orgs_import_apply(
            actor=self.actor, creates=plan.creates, updates=plan.updates, source=source
        )
        return Counts(created=created, updated=updated, unchanged=plan.unchanged)

    def _parents(self, placed) -> dict:
        """Row number -> the parent's node (("id", pk) or ("new", position)), loops refused.

        A parent is found among the file's rows and among all registered organisations by exact
        name: linking up to an organisation outside one's scope changes nothing of it.
        """
        wanted = {row[5] for row in placed if row[5]}
        if not wanted:
            return {}
        candidates: dict[str, set] = {}
        for _number, name, identity, *_rest in placed:
            candidates.setdefault(name, set()).add(identity)
        active = PartyOrg.objects.filter(archived_at__isnull=True)
        for pk, name in rows_in(active, "name", wanted, "pk", "name"):
            candidates.setdefault(name, set()).add(("id", pk))
        resolved = {}
        for number, _name, identity, _current, _kind, parent, *_rest in placed:
            found = candidates.get(parent, set()) if parent else set()
            if not parent:
                continue
            if not found:
                self.error(number, "parent", cells.ORG_UNKNOWN)
            elif len(found) > 1:
                self.error(number, "parent", cells.ORG_AMBIGUOUS)
            elif identity in found:
                self.error(number, "parent", cells.PARENT_SELF)
            else:
                resolved[number] = next(iter(found))
        # A loop of parents goes through at least one row of the file: walk up from each row.
        registered_up = dict(
            PartyOrg.objects.filter(parent__isnull=False).values_list("pk", "parent_id")
        )
        up = {}
        for number, _name, identity, _current, _kind, parent, *_rest in placed:
            up[identity] = resolved.get(number) if parent else _up(registered_up, identity)
        limit = len(up) + len(registered_up) + 1
        for number, _name, identity, *_rest in placed:
            node, steps = resolved.get(number), 0
            while node is not None and steps < limit:
                if node == identity:
                    self.error(number, "parent", cells.PARENT_LOOP)
                    del resolved[number]
                    break
                node = up[node] if node in up else _up(registered_up, node)
                steps += 1
        return resolved


def _up(registered_up: dict, node):
    parent = registered_up.get(node[1]) if node[0] == "id" else None
    return ("id", parent) if parent else None


def export_rows(*, viewer, text: str = "", kind: str = "", unmask: bool = False):
    """The party organisations the viewer can see, as rows of the import's columns."""
    orgs = party_org_list(viewer=viewer, text=text, kind=kind).order_by("name_pinyin", "pk")
    for org in orgs.iterator(chunk_size=2000):
        unit = org.unit
        yield [
            org.name,
            PARTY_ORG_KIND_LABELS.get(org.kind, org.kind),
            (unit.credit_code or unit.name) if unit else "",
            org.community.name if org.community_id else "",
            org.parent.name if org.parent_id else "",
            org.secretary_name,
            org.member_count,
        ]
