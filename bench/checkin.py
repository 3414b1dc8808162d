"""Benchmark: the idempotent check-in endpoint under concurrent clients, against a one-INSERT view.

    .venv/bin/python bench/checkin.py [--people 2000] [--workers 8] [--seconds 20]
    .venv/bin/python bench/checkin.py --database-url postgres://postgres@127.0.0.1:5432/postgres

On the PostgreSQL server of the URL it creates its own database ``fumin_bench_checkin`` (dropping a
leftover one first), migrates, and builds a community with its secretary and an activity that
started ten minutes ago with N people signed up. It then starts the app under gunicorn on
127.0.0.1 (settings ``bench.bench_settings``: the app plus ``/bench/insert``, a view doing one
INSERT behind the same middleware) and drives, with the same threads of ``http.client``:

  baseline  POST /bench/insert, the same number of requests as the check-in run;
  checkin   POST /api/activities/{id}/checkins {"person_id": …}: each person once, plus ~10%
            deliberate repeats (answered 200 with the same body) spread through the run.

Each run stops after --max-requests requests or --seconds seconds. It prints requests/s, p50/p99
latency, the ratio checkin throughput / baseline throughput (target >= 0.5), and checks that the
attendance rows with a check-in are exactly the distinct people answered 201 (nothing lost,
nothing doubled) and that every repeat answered the first check-in's body. gunicorn is stopped
and the scratch database dropped at the end, also on errors. See bench/README.md.
"""

import argparse
import http.client
import itertools
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCRATCH_DB = "fumin_bench_checkin"
HOST = "127.0.0.1"
TARGET_RATIO = 0.5
REPEAT_SHARE = 0.10


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=8, help="client threads")
    parser.add_argument("--server-workers", type=int, default=(os.cpu_count() or 2) * 2 + 1)
    parser.add_argument(
        "--server-threads", type=int, default=1, help="threads per worker (>1: gthread workers)"
    )
    parser.add_argument("--seconds", type=float, default=20.0, help="time limit of each run")
    parser.add_argument("--max-requests", type=int, default=5000, help="limit of each run")
    parser.add_argument(
        "--rounds",
        type=int,
        default=4,
        help="alternate baseline and check-in in this many rounds (a noisy machine slows both)",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help=f"a PostgreSQL server URL; the benchmark creates and drops '{SCRATCH_DB}' there",
    )
    parser.add_argument("--seed", type=int, default=2020)
    return parser.parse_args()


# Scratch database and the world -----------------------------------------------------------------


def _postgres_admin(url: str):
    import psycopg

    return psycopg.connect(f"{url.rsplit('/', 1)[0]}/postgres", autocommit=True)


