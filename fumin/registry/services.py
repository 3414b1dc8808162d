"""Writes to the registry. Every page, API endpoint, import and command changes records here.

Each function validates before writing, checks that the actor may act on the record's area (the
system itself acts as ``actor=None``: demo data, migrations), writes its audit entry, and runs in
one transaction.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import ric

from fumin.accounts.scope import Capability, scope_of
from fumin.audit.models import AuditEntry
from fumin.audit.services import audit_change, audit_unmasked_view
from fumin.core import crypto
from fumin.core.changes import apply_changes
from fumin.core.masking import mask_id_number
from fumin.core.phones import normalize_mobile

from .models import (
    PATH_STEP,
    Alliance,
    AllianceMembership,
    Area,
    JointMeeting,
    JointMeetingMembership,
    PartyOrg,
    Person,
    Place,
    Unit,
)

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
# Derived fields are computed on save, never validated as input.
DERIVED = ("name_pinyin", "name_initials", "path")


def require_editable(actor, area: Area | None) -> None:
    """Refuse unless ``actor`` may edit registry records in ``area`` (None: the system)."""
    if actor is None:
        return
    scope = scope_of(actor)
    if not scope.can(Capability.EDIT_REGISTRY) or area is None or not scope.contains_area(area):
        raise PermissionDenied


# Areas ------------------------------------------------------------------------------------------


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
    if actor is not None:
        require_editable(actor, parent)
        if not scope_of(actor).can(Capability.MANAGE_USERS):  # only staff shape the tree
            raise PermissionDenied
    area = Area(name=name.strip(), kind=kind, parent=parent, code=code)
    area.full_clean(exclude=DERIVED)
    area.path = _next_child_path(parent)
    area.depth = len(area.path) // PATH_STEP - 1
    area.save()
    audit_change(actor=actor, action="create", target=area, after={"name": name, "kind": kind})
    return area


# Places -----------------------------------------------------------------------------------------


@transaction.atomic
def place_create(*, actor, name: str, kind: str, area: Area, address: str = "") -> Place:
    require_editable(actor, area)
    place = Place(name=name.strip(), kind=kind, area=area, address=address)
    place.full_clean(exclude=DERIVED)
    place.save()
    audit_change(
        actor=actor,
        action="create",
        target=place,
        after={"name": place.name, "kind": kind, "area": area},
    )
    return place


# Units ------------------------------------------------------------------------------------------

UNIT_FIELDS = (
    "name",
    "kind",
    "credit_code",
    "area",
    "place",
    "address",
    "contact_name",
    "contact_phone",
    "description",
)


def unit_clean_credit_code(value: str | None) -> str | None:
    """Normalise a credit code (spaces and dashes dropped, upper case); None when empty."""
    value = (value or "").strip().replace(" ", "").replace("-", "").upper()
    return value or None


@transaction.atomic
def unit_create(*, actor, name: str, kind: str, area: Area, request=None, **fields) -> Unit:
    require_editable(actor, area)
    unknown = set(fields) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown unit fields: {sorted(unknown)}")
    fields["credit_code"] = unit_clean_credit_code(fields.get("credit_code"))
    unit = Unit(name=name.strip(), kind=kind, area=area, **fields)
    unit.full_clean(exclude=DERIVED)
    unit.save()
    audit_change(
        actor=actor,
        action="create",
        target=unit,
        request=request,
        after={"name": unit.name, "kind": kind, "area": area, "credit_code": unit.credit_code},
    )
    return unit


@transaction.atomic
def unit_update(*, actor, unit: Unit, request=None, **data) -> Unit:
    unknown = set(data) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown unit fields: {sorted(unknown)}")
    require_editable(actor, unit.area)
    if "area" in data:
        require_editable(actor, data["area"])
    if "credit_code" in data:
        data["credit_code"] = unit_clean_credit_code(data["credit_code"])
    before, after = apply_changes(unit, data, exclude_from_clean=DERIVED)
    if after:
        audit_change(
            actor=actor, action="update", target=unit, before=before, after=after, request=request
        )
    return unit


@transaction.atomic
def unit_archive(*, actor, unit: Unit, request=None) -> Unit:
    """Units are archived, never deleted: registrations, claims and seats keep pointing at them."""
    require_editable(actor, unit.area)
    if unit.archived_at is None:
        unit.archived_at = timezone.now()
        unit.save(update_fields=["archived_at", "updated_at"])
        audit_change(actor=actor, action=AuditEntry.Action.ARCHIVE, target=unit, request=request)
    return unit


# Party organisations ----------------------------------------------------------------------------

PARTY_ORG_FIELDS = ("name", "kind", "parent", "unit", "community", "secretary_name", "member_count")


def _party_org_area(unit: Unit | None, community: Area | None) -> Area | None:
    return community if community is not None else (unit.area if unit is not None else None)


@transaction.atomic
def party_org_create(
    *,
    actor,
    name: str,
    kind: str,
    unit: Unit | None = None,
    community: Area | None = None,
    request=None,
    **fields,
) -> PartyOrg:
    require_editable(actor, _party_org_area(unit, community))
    org = PartyOrg(name=name.strip(), kind=kind, unit=unit, community=community, **fields)
    org.full_clean(exclude=DERIVED)
    org.save()
    audit_change(
        actor=actor,
        action="create",
        target=org,
        request=request,
        after={"name": org.name, "kind": kind, "unit": unit, "community": community},
    )
    return org


@transaction.atomic
def party_org_update(*, actor, org: PartyOrg, request=None, **data) -> PartyOrg:
    unknown = set(data) - set(PARTY_ORG_FIELDS)
    if unknown:
        raise TypeError(f"unknown party organisation fields: {sorted(unknown)}")
    require_editable(actor, org.area)
    before, after = apply_changes(org, data, exclude_from_clean=DERIVED)
    require_editable(actor, org.area)  # where it sits after the change, too
    if after:
        audit_change(
            actor=actor, action="update", target=org, before=before, after=after, request=request
        )
    return org


@transaction.atomic
def party_org_archive(*, actor, org: PartyOrg, request=None) -> PartyOrg:
    require_editable(actor, org.area)
    if org.archived_at is None:
        org.archived_at = timezone.now()
        org.save(update_fields=["archived_at", "updated_at"])
        audit_change(actor=actor, action=AuditEntry.Action.ARCHIVE, target=org, request=request)
    return org


# People -----------------------------------------------------------------------------------------

PERSON_FIELDS = (
    "name",
    "mobile",
    "gender",
    "home_community",
    "work_unit",
    "is_party_member",
    "party_org",
    "skills",
    "consent_scope",
    "consent_at",
    "consent_method",
)


def normalize_id_number(raw: str) -> str:
    """An 18-character resident ID number with a valid check character, upper case; or raise."""
    text = (raw or "").strip().replace(" ", "").upper()
    if len(text) != 18:
        raise ValidationError(
            {"id_number": _("A resident ID number has 18 characters.")}, code="invalid_id_number"
        )
    try:
        return ric.validate(text)
    except Exception as exc:  # stdnum's ValidationError subclasses
        raise ValidationError(
            {
                "id_number": _(
                    "This resident ID number is not valid (check the date and the last character)."
                )
            },
            code="invalid_id_number",
        ) from exc


def id_number_fields(id_number: str | None) -> dict:
    """The stored form of an ID number: encrypted, keyed hash, masked. Empty when none."""
    if not id_number:
        return {"id_number_encrypted": "", "id_number_hash": None, "id_number_masked": ""}
    return {
        "id_number_encrypted": crypto.encrypt(id_number),
        "id_number_hash": crypto.keyed_hash(id_number),
        "id_number_masked": mask_id_number(id_number),
    }


def person_area(person: Person) -> Area | None:
    """The area a person is scoped by: their home community, else their work unit's area."""
    if person.home_community_id:
        return person.home_community
    if person.work_unit_id:
        return person.work_unit.area
    return None


