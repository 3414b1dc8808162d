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

from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import F, Func, Q, QuerySet

from fumin.activities.models import Activity
from fumin.registry.models import PATH_STEP

from .models import ActivityTally, ActivityTallyChange

HELD_STATUSES = (Activity.Status.HELD.value, Activity.Status.CLOSED.value)
COLUMNS = "area_id, day, kind, held, in_project, activities, check_ins, beneficiaries"
CHANGES = ActivityTallyChange._meta.db_table
TALLIES = ActivityTally._meta.db_table
# Fold the changes before a dashboard reads them once this many have piled up.
COMPACT_AFTER = 10_000
_ADVISORY_LOCK = 7_351_001  # serialises folding on PostgreSQL


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
        IF was_in = is_in AND OLD.activity_id = NEW.activity_id THEN RETURN NULL; END IF;
    END IF;
    IF was_in THEN
        SELECT * INTO act FROM activities_activity WHERE id = OLD.activity_id FOR SHARE;
        PERFORM kpis_tally_add(act.community_id, act.starts_at, act.kind, {_held("act")},
                               act.project_id IS NOT NULL, 0, -1, 0);
    END IF;
    IF is_in THEN
        SELECT * INTO act FROM activities_activity WHERE id = NEW.activity_id FOR SHARE;
        PERFORM kpis_tally_add(act.community_id, act.starts_at, act.kind, {_held("act")},
                               act.project_id IS NOT NULL, 0, 1, 0);
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

CREATE TRIGGER kpis_attendance_tally
AFTER INSERT OR DELETE OR UPDATE OF checked_in_at, activity_id ON activities_attendance
FOR EACH ROW EXECUTE FUNCTION kpis_attendance_tally();

CREATE TRIGGER kpis_activity_tally
AFTER INSERT OR DELETE OR UPDATE ON activities_activity
FOR EACH ROW EXECUTE FUNCTION kpis_activity_tally();
"""

_PG_DROP = """
DROP TRIGGER IF EXISTS kpis_attendance_tally ON activities_attendance;
DROP TRIGGER IF EXISTS kpis_activity_tally ON activities_activity;
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


def _sqlite_activity_numbers(row: str) -> tuple[str, str, str]:
    return (
        f"CASE WHEN {_held(row)} THEN 1 ELSE 0 END",
        f"(SELECT count(*) FROM activities_attendance t "
        f"WHERE t.activity_id = {row}.id AND t.checked_in_at IS NOT NULL)",
        f"CASE WHEN {_held(row)} THEN coalesce({row}.beneficiaries, 0) ELSE 0 END",
    )


_SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER kpis_attendance_tally_insert AFTER INSERT ON activities_attendance
    WHEN NEW.checked_in_at IS NOT NULL BEGIN
        {_sqlite_add("act", "0", "1", "0", "+")} WHERE act.id = NEW.activity_id;
    END""",
    f"""CREATE TRIGGER kpis_attendance_tally_update
    AFTER UPDATE OF checked_in_at, activity_id ON activities_attendance
    WHEN (OLD.checked_in_at IS NULL) <> (NEW.checked_in_at IS NULL)
         OR OLD.activity_id <> NEW.activity_id BEGIN
        {_sqlite_add("act", "0", "1", "0", "-")}
        WHERE act.id = OLD.activity_id AND OLD.checked_in_at IS NOT NULL;
        {_sqlite_add("act", "0", "1", "0", "+")}
        WHERE act.id = NEW.activity_id AND NEW.checked_in_at IS NOT NULL;
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
        {_sqlite_add("OLD", *_sqlite_activity_numbers("OLD"), "-")} WHERE c.id = OLD.community_id;
        {_sqlite_add("NEW", *_sqlite_activity_numbers("NEW"), "+")} WHERE c.id = NEW.community_id;
    END""",
]
_SQLITE_NAMES = [
    "kpis_attendance_tally_insert",
    "kpis_attendance_tally_update",
    "kpis_activity_tally_insert",
    "kpis_activity_tally_update",
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
    activities, check_ins, beneficiaries = _sqlite_activity_numbers("act")
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


def add_from_records(path_prefix: str) -> None:
    """Add the tallies of the activities under ``path_prefix`` from their records: for bulk
    loaders that wrote a new subtree with the triggers off (``bulk_load``)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {CHANGES} ({COLUMNS}) {_from_records_sql(connection.vendor)}",
            [path_prefix + "%"],
        )


