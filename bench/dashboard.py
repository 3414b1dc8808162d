"""Benchmark: the dashboard's KPI figures at three sizes, against a naive COUNT(*) of raw tables.

    .venv/bin/python bench/dashboard.py                       # PostgreSQL on 127.0.0.1:5432
    .venv/bin/python bench/dashboard.py --sizes 1,10 --runs 20
    .venv/bin/python bench/dashboard.py --city                # also 200 subdistricts
    .venv/bin/python bench/dashboard.py --database-url postgres://postgres@127.0.0.1:5432/postgres

For each size (a number of synthetic subdistricts, default 1, 10 and 100) it creates the scratch
database ``fumin_bench_dashboard`` on the server of the URL (dropping a leftover one first),
migrates, generates the data with ``fumin.kpis.synthetic`` (``manage.py generate_scale``), runs
ANALYZE, and times

  dashboard  ``kpi_figures(viewer=…, period=Period.year(Y))``: every KPI for one viewer, the
             call behind the dashboard page, for two viewers: the staff of one subdistrict and
             the administrator of the whole district (every subdistrict generated);
  per KPI    each KPI alone (``kpi_value``) for the district administrator;
  baseline   a naive ``SELECT COUNT(*)`` over each raw table the KPIs read (both registration
             tables, activities, attendances, claims, projects), one after the other.

Before timing, the tallies the generator added from the records (docs/scale.md) are compared with
a count of the records, key by key (``tallies.differences``); a difference fails the run.

It prints p50/p95 over ``--runs`` runs, the ratio dashboard p95 / baseline p95, and the growth of
p95 from one size to the next against the growth of the data. Targets: p95 < 200 ms at the
largest size for both viewers, and growth slower than the data's (sub-linear). It exits 2 when a
target is missed. The database is dropped at the end, also on errors. See bench/README.md.
"""

import argparse
import math
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCRATCH_DB = "fumin_bench_dashboard"
TARGET_MS = 200
CITY = 200


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help=f"a PostgreSQL server URL; the benchmark creates and drops '{SCRATCH_DB}' there",
    )
    parser.add_argument("--sizes", default="1,10,100", help="subdistricts per size, e.g. 1,10,100")
    parser.add_argument("--city", action="store_true", help=f"also {CITY} subdistricts")
    parser.add_argument(
        "--existing-database",
        metavar="NAME[:SUBDISTRICTS]",
        help="also measure a database already generated with generate_scale (default seed, "
        "--year) on the same server, as the largest size, without generating it again: "
        "e.g. fumin_scale:100. Its tallies are checked against its records first.",
    )
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--year", type=int, default=2020)
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args()


# Scratch databases ------------------------------------------------------------------------------


def _admin(url: str):
    import psycopg

    return psycopg.connect(f"{url.rsplit('/', 1)[0]}/postgres", autocommit=True)