def _check_unique_person(person: Person) -> None:
    others = Person.objects.exclude(pk=person.pk)
    if person.mobile and others.filter(mobile=person.mobile).exists():
        raise ValidationError(
            {"mobile": _("A person with this mobile number is already registered.")}
        )
    if person.id_number_hash and others.filter(id_number_hash=person.id_number_hash).exists():
        raise ValidationError(
            {"id_number": _("A person with this resident ID number is already registered.")}
        )


def person_build(
    *, name: str, mobile: str | None = None, id_number: str | None = None, **fields
) -> Person:
    """A validated, unsaved person. Shared by ``person_create`` and the bulk import."""
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    errors = {}
    try:
        mobile = normalize_mobile(mobile) if mobile else None
    except ValidationError as error:
        errors["mobile"] = error.messages
    try:
        id_number = normalize_id_number(id_number) if id_number else None
    except ValidationError as error:
        errors.update(error.message_dict)
    if not (name or "").strip():
        errors["name"] = [_("Enter a name.")]
    if errors:
        raise ValidationError(errors)
    person = Person(name=name.strip(), mobile=mobile, **id_number_fields(id_number), **fields)
    person.full_clean(exclude=(*DERIVED, "id_number_hash", "mobile"), validate_unique=False)
    return person


@transaction.atomic
def person_create(*, actor, request=None, **fields) -> Person:
    person = person_build(**fields)
    require_editable(actor, person_area(person))
    _check_unique_person(person)
    person.save()
    audit_change(
        actor=actor,
        action="create",
        target=person,
        request=request,
        after={
            "name": person.name,
            "home_community": person.home_community,
            "work_unit": person.work_unit,
        },
    )
    return person


