# ruff: noqa: S603, S607 - runs psql and our own servers on loopback with fixed arguments
"""Load test of the public dialog on loopback: gunicorn (2+ workers, deploy/gunicorn.conf.py) + PostgreSQL +
Redis, 50 concurrent clients posting valid submissions against a bare Django view on the same server; then a
burst of submissions whose stored count must equal the acknowledged count.

    .venv/bin/python benchmarks/dialog_load.py [--seconds 15] [--clients 50] [--burst 10000] [--workers 3]

Bounded: loopback only (127.0.0.1), each phase stops at its time or count limit, the throwaway database
(trygg_dialog_bench_<random>) is dropped at the end. Needs PostgreSQL at 127.0.0.1:5432 (user postgres,
trust) and Redis at 127.0.0.1:6379. The rate limit stays on (raised so the bench client is not refused:
all clients share one address) and the minimum fill time is 1 s (clients wait it out once).
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from trygg.dialog.tests.live import VALID, Site, form_fields, free_port, redis_available  # noqa: E402


async def _request(reader, writer, path: str, body: bytes, cookie: str) -> int:
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\nCookie: {cookie}\r\nConnection: keep-alive\r\n\r\n"
    )
    writer.write(head.encode() + body)
    await writer.drain()
    status_line = await reader.readline()
    status = int(status_line.split()[1])
    length = 0
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        if name.lower() == "content-length":
            length = int(value.strip())
    if length:
        await reader.readexactly(length)
    return status


async def _client(port, path, body, cookie, deadline, limit, latencies, statuses, counter):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.monotonic() < deadline and counter[0] < limit:
            counter[0] += 1
            start = time.perf_counter()
            try:
                status = await _request(reader, writer, path, body, cookie)
            except (ConnectionError, asyncio.IncompleteReadError, ValueError, IndexError):
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                statuses.append(0)
                continue
            latencies.append(time.perf_counter() - start)
            statuses.append(status)
    finally:
        writer.close()


async def run_phase(port, path, body, cookie, *, clients, seconds, limit):
    latencies, statuses, counter = [], [], [0]
    started = time.monotonic()
    deadline = started + seconds
    await asyncio.gather(
        *(
            _client(port, path, body, cookie, deadline, limit, latencies, statuses, counter)
            for _ in range(clients)
        )
    )
    elapsed = time.monotonic() - started
    return latencies, statuses, elapsed


def summary(name, latencies, statuses, elapsed) -> dict:
    lat = sorted(latencies)
    q = statistics.quantiles(lat, n=100) if len(lat) >= 100 else [lat[-1]] * 99
    ok = sum(1 for s in statuses if s in (200, 302))
    result = {
        "name": name,
        "requests": len(statuses),
        "ok": ok,
        "rps": ok / elapsed,
        "p50": q[49] * 1000,
        "p99": q[98] * 1000,
    }
    print(
        f"  {name:<12} {result['rps']:8.1f} req/s  p50 {result['p50']:6.1f} ms  p99 {result['p99']:6.1f} ms  ({ok}/{len(statuses)} ok)"
    )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--burst", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    if not redis_available():
        print("Redis at 127.0.0.1:6379 is not reachable.")
        return 2
    name = f"trygg_dialog_bench_{secrets.token_hex(3)}"
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {name}"], check=True
    )  # noqa: S603,S607
    tmp = Path(tempfile.mkdtemp(prefix="dialog-bench-"))
    site = Site(
        tmp,
        database_url=f"postgres://postgres@127.0.0.1:5432/{name}",
        redis_url="redis://127.0.0.1:6379/15",
        rate_limit=10_000_000,
        min_fill=1,
    )
    try:
        site.env["GUNICORN_MAX_REQUESTS"] = "0"  # no worker restarts (and cold starts) inside a 15 s phase
        campaign = site.prepare()
        port = free_port()
        site.start(port, workers=args.workers, threads=args.threads, log=tmp / "gunicorn.log")
        import requests

        session = requests.Session()
        fields = form_fields(session, f"http://127.0.0.1:{port}", campaign)
        cookie = "; ".join(f"{k}={v}" for k, v in session.cookies.items())
        body = urlencode({**VALID, **fields}, doseq=True).encode()
        time.sleep(1.1)  # the minimum fill time
        print(
            f"gunicorn {args.workers} workers × {args.threads} threads, PostgreSQL, Redis; {args.clients} clients, {args.seconds:.0f} s per phase"
        )
        asyncio.run(
            run_phase(port, "/bare/", body, cookie, clients=args.clients, seconds=2, limit=10**9)
        )  # warm-up
        warm_path = f"/tycktill/{campaign}/"
        asyncio.run(
            run_phase(port, warm_path, body, cookie, clients=args.clients, seconds=3, limit=10**9)
        )  # warm-up
        bare = summary(
            "bare view",
            *asyncio.run(
                run_phase(
                    port, "/bare/", body, cookie, clients=args.clients, seconds=args.seconds, limit=10**9
                )
            ),
        )
        path = f"/tycktill/{campaign}/"
        dialog = summary(
            "submission",
            *asyncio.run(
                run_phase(port, path, body, cookie, clients=args.clients, seconds=args.seconds, limit=10**9)
            ),
        )
        ratio = dialog["rps"] / bare["rps"]
        print(
            f"  ratio {ratio:.0%} of bare throughput (target ≥ 70 %); p99 {dialog['p99']:.1f} ms (target ≤ 100 ms)"
        )

        count_before = int(
            site.manage(
                "shell",
                "-c",
                f"from trygg.dialog.models import Submission; print(Submission.objects.filter(campaign_id={campaign}).count())",
            )
            .strip()
            .splitlines()[-1]
        )
        latencies, statuses, elapsed = asyncio.run(
            run_phase(port, path, body, cookie, clients=args.clients, seconds=600, limit=args.burst)
        )
        acknowledged = sum(1 for s in statuses if s == 302)
        stored = (
            int(
                site.manage(
                    "shell",
                    "-c",
                    f"from trygg.dialog.models import Submission; print(Submission.objects.filter(campaign_id={campaign}).count())",
                )
                .strip()
                .splitlines()[-1]
            )
            - count_before
        )
        print(
            f"  burst: {len(statuses)} sent in {elapsed:.1f} s, {acknowledged} acknowledged, {stored} stored, lost {acknowledged - stored}, other responses {len(statuses) - acknowledged}"
        )
        return 0 if stored == acknowledged else 1
    finally:
        site.stop()
        subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-qc",
                f"DROP DATABASE IF EXISTS {name} WITH (FORCE)",
            ],
            check=False,
        )  # noqa: S603,S607


if __name__ == "__main__":
    sys.exit(main())
