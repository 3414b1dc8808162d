"""The activity tallies: database triggers that keep them, folding, rebuilding, and reading.

Why triggers: every write that changes an activity KPI (a check-in by any path, a bulk update, an
activity held, moved or closed with its beneficiaries) goes through the database, so the database
is the one place no write path can skip. Each trigger appends changes (``ActivityTallyChange``),
one per area the activity's community lies in; ``compact`` folds them into ``ActivityTally``. A
figure reads both tables, so it is exact at every moment, folded or not (docs/scale.md).

What one activity contributes, under the key (area, Shanghai day of its start, kind, held, in a
project):

- ``activities``: 1 if it is held (or closed), else 0;
- ``check_ins``: its attendances with a check-in time, whatever its status;
- ``beneficiaries``: the beneficiaries recorded on it if it is held, else 0.

When an activity's key or numbers change, its old contribution is taken away and the new one
added, its check-ins counted afresh; a check-in set or cleared adds or takes one. On PostgreSQL the
attendance trigger reads the activity ``FOR SHARE``, so a check-in and a change of its activity
never interleave. On SQLite deleting attendances or activities is not tallied (the test runner
empties tables with DELETE; the application never deletes either: they are protected and
cancelled by status), and ``manage.py kpi_tallies --rebuild`` puts a hand-made deletion right.
"""

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F, Func, Q, QuerySet

from fumin.activities.models import Activity
from fumin.registry.models import PATH_STEP

from .models import ActivityTally, ActivityTallyChange, UnitCheckInTally, UnitCheckInTallyChange

HELD_STATUSES = (Activity.Status.HELD.value, Activity.Status.CLOSED.value)
COLUMNS = "area_id, day, kind, held, in_project, activities, check_ins, beneficiaries"
CHANGES = ActivityTallyChange._meta.db_table
TALLIES = ActivityTally._meta.db_table
UNIT_COLUMNS = "unit_id, month, check_ins"
UNIT_CHANGES = UnitCheckInTallyChange._meta.db_table
UNIT_TALLIES = UnitCheckInTally._meta.db_table
# Fold the changes before a dashboard reads them once this many have piled up.
COMPACT_AFTER = 10_000
_ADVISORY_LOCK = 7_351_001  # serialises folding on PostgreSQL


# What the attendance trigger needs of an activity (not its text columns).
_ACT_COLUMNS = "community_id, starts_at, kind, status, project_id"


def _pg_month(moment: str) -> str:
    return f"date_trunc('month', {moment} AT TIME ZONE 'Asia/Shanghai')::date"


def _sqlite_month(moment: str) -> str:
    return f"date({moment}, '+8 hours', 'start of month')"


def _held(row: str) -> str:
    statuses = ", ".join(f"'{status}'" for status in HELD_STATUSES)
    return f"({row}.status IN ({statuses}))"


# PostgreSQL ---------------------------------------------------------------------------------------

_PG_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION kpis_tally_add(
    p_community bigint, p_starts timestamptz, p_kind text, p_held boolean, p_in_project boolean,
    p_activities bigint, p_check_ins bigint, p_beneficiaries bigint
) RETURNS void AS $$
BEGIN
    IF p_activities = 0 AND p_check_ins = 0 AND p_beneficiaries = 0 THEN RETURN; END IF;
    INSERT INTO {CHANGES} ({COLUMNS})
    SELECT a.id, (p_starts AT TIME ZONE 'Asia/Shanghai')::date, p_kind, p_held, p_in_project,
           p_activities, p_check_ins, p_beneficiaries
    FROM registry_area c
    CROSS JOIN LATERAL generate_series(1, length(c.path) / {PATH_STEP}) AS level
    JOIN registry_area a ON a.path = substr(c.path, 1, level * {PATH_STEP})
    WHERE c.id = p_community;
END $$ LANGUAGE plpgsql;

