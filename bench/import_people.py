"""Benchmark: import an .xlsx of synthetic people, against openpyxl reading the same file.

    .venv/bin/python bench/import_people.py [--rows 100000]
    .venv/bin/python bench/import_people.py --database-url postgres://postgres@127.0.0.1:5432/x

On a fresh scratch database (a temporary SQLite file, or a PostgreSQL database ``fumin_bench``
created on the given server and dropped afterwards) it migrates, creates a small area tree with
units and party organisations, writes an .xlsx of N people, then times

  baseline  openpyxl's read-only iteration over the file, doing nothing with the rows;
  import    the real import: ``import_job_create`` + the task it enqueues (``import_job_run``),
            the very code a console upload runs;
  reimport  the same file again, which must change nothing.

and prints rows/s, the ratio baseline time / import time (the import's throughput relative to
merely reading the file; target >= 0.3) and the peak memory of the import (target < 400 MB).
See bench/README.md.
"""

import argparse
import datetime
import os
import random
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCRATCH_DB = "fumin_bench"
TARGET_RATIO = 0.3
TARGET_MB = 400
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国文斌宇浩凯佳慧晨欣怡"
MOBILE_PREFIXES = ["130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152",
                   "158", "159", "186", "187", "188", "189"]  # fmt: skip
REGIONS = ["310101", "310104", "310105", "310106"]  # Shanghai districts valid since the 1950s
SKILLS = ["书法", "摄影", "法律咨询", "医疗保健", "心理疏导", "电脑维修", "", "", "", ""]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", ""),
        help="a PostgreSQL server URL; the benchmark creates and drops its own database "
        f"'{SCRATCH_DB}' there. Default: a temporary SQLite file.",
    )
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="also trace Python allocations during the import (slower: the ratio then "
        "understates the import's speed)",
    )
    parser.add_argument("--seed", type=int, default=2020)
    return parser.parse_args()


# Scratch databases ------------------------------------------------------------------------------


def _postgres_admin(url: str):
    import psycopg

    base = url.rsplit("/", 1)[0]
    return psycopg.connect(f"{base}/postgres", autocommit=True)