@transaction.atomic
def person_update(
    *, actor, person: Person, id_number: str | None = None, request=None, **data
) -> Person:
    """Change a person. ``id_number``: a new number to store, ``""`` to remove it, None to keep."""
    unknown = set(data) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    require_editable(actor, person_area(person))
    if "mobile" in data:
        data["mobile"] = normalize_mobile(data["mobile"]) if data["mobile"] else None
    if id_number is not None:
        data.update(id_number_fields(normalize_id_number(id_number) if id_number else None))
    before, after = apply_changes(
        person, data, exclude_from_clean=(*DERIVED, "mobile", "id_number_hash")
    )
    require_editable(actor, person_area(person))
    _check_unique_person(person)
    if after:
        # Never write an ID number, even encrypted, into the log: say only that it changed.
        for secret in ("id_number_encrypted", "id_number_hash"):
            before.pop(secret, None), after.pop(secret, None)
        audit_change(
            actor=actor, action="update", target=person, before=before, after=after, request=request
        )
    return person


@transaction.atomic
def person_archive(*, actor, person: Person, request=None) -> Person:
    require_editable(actor, person_area(person))
    if person.archived_at is None:
        person.archived_at = timezone.now()
        person.save(update_fields=["archived_at", "updated_at"])
        audit_change(actor=actor, action=AuditEntry.Action.ARCHIVE, target=person, request=request)
    return person


def person_reveal(*, actor, person: Person, field: str, request=None) -> str:
    """The full mobile or ID number of a person, for someone with the right; always audited."""
    scope = scope_of(actor)
    area = person_area(person)
    if not scope.can(Capability.UNMASK_PERSONAL_DATA) or not scope.contains_area(area):
        raise PermissionDenied
    if field == "mobile":
        value = person.mobile or ""
    elif field == "id_number":
        value = crypto.decrypt(person.id_number_encrypted) if person.id_number_encrypted else ""
    else:
        raise ValueError(field)
    audit_unmasked_view(actor=actor, target=person, fields=[field], request=request)
    return value


