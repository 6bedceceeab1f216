"""The move to municipalities migrates a single-municipality installation's data: roles become memberships
in the default municipality, units belong to it, and each plan's free-text municipality name becomes a
foreign key (a name that matches no kommun stops the migration with a Swedish message).

Runs the real migrations in a subprocess on a fresh SQLite file, so the test database is untouched."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import json, sys
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

old = [("accounts", "0002_audit_event"), ("plans", "0002_date_order_constraints")]
for app, name in old:
    call_command("migrate", app, name, verbosity=0)
state = MigrationExecutor(connection).loader.project_state(old).apps
User, Unit, Plan = (state.get_model(*m) for m in [("accounts", "User"), ("accounts", "Unit"), ("plans", "Plan")])
User.objects.create(username="k", role="coordinator")
User.objects.create(username="nobody", role="")
Unit.objects.create(name="Säkerhetsenheten")
for slug, name in json.loads(sys.argv[1]):
    Plan.objects.create(slug=slug, name=slug, municipality=name, period_start=2023, period_end=2024)
try:
    call_command("migrate", verbosity=0)
except Exception as exc:
    print(json.dumps({"error": str(exc)}))
    raise SystemExit(0)
from trygg.accounts.models import Membership, Unit
from trygg.plans.models import Plan
print(json.dumps({
    "memberships": sorted(Membership.objects.values_list("user__username", "municipality__code", "role")),
    "units": sorted(Unit.objects.values_list("name", "municipality__code")),
    "plans": sorted(Plan.objects.values_list("slug", "municipality__code")),
}))
"""


def _migrate(tmp_path, plans):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="trygg.test_settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'old.sqlite3'}",
        TRYGG_MUNICIPALITY_CODE="1482",
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and a constant script
        [sys.executable, "-c", SCRIPT, json.dumps(plans)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_single_municipality_data_moves_to_municipalities(tmp_path):
    out = _migrate(
        tmp_path, [("kungalv", "Kungälvs kommun"), ("ale", "Ale kommun"), ("gbg", "Göteborgs Stad")]
    )
    assert out["memberships"] == [["k", "1482", "coordinator"]]
    assert out["units"] == [["Säkerhetsenheten", "1482"]]
    assert out["plans"] == [["ale", "1440"], ["gbg", "1480"], ["kungalv", "1482"]]


def test_a_municipality_name_that_matches_nothing_stops_the_migration(tmp_path):
    out = _migrate(tmp_path, [("x", "Kungälvs kommun"), ("y", "Trygghetsstaden")])
    assert "Trygghetsstaden" in out["error"] and "kommunkod" in out["error"]