def create_scratch_postgres(url: str) -> str:
    with _postgres_admin(url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{SCRATCH_DB}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{SCRATCH_DB}"')
    return f"{url.rsplit('/', 1)[0]}/{SCRATCH_DB}"


def drop_scratch_postgres(url: str) -> None:
    with _postgres_admin(url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{SCRATCH_DB}" WITH (FORCE)')


def setup_django(args, workdir: Path) -> str:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    # The task runs in this process, inside the call that enqueues it, as the tests run it.
    os.environ["FUMIN_TASK_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    os.environ.setdefault("FUMIN_LOG_LEVEL", "WARNING")
    if args.database_url:
        os.environ["DATABASE_URL"] = create_scratch_postgres(args.database_url)
        label = "PostgreSQL"
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["FUMIN_SQLITE_PATH"] = str(workdir / "bench.sqlite3")
        label = "SQLite"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.MEDIA_ROOT = workdir / "media"
    call_command("migrate", verbosity=0)
    from django.db import connection

    version = connection.cursor().connection.info.server_version if args.database_url else None
    if version:
        label += f" {version // 10000}.{version % 10000}"
    else:
        import sqlite3

        label += f" {sqlite3.sqlite_version}"
    return label


# The world and the file -------------------------------------------------------------------------


def build_world():
    """A subdistrict with a grid, four communities, ten units with party organisations, and the
    subdistrict officer who imports."""
    from stdnum.cn import uscc

    from fumin.accounts.models import Role
    from fumin.accounts.services import role_grant, user_create
    from fumin.registry.models import Area, PartyOrg, Unit
    from fumin.registry.services import area_create, party_org_create, unit_create

    district = area_create(actor=None, name="静安区", kind=Area.Kind.DISTRICT)
    subdistrict = area_create(
        actor=None, name="南京西路街道", kind=Area.Kind.SUBDISTRICT, parent=district
    )
    grid = area_create(actor=None, name="第一工作网格", kind=Area.Kind.GRID, parent=subdistrict)
    communities = [
        area_create(actor=None, name=name, kind=Area.Kind.COMMUNITY, parent=grid)
        for name in ("华业居民区", "威海居民区", "静安别墅居民区", "重华居民区")
    ]
    units, orgs = [], []
    for number in range(10):
        stem = f"91310106MA1F{number:05d}"
        code = stem + uscc.calc_check_digit(stem)
        unit = unit_create(
            actor=None,
            name=f"基准测试单位{number}",
            kind=Unit.Kind.ENTERPRISE,
            area=communities[number % 4],
            credit_code=code,
        )
        units.append(unit)
        orgs.append(
            party_org_create(
                actor=None, name=f"基准测试单位{number}党支部", kind=PartyOrg.Kind.BRANCH, unit=unit
            )
        )
    officer = user_create(actor=None, name="周晓岚", mobile="13900000001", password=None)
    role_grant(actor=None, user=officer, role=Role.SUBDISTRICT_STAFF, area=subdistrict)
    return officer, communities, units, orgs


def write_people_file(path: Path, rows: int, communities, units, orgs, rng: random.Random):
    from openpyxl import Workbook
    from stdnum.cn import ric

    from fumin.transfer.columns import PEOPLE

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(PEOPLE.title)
    sheet.append(PEOPLE.headers)
    for i in range(rows):
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if i % 3 else "")
        mobile = rng.choice(MOBILE_PREFIXES) + f"{i:08d}"
        id_number = ""
        if i % 2 == 0:  # about half give an ID number, unique by birth date and sequence
            birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=i // 2 // 1000)
            stem = f"{rng.choice(REGIONS)}{birth:%Y%m%d}{i // 2 % 1000:03d}"
            id_number = stem + ric.calc_check_digit(stem + "0")
        member = i % 3 == 0
        unit = units[i % len(units)] if i % 5 == 0 else None
        org = orgs[i % len(orgs)] if member and unit else None  # the unit's own branch
        sheet.append(
            [
                name,
                mobile,
                id_number,
                "男" if i % 2 else "女",
                communities[i % len(communities)].name,
                unit.credit_code if unit else "",
                "是" if member else "否",
                org.name if org else "",
                rng.choice(SKILLS),
            ]
        )
    workbook.save(path)


# Measuring --------------------------------------------------------------------------------------


def reset_peak_rss() -> bool:
    """Reset this process's peak-RSS mark (Linux), so the import is measured on its own."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def peak_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_baseline(path: Path) -> tuple[float, int]:
    from openpyxl import load_workbook

    started = time.perf_counter()
    workbook = load_workbook(path, read_only=True, data_only=True)
    count = 0
    for _row in workbook.worksheets[0].iter_rows(values_only=True):
        count += 1
    workbook.close()
    return time.perf_counter() - started, count - 1


def time_import(path: Path, officer, trace: bool):
    from django.core.files import File

    from fumin.transfer.models import ImportJob
    from fumin.transfer.services import import_job_create

    exact = reset_peak_rss()
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    with open(path, "rb") as handle:
        job = import_job_create(actor=officer, kind="people", upload=File(handle, name=path.name))
    elapsed = time.perf_counter() - started
    traced = tracemalloc.get_traced_memory()[1] / 2**20 if trace else None
    if trace:
        tracemalloc.stop()
    job = ImportJob.objects.get(pk=job.pk)
    return job, elapsed, peak_rss_mb(), exact, traced


def main():
    args = parse_args()
    rng = random.Random(args.seed)
    workdir = Path(tempfile.mkdtemp(prefix="fumin-bench-"))
    try:
        database = setup_django(args, workdir)
        from fumin.registry.models import Person

        officer, communities, units, orgs = build_world()
        path = workdir / "people.xlsx"
        started = time.perf_counter()
        write_people_file(path, args.rows, communities, units, orgs, rng)
        written = time.perf_counter() - started
        print(f"database   {database}")
        print(f"file       {path.stat().st_size / 2**20:.1f} MB, {args.rows:,} rows "
              f"(written in {written:.1f} s)")  # fmt: skip

        baseline, counted = time_baseline(path)
        assert counted == args.rows, (counted, args.rows)
        job, seconds, rss, exact, traced = time_import(path, officer, args.tracemalloc)
        if job.status != "done":
            print(f"import FAILED: {job.errors[:10]}")
            return 1
        assert job.created_count == args.rows == Person.objects.count(), job.created_count
        again, again_seconds, again_rss, _exact, _traced = time_import(path, officer, False)
        assert again.status == "done", again.errors[:10]
        assert (again.created_count, again.updated_count) == (0, 0)
        assert again.unchanged_count == args.rows == Person.objects.count()

        ratio = baseline / seconds
        peak = max(rss, again_rss)
        print()
        print(f"{'':<10}{'rows':>9}{'seconds':>10}{'rows/s':>10}{'ratio':>8}{'peak MB':>10}")
        print(f"{'baseline':<10}{counted:>9,}{baseline:>10.2f}{counted / baseline:>10,.0f}"
              f"{1:>8.2f}{'':>10}")  # fmt: skip
        print(f"{'import':<10}{job.created_count:>9,}{seconds:>10.2f}{args.rows / seconds:>10,.0f}"
              f"{ratio:>8.2f}{rss:>10.0f}")  # fmt: skip
        print(f"{'reimport':<10}{again.unchanged_count:>9,}{again_seconds:>10.2f}"
              f"{args.rows / again_seconds:>10,.0f}{baseline / again_seconds:>8.2f}"
              f"{again_rss:>10.0f}")  # fmt: skip
        print()
        print(f"import: {job.created_count:,} created; reimport: 0 created, 0 updated, "
              f"{again.unchanged_count:,} unchanged (nothing changed)")  # fmt: skip
        if traced is not None:
            print(f"tracemalloc peak of the import: {traced:.0f} MB (Python objects only)")
        if not exact:
            print("(peak memory is the process's lifetime peak: /proc/self/clear_refs unavailable)")
        ok = ratio >= TARGET_RATIO and peak < TARGET_MB
        print(f"targets: ratio >= {TARGET_RATIO} and peak < {TARGET_MB} MB: "
              f"{'met' if ok else 'NOT met'}")  # fmt: skip
        return 0 if ok else 2
    finally:
        from django.db import connections

        connections.close_all()
        if args.database_url:
            drop_scratch_postgres(args.database_url)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
