from django.core.management.base import BaseCommand, CommandError

from fumin.activities.services import activity_reminders_send, reminder_hours


class Command(BaseCommand):
    help = (
        "Remind confirmed participants of published activities that start within the next "
        "N hours (default FUMIN_ACTIVITY_REMINDER_HOURS, 24). Each sign-up is reminded once, "
        "so the command can run as often as you like (e.g. every 15 minutes from cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, help="remind this many hours ahead")

    def handle(self, *args, **options):
        hours = options["hours"] if options["hours"] is not None else reminder_hours()
        if hours <= 0:
            raise CommandError("--hours takes a positive number")
        sent = activity_reminders_send(hours=hours)
        self.stdout.write(f"{sent} participants reminded (activities starting within {hours} h)")
