"""Member registrations in bulk: the write behind the Excel import (``fumin.transfer``).

The import has checked every row (cells, names, scope, duplicates, who is already registered);
this function writes the checked plan in one transaction, with the registry's bulk-import
helpers: people created in one ``executemany`` (or ``COPY``) with their pinyin and the stored
forms of their ID numbers, changed people updated in batches, the registrations created with
``bulk_create``, one audit entry for the whole import, and one notification per community for its
secretaries (not one per member).
"""

from collections import Counter

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from fumin.accounts.models import Role, RoleAssignment
from fumin.accounts.scope import Capability, scope_of
from fumin.audit.models import AuditEntry
from fumin.audit.services import audit_change
from fumin.core import crypto
from fumin.notifications.services import notify
from fumin.registry.models import Area, Person, Unit
from fumin.registry.services import (
    IMPORT_BATCH,
    _import_insert,
    _import_values,
    _import_write,
    _person_import_fields,
)

from .models import MemberRegistration, Status

REGISTRATION_FIELDS = ("community_id", "grid_id", "work_unit_id", "party_org_id", "specialities",
                       "service_intent", "channel")  # fmt: skip


def _require_may_register(actor, registrations: list[dict]) -> None:
    """Scope again, per distinct (community, unit, channel): a liaison registers the members of
    their own unit with any community of the unit's subdistrict; staff register people living in
    their scope."""
    if actor is None:
        return
    scope = scope_of(actor)
    wanted = {(r["community_id"], r["work_unit_id"], r["channel"]) for r in registrations}
    paths = dict(_import_values(Area, {c for c, _u, _ch in wanted}, "path"))
    kinds = dict(_import_values(Area, paths, "kind"))
    unit_paths = dict(_import_values(Unit, {u for _c, u, _ch in wanted if u}, "area__path"))
    subdistricts = list(
        Area.objects.filter(kind=Area.Kind.SUBDISTRICT).values_list("path", flat=True)
    )
    for community, unit, channel in wanted:
        path = paths.get(community)
        if path is None or kinds.get(community) != Area.Kind.COMMUNITY:
            raise PermissionDenied
        if channel == MemberRegistration.Channel.UNIT:
            unit_path = unit_paths.get(unit) or ""
            home = next((p for p in subdistricts if unit_path.startswith(p)), None)
            if not (
                Role.UNIT_LIAISON in scope.roles
                and unit in scope.unit_ids
                and home
                and path.startswith(home)
            ):
                raise PermissionDenied
        elif not (scope.can(Capability.EDIT_REGISTRY) and any(
            path.startswith(p) for p in scope.area_paths
        )):  # fmt: skip
            raise PermissionDenied


@transaction.atomic
def member_registrations_import_apply(
    *,
    actor,
    registrations: list[dict],
    person_updates: list[tuple[int, dict]] = (),
    source=None,
    request=None,
) -> tuple[int, int]:
    """Create waiting member registrations from a checked import.

    ``registrations``: dicts of ``REGISTRATION_FIELDS`` plus either ``person_id`` (a registered
    person) or ``person`` (the Person field values of a new person, with the plain, normalised
    ``id_number`` or None, and a mobile number or an ID number to find them again);
    ``person_updates``: (id, changed fields) of registered people. Returns (registrations
    created, people created).
    """
    registrations = list(registrations)
    _require_may_register(actor, registrations)
    now = timezone.now()
    submitted_by = actor if getattr(actor, "pk", None) else None
    consent = {
        "consent_scope": gettext("Dual registration: contact and service records"),
        "consent_at": now,
    }
    cache: dict = {}

    creating = [r for r in registrations if "person" in r]
    for start in range(0, len(creating), IMPORT_BATCH):
        batch = [
            {
                **_person_import_fields(dict(r["person"]), cache),
                **consent,
                "consent_method": str(MemberRegistration.Channel(r["channel"]).label),
            }
            for r in creating[start : start + IMPORT_BATCH]
        ]
        _import_insert(Person, batch)
    person_updates = list(person_updates)
    for start in range(0, len(person_updates), IMPORT_BATCH):
        batch = [
            (pk, _person_import_fields(dict(changes), cache))
            for pk, changes in person_updates[start : start + IMPORT_BATCH]
        ]
        _import_write(Person, [], batch)

    # The new people's ids, found again by the key each of them was given.
    keys = {}
    for r in creating:
        id_number = r["person"].get("id_number")
        keys[id(r)] = ("id_number_hash", crypto.keyed_hash(id_number)) if id_number else (
            "mobile", r["person"]["mobile"]
        )  # fmt: skip
    ids: dict[tuple, int] = {}
    for field in ("id_number_hash", "mobile"):
        wanted = sorted({value for f, value in keys.values() if f == field})
        for index in range(0, len(wanted), 500):
            found = Person.objects.filter(**{f"{field}__in": wanted[index : index + 500]})
            ids.update(((field, value), pk) for value, pk in found.values_list(field, "pk"))

    objects = [
        MemberRegistration(
            person_id=ids[keys[id(r)]] if "person" in r else r["person_id"],
            status=Status.PENDING,
            submitted_by=submitted_by,
            **{key: r[key] for key in REGISTRATION_FIELDS},
        )
        for r in registrations
    ]
    created = []
    for start in range(0, len(objects), IMPORT_BATCH):
        created += MemberRegistration.objects.bulk_create(objects[start : start + IMPORT_BATCH])

    if created:
        audit_change(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            target=source,
            request=request,
            after={
                "registrations": len(created),
                "people_created": len(creating),
                "people_updated": len(person_updates),
            },
            note=(
                f"import of member registrations: {len(created)} registrations, "
                f"{len(creating)} people created, {len(person_updates)} updated"
            ),
        )
        _tell_communities(Counter(r.community_id for r in created))
    return len(created), len(creating)


def _tell_communities(counts: Counter) -> None:
    """One notification per community and secretary: how many registrations wait for them."""
    assignments = RoleAssignment.objects.filter(
        role=Role.COMMUNITY_SECRETARY,
        area_id__in=list(counts),
        revoked_at__isnull=True,
        user__is_active=True,
    ).select_related("user")
    told = set()
    for assignment in assignments.order_by("area_id", "user_id"):
        if (assignment.area_id, assignment.user_id) in told:
            continue
        told.add((assignment.area_id, assignment.user_id))
        count = counts[assignment.area_id]
        notify(
            recipient=assignment.user,
            title=ngettext(
                "%(count)d party member registered with your community in bulk; please confirm.",
                "%(count)d party members registered with your community in bulk; please confirm.",
                count,
            )
            % {"count": count},
            url=reverse("console:registration_index"),
            channels=["sms"],
        )
