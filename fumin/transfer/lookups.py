"""Batched look-ups for an import: every name or code in the file is resolved with a few queries
(one per kind of reference and batch of values), never one query per row."""

from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.db import connection

from fumin.accounts.scope import Scope
from fumin.registry.models import Area, PartyOrg, Place, Unit
from fumin.registry.selectors import party_org_list, unit_list

from . import cells
from .cells import CellError


def batches(values: Iterable, size: int | None = None) -> Iterator[list]:
    """``values`` in lists short enough for one ``IN (…)`` on this database."""
    if size is None:
        limit = connection.features.max_query_params
        size = 900 if limit and limit < 5000 else 5000
    batch: list = []
    for value in values:
        batch.append(value)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def rows_in(queryset, field: str, values: Iterable, *columns) -> Iterator[tuple]:
    """``values_list(*columns)`` of the rows whose ``field`` is one of ``values``, in batches."""
    for batch in batches(sorted(set(values))):
        yield from queryset.filter(**{f"{field}__in": batch}).values_list(*columns)


def in_scope(scope: Scope, path: str | None) -> bool:
    return bool(path) and any(path.startswith(prefix) for prefix in scope.area_paths)


class AreaNames:
    """Area names as staff type them, resolved to the one area of that name in their scope."""

    def __init__(self, scope: Scope, names: Iterable[str], kinds, unknown=cells.AREA_UNKNOWN):
        self.scope, self.unknown = scope, unknown
        self.by_name: dict[str, list[tuple[int, str]]] = defaultdict(list)
        areas = Area.objects.filter(kind__in=kinds, archived_at__isnull=True)
        for pk, name, path in rows_in(areas, "name", names, "pk", "name", "path"):
            self.by_name[name].append((pk, path))

    def resolve(self, name: str) -> tuple[int, str]:
        """(id, path) of the area, or CellError."""
        found = self.by_name.get(name)
        if not found:
            raise CellError(self.unknown)
        mine = [area for area in found if in_scope(self.scope, area[1])]
        if not mine:
            raise CellError(cells.AREA_OUTSIDE)
        if len(mine) > 1:
            raise CellError(cells.AREA_AMBIGUOUS)
        return mine[0]


class PlaceNames:
    """Office buildings and commercial districts in the viewer's scope, by exact name."""

    def __init__(self, scope: Scope, names: Iterable[str]):
        self.by_name: dict[str, list[int]] = defaultdict(list)
        places = scope.filter_by_area(Place.objects.filter(archived_at__isnull=True))
        for pk, name in rows_in(places, "name", names, "pk", "name"):
            self.by_name[name].append(pk)

    def resolve(self, name: str) -> int:
        found = self.by_name.get(name)
        if not found:
            raise CellError(cells.PLACE_UNKNOWN)
        if len(found) > 1:
            raise CellError(cells.PLACE_AMBIGUOUS)
        return found[0]


class UnitRefs:
    """Units named in a file: by credit code among all active units, or by exact name among the
    units the viewer can see. Each resolves to (id, area path)."""

    def __init__(self, viewer, refs: Iterable[str]):
        refs = set(refs)
        codes = {cells.unit_clean_credit_code(r) for r in refs if cells.looks_like_credit_code(r)}
        names = {r for r in refs if not cells.looks_like_credit_code(r)}
        active = Unit.objects.filter(archived_at__isnull=True)
        found = rows_in(active, "credit_code", codes, "pk", "credit_code", "area__path")
        self.by_code = {code: (pk, path) for pk, code, path in found}
        self.by_name: dict[str, list[tuple[int, str]]] = defaultdict(list)
        visible = unit_list(viewer=viewer).order_by()
        for pk, name, path in rows_in(visible, "name", names, "pk", "name", "area__path"):
            self.by_name[name].append((pk, path))

    def resolve(self, ref: str) -> tuple[int, str]:
        if cells.looks_like_credit_code(ref):
            found = self.by_code.get(cells.unit_clean_credit_code(ref))
            if found is None:
                raise CellError(cells.UNIT_UNKNOWN)
            return found
        named = self.by_name.get(ref)
        if not named:
            raise CellError(cells.UNIT_UNKNOWN)
        if len(named) > 1:
            raise CellError(cells.UNIT_AMBIGUOUS)
        return named[0]


class PartyOrgNames:
    """Party organisations by exact name: those the viewer can see, plus those of ``unit_ids``
    (a member's own unit's organisation may lie outside a community secretary's scope)."""

    def __init__(self, viewer, names: Iterable[str], unit_ids: Iterable[int] = ()):
        names = set(names)
        # name -> {id: (unit id, community id)}
        self.by_name: dict[str, dict[int, tuple]] = defaultdict(dict)
        columns = ("pk", "name", "unit_id", "community_id")
        visible = party_org_list(viewer=viewer).order_by()
        found = list(rows_in(visible, "name", names, *columns))
        unit_ids = set(unit_ids)
        if unit_ids:
            of_units = PartyOrg.objects.filter(archived_at__isnull=True, name__in=names)
            found += rows_in(of_units, "unit_id", unit_ids, *columns)
        for pk, name, unit_id, community_id in found:
            self.by_name[name][pk] = (unit_id, community_id)

    def resolve(self, name: str, *, unit_id=None, community_id=None) -> int:
        found = self.by_name.get(name)
        if not found:
            raise CellError(cells.ORG_UNKNOWN)
        if len(found) > 1:  # prefer the organisation of the person's unit, then community
            narrowed = [pk for pk, owner in found.items() if unit_id and owner[0] == unit_id]
            narrowed = narrowed or [
                pk for pk, owner in found.items() if community_id and owner[1] == community_id
            ]
            if len(narrowed) != 1:
                raise CellError(cells.ORG_AMBIGUOUS)
            return narrowed[0]
        return next(iter(found))
