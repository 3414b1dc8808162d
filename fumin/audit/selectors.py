"""Reads of the audit log, limited to the viewer's scope."""

from datetime import date, datetime, time

from django.db.models import Q, QuerySet
from django.utils import timezone

from fumin.accounts.scope import Capability, scope_of

from .models import AuditEntry


def audit_entry_list(
    *,
    viewer,
    text: str = "",
    action: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEntry]:
    scope = scope_of(viewer)
    if not scope.can(Capability.VIEW_AUDIT):
        return AuditEntry.objects.none()
    entries = AuditEntry.objects.filter(scope.area_condition("scope_path")).select_related(None)
    if text:
        entries = entries.filter(
            Q(actor_name__icontains=text)
            | Q(target_repr__icontains=text)
            | Q(target_type__icontains=text)
            | Q(note__icontains=text)
        )
    if action:
        entries = entries.filter(action=action)
    # Dates are days in Asia/Shanghai; turn them into UTC instants for the query.
    tz = timezone.get_current_timezone()
    if date_from:
        entries = entries.filter(at__gte=datetime.combine(date_from, time.min, tzinfo=tz))
    if date_to:
        entries = entries.filter(at__lte=datetime.combine(date_to, time.max, tzinfo=tz))
    return entries
