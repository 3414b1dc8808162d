"""Scheduled work of dual registration and dual reporting, through Django's task API.

Run them from any scheduler (cron, a queue's periodic jobs) with ``.enqueue()``, or use the
management commands ``generate_service_reports`` and ``send_reconfirmation_reminders``.
"""

from django_tasks import task

from .periods import last_completed_period, parse_period, report_period_kind


@task()
def generate_service_reports(kind: str = "member", period: str = "") -> dict:
    """Generate and deliver the ``kind`` reports of ``period`` (a code such as 2020H2 or 2020;
    empty: the last completed period of the configured length)."""
    from .reporting import service_reports_generate

    chosen = parse_period(period) if period else last_completed_period(report_period_kind(kind))
    result = service_reports_generate(
        actor=None, kind=kind, period_start=chosen.start, period_end=chosen.end
    )
    return {
        "kind": kind,
        "period": chosen.code,
        "reports": result.reports,
        "notified": result.notified,
    }


@task()
def send_reconfirmation_reminders() -> dict:
    from .reporting import registration_send_reconfirmation_reminders

    result = registration_send_reconfirmation_reminders()
    return {
        "cycle_start": result.cycle_start.isoformat(),
        "communities": result.communities,
        "members": result.members,
    }