# Alliances and joint meetings -------------------------------------------------------------------


@transaction.atomic
def alliance_create(
    *,
    actor,
    name: str,
    kind: str,
    area: Area,
    lead_unit: Unit | None = None,
    description: str = "",
    request=None,
) -> Alliance:
    require_editable(actor, area)
    alliance = Alliance(
        name=name.strip(), kind=kind, area=area, lead_unit=lead_unit, description=description
    )
    alliance.full_clean(exclude=DERIVED)
    alliance.save()
    audit_change(
        actor=actor,
        action="create",
        target=alliance,
        request=request,
        after={"name": alliance.name, "kind": kind},
    )
    return alliance


def alliance_add_member(
    *, actor, alliance: Alliance, unit: Unit, joined_on=None, request=None
) -> AllianceMembership:
    return _member_add(actor=actor, body=alliance, unit=unit, joined_on=joined_on, request=request)


def alliance_remove_member(*, actor, alliance: Alliance, unit: Unit, request=None) -> None:
    _member_remove(actor=actor, body=alliance, unit=unit, request=request)


@transaction.atomic
def joint_meeting_create(
    *,
    actor,
    name: str,
    level: str,
    area: Area,
    place: Place | None = None,
    chair_unit: Unit | None = None,
    request=None,
) -> JointMeeting:
    require_editable(actor, area)
    meeting = JointMeeting(
        name=name.strip(), level=level, area=area, place=place, chair_unit=chair_unit
    )
    meeting.full_clean(exclude=DERIVED)
    meeting.save()
    audit_change(
        actor=actor,
        action="create",
        target=meeting,
        request=request,
        after={"name": meeting.name, "level": level},
    )
    return meeting


def joint_meeting_add_member(
    *, actor, joint_meeting: JointMeeting, unit: Unit, joined_on=None, request=None
) -> JointMeetingMembership:
    return _member_add(
        actor=actor, body=joint_meeting, unit=unit, joined_on=joined_on, request=request
    )


def joint_meeting_remove_member(
    *, actor, joint_meeting: JointMeeting, unit: Unit, request=None
) -> None:
    _member_remove(actor=actor, body=joint_meeting, unit=unit, request=request)


@transaction.atomic
def _member_add(*, actor, body, unit: Unit, joined_on, request):
    """Add ``unit`` to an alliance or joint meeting (``body``), unless it is already a member."""
    require_editable(actor, body.area)
    existing = body.memberships.filter(unit=unit, left_on__isnull=True).first()
    if existing:
        return existing
    membership = body.memberships.create(unit=unit, joined_on=joined_on or timezone.localdate())
    audit_change(
        actor=actor, action="update", target=body, request=request, after={"member added": unit}
    )
    return membership


@transaction.atomic
def _member_remove(*, actor, body, unit: Unit, request) -> None:
    """End ``unit``'s membership; the row stays, with the day it left, as history."""
    require_editable(actor, body.area)
    ended = body.memberships.filter(unit=unit, left_on__isnull=True).update(
        left_on=timezone.localdate()
    )
    if ended:
        audit_change(
            actor=actor,
            action="update",
            target=body,
            request=request,
            before={"member removed": unit},
        )


# Editing places, alliances and joint meetings ----------------------------------------------------

PLACE_FIELDS = ("name", "kind", "area", "address")
ALLIANCE_FIELDS = ("name", "kind", "area", "lead_unit", "description")
JOINT_MEETING_FIELDS = ("name", "level", "area", "place", "chair_unit")


@transaction.atomic
def _record_update(*, actor, record, allowed, request, data):
    """Change a record that is scoped by its ``area``: in the actor's scope before and after."""
    unknown = set(data) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    require_editable(actor, record.area)
    if "area" in data:
        require_editable(actor, data["area"])
    before, after = apply_changes(record, data, exclude_from_clean=DERIVED)
    if after:
        audit_change(
            actor=actor, action="update", target=record, before=before, after=after, request=request
        )
    return record


