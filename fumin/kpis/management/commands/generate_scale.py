"""``manage.py generate_scale --subdistricts N``: synthetic data for measuring the KPIs at scale."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from fumin.kpis.synthetic import Progress, Scale, activity_has_project, generate


class Command(BaseCommand):
    help = (
        "Generate synthetic areas, units, people, registrations, activities, attendances, "
        "projects and claims for N subdistricts under a new district (for benchmarks). "
        "Refused with DEBUG off unless --force."
    )

    def add_arguments(self, parser):
        defaults = Scale()
        parser.add_argument("--subdistricts", type=int, required=True)
        parser.add_argument(
            "--communities-per-subdistrict", type=int, default=defaults.communities_per_subdistrict
        )
        parser.add_argument(
            "--people-per-community", type=int, default=defaults.people_per_community
        )
        parser.add_argument(
            "--units-per-subdistrict", type=int, default=defaults.units_per_subdistrict
        )
        parser.add_argument(
            "--activities-per-community",
            type=int,
            default=defaults.activities_per_community,
            help="over the two years the data covers",
        )
        parser.add_argument(
            "--attendances-per-activity", type=int, default=defaults.attendances_per_activity
        )
        parser.add_argument(
            "--year",
            type=int,
            default=defaults.year,
            help="the data covers this year and the one before",
        )
        parser.add_argument("--seed", type=int, default=defaults.seed)
        parser.add_argument(
            "--force", action="store_true", help="run even with DEBUG off (production settings)"
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off: this looks like a real installation, and the data generated here "
                "is synthetic. Pass --force to generate it anyway."
            )
        if options["subdistricts"] < 1:
            raise CommandError("--subdistricts must be at least 1.")
        scale = Scale(
            subdistricts=options["subdistricts"],
            communities_per_subdistrict=options["communities_per_subdistrict"],
            people_per_community=options["people_per_community"],
            units_per_subdistrict=options["units_per_subdistrict"],
            activities_per_community=options["activities_per_community"],
            attendances_per_activity=options["attendances_per_activity"],
            year=options["year"],
            seed=options["seed"],
        )
        # The bar rewrites its line with \r: the raw stream, not the wrapper adding newlines.
        progress = (
            None if options["no_progress"] else Progress(scale.subdistricts, self.stderr._out)
        )
        report = generate(scale, progress=progress)
        if progress:
            progress.close()
        # Fresh tables have no planner statistics until autovacuum comes by: the first dashboards
        # would be planned as if the tables were empty (seconds instead of milliseconds at 100×).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        for table, count in report.rows.items():
            self.stdout.write(f"{table:<28}{count:>14,}")
        self.stdout.write(f"in {report.seconds:.1f} s")
        if not activity_has_project():
            self.stdout.write(
                "(Activity.project does not exist yet: no activity is linked to a project)"
            )