-- The person's row is read FOR SHARE: a change of their work unit waits for the check-in, or
-- the check-in for the change, so the check-in is tallied under the unit it ends up with.
CREATE OR REPLACE FUNCTION kpis_unit_add(p_person bigint, p_starts timestamptz, p_check_ins bigint)
RETURNS void AS $$
DECLARE
    unit bigint;
BEGIN
    SELECT work_unit_id INTO unit FROM registry_person WHERE id = p_person FOR SHARE;
    IF unit IS NULL THEN RETURN; END IF;
    INSERT INTO {UNIT_CHANGES} ({UNIT_COLUMNS})
    VALUES (unit, {_pg_month("p_starts")}, p_check_ins);
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION kpis_attendance_tally() RETURNS trigger AS $$
DECLARE
    act record;
    was_in boolean := false;
    is_in boolean := false;
BEGIN
    IF current_setting('fumin.tallies_off', true) = 'on' THEN RETURN NULL; END IF;
    IF TG_OP <> 'INSERT' THEN was_in := OLD.checked_in_at IS NOT NULL; END IF;
    IF TG_OP <> 'DELETE' THEN is_in := NEW.checked_in_at IS NOT NULL; END IF;
    IF TG_OP = 'UPDATE' THEN
        IF was_in = is_in AND OLD.activity_id = NEW.activity_id AND OLD.person_id = NEW.person_id
        THEN
            RETURN NULL;
        END IF;
    END IF;
    IF was_in THEN
        SELECT {_ACT_COLUMNS} INTO act FROM activities_activity
        WHERE id = OLD.activity_id FOR SHARE;
        PERFORM kpis_tally_add(act.community_id, act.starts_at, act.kind, {_held("act")},
                               act.project_id IS NOT NULL, 0, -1, 0);
        PERFORM kpis_unit_add(OLD.person_id, act.starts_at, -1);
    END IF;
    IF is_in THEN
        SELECT {_ACT_COLUMNS} INTO act FROM activities_activity
        WHERE id = NEW.activity_id FOR SHARE;
        PERFORM kpis_tally_add(act.community_id, act.starts_at, act.kind, {_held("act")},
                               act.project_id IS NOT NULL, 0, 1, 0);
        PERFORM kpis_unit_add(NEW.person_id, act.starts_at, 1);
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION kpis_activity_tally() RETURNS trigger AS $$
DECLARE
    check_ins bigint := 0;
BEGIN
    IF current_setting('fumin.tallies_off', true) = 'on' THEN RETURN NULL; END IF;
    IF TG_OP = 'UPDATE' THEN
      IF OLD.community_id = NEW.community_id AND OLD.starts_at = NEW.starts_at
       AND OLD.kind = NEW.kind AND {_held("OLD")} = {_held("NEW")}
       AND (OLD.project_id IS NULL) = (NEW.project_id IS NULL)
       AND OLD.beneficiaries IS NOT DISTINCT FROM NEW.beneficiaries THEN
        RETURN NULL;
      END IF;
    END IF;
    IF TG_OP = 'UPDATE' AND {_pg_month("OLD.starts_at")} <> {_pg_month("NEW.starts_at")} THEN
        INSERT INTO {UNIT_CHANGES} ({UNIT_COLUMNS})
        SELECT p.work_unit_id, m.month, m.sign * count(*)
        FROM activities_attendance t JOIN registry_person p ON p.id = t.person_id
        CROSS JOIN (VALUES ({_pg_month("OLD.starts_at")}, -1),
                           ({_pg_month("NEW.starts_at")}, 1)) AS m(month, sign)
        WHERE t.activity_id = OLD.id AND t.checked_in_at IS NOT NULL
          AND p.work_unit_id IS NOT NULL
        GROUP BY p.work_unit_id, m.month, m.sign;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        SELECT count(*) INTO check_ins FROM activities_attendance
        WHERE activity_id = OLD.id AND checked_in_at IS NOT NULL;
        PERFORM kpis_tally_add(
            OLD.community_id, OLD.starts_at, OLD.kind, {_held("OLD")}, OLD.project_id IS NOT NULL,
            -(CASE WHEN {_held("OLD")} THEN 1 ELSE 0 END), -check_ins,
            -(CASE WHEN {_held("OLD")} THEN coalesce(OLD.beneficiaries, 0) ELSE 0 END));
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM kpis_tally_add(
            NEW.community_id, NEW.starts_at, NEW.kind, {_held("NEW")}, NEW.project_id IS NOT NULL,
            CASE WHEN {_held("NEW")} THEN 1 ELSE 0 END, check_ins,
            CASE WHEN {_held("NEW")} THEN coalesce(NEW.beneficiaries, 0) ELSE 0 END);
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

