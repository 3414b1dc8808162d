"""``manage.py kpi_tallies``: fold, check or rebuild the activity tallies (docs/scale.md)."""

from django.core.management.base import BaseCommand, CommandError

from fumin.kpis import tallies


class Command(BaseCommand):
    help = (
        "Fold the changes of the activity tallies into them (run it every few minutes, e.g. from "
        "cron); --check compares the tallies with the records; --rebuild counts them again."
    )

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group()
        action.add_argument(
            "--check",
            action="store_true",
            help="compare the tallies with the records, key by key; exit 1 on a difference",
        )
        action.add_argument(
            "--rebuild", action="store_true", help="throw the tallies away and count them again"
        )

    def handle(self, *args, **options):
        if options["rebuild"]:
            tallies.rebuild()
            self.stdout.write("Tallies rebuilt from the records.")
        elif options["check"]:
            self.check_tallies()
        else:
            folded = tallies.compact()
            self.stdout.write(f"{folded} changes folded.")

    def check_tallies(self) -> None:
        found = tallies.differences()
        for table, *key_and_differences in found:
            self.stderr.write(
                f"{table} {' '.join(str(v) for v in key_and_differences)} "
                "(key, then records minus tallies)"
            )
        if found:
            raise CommandError(
                f"The tallies differ from the records ({len(found)} keys shown): "
                "run `manage.py kpi_tallies --rebuild`.",
                returncode=1,
            )
        self.stdout.write("The tallies equal the records.")
