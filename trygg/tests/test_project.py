"""Project-wide safety nets: no pending migrations, settings that fail loudly."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_no_pending_migrations():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit:
        pytest.fail("Modellerna har ändringar utan migrering:\n" + out.getvalue())


def _settings_in_subprocess(env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "TRYGG_DEV"}}
    clean.update(env, DJANGO_SETTINGS_MODULE="trygg.settings")
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    return subprocess.run(  # noqa: S603 - our own interpreter and a constant snippet
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_production_refuses_to_start_without_secret_key():
    result = _settings_in_subprocess({})
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_debug_is_off_unless_set():
    result = _settings_in_subprocess({"SECRET_KEY": "x" * 50})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_boolean_settings_fail_loudly_on_nonsense():
    result = _settings_in_subprocess({"SECRET_KEY": "x" * 50, "DEBUG": "kanske"})
    assert result.returncode != 0 and "DEBUG must be a boolean" in result.stderr


def test_no_production_module_imports_demo_code():
    """Demo data lives in trygg/demo and writes through the apps' actions; nothing else may depend on it."""
    import ast

    offenders = []
    for path in (ROOT / "trygg").rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[1] == "demo" or "tests" in parts or path.name == "conftest.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] if node.level == 0 else []
                if node.level and "demo" in node.module.split("."):
                    names = ["relative demo"]
            offenders += [
                f"{path.relative_to(ROOT)}: {n}"
                for n in names
                if n == "trygg.demo"
                or n.startswith("trygg.demo.")
                or n == "relative demo"
                or n.endswith(".demo")
            ]
    assert not offenders, offenders
