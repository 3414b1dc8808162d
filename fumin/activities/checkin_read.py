"""The one statement a staff check-in by public ids reads (and locks) what it needs with.

The API's check-in names the activity and the person by their public ids. Rather than one query
for the activity (and its community), one for the person and then the locks, a single statement
reads the activity with a shared lock (as ``services._lock_shared``: check-ins at the same door run
side by side, sign-ups and status changes wait), its community, the person, and the person's
attendance locked for update (as ``services._lock_for_check_in``), with whether that attendance
has hours corrections. The service checks the caller's rights on what it read, under the lock.

Names come from the models' metadata only; the values are parameters. On PostgreSQL the
attendance is locked in a LATERAL subquery of the locked activity row (FOR UPDATE cannot lock the
nullable side of an outer join); SQLite has no row locks (its transactions serialise writes), so
there it is a plain join.
"""

from functools import cache, lru_cache
from uuid import UUID

from django.db import DEFAULT_DB_ALIAS, connection, connections

from fumin.registry.models import Area, Person

from .models import Activity, Attendance, HoursCorrection

# What the check-in decides on (status, times, community) and what its answer and audit entry
# show; the other fields are deferred (read on first use, which the check-in does not need).
ACTIVITY_FIELDS = {"id", "public_id", "title", "community_id", "status", "starts_at", "ends_at"}
COMMUNITY_FIELDS = {"id", "public_id", "name", "path"}
PERSON_FIELDS = {"id", "public_id", "name", "mobile"}


def _concrete(model, names=None) -> list:
    """The model's fields in ``names`` (all when None), in the model's order (``from_db``'s)."""
    return [f for f in model._meta.concrete_fields if names is None or f.attname in names]


@cache
def _statement(vendor: str) -> tuple[str, bool, tuple]:
    """The SQL for ``vendor``, whether the activity's id is its first parameter, and the fields
    of each part of a row: activity, community, person, attendance."""
    q = connection.ops.quote_name
    parts = (
        _concrete(Activity, ACTIVITY_FIELDS),
        _concrete(Area, COMMUNITY_FIELDS),
        _concrete(Person, PERSON_FIELDS),
        _concrete(Attendance),
    )
    columns = ", ".join(
        f"{alias}.{q(f.column)}"
        for alias, fields in zip(("act", "com", "per", "att"), parts, strict=True)
        for f in fields
    )
    activity_fk = q(Attendance._meta.get_field("activity").column)
    person_fk = q(Attendance._meta.get_field("person").column)
    names = {
        "columns": columns,
        "corrections": q(HoursCorrection._meta.db_table),
        "attendance_fk": q(HoursCorrection._meta.get_field("attendance").column),
        "activities": q(Activity._meta.db_table),
        "areas": q(Area._meta.db_table),
        "people": q(Person._meta.db_table),
        "attendances": q(Attendance._meta.db_table),
        "activity_fk": activity_fk,
        "person_fk": person_fk,
        "community_fk": q(Activity._meta.get_field("community").column),
        "public_id": q("public_id"),
        "id": q("id"),
        "locked": ", ".join(q(f.column) for f in parts[0]),
    }
    select = (
        "SELECT {columns}, EXISTS (SELECT 1 FROM {corrections} AS cor "
        "WHERE cor.{attendance_fk} = att.{id}) FROM "
    )
    if vendor == "postgresql":
        sql = select + (  # noqa: S608 (names from the models' metadata, values as parameters)
            "(SELECT {locked} FROM {activities} WHERE {public_id} = %s FOR SHARE) AS act "
            "LEFT JOIN {areas} AS com ON com.{id} = act.{community_fk} "
            "LEFT JOIN {people} AS per ON per.{public_id} = %s "
            "LEFT JOIN LATERAL (SELECT * FROM {attendances} WHERE {activity_fk} = act.{id} "
            "AND {person_fk} = per.{id} FOR UPDATE) AS att ON true"
        )
        activity_first = True
    else:
        sql = select + (
            "{activities} AS act "
            "LEFT JOIN {areas} AS com ON com.{id} = act.{community_fk} "
            "LEFT JOIN {people} AS per ON per.{public_id} = %s "
            "LEFT JOIN {attendances} AS att ON att.{activity_fk} = act.{id} "
            "AND att.{person_fk} = per.{id} "
            "WHERE act.{public_id} = %s"
        )
        activity_first = False
    return sql.format(**names), activity_first, parts


MODELS = (Activity, Area, Person, Attendance)


@lru_cache(maxsize=64)
def _converters(db) -> tuple:
    """For each part of the row, each field's converters on the connection ``db`` (a thread's
    own; none on PostgreSQL, whose driver returns Python values): worked out once, not on every
    check-in."""
    _sql, _activity_first, parts = _statement(db.vendor)
    found = []
    for model, fields in zip(MODELS, parts, strict=True):
        columns = [field.get_col(model._meta.db_table) for field in fields]
        found.append(
            tuple(
                (column, tuple(db.ops.get_db_converters(column) + column.get_db_converters(db)))
                for column in columns
            )
        )
    return tuple(found)


def _instance(model, fields, values, converters):
    """A model instance from a part of the row (None when the outer join found nothing)."""
    if values[0] is None:  # the primary key comes first
        return None
    converted = []
    for (column, column_converters), value in zip(converters, values, strict=True):
        for converter in column_converters:
            value = converter(value, column, connection)
        converted.append(value)
    return model.from_db(connection.alias, [f.attname for f in fields], converted)


def read_for_check_in(activity_id: UUID, person_id: UUID):
    """``(activity, person, attendance, has_corrections)`` for the public ids, in one statement
    inside the caller's transaction: the activity (None when there is none) with its community,
    the person (None when there is none), the person's attendance at the activity (None when
    they never signed up), locked as the module says."""
    sql, activity_first, parts = _statement(connection.vendor)
    activity_key = Activity._meta.get_field("public_id").get_db_prep_value(activity_id, connection)
    person_key = Person._meta.get_field("public_id").get_db_prep_value(person_id, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [activity_key, person_key] if activity_first else [person_key, activity_key]
        )
        row = cursor.fetchone()
    if row is None:
        return None, None, None, False
    found, start = [], 0
    for model, fields, converters in zip(
        MODELS, parts, _converters(connections[DEFAULT_DB_ALIAS]), strict=True
    ):
        found.append(_instance(model, fields, row[start : start + len(fields)], converters))
        start += len(fields)
    activity, community, person, attendance = found
    # The community of the locked row; only a community created after this statement began
    # (the activity moved to it meanwhile) is not in the statement's snapshot.
    activity.community = community or Area.objects.get(pk=activity.community_id)
    if attendance is not None:
        attendance.activity, attendance.person = activity, person
    return activity, person, attendance, bool(row[-1])