def create_scratch(url: str) -> str:
    with _postgres_admin(url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{SCRATCH_DB}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{SCRATCH_DB}"')
    return f"{url.rsplit('/', 1)[0]}/{SCRATCH_DB}"


def drop_scratch(url: str) -> None:
    with _postgres_admin(url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{SCRATCH_DB}" WITH (FORCE)')


def server_env(database_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="bench.bench_settings",
        FUMIN_DEBUG="0",
        FUMIN_HTTPS="0",
        FUMIN_LOG_LEVEL="WARNING",
        FUMIN_SECRET_KEY="bench-checkin-" + "x" * 40,
        PYTHONPATH=str(ROOT),
    )
    return env


def build_world(people: int, rng: random.Random):
    """A community with its secretary, an activity that started ten minutes ago and ``people``
    people signed up (bulk inserts: the setup is not what is measured)."""
    import datetime

    from django.db import connection
    from django.utils import timezone

    from fumin.accounts.models import Role
    from fumin.accounts.services import role_grant, user_create
    from fumin.activities.models import Activity, Attendance
    from fumin.activities.services import activity_create, activity_publish
    from fumin.registry.models import Area, Person
    from fumin.registry.services import _import_insert, area_create

    district = area_create(actor=None, name="静安区", kind=Area.Kind.DISTRICT)
    subdistrict = area_create(
        actor=None, name="南京西路街道", kind=Area.Kind.SUBDISTRICT, parent=district
    )
    grid = area_create(actor=None, name="第一工作网格", kind=Area.Kind.GRID, parent=subdistrict)
    community = area_create(actor=None, name="华业居民区", kind=Area.Kind.COMMUNITY, parent=grid)
    secretary = user_create(actor=None, name="沈美华", mobile="13900000003", password=None)
    role_grant(actor=None, user=secretary, role=Role.COMMUNITY_SECRETARY, area=community)
    now = timezone.now()
    activity = activity_create(
        actor=None,
        title="垃圾分类宣传（基准测试）",
        kind=Activity.Kind.VOLUNTEER,
        community=community,
        starts_at=now - datetime.timedelta(minutes=10),
        ends_at=now + datetime.timedelta(hours=3),
        signup_closes_at=now + datetime.timedelta(hours=1),
    )
    activity = activity_publish(actor=None, activity=activity)
    _import_insert(
        Person,
        [
            {
                "name": f"志愿者{n}",
                "name_pinyin": f"zhiyuanzhe{n}",
                "name_initials": "zyz",
                "mobile": f"1361{n:07d}",
                "home_community_id": community.pk,
                "consent_method": "基准测试",
            }
            for n in range(people)
        ],
    )
    person_ids = dict(Person.objects.values_list("pk", "public_id"))
    Attendance.objects.bulk_create(
        Attendance(activity=activity, person_id=pk, status="confirmed", signed_up_at=now)
        for pk in person_ids
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_insert (id bigserial PRIMARY KEY, person text NOT NULL, "
            "created_at timestamptz NOT NULL)"
        )
    return secretary, activity, [str(p) for p in person_ids.values()]


def sessions(user, count: int) -> list[tuple[str, str]]:
    """``count`` logged-in sessions of ``user`` (one per client thread, as separate phones at a
    sign-in desk would have) and a CSRF token."""
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    found = []
    for _n in range(count):
        client = Client()
        client.force_login(user)
        found.append((client.cookies["sessionid"].value, _get_new_csrf_string()))
    return found


# gunicorn ---------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_server(env: dict, port: int, workers: int, threads: int = 1) -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
        [sys.executable, "-m", "gunicorn", "config.wsgi:application",
         "--bind", f"{HOST}:{port}", "--workers", str(workers),
         "--worker-class", "sync" if threads == 1 else "gthread", "--threads", str(threads),
         "--log-level", "warning", "--chdir", str(ROOT),
         # Import the app once, before forking: otherwise every worker spends its first seconds
         # importing it (about 10 s of CPU each here), inside the first measured round.
         "--preload"],
        env=env,
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 90  # importing the app on a busy machine
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return server
        except OSError:
            time.sleep(0.2)
    stop_server(server)  # not left running: the caller has no handle on it yet
    raise RuntimeError("gunicorn did not answer within 90 s")


def stop_server(server: subprocess.Popen | None) -> None:
    if server is None or server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


# Load -------------------------------------------------------------------------------------------


def drive(port, work, credentials, seconds, max_requests, offset=0):
    """Send ``work`` ([(path, body)]) from one thread per credential; return [(status, seconds,
    body, item)] and the wall-clock time. ``item`` is the index in ``work`` plus ``offset``."""
    work = work[:max_requests]
    lock = threading.Lock()
    position = [0]
    results = []
    deadline = time.perf_counter() + seconds

    def client(session_id, token):
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        headers = {
            "Content-Type": "application/json",
            "Cookie": f"sessionid={session_id}; csrftoken={token}",
            "X-CSRFToken": token,
            "Connection": "keep-alive",
        }
        mine = []
        while time.perf_counter() < deadline:
            with lock:
                if position[0] >= len(work):
                    break
                index = position[0]
                position[0] += 1
            path, body = work[index]
            sent = time.perf_counter()
            conn.request("POST", path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            mine.append((response.status, time.perf_counter() - sent, data, offset + index))
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
        conn.close()
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=client, args=c) for c in credentials]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - started


def figures(results, elapsed):
    latencies = sorted(r[1] for r in results)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return {
        "requests": len(results),
        "seconds": elapsed,
        "per_second": len(results) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": p99 * 1000,
    }


def main():
    args = parse_args()
    rng = random.Random(args.seed)
    server = None
    scratch = create_scratch(args.database_url)
    try:
        env = server_env(scratch)
        os.environ.update({k: env[k] for k in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE",
                                               "FUMIN_DEBUG", "FUMIN_HTTPS", "FUMIN_SECRET_KEY",
                                               "FUMIN_LOG_LEVEL")})  # fmt: skip
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        version = connection.cursor().connection.info.server_version
        secretary, activity, people = build_world(args.people, rng)
        credentials = sessions(secretary, args.workers)
        connection.close()

        port = free_port()
        server = start_server(env, port, args.server_workers, args.server_threads)
        checkin_path = f"/api/activities/{activity.public_id}/checkins"
        work = [(checkin_path, json.dumps({"person_id": p})) for p in people]
        repeats = rng.sample(people, k=int(len(people) * REPEAT_SHARE))
        for person in repeats:  # somewhere after (or racing) the first check-in
            work.insert(rng.randint(len(work) // 10, len(work)), (checkin_path,
                        json.dumps({"person_id": person})))  # fmt: skip
        baseline_work = [(f"/bench/insert?person={n}", b"") for n in range(len(work))]

        # Warm up every server worker's database connection and imports on both paths.
        drive(port, baseline_work[:50], credentials, 10, 50)
        connection.cursor().execute("TRUNCATE bench_insert")
        connection.close()

        # The same slices of both runs alternate, so a burst of load from elsewhere slows both.
        total = min(len(work), args.max_requests)
        bounds = [total * n // args.rounds for n in range(args.rounds + 1)]
        base_results, check_results, base_elapsed, check_elapsed = [], [], 0.0, 0.0
        for low, high in itertools.pairwise(bounds):
            found, elapsed = drive(port, baseline_work[low:high], credentials,
                                   args.seconds / args.rounds, high - low, low)  # fmt: skip
            base_results += found
            base_elapsed += elapsed
            found, elapsed = drive(port, work[low:high], credentials,
                                   args.seconds / args.rounds, high - low, low)  # fmt: skip
            check_results += found
            check_elapsed += elapsed
        stop_server(server)
        server = None

        # Verify: nothing lost, nothing doubled, repeats answer the first check-in.
        from fumin.activities.models import Attendance

        statuses = {}
        for status, _seconds, _data, _index in check_results:
            statuses[status] = statuses.get(status, 0) + 1
        first_bodies, problems = {}, []
        for status, _seconds, data, index in sorted(check_results, key=lambda r: r[3]):
            if status not in (200, 201):
                problems.append(f"request {index}: {status} {data[:200]!r}")
                continue
            body = json.loads(data)
            person = body["person"]["id"]
            if status == 201:
                if person in first_bodies and first_bodies[person][0] == 201:
                    problems.append(f"{person}: checked in twice (201 twice)")
                first_bodies[person] = (201, body)
        for status, _seconds, data, _index in check_results:
            if status == 200:
                body = json.loads(data)
                first = first_bodies.get(body["person"]["id"])
                if first is None or first[1] != body:
                    problems.append(f"{body['person']['id']}: a repeat differs from the first")
        accepted = len(first_bodies)
        rows = Attendance.objects.filter(activity=activity, checked_in_at__isnull=False).count()
        base_rows = 0
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM bench_insert")
            (base_rows,) = cursor.fetchone()
        base_ok = sum(1 for r in base_results if r[0] == 201)

        base, check = figures(base_results, base_elapsed), figures(check_results, check_elapsed)
        ratio = check["per_second"] / base["per_second"]
        kind = "sync" if args.server_threads == 1 else f"gthread ×{args.server_threads}"
        print(f"database   PostgreSQL {version // 10000}.{version % 10000}; gunicorn "
              f"{args.server_workers} {kind} workers on {HOST}:{port}; {args.workers} client "
              f"threads; {args.people:,} people signed up, {len(repeats):,} repeats; "
              f"{args.rounds} rounds")  # fmt: skip
        print()
        print(f"{'':<10}{'requests':>10}{'seconds':>9}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
              f"{'ratio':>8}")  # fmt: skip
        for label, f, r in (("baseline", base, 1.0), ("checkin", check, ratio)):
            print(f"{label:<10}{f['requests']:>10,}{f['seconds']:>9.2f}{f['per_second']:>9.0f}"
                  f"{f['p50_ms']:>9.1f}{f['p99_ms']:>9.1f}{r:>8.2f}")  # fmt: skip
        print()
        print(f"check-in answers: {dict(sorted(statuses.items()))}; distinct people accepted "
              f"(201): {accepted:,}; attendance rows checked in: {rows:,}; baseline rows: "
              f"{base_rows:,} for {base_ok:,} answers 201")  # fmt: skip
        consistent = rows == accepted and base_rows == base_ok and not problems
        for problem in problems[:10]:
            print("  PROBLEM", problem)
        print(f"consistency (nothing lost, nothing doubled): {'ok' if consistent else 'FAILED'}")
        ok = consistent and ratio >= TARGET_RATIO
        print(f"target: ratio >= {TARGET_RATIO}: {'met' if ratio >= TARGET_RATIO else 'NOT met'}")
        return 0 if ok else 2
    finally:
        stop_server(server)
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 (Django may not be set up yet)
            pass
        drop_scratch(args.database_url)


if __name__ == "__main__":
    sys.exit(main())
