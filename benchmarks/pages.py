"""Benchmark: the main pages at 1×, 10× and 100× the demo's incidents, on SQLite and PostgreSQL.

Run: .venv/bin/python benchmarks/pages.py [--sqlite | --postgres | --both] [--scales 1,10,100] [--repeats 15]
                                          [--pg-db trygg_bench_pages]

Each database runs in its own child process (SQLite: a temporary file; PostgreSQL: a throwaway database,
``--pg-db`` on 127.0.0.1:5432 as user postgres, created and dropped). The demo is loaded once
(`load_demo`); each scale then replaces Kungälv's demo incidents through the demo generator (its `scale`,
the incidents' bulk path `do_bulk_create_incidents`). Per page it prints the server time (Django test client,
in process: middleware, view, template, queries) as median and p95 over the repeats with the caches warm,
the first request after clearing the caches ("cold"), the bytes sent (gzip when the page offers it) and the
number of queries, and at the end the 100×/1× ratio of the warm median. Times on a shared 2-core machine are
noisy: compare ratios, not single figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_DB = "trygg_bench_pages"  # default of --pg-db
DEMO_SCALE = 1.4  # trygg.demo.situation.load's default: the demo's own incident rate
KUNGALV_BOX = "11.55,57.78,12.15,58.02"
BOTH_BOX = "11.5,57.7,12.4,58.05"  # Kungälv and Ale


def child(database: str, scales: list[int], repeats: int, pg_db: str = PG_DB) -> None:
    os.environ["TRYGG_DEV"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
    tmp = None
    if database == "sqlite":
        tmp = tempfile.mkdtemp(prefix="trygg-bench-pages-")
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    else:
        _pg_admin(f"DROP DATABASE IF EXISTS {pg_db}")
        _pg_admin(f"CREATE DATABASE {pg_db}")
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{pg_db}"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    try:
        _run(database, scales, repeats)
    finally:
        from django.db import connections

        connections.close_all()
        if database == "postgresql":
            _pg_admin(f"DROP DATABASE IF EXISTS {pg_db}")


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(sql)


def _pages(meeting_pk: int, today) -> list[tuple[str, str, str, dict]]:
    """(name, persona, url, GET params)."""
    year = {"start": str(today - dt.timedelta(days=364)), "end": str(today)}
    view = {"bbox": KUNGALV_BOX, "zoom": 10}
    return [
        ("map layers, default window", "samordnare", "/lagesbild/karta.json", {}),
        ("map view z10, default window", "samordnare", "/lagesbild/karta/vy.json", view),
        ("map view z10, default, reader", "politiker", "/lagesbild/karta/vy.json", view),
        ("map layers, whole year", "samordnare", "/lagesbild/karta.json", year),
        ("map view z10, whole year", "samordnare", "/lagesbild/karta/vy.json", {**view, **year}),
        (
            "map view z16 points, year",
            "samordnare",
            "/lagesbild/karta/vy.json",
            {"bbox": "11.975,57.866,11.99,57.874", "zoom": 16, **year},
        ),
        ("table, default window", "samordnare", "/lagesbild/tabell/", {}),
        ("table, whole year", "samordnare", "/lagesbild/tabell/", year),
        ("meeting page", "samordnare", f"/lagesbild/moten/{meeting_pk}/", {}),
        # a police partner's union of Kungälv and Ale (?kommuner=alla): the same endpoints, both scaled
        ("map layers, kommuner=alla", "polis", "/lagesbild/karta.json", {"kommuner": "alla"}),
        (
            "map view z9, kommuner=alla",
            "polis",
            "/lagesbild/karta/vy.json",
            {"bbox": BOTH_BOX, "zoom": 9, "kommuner": "alla"},
        ),
        ("table, kommuner=alla", "polis", "/lagesbild/tabell/", {"kommuner": "alla"}),
        ("plan", "samordnare", "/planer/trygg-i-kungalv/", {}),
        ("statistics start", "samordnare", "/statistik/", {}),
    ]


def _measure(client, url, params, repeats, clear):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def once():
        with CaptureQueriesContext(connection) as queries:
            t0 = time.perf_counter()
            response = client.get(url, params, HTTP_ACCEPT_ENCODING="gzip")
            elapsed = time.perf_counter() - t0
        assert response.status_code == 200, (url, response.status_code)
        return elapsed, len(response.content), len(queries)

    clear()
    cold = once()
    warm = [once() for _ in range(repeats)]
    times = sorted(t for t, _, _ in warm)
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return {
        "cold": cold[0],
        "median": statistics.median(times),
        "p95": p95,
        "bytes": warm[-1][1],
        "queries": warm[-1][2],
        "cold_queries": cold[2],
    }


def _run(database: str, scales: list[int], repeats: int) -> None:
    import logging

    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from trygg.demo import situation as demo
    from trygg.places.models import Municipality
    from trygg.situation.hotspots import hotspot_cache
    from trygg.situation.models import Incident, Meeting

    logging.disable(logging.WARNING)
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    print(f"[{database}] migrate + load_demo: {time.perf_counter() - t0:.0f} s", flush=True)
    kungalv = Municipality.objects.get(code="1482")
    admin = get_user_model().objects.filter(is_superuser=True).first()
    ale = Municipality.objects.get(code="1440")
    users = {
        name: get_user_model().objects.get(username=name) for name in ("samordnare", "politiker", "polis")
    }
    clients = {}
    for name, user in users.items():
        clients[name] = Client()
        clients[name].force_login(user)
    today = timezone.localdate()

    def clear():
        cache.clear()
        hotspot_cache.invalidate()
        Meeting.objects.update(figures=None, figures_computed_at=None)

    results: dict[int, dict[str, dict]] = {}
    for scale in scales:
        t0 = time.perf_counter()
        demo.load(kungalv, acting_user=admin, scale=DEMO_SCALE * scale)
        demo.load(ale, acting_user=admin, scale=DEMO_SCALE * scale)
        if database == "postgresql":
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE situation_incident")  # as autovacuum would after the load
        n = Incident.objects.filter(municipality=kungalv).count()
        n_ale = Incident.objects.filter(municipality=ale).count()
        load = " ".join(f"{v:.2f}" for v in os.getloadavg())
        print(
            f"[{database}] {scale}×: {n:,} incidents in Kungälv, {n_ale:,} in Ale, built in "
            f"{time.perf_counter() - t0:.0f} s (load average {load})",
            flush=True,
        )
        meeting = Meeting.objects.filter(municipality=kungalv, date__lte=today).order_by("-date").first()
        reps = repeats if scale < 100 else max(3, repeats // 3)
        results[scale] = {}
        for name, persona, url, params in _pages(meeting.pk, today):
            results[scale][name] = r = _measure(clients[persona], url, params, reps, clear)
            print(
                f"  {name:32} cold {r['cold'] * 1000:7.0f} ms  median {r['median'] * 1000:6.0f} ms  "
                f"p95 {r['p95'] * 1000:6.0f} ms  {r['bytes'] / 1024:8.1f} KB  "
                f"{r['queries']:3} queries (cold {r['cold_queries']})",
                flush=True,
            )
    if 1 in results and max(scales) > 1:
        top = max(scales)
        print(f"[{database}] ratio {top}×/1× (warm median; cold):")
        for name in results[1]:
            a, b = results[1][name], results[top][name]
            print(
                f"  {name:32} {b['median'] / a['median']:6.1f}×   cold {b['cold'] / a['cold']:6.1f}×   "
                f"queries {a['queries']} → {b['queries']}"
            )
    _targets(database, results)


def _targets(database: str, results: dict[int, dict[str, dict]]) -> None:
    """The issue's targets (warm p95). The map's data at the default zoom is two requests (the layers, then
    the view): their p95 times and their bytes are added."""

    def map_data(r):
        layers, view = r["map layers, default window"], r["map view z10, default window"]
        return layers["p95"] + view["p95"], layers["bytes"] + view["bytes"]

    checks = []
    if 10 in results:
        seconds, size = map_data(results[10])
        checks += [
            ("map data, default zoom, 10×: p95 ≤ 150 ms", seconds * 1000, 150),
            ("map data, default zoom, 10×: ≤ 300 KB", size / 1024, 300),
            ("table, 10×: p95 ≤ 150 ms", results[10]["table, default window"]["p95"] * 1000, 150),
            ("meeting page, 10×: p95 ≤ 150 ms", results[10]["meeting page"]["p95"] * 1000, 150),
        ]
    if 100 in results:
        checks.append(("map data, default zoom, 100×: p95 ≤ 300 ms", map_data(results[100])[0] * 1000, 300))
    print(f"[{database}] targets:")
    for label, value, limit in checks:
        print(f"  {label:48} {value:7.0f}   {'met' if value <= limit else 'MISSED'}")
    names = next(iter(results.values())).keys()
    varying = [n for n in names if len({results[s][n]["queries"] for s in results}) > 1]
    print(
        f"  {'query counts constant across scales':48} {'yes' if not varying else 'NO: ' + ', '.join(varying)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--sqlite", action="store_true")
    group.add_argument("--postgres", action="store_true")
    group.add_argument("--both", action="store_true")
    parser.add_argument("--scales", default="1,10,100")
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--pg-db", default=PG_DB, help="name of the throwaway PostgreSQL database")
    parser.add_argument("--child", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    scales = [int(s) for s in args.scales.split(",")]
    if args.child:
        if not args.pg_db.replace("_", "").isalnum():
            parser.error("--pg-db: letters, digits and _ only")
        child(args.child, scales, args.repeats, args.pg_db)
        return
    databases = ["postgresql"] if args.postgres else ["sqlite"] if args.sqlite else ["sqlite", "postgresql"]
    status = 0
    for database in databases:
        command = [
            sys.executable,
            __file__,
            "--child",
            database,
            "--scales",
            args.scales,
            "--repeats",
            str(args.repeats),
            "--pg-db",
            args.pg_db,
        ]
        status |= subprocess.call(command, cwd=ROOT)  # noqa: S603
        print()
    sys.exit(status)


if __name__ == "__main__":
    main()
