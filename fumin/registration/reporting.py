"""Writes of dual reporting (双报告) and of the yearly re-confirmation reminders.

- ``service_reports_generate`` builds the periodic service reports from recorded service and
  delivers them to the inbox of the member's (or unit's) own party organisation: the unit
  liaisons. Re-running a period updates the reports in place; nobody is told twice.
- ``registration_send_reconfirmation_reminders`` tells community secretaries how many of their
  registrations await the yearly re-confirmation, and members that their own does; once a cycle.

The management commands ``generate_service_reports`` and ``send_reconfirmation_reminders`` and
the tasks in ``tasks.py`` call these.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fumin.accounts.models import Role, User
from fumin.accounts.scope import Capability, scope_of
from fumin.accounts.selectors import role_holders
from fumin.audit.services import audit_record
from fumin.core.masking import mask_mobile
from fumin.notifications.services import notify
from fumin.registry.models import Area, PartyOrg, Person, Unit

from .models import MemberRegistration, OrgRegistration, Status
from .periods import SHANGHAI, Period, period_from_dates
from .report_models import ReconfirmationReminder, ServiceReport
from .service_records import ServiceRecord, service_records

# Registrations that held (or hold) a confirmed place in a community at some time.
WAS_CONFIRMED = (Status.CONFIRMED, Status.TRANSFERRED, Status.ENDED)


# Who was registered in a period -------------------------------------------------------------------


def confirmed_during(model, period: Period):
    """Registrations of ``model`` that were confirmed at some moment of ``period``: first
    confirmed before it ended and not ended (or moved away) before it began."""
    since, until = period.bounds()
    return model.objects.filter(
        status__in=WAS_CONFIRMED,
        confirmed_at__isnull=False,
        confirmed_at__lt=until,
    ).filter(Q(ended_at__isnull=True) | Q(ended_at__gte=since))


def unit_liaisons(unit: Unit | None):
    if unit is None:
        return User.objects.none()
    return role_holders(role=Role.UNIT_LIAISON, unit=unit)


def community_secretaries(community: Area):
    return role_holders(role=Role.COMMUNITY_SECRETARY, area=community)


# The report contents -----------------------------------------------------------------------------


def _hours(value: Decimal) -> float:
    return float(Decimal(value).quantize(Decimal("0.01")))


@dataclass
class _Tally:
    activities: set = field(default_factory=set)
    person_times: int = 0
    hours: Decimal = Decimal(0)
    records: list = field(default_factory=list)

    def add(self, record: ServiceRecord) -> None:
        self.activities.add(record.activity_id)
        self.person_times += 1
        self.hours += Decimal(record.hours)
        self.records.append(record)

    def figures(self) -> dict:
        return {
            "activities": len(self.activities),
            "person_times": self.person_times,
            "hours": _hours(self.hours),
        }


def _community_rows(records: list[ServiceRecord], communities: dict[int, Area], detail: bool):
    """Per-community figures, in the order of the communities' names."""
    tallies: dict[int, _Tally] = defaultdict(_Tally)
    for record in records:
        tallies[record.community_id].add(record)
    rows = []
    for community_id, tally in tallies.items():
        community = communities.get(community_id)
        row = {"community": community.name if community else "", **tally.figures()}
        if detail:
            row["records"] = [
                {
                    "date": r.held_on.isoformat(),
                    "activity": r.activity_title,
                    "kind": r.kind,
                    "hours": _hours(r.hours),
                }
                for r in sorted(tally.records, key=lambda r: (r.held_on, r.activity_title))
            ]
        rows.append(row)
    return sorted(rows, key=lambda row: row["community"])


def _totals(records: list[ServiceRecord]) -> dict:
    tally = _Tally()
    for record in records:
        tally.add(record)
    return tally.figures()


def _registration_rows(registrations) -> list[dict]:
    return [
        {
            "community": r.community.name,
            "status": r.get_status_display(),
            "confirmed_on": timezone.localtime(r.confirmed_at, SHANGHAI).date().isoformat(),
        }
        for r in sorted(registrations, key=lambda r: r.confirmed_at)
    ]


def _areas_by_id(records: list[ServiceRecord], registrations) -> dict[int, Area]:
    ids = {r.community_id for r in records} | {r.community_id for r in registrations}
    return {area.pk: area for area in Area.objects.filter(pk__in=ids)}