def place_update(*, actor, place: Place, request=None, **data) -> Place:
    return _record_update(
        actor=actor, record=place, allowed=PLACE_FIELDS, request=request, data=data
    )


def alliance_update(*, actor, alliance: Alliance, request=None, **data) -> Alliance:
    return _record_update(
        actor=actor, record=alliance, allowed=ALLIANCE_FIELDS, request=request, data=data
    )


def joint_meeting_update(
    *, actor, joint_meeting: JointMeeting, request=None, **data
) -> JointMeeting:
    return _record_update(
        actor=actor, record=joint_meeting, allowed=JOINT_MEETING_FIELDS, request=request, data=data
    )


# Bulk import ------------------------------------------------------------------------------------
# Excel import and export (fumin.transfer) owns this section. The import checks every row before
# it calls these functions: each cell with the same rules as the services above
# (normalize_mobile, normalize_id_number, unit_clean_credit_code, the fields' lengths and
# choices), every name and code resolved, duplicates and scope checked per row. Running
# ``full_clean`` on 100,000 rows would take longer than reading the file, so these functions take
# the checked plan and write it: scope again per distinct area (require_editable), derived fields
# as ``save`` would compute them (pinyin, the stored forms of ID numbers), bulk writes in batches,
# and one audit entry for the whole import rather than one per row. All or nothing: one
# transaction.

IMPORT_BATCH = 2000


def _import_require_editable(actor, area_ids) -> None:
    """require_editable for each distinct area (None: a record with no area, refused)."""
    if actor is None:
        return
    area_ids = set(area_ids)
    if None in area_ids:
        require_editable(actor, None)
    wanted = sorted(area_ids - {None})
    for start in range(0, len(wanted), 500):
        for area in Area.objects.filter(pk__in=wanted[start : start + 500]):
            require_editable(actor, area)


def _import_values(model, pks, *columns) -> list[tuple]:
    pks = sorted(pks)
    found = []
    for start in range(0, len(pks), 500):
        found += model.objects.filter(pk__in=pks[start : start + 500]).values_list("pk", *columns)
    return found


def _import_pinyin(cache: dict, name: str) -> tuple[str, str]:
    """``pinyin_key`` and ``pinyin_initials`` of ``name``, as ``PinyinNameModel.save`` computes
    them, from one conversion instead of two (the initials are the first letters of the same
    readings), and once per distinct name of an import."""
    found = cache.get(name)
    if found is None:
        from pypinyin import lazy_pinyin

        parts = lazy_pinyin(name or "", errors="default")
        found = ("".join(parts).lower().replace(" ", ""), "".join(p[:1] for p in parts).lower())
        cache[name] = found
    return found


def _import_write(model, creates: list, updates: list[tuple[int, dict]]) -> list:
    """bulk_create the new objects, bulk_update the changes grouped by which fields changed."""
    created = []
    for start in range(0, len(creates), IMPORT_BATCH):
        created += model.objects.bulk_create(creates[start : start + IMPORT_BATCH])
    now = timezone.now()
    groups: dict[tuple, list] = {}
    for pk, changes in updates:
        groups.setdefault(tuple(sorted(changes)), []).append(
            model(pk=pk, updated_at=now, **changes)
        )
    for fields, objects in groups.items():
        model.objects.bulk_update(objects, [*fields, "updated_at"], batch_size=IMPORT_BATCH)
    return created