def recreate(url: str) -> None:
    from django.db import connections

    connections.close_all()
    with _admin(url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{SCRATCH_DB}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{SCRATCH_DB}"')


def drop(url: str) -> None:
    from django.db import connections

    connections.close_all()
    with _admin(url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{SCRATCH_DB}" WITH (FORCE)')


def setup_django(url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    os.environ["DATABASE_URL"] = f"{url.rsplit('/', 1)[0]}/{SCRATCH_DB}"
    os.environ.setdefault("FUMIN_LOG_LEVEL", "WARNING")
    import django

    django.setup()


# Measuring --------------------------------------------------------------------------------------


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]
    return statistics.median(ordered), p95


def timed(call, runs: int) -> tuple[float, float]:
    for _ in range(2):  # warm up: plans, caches
        call()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return percentiles(samples)


def build_viewers(report_district):
    from fumin.accounts.models import Role
    from fumin.accounts.services import role_grant, user_create
    from fumin.registry.models import Area

    district = Area.objects.get(pk=report_district)
    subdistrict = Area.objects.filter(parent=district).order_by("path").first()
    from fumin.accounts.models import User

    def viewer(name, mobile, role, area):
        user = User.objects.filter(mobile=mobile).first()  # an existing database may have them
        if user is None:
            user = user_create(actor=None, name=name, mobile=mobile, password=None)
            role_grant(actor=None, user=user, role=role, area=area)
        return user

    staff = viewer("街道党建办", "13900000001", Role.SUBDISTRICT_STAFF, subdistrict)
    admin = viewer("区管理员", "13900000002", Role.PLATFORM_ADMIN, district)
    return {"subdistrict staff": staff, "district admin": admin}


RAW_TABLES = (
    "registration_orgregistration",
    "registration_memberregistration",
    "activities_activity",
    "activities_attendance",
    "lists_claim",
    "lists_project",
)


def use_database(name: str) -> None:
    """Point Django's connection at another database of the same server."""
    from django.db import connections

    connections.close_all()
    connections.databases["default"]["NAME"] = name


def counted_rows():
    """What an existing database holds, in the shape of the generator's report."""
    from django.db import connection

    from fumin.kpis.synthetic import Report

    report = Report()
    with connection.cursor() as cursor:
        for label, table in ROW_TABLES.items():
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 (constant names)
            report.add(label, cursor.fetchone()[0])
    return report


ROW_TABLES = {
    "people": "registry_person",
    "member registrations": "registration_memberregistration",
    "organisation registrations": "registration_orgregistration",
    "activities": "activities_activity",
    "attendances": "activities_attendance",
    "projects": "lists_project",
    "claims": "lists_claim",
}


def measure_size(args, subdistricts: int, excluded: list[str], existing: str = "") -> dict:
    from django.core.management import call_command
    from django.db import connection

    from fumin.kpis import tallies
    from fumin.kpis.definitions import KPIS
    from fumin.kpis.models import ActivityTally, UnitCheckInTally
    from fumin.kpis.periods import Period
    from fumin.kpis.selectors import kpi_figures, kpi_value
    from fumin.kpis.synthetic import Progress, Scale, generate
    from fumin.registry.models import Area

    if existing:
        use_database(existing)
        call_command("migrate", verbosity=0)
        print(f"\n{subdistricts} subdistrict(s): the existing database {existing}",
              file=sys.stderr)  # fmt: skip
        report = counted_rows()
    else:
        use_database(SCRATCH_DB)
        recreate(args.database_url)
        call_command("migrate", verbosity=0)
        print(f"\n{subdistricts} subdistrict(s): generating…", file=sys.stderr)
        progress = Progress(subdistricts)
        report = generate(Scale(subdistricts=subdistricts, year=args.year, seed=args.seed),
                          progress=progress)  # fmt: skip
        progress.close()
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        analyzed = time.perf_counter() - started
        print(f"  generated in {report.seconds:.0f} s, VACUUM ANALYZE {analyzed:.0f} s",
              file=sys.stderr)  # fmt: skip
    # The tallies the generator added from the records must equal a count of the records.
    started = time.perf_counter()
    differences = tallies.differences()
    checked = time.perf_counter() - started
    print(f"  tallies checked against the records in {checked:.0f} s: "
          f"{len(differences)} differences", file=sys.stderr)  # fmt: skip
    district = Area.objects.filter(kind=Area.Kind.DISTRICT).order_by("-pk").first()
    viewers = build_viewers(district.pk)
    period = Period.year(args.year)

    def fresh(viewer):
        viewer.__dict__.pop("_fumin_scope", None)  # the scope is read once per request
        return viewer

    rows = {**report.rows, "activity tallies": ActivityTally.objects.count(),
            "unit tallies": UnitCheckInTally.objects.count()}  # fmt: skip
    result = {"subdistricts": subdistricts, "rows": rows, "viewers": {}, "kpis": {},
              "differences": len(differences)}  # fmt: skip
    for label, viewer in viewers.items():
        result["viewers"][label] = timed(
            lambda v=viewer: kpi_figures(viewer=fresh(v), period=period), args.runs
        )
        figures = {f.kpi.code: f.value for f in kpi_figures(viewer=fresh(viewer), period=period)}
        result.setdefault("values", {})[label] = figures
    admin = viewers["district admin"]
    for code, kpi in KPIS.items():
        result["kpis"][code] = timed(
            lambda k=kpi: kpi_value(viewer=fresh(admin), kpi=k, period=period),
            min(args.runs, 10),
        )

    def naive():
        with connection.cursor() as cursor:
            for table in RAW_TABLES:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 (constant names)
                cursor.fetchone()

    result["baseline"] = timed(naive, args.runs)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        result["bytes"] = cursor.fetchone()[0]
    return result


def main():
    args = parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.city and CITY not in sizes:
        sizes.append(CITY)
    setup_django(args.database_url)
    from fumin.kpis import definitions
    from fumin.kpis.synthetic import activity_has_project

    excluded = []
    if not activity_has_project():
        # people_reached counts check-ins at activities of a project: without Activity.project
        # the KPI cannot be computed (FieldError), so it is left out of every measurement.
        excluded.append("people_reached")
        definitions.KPIS.pop("people_reached", None)
    results = []
    try:
        for size in sizes:
            results.append(measure_size(args, size, excluded))
            print_results(results, args, excluded, final=False)
        if args.existing_database:
            name, _, size = args.existing_database.partition(":")
            results.append(measure_size(args, int(size or 0), excluded, existing=name))
    finally:
        use_database(SCRATCH_DB)
        drop(args.database_url)
    return print_results(results, args, excluded, final=True)


def print_results(results, args, excluded, final: bool) -> int:
    out = sys.stdout if final else sys.stderr
    from django.db import connection

    if final:
        print(f"PostgreSQL {connection.pg_version // 10000}, period {args.year}, "
              f"{args.runs} runs per figure", file=out)  # fmt: skip
        if excluded:
            print(f"left out (Activity.project does not exist yet): {', '.join(excluded)}",
                  file=out)  # fmt: skip
    tables = ["people", "member registrations", "organisation registrations", "activities",
              "attendances", "projects", "claims", "activity tallies", "unit tallies"]  # fmt: skip
    print("\nrows", file=out)
    print(f"{'subdistricts':>12}" + "".join(f"{t[:14]:>16}" for t in tables) + f"{'DB MB':>9}",
          file=out)  # fmt: skip
    for r in results:
        print(f"{r['subdistricts']:>12}" + "".join(f"{r['rows'].get(t, 0):>16,}" for t in tables)
              + f"{r['bytes'] / 2**20:>9,.0f}", file=out)  # fmt: skip

    print("\ndashboard (all KPIs for one viewer), ms", file=out)
    print(f"{'subdistricts':>12}{'viewer':>20}{'p50':>9}{'p95':>9}{'baseline p95':>14}"
          f"{'ratio':>8}{'growth':>9}{'data growth':>13}", file=out)  # fmt: skip
    ok = True
    previous = {}
    for r in results:
        base = r["baseline"][1]
        for label, (p50, p95) in r["viewers"].items():
            growth = data = ""
            if label in previous:
                before, before_size = previous[label]
                g, d = p95 / before, r["subdistricts"] / before_size
                growth, data = f"×{g:.2f}", f"×{d:.0f}"
                if g >= d:
                    ok = False
            previous[label] = (p95, r["subdistricts"])
            print(f"{r['subdistricts']:>12}{label:>20}{p50:>9.1f}{p95:>9.1f}{base:>14.1f}"
                  f"{p95 / base:>8.2f}{growth:>9}{data:>13}", file=out)  # fmt: skip
    print(f"\nbaseline: SELECT COUNT(*) over {', '.join(RAW_TABLES)}", file=out)

    print("\nper KPI alone (kpi_value) for the district admin, p50 / p95 ms over 10 runs", file=out)
    codes = list(results[0]["kpis"]) if results else []
    print(f"{'kpi':<28}" + "".join(f"{r['subdistricts']:>16}" for r in results), file=out)
    for code in codes:
        print(f"{code:<28}" + "".join(
            f"{r['kpis'][code][0]:>8.1f}/{r['kpis'][code][1]:<7.1f}" for r in results
        ), file=out)  # fmt: skip

    if final and results:
        print("\nvalues for the district admin at the largest size:", file=out)
        for code, value in results[-1]["values"]["district admin"].items():
            print(f"  {code:<28}{value:>12,}", file=out)
        largest = results[-1]
        worst = max(p95 for _p50, p95 in largest["viewers"].values())
        ok = ok and worst < TARGET_MS
        differences = sum(r["differences"] for r in results)
        ok = ok and differences == 0
        print(f"\ntallies against the records: {differences} differences", file=out)
        print(f"\ntargets: p95 < {TARGET_MS} ms at {largest['subdistricts']} subdistricts "
              f"(worst {worst:.1f} ms) and growth slower than the data's: "
              f"{'met' if ok else 'NOT met'}", file=out)  # fmt: skip
    return 0 if ok else 2


if __name__ == "__main__":
    sys.exit(main())