-- A person's check-ins move with them to their new work unit. Their activities are read FOR
-- SHARE, so an activity moved to another month meanwhile is seen moved (or waits).
CREATE OR REPLACE FUNCTION kpis_person_tally() RETURNS trigger AS $$
BEGIN
    IF current_setting('fumin.tallies_off', true) = 'on' THEN RETURN NULL; END IF;
    IF OLD.work_unit_id IS NOT DISTINCT FROM NEW.work_unit_id THEN RETURN NULL; END IF;
    PERFORM 1 FROM activities_activity WHERE id IN (
        SELECT activity_id FROM activities_attendance
        WHERE person_id = NEW.id AND checked_in_at IS NOT NULL
    ) FOR SHARE;
    INSERT INTO {UNIT_CHANGES} ({UNIT_COLUMNS})
    SELECT u.unit, {_pg_month("a.starts_at")}, u.sign * count(*)
    FROM activities_attendance t JOIN activities_activity a ON a.id = t.activity_id
    CROSS JOIN (VALUES (OLD.work_unit_id, -1), (NEW.work_unit_id, 1)) AS u(unit, sign)
    WHERE t.person_id = NEW.id AND t.checked_in_at IS NOT NULL AND u.unit IS NOT NULL
    GROUP BY u.unit, {_pg_month("a.starts_at")}, u.sign;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE TRIGGER kpis_attendance_tally
AFTER INSERT OR DELETE OR UPDATE OF checked_in_at, activity_id, person_id
ON activities_attendance
FOR EACH ROW EXECUTE FUNCTION kpis_attendance_tally();

CREATE TRIGGER kpis_person_tally
AFTER UPDATE OF work_unit_id ON registry_person
FOR EACH ROW EXECUTE FUNCTION kpis_person_tally();

CREATE TRIGGER kpis_activity_tally
AFTER INSERT OR DELETE OR UPDATE ON activities_activity
FOR EACH ROW EXECUTE FUNCTION kpis_activity_tally();
"""

_PG_DROP = """
DROP TRIGGER IF EXISTS kpis_attendance_tally ON activities_attendance;
DROP TRIGGER IF EXISTS kpis_activity_tally ON activities_activity;
DROP TRIGGER IF EXISTS kpis_person_tally ON registry_person;
DROP FUNCTION IF EXISTS kpis_person_tally();
DROP FUNCTION IF EXISTS kpis_unit_add(bigint, timestamptz, bigint);
DROP FUNCTION IF EXISTS kpis_attendance_tally();
DROP FUNCTION IF EXISTS kpis_activity_tally();
DROP FUNCTION IF EXISTS kpis_tally_add(bigint, timestamptz, text, boolean, boolean, bigint,
                                       bigint, bigint);
