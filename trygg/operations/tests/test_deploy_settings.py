"""Production settings: `check --deploy` with the production example environment is clean, manage.py never
runs on the development key with DEBUG off, and the security headers and CSP are sent."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / ".env.production.example"
# Variables of this machine that would change what the example says (a developer's shell, CI, pytest).
OURS = {"SECRET_KEY", "DEBUG", "TRYGG_DEV", "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "REDIS_URL"}


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=value lines as systemd's EnvironmentFile reads them (comments, blank lines, optional quotes)."""
    env = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        env[key.strip()] = value
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests (Playwright in the same worker); a deployment never
    # has it, and check --deploy rightly refuses it (async.E001).
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in OURS and k != "DJANGO_ALLOW_ASYNC_UNSAFE" and not k.startswith(("SECURE_", "TRYGG_"))
    }
    return subprocess.run(  # noqa: S603 - our interpreter and manage.py
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env(**changes: str) -> dict[str, str]:
    env = read_env_file(EXAMPLE)
    # The one value an operator must supply: a real key (the example's placeholder is refused, see below).
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    env.update(changes)
    return env


def test_check_deploy_is_clean_with_the_production_example():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout + result.stderr


def test_check_deploy_warns_without_the_https_settings():
    """The check is able to fail: plain http settings give the warnings the security review found."""
    env = production_env(SECURE_COOKIES="0")
    for name in ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS"):
        env.pop(name)
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "security.W004" in output and "security.W008" in output


def test_the_example_placeholder_key_is_refused():
    env = production_env()
    env["SECRET_KEY"] = read_env_file(EXAMPLE)["SECRET_KEY"]
    result = manage("check", env=env)
    assert result.returncode != 0 and "placeholder" in result.stderr


def test_manage_py_with_debug_off_never_uses_the_development_key():
    for env in ({"DEBUG": "0"}, {"DEBUG": "0", "TRYGG_DEV": "1"}, {"DEBUG": "false"}):
        result = manage("check", env=env)
        assert result.returncode != 0, env
        assert "SECRET_KEY" in result.stderr, env


def test_manage_py_on_a_bare_developer_machine_still_works():
    """The pre-commit hook runs makemigrations --check with no environment at all."""
    result = manage("makemigrations", "--check", "--dry-run", env={})
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("tile_url", "source"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.karta.kommun.se:8443/{z}/{x}/{y}.png", "https://*.karta.kommun.se:8443"),
    ],
)
def test_csp_allows_images_from_the_configured_tile_host(tile_url, source):
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(' '.join(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))"
    )
    base = {k: v for k, v in os.environ.items() if k not in OURS}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "trygg.settings",
            "TRYGG_DEV": "1",
            "TRYGG_TILE_URL": tile_url,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["'self'", "data:", source]


@pytest.mark.django_db
def test_pages_send_csp_without_unsafe_inline(client):
    response = client.get("/integritet/")
    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