def _import_insert(model, rows: list[dict]) -> int:
    """Insert ``rows`` (attname -> value) in one COPY (PostgreSQL) or ``executemany``: no model
    instance per row.

    For the large imports (people), where building and compiling 100,000 model objects costs
    more than reading the file. A field a row leaves out gets its default, the timestamps get
    now; values go to the driver as they are, but for the field types that need converting.
    """
    from django.db import connection, models

    keys = set().union(*rows) if rows else set()
    now = timezone.now()
    converted = (models.UUIDField, models.DateTimeField, models.DateField, models.JSONField)
    plain, produced, given = [], [], []  # columns by how each row's value is found
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        needs = isinstance(field, converted)
        if field.has_default() and callable(field.default):
            produced.append(field)  # e.g. public_id: a new UUID per row
        elif needs and field.attname in keys:
            given.append(field)
        else:
            ready = now if field.attname in ("created_at", "updated_at") else field.get_default()
            if needs:
                ready = field.get_db_prep_save(ready, connection)
            plain.append((field, ready))
    fields = [field for field, _ready in plain] + produced + given
    quote = connection.ops.quote_name
    # Table and column names come from the model, quoted; the values are parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    defaults = [(field.attname, ready) for field, ready in plain]
    values = []
    for row in rows:
        line = [row.get(attname, ready) for attname, ready in defaults]
        line += [field.get_db_prep_save(field.default(), connection) for field in produced]
        line += [field.get_db_prep_save(row[field.attname], connection) for field in given]
        values.append(line)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: one stream instead of a round trip per row.
            copy_sql = sql.split(" VALUES ", 1)[0].replace("INSERT INTO", "COPY", 1)
            with cursor.cursor.copy(f"{copy_sql} FROM STDIN") as copy:
                for line in values:
                    copy.write_row(line)
        else:
            cursor.executemany(sql, values)
    return len(values)


def _import_audit(*, actor, what: str, created: int, updated: int, source, request) -> None:
    if not (created or updated):
        return  # nothing changed: a re-import of the same file leaves no trace but its job
    audit_change(
        actor=actor,
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
        target=source,
        request=request,
        after={"created": created, "updated": updated},
        note=f"import of {what}: {created} created, {updated} updated",
    )


def _import_with_pinyin(fields: dict, cache: dict) -> dict:
    if "name" in fields:
        fields["name_pinyin"], fields["name_initials"] = _import_pinyin(cache, fields["name"])
    return fields


@transaction.atomic
def units_import_apply(
    *, actor, creates: list[dict], updates: list[tuple[int, dict]], source=None, request=None
) -> tuple[int, int]:
    """Create and change units from a checked import. ``creates``: Unit field values (``area_id``,
    ``place_id``); ``updates``: (id, changed fields). Returns (created, updated)."""
    current = _import_values(Unit, [pk for pk, _changes in updates], "area_id")
    _import_require_editable(
        actor,
        [c["area_id"] for c in creates]
        + [area_id for _pk, area_id in current]
        + [changes["area_id"] for _pk, changes in updates if "area_id" in changes],
    )
    cache: dict = {}
    objects = [Unit(**_import_with_pinyin(dict(c), cache)) for c in creates]
    changes = [(pk, _import_with_pinyin(dict(c), cache)) for pk, c in updates]
    _import_write(Unit, objects, changes)
    _import_audit(
        actor=actor,
        what="units",
        created=len(objects),
        updated=len(changes),
        source=source,
        request=request,
    )
    return len(objects), len(changes)