"""

# SQLite -------------------------------------------------------------------------------------------

# SQLite has no functions in triggers: each trigger inserts from a join of the activity, its
# community and the community's ancestors (areas whose path begins the community's).
_SQLITE_ANCESTORS = "registry_area a ON substr(c.path, 1, length(a.path)) = a.path"
_SQLITE_DAY = "date({row}.starts_at, '+8 hours')"  # Shanghai has kept UTC+8 since 1991


def _sqlite_add(row: str, activities: str, check_ins: str, beneficiaries: str, sign: str) -> str:
    """INSERT the contribution of activity ``row`` (NEW, OLD or ``act``) to every ancestor."""
    source = (
        f"FROM activities_activity act JOIN registry_area c ON c.id = act.community_id "
        f"JOIN {_SQLITE_ANCESTORS}"
        if row == "act"
        else f"FROM registry_area c JOIN {_SQLITE_ANCESTORS}"
    )
    return (
        f"INSERT INTO {CHANGES} ({COLUMNS}) "
        f"SELECT a.id, {_SQLITE_DAY.format(row=row)}, {row}.kind, {_held(row)}, "
        f"{row}.project_id IS NOT NULL, {sign}({activities}), {sign}({check_ins}), "
        f"{sign}({beneficiaries}) {source}"
    )


def _activity_numbers(row: str) -> tuple[str, str, str]:
    return (
        f"CASE WHEN {_held(row)} THEN 1 ELSE 0 END",
        f"(SELECT count(*) FROM activities_attendance t "
        f"WHERE t.activity_id = {row}.id AND t.checked_in_at IS NOT NULL)",
        f"CASE WHEN {_held(row)} THEN coalesce({row}.beneficiaries, 0) ELSE 0 END",
    )


def _sqlite_unit_add(row: str, sign: str) -> str:
    """INSERT the check-in of attendance ``row`` (OLD or NEW), if it has one, for the person's
    work unit and the month of the activity."""
    return (
        f"INSERT INTO {UNIT_CHANGES} ({UNIT_COLUMNS}) "
        f"SELECT p.work_unit_id, {_sqlite_month('act.starts_at')}, {sign}1 "
        f"FROM activities_activity act JOIN registry_person p ON p.id = {row}.person_id "
        f"WHERE act.id = {row}.activity_id AND p.work_unit_id IS NOT NULL "
        f"AND {row}.checked_in_at IS NOT NULL"
    )


def _sqlite_unit_move(row: str, sign: str) -> str:
    """INSERT the check-ins at activity ``row`` (OLD or NEW) per work unit, for its month."""
    return (
        f"INSERT INTO {UNIT_CHANGES} ({UNIT_COLUMNS}) "
        f"SELECT p.work_unit_id, {_sqlite_month(f'{row}.starts_at')}, {sign}count(*) "
        f"FROM activities_attendance t JOIN registry_person p ON p.id = t.person_id "
        f"WHERE t.activity_id = {row}.id AND t.checked_in_at IS NOT NULL "
        f"AND p.work_unit_id IS NOT NULL "
        f"AND {_sqlite_month('OLD.starts_at')} <> {_sqlite_month('NEW.starts_at')} "
        f"GROUP BY p.work_unit_id"
    )


def _sqlite_person_move(row: str, sign: str) -> str:
    """INSERT the person's check-ins for their work unit in ``row`` (OLD or NEW), per month."""
    month = _sqlite_month("a.starts_at")
    return (
        f"INSERT INTO {UNIT_CHANGES} ({UNIT_COLUMNS}) "
        f"SELECT {row}.work_unit_id, {month}, {sign}count(*) "
        f"FROM activities_attendance t JOIN activities_activity a ON a.id = t.activity_id "
        f"WHERE t.person_id = NEW.id AND t.checked_in_at IS NOT NULL "
        f"AND {row}.work_unit_id IS NOT NULL GROUP BY {month}"
    )


_SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER kpis_attendance_tally_insert AFTER INSERT ON activities_attendance
    WHEN NEW.checked_in_at IS NOT NULL BEGIN
        {_sqlite_add("act", "0", "1", "0", "+")} WHERE act.id = NEW.activity_id;
        {_sqlite_unit_add("NEW", "+")};
    END""",
    f"""CREATE TRIGGER kpis_attendance_tally_update
    AFTER UPDATE OF checked_in_at, activity_id, person_id ON activities_attendance
    WHEN (OLD.checked_in_at IS NULL) <> (NEW.checked_in_at IS NULL)
         OR OLD.activity_id <> NEW.activity_id OR OLD.person_id <> NEW.person_id BEGIN
        {_sqlite_add("act", "0", "1", "0", "-")}
        WHERE act.id = OLD.activity_id AND OLD.checked_in_at IS NOT NULL;
        {_sqlite_add("act", "0", "1", "0", "+")}
        WHERE act.id = NEW.activity_id AND NEW.checked_in_at IS NOT NULL;
        {_sqlite_unit_add("OLD", "-")};
        {_sqlite_unit_add("NEW", "+")};
    END""",
    f"""CREATE TRIGGER kpis_activity_tally_insert AFTER INSERT ON activities_activity
    WHEN {_held("NEW")} BEGIN
        {_sqlite_add("NEW", "1", "0", "coalesce(NEW.beneficiaries, 0)", "+")}
        WHERE c.id = NEW.community_id;
    END""",
    f"""CREATE TRIGGER kpis_activity_tally_update AFTER UPDATE ON activities_activity
    WHEN OLD.community_id <> NEW.community_id OR OLD.starts_at <> NEW.starts_at
         OR OLD.kind <> NEW.kind OR {_held("OLD")} <> {_held("NEW")}
         OR (OLD.project_id IS NULL) <> (NEW.project_id IS NULL)
         OR OLD.beneficiaries IS NOT NEW.beneficiaries BEGIN
        {_sqlite_add("OLD", *_activity_numbers("OLD"), "-")} WHERE c.id = OLD.community_id;
        {_sqlite_add("NEW", *_activity_numbers("NEW"), "+")} WHERE c.id = NEW.community_id;
        {_sqlite_unit_move("OLD", "-")};
        {_sqlite_unit_move("NEW", "+")};
    END""",
    f"""CREATE TRIGGER kpis_person_tally_update AFTER UPDATE OF work_unit_id ON registry_person
    WHEN OLD.work_unit_id IS NOT NEW.work_unit_id BEGIN
        {_sqlite_person_move("OLD", "-")};
        {_sqlite_person_move("NEW", "+")};
    END""",
]
_SQLITE_NAMES = [
    "kpis_attendance_tally_insert",
    "kpis_attendance_tally_update",
    "kpis_activity_tally_insert",
    "kpis_activity_tally_update",
    "kpis_person_tally_update",
]


def install_triggers(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(_PG_FUNCTIONS)
    elif vendor == "sqlite":
        for statement in _SQLITE_TRIGGERS:
            schema_editor.execute(statement)


def drop_triggers(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(_PG_DROP)
    elif vendor == "sqlite":
        for name in _SQLITE_NAMES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


# Rebuilding from the records ----------------------------------------------------------------------


def _from_records_sql(vendor: str) -> str:
    """SELECT the tallies of the activities under a path prefix as their records give them, one
    row per key (parameter: the prefix followed by ``%``)."""
    if vendor == "postgresql":
        day = "(act.starts_at AT TIME ZONE 'Asia/Shanghai')::date"
        ancestors = (
            f"CROSS JOIN LATERAL generate_series(1, length(c.path) / {PATH_STEP}) AS level "
            f"JOIN registry_area a ON a.path = substr(c.path, 1, level * {PATH_STEP})"
        )
    else:
        day = _SQLITE_DAY.format(row="act")
        ancestors = f"JOIN {_SQLITE_ANCESTORS}"
    activities, check_ins, beneficiaries = _activity_numbers("act")
    return f"""
        SELECT a.id AS area_id, f.day AS day, f.kind AS kind, f.held AS held,
               f.in_project AS in_project, sum(f.activities) AS activities,
               sum(f.check_ins) AS check_ins, sum(f.beneficiaries) AS beneficiaries
        FROM (
            SELECT act.community_id AS community_id, {day} AS day, act.kind AS kind,
                   {_held("act")} AS held, act.project_id IS NOT NULL AS in_project,
                   {activities} AS activities, {check_ins} AS check_ins,
                   {beneficiaries} AS beneficiaries
            FROM activities_activity act
            JOIN registry_area community ON community.id = act.community_id
            WHERE community.path LIKE %s
        ) f
        JOIN registry_area c ON c.id = f.community_id
        {ancestors}
        GROUP BY a.id, f.day, f.kind, f.held, f.in_project
    """


def _unit_from_records_sql(vendor: str) -> str:
    """SELECT the unit check-in tallies of the activities under a path prefix as their records
    give them (parameter: the prefix followed by ``%``)."""
    month = _pg_month("act.starts_at") if vendor == "postgresql" else _sqlite_month("act.starts_at")
    return f"""
        SELECT p.work_unit_id AS unit_id, {month} AS month, count(*) AS check_ins
        FROM activities_attendance t
        JOIN activities_activity act ON act.id = t.activity_id
        JOIN registry_area community ON community.id = act.community_id
        JOIN registry_person p ON p.id = t.person_id
        WHERE t.checked_in_at IS NOT NULL AND p.work_unit_id IS NOT NULL
          AND community.path LIKE %s
        GROUP BY p.work_unit_id, {month}
    """


@dataclass(frozen=True)
class _Tally:
    """One tally: its folded table, its changes, its key and its numbers."""

    tallies: str
    changes: str
    keys: str
    numbers: tuple[str, ...]
    from_records: Callable[[str], str]

    @property
    def columns(self) -> str:
        return f"{self.keys}, {', '.join(self.numbers)}"


_TALLIES = (
    _Tally(TALLIES, CHANGES, "area_id, day, kind, held, in_project",
           ("activities", "check_ins", "beneficiaries"), _from_records_sql),
    _Tally(UNIT_TALLIES, UNIT_CHANGES, "unit_id, month", ("check_ins",), _unit_from_records_sql),
)  # fmt: skip


def add_from_records(path_prefix: str) -> None:
    """Add the tallies of the activities under ``path_prefix`` from their records: for bulk
    loaders that wrote a new subtree with the triggers off (``bulk_load``)."""
    with connection.cursor() as cursor:
        for tally in _TALLIES:
            cursor.execute(
                f"INSERT INTO {tally.changes} ({tally.columns}) "
                f"{tally.from_records(connection.vendor)}",
                [path_prefix + "%"],
            )


def differences(limit: int = 100) -> list[tuple]:
    """Keys where the tallies (folded or not) differ from the records: ``(table, key…, records
    minus tallies…)``; empty when all agree. One statement per tally, so one consistent snapshot
    of each on PostgreSQL."""
    found = []
    with connection.cursor() as cursor:
        for tally in _TALLIES:
            negated = f"{tally.keys}, " + ", ".join(f"-{n}" for n in tally.numbers)
            sums = ", ".join(f"sum({n})" for n in tally.numbers)
            nonzero = " OR ".join(f"sum({n}) <> 0" for n in tally.numbers)
            cursor.execute(
                f"SELECT {tally.keys}, {sums} FROM ("
                f"{tally.from_records(connection.vendor)} "
                f"UNION ALL SELECT {negated} FROM {tally.tallies} "
                f"UNION ALL SELECT {negated} FROM {tally.changes}) AS d "
                f"GROUP BY {tally.keys} HAVING {nonzero} ORDER BY {tally.keys} LIMIT %s",
                ["%", limit],
            )
            found += [(tally.tallies, *row) for row in cursor.fetchall()]
    return found


@transaction.atomic
def rebuild() -> None:
    """Throw the tallies away and count them again from the records (after a hand-made deletion
    on SQLite, or when ``differences`` finds any); writes wait meanwhile on PostgreSQL."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = ", ".join(f"{t.tallies}, {t.changes}" for t in _TALLIES)
            cursor.execute(
                f"LOCK TABLE activities_activity, activities_attendance, registry_person, "
                f"{tables} IN SHARE ROW EXCLUSIVE MODE"
            )
        for tally in _TALLIES:
            cursor.execute(f"DELETE FROM {tally.changes}")
            cursor.execute(f"DELETE FROM {tally.tallies}")
    add_from_records("")
    compact()


