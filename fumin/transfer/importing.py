"""What every import does, whatever the kind of record.

An import has three steps:

1. **read**: stream the rows and check each cell on its own (lengths, choices, mobile and ID
   numbers, credit codes), keeping a compact tuple per good row and a reason per bad cell;
2. **plan**: resolve names and codes with batched queries, find the records the rows match,
   check scope and duplicates within the file, and sort the rows into creates, updates and
   unchanged;
3. **apply**: hand the plan to the registry's bulk service, which writes it in one transaction.

Step 1 runs outside any transaction so the job's progress can be saved as it goes. Steps 2 and 3
run inside one transaction: what is matched is what is written. Any error anywhere means nothing
is applied and every error is reported.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from fumin.accounts.scope import Capability, scope_of

from . import cells, reading
from .cells import CellError
from .columns import Spec
from .reading import FileProblem, data_rows

PROGRESS_EVERY = 1000


@dataclass
class Plan:
    creates: list = field(default_factory=list)
    updates: list = field(default_factory=list)  # (id, {field: new value})
    unchanged: int = 0


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class Importer:
    """One import of one kind of record by one actor. Subclasses parse, plan and apply."""

    spec: Spec

    def __init__(self, *, actor):
        self.actor = actor
        self.scope = scope_of(actor)
        self.errors: list[list] = []  # [row, column header, message, params]
        self.rows: list[tuple] = []
        self.headers = {column.key: column.header for column in self.spec.columns}
        self.example = tuple(column.example for column in self.spec.columns)

    @property
    def allowed(self) -> bool:
        return self.scope.can(Capability.EDIT_REGISTRY)

    def error(self, row: int, key: str, message: str, params: dict | None = None) -> None:
        self.errors.append([row, self.headers.get(key, ""), message, params])

    # Step 1 ---------------------------------------------------------------------------------

    def read(
        self, rows: Iterator[tuple], keys: list, progress: Callable[[int], None] | None = None
    ) -> int:
        """Check every row's cells; keep the good rows. Returns how many rows there were (blank
        rows and the template's example left in place are not counted)."""
        positions = [(index, key) for index, key in enumerate(keys) if key]
        by_key = dict.fromkeys(self.headers, None)
        first, example = self.spec.columns[0].key, self.spec.columns[0].example
        count = 0
        for number, values in data_rows(rows):
            row = dict(by_key)
            width = len(values)
            for index, key in positions:
                if index < width:
                    row[key] = values[index]
            if not (row[first] == example and self.is_example(row)):
                count += 1
                if count > reading.MAX_ROWS:
                    raise FileProblem(reading.TOO_MANY_ROWS, {"limit": reading.MAX_ROWS})
                parsed = self.parse(number, row)
                if parsed is not None:
                    self.rows.append(parsed)
            if progress and count % PROGRESS_EVERY == 0:
                progress(count)
        return count

    def is_example(self, row: dict) -> bool:
        """The template's example row, left in by mistake, is skipped rather than imported."""
        return tuple(cells.text(row[key]) for key in self.headers) == self.example

    def cell(self, number: int, row: dict, key: str, parse, *args):
        """``parse`` one cell; on a bad value record the error and return ``BAD``."""
        try:
            return parse(row[key], *args)
        except CellError as problem:
            self.error(number, key, problem.message, problem.params)
            return BAD

    def text(self, number: int, row: dict, key: str, limit: int, *, required=False):
        """Trimmed text within ``limit``; None when empty (the stored value is kept)."""
        value = row[key]
        value = value.strip() if type(value) is str else cells.text(value)
        if not value:
            if required:
                self.error(number, key, cells.REQUIRED)
                return BAD
            return None
        if len(value) > limit:
            self.error(number, key, cells.TOO_LONG, {"limit": limit})
            return BAD
        return value

    def parse(self, number: int, row: dict) -> tuple | None:
        raise NotImplementedError

    # Steps 2 and 3 --------------------------------------------------------------------------

    def plan(self) -> Plan:
        raise NotImplementedError

    def apply(self, plan: Plan, *, source=None) -> Counts:
        raise NotImplementedError


class _Bad:
    """A cell that failed its check (its error is recorded); the row is dropped."""

    def __repr__(self):
        return "BAD"


BAD = _Bad()


def changed(existing: dict, wanted: dict) -> dict:
    """The fields of ``wanted`` whose value is given (not None) and differs from ``existing``.

    An empty cell keeps what is stored: an import never erases a value.
    """
    return {
        key: value
        for key, value in wanted.items()
        if value is not None and existing.get(key) != value
    }


def first_seen(seen: dict, key, number: int) -> int | None:
    """The row where ``key`` was seen before, or None (and remember this row)."""
    if key is None:
        return None
    earlier = seen.get(key)
    if earlier is None:
        seen[key] = number
    return earlier