@transaction.atomic
def party_orgs_import_apply(
    *, actor, creates: list[dict], updates: list[tuple[int, dict]], source=None, request=None
) -> tuple[int, int]:
    """Create and change party organisations from a checked import.

    A parent may be another new organisation of the same import: ``parent_new`` holds its index
    in ``creates`` (in a create or in an update's changes); those parents are set once every new
    organisation has its id. Returns (created, updated).
    """
    unit_ids = {c.get("unit_id") for c in creates} | {
        ch["unit_id"] for _pk, ch in updates if ch.get("unit_id")
    }
    current = _import_values(PartyOrg, [pk for pk, _ch in updates], "community_id", "unit_id")
    unit_ids |= {unit_id for _pk, _community, unit_id in current}
    unit_area = dict(_import_values(Unit, unit_ids - {None}, "area_id"))
    now_owner = {pk: (community, unit) for pk, community, unit in current}
    areas = [c.get("community_id") or unit_area.get(c.get("unit_id")) for c in creates]
    for pk, ch in updates:
        community, unit = now_owner[pk]
        areas.append(community or unit_area.get(unit))
        if "community_id" in ch or "unit_id" in ch:
            community, unit = ch.get("community_id", community), ch.get("unit_id", unit)
            areas.append(community or unit_area.get(unit))
    _import_require_editable(actor, areas)

    cache: dict = {}
    later_parents: list[tuple[int, int]] = []  # (position in creates, parent's position)
    objects = []
    for position, c in enumerate(creates):
        fields = _import_with_pinyin(dict(c), cache)
        parent_new = fields.pop("parent_new", None)
        if parent_new is not None:
            later_parents.append((position, parent_new))
        objects.append(PartyOrg(**fields))
    changes, later_updates = [], []
    for pk, c in updates:
        fields = _import_with_pinyin(dict(c), cache)
        parent_new = fields.pop("parent_new", None)
        if parent_new is not None:
            later_updates.append((pk, parent_new))
        if fields:
            changes.append((pk, fields))
    created = _import_write(PartyOrg, objects, changes)
    parents = [(created[position].pk, {"parent_id": created[parent].pk})
               for position, parent in later_parents]  # fmt: skip
    parents += [(pk, {"parent_id": created[parent].pk}) for pk, parent in later_updates]
    _import_write(PartyOrg, [], parents)
    updated = len({pk for pk, _ch in updates})
    _import_audit(
        actor=actor,
        what="party organisations",
        created=len(created),
        updated=updated,
        source=source,
        request=request,
    )
    return len(created), updated


def _person_import_fields(fields: dict, cache: dict) -> dict:
    if "id_number" in fields:
        fields.update(id_number_fields(fields.pop("id_number")))
    return _import_with_pinyin(fields, cache)


@transaction.atomic
def people_import_apply(
    *, actor, creates: list[dict], updates: list[tuple[int, dict]], source=None, request=None
) -> tuple[int, int]:
    """Create and change people from a checked import.

    ``creates``: Person field values with the plain, normalised ``id_number`` (or None), which is
    stored here as ``person_create`` stores it (encrypted, keyed hash, masked); ``updates``:
    (id, changed fields), ``id_number`` likewise. Returns (created, updated).
    """
    current = _import_values(
        Person, [pk for pk, _ch in updates], "home_community_id", "work_unit_id"
    )
    unit_ids = {c.get("work_unit_id") for c in creates}
    unit_ids |= {ch["work_unit_id"] for _pk, ch in updates if ch.get("work_unit_id")}
    unit_ids |= {unit for _pk, _home, unit in current}
    unit_area = dict(_import_values(Unit, unit_ids - {None}, "area_id"))
    areas = [c.get("home_community_id") or unit_area.get(c.get("work_unit_id")) for c in creates]
    wanted = dict(updates)
    for pk, home, unit in current:
        areas.append(home or unit_area.get(unit))
        changes = wanted[pk]
        if "home_community_id" in changes or "work_unit_id" in changes:
            home = changes.get("home_community_id", home)
            areas.append(home or unit_area.get(changes.get("work_unit_id", unit)))
    _import_require_editable(actor, areas)

    cache: dict = {}
    created = updated = 0
    for start in range(0, len(creates), IMPORT_BATCH):
        batch = creates[start : start + IMPORT_BATCH]
        created += _import_insert(Person, [_person_import_fields(dict(c), cache) for c in batch])
    for start in range(0, len(updates), IMPORT_BATCH):
        batch = [
            (pk, _person_import_fields(dict(c), cache))
            for pk, c in updates[start : start + IMPORT_BATCH]
        ]
        _import_write(Person, [], batch)
        updated += len(batch)
    _import_audit(
        actor=actor, what="people", created=created, updated=updated, source=source, request=request
    )
    return created, updated