def differences(limit: int = 100) -> list[tuple]:
    """Keys where the tallies (folded or not) differ from the records, with the differences
    (records minus tallies) of activities, check-ins and beneficiaries; empty when all agree.
    One statement, so one consistent snapshot on PostgreSQL."""
    keys = "area_id, day, kind, held, in_project"
    negated = f"{keys}, -activities, -check_ins, -beneficiaries"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {keys}, sum(activities), sum(check_ins), sum(beneficiaries) FROM ("
            f"{_from_records_sql(connection.vendor)} "
            f"UNION ALL SELECT {negated} FROM {TALLIES} "
            f"UNION ALL SELECT {negated} FROM {CHANGES}) AS d "
            f"GROUP BY {keys} "
            f"HAVING sum(activities) <> 0 OR sum(check_ins) <> 0 OR sum(beneficiaries) <> 0 "
            f"ORDER BY {keys} LIMIT %s",
            ["%", limit],
        )
        return cursor.fetchall()


@transaction.atomic
def rebuild() -> None:
    """Throw the tallies away and count them again from the records (after a hand-made deletion
    on SQLite, or to check nothing drifted); writes wait meanwhile on PostgreSQL."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"LOCK TABLE activities_activity, activities_attendance, {TALLIES}, {CHANGES} "
                "IN SHARE ROW EXCLUSIVE MODE"
            )
        cursor.execute(f"DELETE FROM {CHANGES}")
        cursor.execute(f"DELETE FROM {TALLIES}")
    add_from_records("")
    compact()


@contextmanager
def bulk_load(path_prefix: str):
    """Write a new subtree of areas with its activities and attendances in bulk.

    On PostgreSQL the triggers stand aside for the current transaction (one trigger call per
    copied row would triple a large load) and the subtree's tallies are added from the records at
    the end. On SQLite the triggers run as for any write. Only for a subtree that had no
    activities before: they would be counted twice."""
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


@transaction.atomic
def compact() -> int:
    """Fold the changes into the tallies; returns how many changes were folded. Figures are the
    same before and after: they read both tables, and folding is one transaction."""
    with connection.cursor() as cursor:
        upsert = (
            f"ON CONFLICT (area_id, day, kind, held, in_project) DO UPDATE SET "
            f"activities = {TALLIES}.activities + excluded.activities, "
            f"check_ins = {TALLIES}.check_ins + excluded.check_ins, "
            f"beneficiaries = {TALLIES}.beneficiaries + excluded.beneficiaries"
        )
        sums = "sum(activities), sum(check_ins), sum(beneficiaries)"
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK])
            # One statement takes the changes away and adds them: nothing committed in between
            # can be missed or folded twice.
            cursor.execute(
                f"WITH moved AS (DELETE FROM {CHANGES} RETURNING {COLUMNS}), "
                f"folded AS (INSERT INTO {TALLIES} ({COLUMNS}) "
                f"SELECT area_id, day, kind, held, in_project, {sums} FROM moved "
                f"GROUP BY area_id, day, kind, held, in_project {upsert} "
                f"RETURNING id, activities, check_ins, beneficiaries) "
                f"SELECT (SELECT count(*) FROM moved), "
                f"ARRAY(SELECT id FROM folded "
                f"WHERE activities = 0 AND check_ins = 0 AND beneficiaries = 0)"
            )
            folded, emptied = cursor.fetchone()
            if emptied:
                cursor.execute(f"DELETE FROM {TALLIES} WHERE id = ANY(%s)", [emptied])
        else:  # one writer at a time: the two statements see the same changes
            cursor.execute(f"SELECT max(id), count(*) FROM {CHANGES}")
            last, folded = cursor.fetchone()
            if last is None:
                return 0
            cursor.execute(
                f"INSERT INTO {TALLIES} ({COLUMNS}) "
                f"SELECT area_id, day, kind, held, in_project, {sums} FROM {CHANGES} "
                f"WHERE id <= %s GROUP BY area_id, day, kind, held, in_project {upsert}",
                [last],
            )
            cursor.execute(f"DELETE FROM {CHANGES} WHERE id <= %s", [last])
            cursor.execute(
                f"DELETE FROM {TALLIES} "
                "WHERE activities = 0 AND check_ins = 0 AND beneficiaries = 0"
            )
    return folded


def compact_if_many(threshold: int = COMPACT_AFTER) -> None:
    """Fold when many changes have piled up (cheap to ask: the ids' range is read off the
    primary key)."""
    ids = ActivityTallyChange.objects.order_by().values_list("id", flat=True)
    first, last = ids.order_by("id").first(), ids.order_by("-id").first()
    if first is not None and last - first + 1 >= threshold:
        compact()


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