@contextmanager
def bulk_load(path_prefix: str):
    """Write a new subtree of areas with its activities and attendances in bulk.

    On PostgreSQL the triggers stand aside for the current transaction (one trigger call per
    copied row would triple a large load) and the subtree's tallies are added from the records at
    the end. On SQLite the triggers run as for any write. Only for a subtree that had no
    activities before (they would be counted twice), whose people check in only there."""
    if connection.vendor != "postgresql":
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("bulk_load needs a transaction")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL fumin.tallies_off = 'on'")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL fumin.tallies_off = 'off'")
    add_from_records(path_prefix)


# Folding ------------------------------------------------------------------------------------------


def _fold(cursor, tally: _Tally) -> int:
    numbers = tally.numbers
    upsert = f"ON CONFLICT ({tally.keys}) DO UPDATE SET " + ", ".join(
        f"{n} = {tally.tallies}.{n} + excluded.{n}" for n in numbers
    )
    sums = ", ".join(f"sum({n})" for n in numbers)
    empty = " AND ".join(f"{n} = 0" for n in numbers)
    if connection.vendor == "postgresql":
        # One statement takes the changes away and adds them: nothing committed in between can
        # be missed or folded twice.
        cursor.execute(
            f"WITH moved AS (DELETE FROM {tally.changes} RETURNING {tally.columns}), "
            f"folded AS (INSERT INTO {tally.tallies} ({tally.columns}) "
            f"SELECT {tally.keys}, {sums} FROM moved GROUP BY {tally.keys} {upsert} "
            f"RETURNING id, {', '.join(numbers)}) "
            f"SELECT (SELECT count(*) FROM moved), ARRAY(SELECT id FROM folded WHERE {empty})"
        )
        folded, emptied = cursor.fetchone()
        if emptied:
            cursor.execute(f"DELETE FROM {tally.tallies} WHERE id = ANY(%s)", [emptied])
        return folded
    # SQLite: one writer at a time, so the statements see the same changes.
    cursor.execute(f"SELECT max(id), count(*) FROM {tally.changes}")
    last, folded = cursor.fetchone()
    if last is None:
        return 0
    cursor.execute(
        f"INSERT INTO {tally.tallies} ({tally.columns}) "
        f"SELECT {tally.keys}, {sums} FROM {tally.changes} "
        f"WHERE id <= %s GROUP BY {tally.keys} {upsert}",
        [last],
    )
    cursor.execute(f"DELETE FROM {tally.changes} WHERE id <= %s", [last])
    cursor.execute(f"DELETE FROM {tally.tallies} WHERE {empty}")
    return folded


@transaction.atomic
def compact() -> int:
    """Fold the changes into the tallies; returns how many changes were folded. Figures are the
    same before and after: they read both tables, and folding is one transaction."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK])
        return sum(_fold(cursor, tally) for tally in _TALLIES)


def compact_if_many(threshold: int = COMPACT_AFTER) -> None:
    """Fold when many changes have piled up (cheap to ask: the ids' range is read off the
    primary key)."""
    for model in (ActivityTallyChange, UnitCheckInTallyChange):
        ids = model.objects.order_by().values_list("id", flat=True)
        first, last = ids.order_by("id").first(), ids.order_by("-id").first()
        if first is not None and last - first + 1 >= threshold:
            compact()
            return


# Reading ------------------------------------------------------------------------------------------


def sum_queries(column: str, facts: Q, period, areas: Q) -> list[QuerySet]:
    """One-row queries whose values add up to the sum of ``column`` over the tallied facts
    matching ``facts`` on the days of ``period`` in the areas ``areas`` (one per table)."""
    return [
        model.objects.filter(areas, facts, day__gte=period.start, day__lte=period.end)
        .order_by()
        .annotate(n=Func(F(column), function="SUM"))
        .values("n")
        for model in (ActivityTally, ActivityTallyChange)
    ]
