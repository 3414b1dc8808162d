import datetime

from django.core.management.base import BaseCommand, CommandError

from fumin.registration.reporting import registration_send_reconfirmation_reminders


class Command(BaseCommand):
    help = (
        "Remind community secretaries and members of registrations due for the yearly "
        "re-confirmation (REGISTRATION_RECONFIRM_ON). Each is reminded once per cycle."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="YYYY-MM-DD, to act as on another day")

    def handle(self, *args, **options):
        today = None
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today takes YYYY-MM-DD") from None
        result = registration_send_reconfirmation_reminders(today=today)
        self.stdout.write(
            f"cycle from {result.cycle_start}: {result.communities} communities and "
            f"{result.members} members reminded"
        )