def member_report_content(
    person: Person, registrations: list, records: list[ServiceRecord]
) -> dict:
    """The structured member report. Personal data is masked here, once: nothing downstream
    (pages, .docx, .xlsx) can show more than this."""
    latest = registrations[-1]
    work_unit = latest.work_unit or person.work_unit
    party_org = latest.party_org or person.party_org
    communities = _areas_by_id(records, registrations)
    return {
        "person": {
            "name": person.name,
            "mobile": mask_mobile(person.mobile or ""),
            "id_number": person.id_number_masked,  # stored masked; never the full number
        },
        "work_unit": work_unit.name if work_unit else "",
        "party_org": party_org.name if party_org else "",
        "registrations": _registration_rows(registrations),
        "communities": _community_rows(records, communities, detail=True),
        "totals": _totals(records),
    }


def unit_report_content(
    unit: Unit,
    org_registrations: list,
    member_registrations: list,
    records: list[ServiceRecord],
) -> dict:
    """The structured unit report: the unit's organisation registrations, each registered member
    with their service across communities, per-community figures and totals."""
    communities = _areas_by_id(records, [*org_registrations, *member_registrations])
    by_person: dict[int, list[ServiceRecord]] = defaultdict(list)
    for record in records:
        by_person[record.person_id].append(record)
    registrations_of: dict[int, list] = defaultdict(list)
    for registration in member_registrations:
        registrations_of[registration.person_id].append(registration)
    members = []
    for person_id, registrations in registrations_of.items():
        person = registrations[0].person
        own = by_person.get(person_id, [])
        members.append(
            {
                "name": person.name,
                "mobile": mask_mobile(person.mobile or ""),
                "registered_with": "、".join(
                    dict.fromkeys(r.community.name for r in registrations)
                ),
                **_totals(own),
                "communities": _community_rows(own, communities, detail=False),
            }
        )
    members.sort(key=lambda m: (-m["hours"], m["name"]))
    totals = _totals(records)
    totals["members"] = len(members)
    totals["members_served"] = sum(1 for m in members if m["person_times"])
    return {
        "unit": {"name": unit.name, "kind": unit.get_kind_display()},
        "party_orgs": sorted({r.party_org.name for r in org_registrations if r.party_org_id}),
        "org_registrations": [
            {
                "party_org": r.party_org.name,
                "community": r.community.name,
                "confirmed_on": timezone.localtime(r.confirmed_at, SHANGHAI).date().isoformat(),
            }
            for r in sorted(org_registrations, key=lambda r: (r.community.name, r.party_org.name))
        ],
        "members": members,
        "communities": _community_rows(records, communities, detail=False),
        "totals": totals,
    }


# Generating and delivering -----------------------------------------------------------------------


def _require_may_generate(actor) -> None:
    if actor is None:
        return  # the scheduled task and the management command
    if not scope_of(actor).can(Capability.MANAGE_USERS):
        raise PermissionDenied


def _in_actor_scope(actor, rows, path_field: str = "community__path"):
    if actor is None:
        return rows
    return rows.filter(scope_of(actor).area_condition(path_field))


def _save_report(*, kind, subject: dict, period: Period, content: dict, context: dict, now):
    report, _created = ServiceReport.objects.update_or_create(
        kind=kind,
        period_start=period.start,
        period_end=period.end,
        **subject,
        defaults={
            "period_kind": period.kind,
            "generated_at": now,
            "content": content,
            **context,
        },
    )
    return report


def _deliver(report: ServiceReport, recipients: list[User], now) -> int:
    """Tell each recipient not told before; returns how many were told."""
    already = set(report.recipients.values_list("pk", flat=True))
    new = [user for user in recipients if user.pk not in already]
    if not new:
        return 0
    url = report.get_absolute_url()
    title = _("Service report: %(subject)s, %(period)s") % {
        "subject": report.subject_name,
        "period": report.period.label,
    }
    totals = report.content.get("totals", {})
    body = _("%(hours)s hours, %(times)s person-times at %(activities)s activities.") % {
        "hours": totals.get("hours", 0),
        "times": totals.get("person_times", 0),
        "activities": totals.get("activities", 0),
    }
    for user in new:
        notify(recipient=user, title=title, body=body, url=url)
    report.recipients.add(*new)
    if report.delivered_at is None:
        report.delivered_at = now
        report.save(update_fields=["delivered_at", "updated_at"])
    return len(new)


