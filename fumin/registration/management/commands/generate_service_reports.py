from django.core.management.base import BaseCommand, CommandError

from fumin.registration.periods import last_completed_period, parse_period, report_period_kind
from fumin.registration.reporting import service_reports_generate


class Command(BaseCommand):
    help = (
        "Generate the dual-reporting service reports of one period and deliver them to the unit "
        "liaisons' inboxes. Idempotent: re-running a period updates its reports."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--kind",
            choices=["member", "unit"],
            action="append",
            help="member or unit reports (default: both)",
        )
        parser.add_argument(
            "--period",
            help="2020H1, 2020H2 or 2020 (default: the last completed period of each kind, "
            "FUMIN_MEMBER_REPORT_PERIOD / FUMIN_UNIT_REPORT_PERIOD)",
        )

    def handle(self, *args, **options):
        for kind in options["kind"] or ["member", "unit"]:
            try:
                period = (
                    parse_period(options["period"])
                    if options["period"]
                    else last_completed_period(report_period_kind(kind))
                )
            except ValueError as error:
                raise CommandError(str(error)) from None
            result = service_reports_generate(
                actor=None, kind=kind, period_start=period.start, period_end=period.end
            )
            self.stdout.write(
                f"{kind} {period.code}: {result.reports} reports, {result.notified} notifications"
            )
