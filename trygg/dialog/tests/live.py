"""Real servers on loopback for the dialog's cross-process tests and benchmarks/dialog_load.py: a throwaway
settings module (rate limit, cache prefix, an extra bare view), a migrated database with Kungälv and one
open campaign, and gunicorn processes started with deploy/gunicorn.conf.py."""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[3]
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))

SETTINGS = """
from trygg.settings import *  # noqa: F401,F403

ROOT_URLCONF = "live_urls"
CACHES = {{"default": {{"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": {redis!r},
                      "KEY_PREFIX": {prefix!r}}}}}
DIALOG_RATE_LIMIT = {rate_limit}
DIALOG_MIN_FILL_SECONDS = {min_fill}
MEDIA_ROOT = {media!r}
"""
URLS = """
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from trygg.urls import urlpatterns as trygg_urlpatterns


@csrf_exempt
def bare(request):
    # The baseline: the same middleware stack and server, no work.
    return HttpResponse("ok")


urlpatterns = [path("bare/", bare), *trygg_urlpatterns]
"""
SETUP = """
import datetime as dt
from django.utils import timezone
from trygg.places.loading import load_municipality
from trygg.dialog.actions import do_save_campaign
from trygg.dialog.models import Campaign, DEFAULT_CATEGORIES
m = load_municipality("1482")
today = timezone.localdate()
c = do_save_campaign(Campaign(municipality=m, title="Lasttest", question="Var?", starts=today - dt.timedelta(days=1),
    ends=today + dt.timedelta(days=5), categories=list(DEFAULT_CATEGORIES)), acting_user=None)[0]
print("CAMPAIGN", c.pk)
"""


def redis_available(url: str = "redis://127.0.0.1:6379/15") -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Site:
    """A throwaway installation: settings module, database, and the servers started for it."""

    def __init__(
        self, workdir: Path, *, database_url: str, redis_url: str, rate_limit: int, min_fill: float = 0
    ):
        self.workdir = workdir
        self.prefix = f"live{secrets.token_hex(4)}"
        (workdir / "live_settings.py").write_text(
            SETTINGS.format(
                redis=redis_url,
                prefix=self.prefix,
                rate_limit=rate_limit,
                min_fill=min_fill,
                media=str(workdir / "media"),
            )
        )
        (workdir / "live_urls.py").write_text(textwrap.dedent(URLS))
        self.env = {
            **os.environ,
            "PYTHONPATH": f"{workdir}{os.pathsep}{ROOT}",
            "DJANGO_SETTINGS_MODULE": "live_settings",
            "DATABASE_URL": database_url,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEBUG": "0",
            "TRYGG_DEV": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "INFO",
            "SECURE_COOKIES": "0",  # plain http on loopback
        }
        self.servers: list[subprocess.Popen] = []

    def manage(self, *args: str, stdin: str | None = None) -> str:
        env = {**self.env, "TRYGG_DEV": "1"}
        done = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
            [PYTHON, str(ROOT / "manage.py"), *args],
            env=env,
            cwd=ROOT,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=600,
            check=True,
        )
        return done.stdout

    def prepare(self) -> int:
        self.manage("migrate", "-v0")
        out = self.manage("shell", "-c", SETUP)
        return int(re.search(r"CAMPAIGN (\d+)", out).group(1))

    def start(
        self, port: int, *, workers: int, threads: int = 4, log: Path | None = None
    ) -> subprocess.Popen:
        handle = open(log or os.devnull, "w")  # noqa: SIM115 - lives as long as the server
        process = subprocess.Popen(  # noqa: S603
            [
                GUNICORN,
                "-c",
                str(ROOT / "deploy" / "gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "trygg.wsgi",
            ],
            env=self.env,
            cwd=ROOT,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
        self.servers.append(process)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({process.returncode}); see {log}")
            try:
                if requests.get(f"http://127.0.0.1:{port}/tycktill/", timeout=2).status_code == 200:
                    return process
            except requests.RequestException:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        for process in self.servers:
            process.terminate()
        for process in self.servers:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        self.servers.clear()
        if redis_available():
            import redis

            client = redis.Redis.from_url("redis://127.0.0.1:6379/15")
            for key in client.scan_iter(f"{self.prefix}*"):
                client.delete(key)


def form_fields(session: requests.Session, base: str, campaign: int) -> dict:
    html = session.get(f"{base}/tycktill/{campaign}/", timeout=10).text
    return {
        "csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1),
        "formular_id": re.search(r'name="formular_id" value="([^"]+)"', html).group(1),
    }


VALID = {
    "lat": "57.8710",
    "lon": "11.9780",
    "categories": ["belysning", "vaxtlighet"],
    "time_of_day": "kvall",
    "day_type": "vardag",
    "text": "Mörkt vid gångvägen efter klockan sex.",
    "webbplats": "",
}
