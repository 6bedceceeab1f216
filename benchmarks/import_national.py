"""Benchmark: importing a national statistics table, our importer against the naive paths.

Run: .venv/bin/python benchmarks/import_national.py [--sqlite | --postgres | --both] [--orm-subset 2000]

The table is synthetic and shaped like Kolada/Brå data: 290 kommuner × 15 years × 25 KPIs × 3 genders
(T/K/M) = 326 250 observations, ~2 % of them missing. It is generated twice, as a Kolada v3 data response
and as a PxWeb JSON-stat 2.0 dataset, and each is timed from the bytes in memory to committed rows:

  ours    Kolada JSON → parse_kolada → do_import_observations (validated, upsert in one transaction)
  ours    the same file again (the idempotent re-import: unchanged rows are left alone)
  ours    a new release of the file in which every value changed (every row an update)
  ours    JSON-stat → parse_jsonstat (pyjstat decoding) → do_import_observations
  ours    Kolada JSON through the portable bulk_create(update_conflicts=True) path (for reference)
  naive   Kolada JSON → pandas.json_normalize → DataFrame.to_sql (plain INSERT, no upsert, no validation)
  naive   JSON-stat → pyjstat Dataset.write("dataframe") → DataFrame.to_sql
  naive   row-by-row ORM update_or_create, timed on a subset and reported per observation

Each database runs in its own child process (SQLite: a temporary file; PostgreSQL: a database trygg_bench on
127.0.0.1:5432 as user postgres, created and dropped). to_sql on PostgreSQL needs SQLAlchemy (optional; the
row is skipped without it). Times on a shared 2-core machine are noisy: compare the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUNICIPALITIES, YEARS, CATEGORIES, GENDERS = 290, 15, 25, ("T", "K", "M")
PG_URL = "postgres://postgres@127.0.0.1:5432/trygg_bench"


# --- synthetic data (no Django) ------------------------------------------------------------------------------


def synthetic_tables(
    kpis: list[str], municipalities: list[str], years: list[int], seed: int = 1482, scale: float = 1.0
):
    """The same table as a Kolada response (bytes) and as JSON-stat (bytes); value None ≈ 2 %.

    `scale` multiplies every value (a later release in which every figure changed)."""
    rng = random.Random(seed)
    cube = {}
    for kpi in kpis:
        for municipality in municipalities:
            base = rng.uniform(50, 15000)
            for year in years:
                for gender in GENDERS:
                    value = None if rng.random() < 0.02 else round(base * rng.uniform(0.8, 1.2) * scale, 1)
                    cube[(kpi, municipality, year, gender)] = value
    kolada = {
        "values": [
            {
                "kpi": kpi,
                "municipality": municipality,
                "period": year,
                "values": [
                    {
                        "gender": g,
                        "count": 1,
                        "status": "" if cube[(kpi, municipality, year, g)] is not None else "Saknas",
                        "value": cube[(kpi, municipality, year, g)],
                    }
                    for g in GENDERS
                ],
            }
            for kpi in kpis
            for municipality in municipalities
            for year in years
        ],
        "count": len(kpis) * len(municipalities) * len(years),
        "next_url": None,
    }
    jsonstat = {
        "version": "2.0",
        "class": "dataset",
        "label": "Syntetisk nationell tabell",
        "source": "Benchmark",
        "id": ["ContentsCode", "Region", "Kon", "Tid"],
        "size": [len(kpis), len(municipalities), 3, len(years)],
        "role": {"time": ["Tid"], "metric": ["ContentsCode"], "geo": ["Region"]},
        "dimension": {
            "ContentsCode": {
                "label": "tabellinnehåll",
                "category": {
                    "index": {k: i for i, k in enumerate(kpis)},
                    "label": {k: f"Nyckeltal {k}" for k in kpis},
                },
            },
            "Region": {
                "label": "region",
                "category": {
                    "index": {m: i for i, m in enumerate(municipalities)},
                    "label": {m: m for m in municipalities},
                },
            },
            "Kon": {
                "label": "kön",
                "extension": {"elimination": True, "eliminationValueCode": "TotSa"},
                "category": {
                    "index": {"TotSa": 0, "1": 1, "2": 2},
                    "label": {"TotSa": "totalt", "1": "män", "2": "kvinnor"},
                },
            },
            "Tid": {
                "label": "år",
                "category": {
                    "index": {str(y): i for i, y in enumerate(years)},
                    "label": {str(y): str(y) for y in years},
                },
            },
        },
        "value": [
            cube[(kpi, m, y, g)]
            for kpi in kpis
            for m in municipalities
            for g in ("T", "M", "K")
            for y in years
        ],
    }
    return json.dumps(kolada).encode(), json.dumps(jsonstat).encode(), len(cube)


# --- child: one database -------------------------------------------------------------------------------------


def child(database: str, orm_subset: int) -> None:
    os.environ["TRYGG_DEV"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trygg.settings")
    tmp = None
    if database == "sqlite":
        tmp = tempfile.mkdtemp(prefix="trygg-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    else:
        _pg_admin("DROP DATABASE IF EXISTS trygg_bench")
        _pg_admin("CREATE DATABASE trygg_bench")
        os.environ["DATABASE_URL"] = PG_URL
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    try:
        _run(database, orm_subset)
    finally:
        from django.db import connections

        connections.close_all()
        if database == "postgresql":
            _pg_admin("DROP DATABASE IF EXISTS trygg_bench")


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(sql)


def _run(database: str, orm_subset: int) -> None:
    import logging

    from django.core.management import call_command
    from django.db import connection

    from trygg.indicators import actions
    from trygg.indicators.importers import parse_jsonstat, parse_kolada
    from trygg.indicators.models import Indicator, Observation, Region

    logging.disable(logging.INFO)
    call_command("migrate", verbosity=0)
    actions.do_seed_regions()
    actions.do_seed_kolada_catalogue()
    kpis = list(
        Indicator.objects.filter(margin_for__isnull=True)
        .order_by("code")
        .values_list("code", flat=True)[:CATEGORIES]
    )
    municipalities = list(Region.objects.municipalities().order_by("code").values_list("code", flat=True))[
        :MUNICIPALITIES
    ]
    years = list(range(2009, 2009 + YEARS))
    kolada_bytes, jsonstat_bytes, n = synthetic_tables(kpis, municipalities, years)
    changed_bytes = synthetic_tables(kpis, municipalities, years, scale=1.01)[0]
    print(
        f"[{database}] {n} observations ({len(municipalities)} kommuner × {len(years)} år × {len(kpis)} "
        f"nyckeltal × 3 kön); Kolada JSON {len(kolada_bytes) / 1e6:.1f} MB, JSON-stat {len(jsonstat_bytes) / 1e6:.1f} MB",
        flush=True,
    )

    def clear() -> None:
        with connection.cursor() as cursor:
            table = Observation._meta.db_table
            cursor.execute(f"DELETE FROM {table}" if database == "sqlite" else f"TRUNCATE {table}")  # noqa: S608

    results: list[tuple[str, int, float]] = []

    def timed(label: str, func, rows: int | None = None, *, keep: bool = False) -> None:
        if not keep:
            clear()
        start = time.perf_counter()
        written = func()
        seconds = time.perf_counter() - start
        count = rows if rows is not None else written
        results.append((label, count, seconds))
        print(
            f"[{database}] {label:<58} {count:>8} obs {seconds:7.2f} s {count / seconds:>10,.0f} obs/s",
            flush=True,
        )

    timed(
        "ours: Kolada JSON → upsert", lambda: actions.do_import_observations(parse_kolada(kolada_bytes)).rows
    )
    timed(
        "ours: same Kolada file again (nothing changed)",
        lambda: actions.do_import_observations(parse_kolada(kolada_bytes)).rows,
        keep=True,
    )
    timed(
        "ours: new release, every value changed (all updates)",
        lambda: actions.do_import_observations(parse_kolada(changed_bytes)).rows,
        keep=True,
    )
    timed(
        "ours: JSON-stat (pyjstat) → upsert",
        lambda: actions.do_import_observations(parse_jsonstat(jsonstat_bytes)).rows,
    )
    timed(
        "ours, portable path: Kolada → bulk_create(update_conflicts)",
        lambda: actions.do_import_observations(parse_kolada(kolada_bytes), fast=False).rows,
    )
    timed("naive: Kolada JSON → pandas.json_normalize → to_sql", lambda: _naive_kolada(kolada_bytes))
    timed("naive: JSON-stat → pyjstat DataFrame → to_sql", lambda: _naive_jsonstat(jsonstat_bytes))
    subset = json.loads(kolada_bytes)
    subset["values"] = subset["values"][: max(1, orm_subset // 3)]
    timed(f"naive: row-by-row ORM update_or_create (subset of {orm_subset})", lambda: _naive_orm(subset))

    rate = {
        index: (count / seconds if count else None) for index, (_label, count, seconds) in enumerate(results)
    }
    pairs = [
        ("Kolada JSON: ours vs pandas json_normalize → to_sql", 0, 5),
        ("JSON-stat: ours vs pyjstat DataFrame → to_sql", 3, 6),
        ("new rows: ours (Kolada) vs row-by-row ORM update_or_create", 0, 7),
        ("all updates: ours vs row-by-row ORM update_or_create", 2, 7),
    ]
    print(f"\n[{database}] ratios (same input, same database):")
    for label, ours, naive in pairs:
        if rate[ours] and rate[naive]:
            print(f"[{database}]   {label:<62} {rate[ours] / rate[naive]:6.1f}×")
        else:
            print(f"[{database}]   {label:<62}   (naive path skipped)")
    print(f"[{database}] {target_summary(results, rate)}")


OURS = (0, 1, 2, 3)  # our four import paths (the portable bulk_create path is for reference only)
TARGET_RATE = 100_000


def target_summary(results, rate) -> str:
    """One line: is each target of the issue met on this database? Every one of our paths must meet the
    rate; a ratio target must hold for every pair it covers (a skipped naive path is said, not counted)."""

    def verdict(ok: bool) -> str:
        return "MET" if ok else "NOT MET"

    slowest = min(OURS, key=lambda i: rate[i] or 0)
    speed = f"≥100k obs/s: {verdict(all((rate[i] or 0) >= TARGET_RATE for i in OURS))} (slowest of ours " + (
        f"{rate[slowest]:,.0f} obs/s, {results[slowest][0].removeprefix('ours: ')})"
    )

    def ratios(pairs, target=3.0) -> tuple[str, str]:
        shown, met = [], []
        for name, ours, naive in pairs:
            if not (rate[ours] and rate[naive]):
                shown.append(f"{name} not measured")
                continue
            ratio = rate[ours] / rate[naive]
            met.append(ratio >= target)
            shown.append(f"{name} {ratio:.1f}×")
        if not met:
            return "NOT MEASURED", ", ".join(shown)
        partly = " (of those measured)" if len(met) < len(pairs) else ""
        return verdict(all(met)) + partly, ", ".join(shown)

    orm_ok, orm = ratios([("new rows", 0, 7), ("all updates", 2, 7)])
    naive_ok, naive = ratios([("Kolada/pandas", 0, 5), ("JSON-stat/pyjstat", 3, 6)])
    return f"targets: {speed}; ≥3× row-by-row ORM: {orm_ok} ({orm}); ≥3× pandas/pyjstat to_sql: {naive_ok} ({naive})"


def _id_maps():
    from trygg.indicators.models import Indicator, Region

    return (dict(Indicator.objects.values_list("code", "id")), dict(Region.objects.values_list("code", "id")))


def _to_sql(frame) -> int:
    """DataFrame.to_sql into the observation table: sqlite3 connection directly, PostgreSQL via SQLAlchemy."""
    from django.db import connection

    from trygg.indicators.models import Observation

    table = Observation._meta.db_table
    if connection.vendor == "sqlite":
        # A plain sqlite3 connection as a pandas user would open it (implicit transaction, one commit).
        with closing(sqlite3.connect(connection.settings_dict["NAME"])) as conn:
            frame.to_sql(table, conn, if_exists="append", index=False)
            conn.commit()
        return len(frame)
    try:
        import sqlalchemy
    except ImportError:
        print("    (SQLAlchemy is not installed: pandas.to_sql cannot write to PostgreSQL; skipped)")
        return 0
    engine = sqlalchemy.create_engine(PG_URL.replace("postgres://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        frame.to_sql(table, conn, if_exists="append", index=False)
    engine.dispose()
    return len(frame)


def _finish_frame(frame, now):
    from trygg.indicators.importers.writer import _ROW_COLUMNS

    frame["status"] = frame["value"].isna().map({True: "missing", False: "ok"})
    frame["preliminary"] = False
    frame["imported_at"] = now
    columns = [c for c in _ROW_COLUMNS if c not in {"margin", "ci_low", "ci_high"}] + ["imported_at"]
    return frame[columns]


def _naive_kolada(data: bytes) -> int:
    import pandas as pd
    from django.utils import timezone

    indicators, regions = _id_maps()
    frame = pd.json_normalize(
        json.loads(data)["values"], record_path="values", meta=["kpi", "municipality", "period"]
    )
    frame["indicator_id"] = frame["kpi"].map(indicators)
    frame["region_id"] = frame["municipality"].map(regions)
    frame["period_start"] = frame["period"].astype(int)
    frame["period_end"] = frame["period_start"]
    frame["period"] = frame["period"].astype(str)
    frame["breakdown"] = frame["gender"].map({"T": "", "K": "kön=K", "M": "kön=M"})
    return _to_sql(_finish_frame(frame, timezone.now()))


def _naive_jsonstat(data: bytes) -> int:
    from django.utils import timezone
    from pyjstat import pyjstat

    indicators, regions = _id_maps()
    frame = pyjstat.Dataset.read(data.decode()).write("dataframe", naming="id")
    frame["indicator_id"] = frame["ContentsCode"].map(indicators)
    frame["region_id"] = frame["Region"].map(regions)
    frame["period"] = frame["Tid"].astype(str)
    frame["period_start"] = frame["Tid"].astype(int)
    frame["period_end"] = frame["period_start"]
    frame["breakdown"] = frame["Kon"].map({"TotSa": "", "2": "kön=K", "1": "kön=M"})
    return _to_sql(_finish_frame(frame, timezone.now()))


def _naive_orm(page: dict) -> int:
    from django.utils import timezone

    from trygg.indicators.models import Indicator, Observation, Region

    count = 0
    for item in page["values"]:
        for value in item["values"]:
            Observation.objects.update_or_create(
                indicator=Indicator.objects.get(code=item["kpi"]),
                region=Region.objects.get(code=item["municipality"]),
                period=str(item["period"]),
                breakdown={"T": "", "K": "kön=K", "M": "kön=M"}[value["gender"]],
                defaults={
                    "period_start": item["period"],
                    "period_end": item["period"],
                    "value": value["value"],
                    "status": "ok" if value["value"] is not None else "missing",
                    "imported_at": timezone.now(),
                },
            )
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--sqlite", action="store_true")
    group.add_argument("--postgres", action="store_true")
    group.add_argument("--both", action="store_true")
    parser.add_argument(
        "--orm-subset", type=int, default=2000, help="observations for the row-by-row ORM path"
    )
    parser.add_argument("--child", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.orm_subset)
        return
    databases = ["postgresql"] if args.postgres else ["sqlite", "postgresql"] if args.both else ["sqlite"]
    status = 0
    for database in databases:
        command = [sys.executable, __file__, "--child", database, "--orm-subset", str(args.orm_subset)]
        status |= subprocess.call(command, cwd=ROOT)  # noqa: S603
        print()
    sys.exit(status)


if __name__ == "__main__":
    main()