def _member_recipients(registration: MemberRegistration, person: Person) -> list[User]:
    """The liaisons of the unit of the member's own party organisation; failing those, the
    liaisons of their work unit."""
    party_org = registration.party_org or person.party_org
    if party_org is not None and party_org.unit_id:
        liaisons = list(unit_liaisons(party_org.unit))
        if liaisons:
            return liaisons
    return list(unit_liaisons(registration.work_unit or person.work_unit))


def _generate_member_reports(actor, period: Period, now) -> tuple[int, int]:
    registrations = _in_actor_scope(actor, confirmed_during(MemberRegistration, period))
    by_person: dict[int, list] = defaultdict(list)
    for registration in registrations.select_related(
        "person__work_unit", "person__party_org__unit", "community", "work_unit", "party_org__unit"
    ).order_by("confirmed_at", "pk"):
        by_person[registration.person_id].append(registration)
    records_of: dict[int, list] = defaultdict(list)
    for record in service_records(list(by_person), period.start, period.end):
        records_of[record.person_id].append(record)
    count = told = 0
    for person_id, person_registrations in by_person.items():
        latest = person_registrations[-1]
        person = latest.person
        report = _save_report(
            kind=ServiceReport.Kind.MEMBER,
            subject={"person": person},
            period=period,
            content=member_report_content(
                person, person_registrations, records_of.get(person_id, [])
            ),
            context={
                "registration": latest,
                "work_unit": latest.work_unit or person.work_unit,
                "party_org": latest.party_org or person.party_org,
            },
            now=now,
        )
        report.communities.set({r.community for r in person_registrations})
        told += _deliver(report, _member_recipients(latest, person), now)
        count += 1
    return count, told


def _generate_unit_reports(actor, period: Period, now) -> tuple[int, int]:
    org_registrations = (
        _in_actor_scope(actor, confirmed_during(OrgRegistration, period))
        .filter(party_org__unit__isnull=False)
        .select_related("party_org__unit", "community")
    )
    member_registrations = (
        _in_actor_scope(actor, confirmed_during(MemberRegistration, period))
        .filter(work_unit__isnull=False)
        .select_related("person", "community", "work_unit")
        .order_by("confirmed_at", "pk")
    )
    orgs_of: dict[int, list] = defaultdict(list)
    members_of: dict[int, list] = defaultdict(list)
    units: dict[int, Unit] = {}
    for registration in org_registrations:
        units[registration.party_org.unit_id] = registration.party_org.unit
        orgs_of[registration.party_org.unit_id].append(registration)
    for registration in member_registrations:
        units[registration.work_unit_id] = registration.work_unit
        members_of[registration.work_unit_id].append(registration)
    person_ids = sorted({r.person_id for r in member_registrations})
    records_of: dict[int, list] = defaultdict(list)
    for record in service_records(person_ids, period.start, period.end):
        records_of[record.person_id].append(record)
    count = told = 0
    for unit_id, unit in sorted(units.items()):
        members = members_of.get(unit_id, [])
        records = [
            record
            for pid in dict.fromkeys(r.person_id for r in members)
            for record in records_of[pid]
        ]
        report = _save_report(
            kind=ServiceReport.Kind.UNIT,
            subject={"unit": unit},
            period=period,
            content=unit_report_content(unit, orgs_of.get(unit_id, []), members, records),
            context={"party_org": _unit_party_org(unit, orgs_of.get(unit_id, []))},
            now=now,
        )
        report.communities.set(
            {r.community for r in orgs_of.get(unit_id, [])} | {r.community for r in members}
        )
        told += _deliver(report, list(unit_liaisons(unit)), now)
        count += 1
    return count, told


def _unit_party_org(unit: Unit, org_registrations: list) -> PartyOrg | None:
    if org_registrations:
        return org_registrations[0].party_org
    return unit.party_orgs.filter(archived_at__isnull=True).order_by("pk").first()


@dataclass
class GenerationResult:
    period: Period
    kind: str
    reports: int  # reports created or updated
    notified: int  # inbox notifications sent (only to recipients not told before)


