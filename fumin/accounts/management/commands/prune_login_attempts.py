from django.core.management.base import BaseCommand

from fumin.accounts.services import login_attempts_prune


class Command(BaseCommand):
    help = (
        "Delete the login attempts older than FUMIN_LOGIN_ATTEMPT_KEEP_DAYS (180 by default), "
        "never those the lockout still counts. Run it daily, e.g. from cron."
    )

    def handle(self, *args, **options):
        deleted = login_attempts_prune()
        self.stdout.write(f"{deleted} login attempts deleted")