@transaction.atomic
def service_reports_generate(
    *, actor, kind: str, period_start: datetime.date, period_end: datetime.date, request=None
) -> GenerationResult:
    """Generate (or regenerate) every ``kind`` report ("member" or "unit") of one period and
    deliver each to its recipients' inbox.

    Idempotent: one report per subject and period, updated in place on a re-run; recipients told
    before are not told again. ``actor`` None is the scheduled task or a command; a person needs
    the right to manage users, and generates only for the communities in their scope.
    """
    _require_may_generate(actor)
    if kind not in ServiceReport.Kind.values:
        raise ValidationError({"kind": _("Choose member or unit reports.")})
    try:
        period = period_from_dates(period_start, period_end)
    except ValueError:
        raise ValidationError(
            {"period": _("A report period is a half-year or a calendar year.")}
        ) from None
    now = timezone.now()
    if kind == ServiceReport.Kind.MEMBER:
        count, told = _generate_member_reports(actor, period, now)
    else:
        count, told = _generate_unit_reports(actor, period, now)
    audit_record(
        actor=actor,
        action="create",
        request=request,
        note=f"service reports ({kind}) {period.code}: {count} generated, {told} delivered",
    )
    return GenerationResult(period=period, kind=kind, reports=count, notified=told)


# The yearly re-confirmation ----------------------------------------------------------------------


def cycle_start_instant(cycle_start: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(cycle_start, datetime.time.min, tzinfo=SHANGHAI)


def overdue_registrations(model, cycle_start: datetime.date):
    """Confirmed registrations not re-confirmed since the cycle began."""
    return model.objects.filter(
        status=Status.CONFIRMED, last_confirmed_at__lt=cycle_start_instant(cycle_start)
    )


@dataclass
class ReminderResult:
    cycle_start: datetime.date
    communities: int  # communities whose secretaries were reminded now
    members: int  # members reminded now


@transaction.atomic
def registration_send_reconfirmation_reminders(*, today=None) -> ReminderResult:
    """Remind community secretaries (one notification per community, with the count) and members
    of registrations due for the yearly re-confirmation. Each community and each registration is
    reminded at most once per cycle; the reminders sent are recorded."""
    from .services import reconfirmation_cycle_start

    cycle = reconfirmation_cycle_start(today)
    overdue_members = list(
        overdue_registrations(MemberRegistration, cycle).select_related("person__user", "community")
    )
    overdue_orgs = list(overdue_registrations(OrgRegistration, cycle).select_related("community"))
    per_community: dict[int, list] = defaultdict(list)
    communities: dict[int, Area] = {}
    for registration in [*overdue_members, *overdue_orgs]:
        per_community[registration.community_id].append(registration)
        communities[registration.community_id] = registration.community
    reminded = set(
        ReconfirmationReminder.objects.filter(
            cycle_start=cycle, registration__isnull=True
        ).values_list("community_id", flat=True)
    )
    community_count = 0
    for community_id, registrations in sorted(per_community.items()):
        if community_id in reminded:
            continue
        community = communities[community_id]
        count = len(registrations)
        for user in community_secretaries(community):
            notify(
                recipient=user,
                title=_("%(count)d registrations with %(community)s are due for re-confirmation")
                % {"count": count, "community": community.name},
                url="/console/registrations/?status=overdue",
                channels=["sms"],
            )
        ReconfirmationReminder.objects.create(
            cycle_start=cycle, community=community, overdue_count=count
        )
        community_count += 1
    reminded_registrations = set(
        ReconfirmationReminder.objects.filter(
            cycle_start=cycle, registration__isnull=False
        ).values_list("registration_id", flat=True)
    )
    member_count = 0
    for registration in overdue_members:
        user = registration.person.user
        if registration.pk in reminded_registrations or user is None or not user.is_active:
            continue
        notify(
            recipient=user,
            title=_("Your registration with %(community)s is due for re-confirmation")
            % {"community": registration.community.name},
            body=_("Please confirm with your community that your details still hold."),
            url=_member_registration_url(),
            channels=["sms"],
        )
        ReconfirmationReminder.objects.create(
            cycle_start=cycle,
            community=registration.community,
            registration=registration,
            overdue_count=1,
        )
        member_count += 1
    return ReminderResult(cycle_start=cycle, communities=community_count, members=member_count)


def _member_registration_url() -> str:
    """The member's own registration page on the portal."""
    return reverse("portal:registration")
