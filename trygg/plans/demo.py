"""The demo plan "Trygg i Kungälv" with its 2023 follow-up, loaded through the ordinary importer.

The data lives in demo/kungalv_2023.yaml (source and demo assumptions: demo/README.md). Loading is
idempotent: the file's uids are fixed, so loading twice changes nothing and writes no history.
"""

from __future__ import annotations

from pathlib import Path

from .exchange import ImportResult, load_plan_yaml

DEMO_PLAN_PATH = Path(__file__).resolve().parent / "demo" / "kungalv_2023.yaml"
DEMO_SOURCE = "demo"  # StatusChange.source of the statuses the demo writes


def load_demo_plan(acting_user=None) -> ImportResult:
    """Import (or re-import) the demo plan; raises PlanImportError if the file is broken."""
    return load_plan_yaml(DEMO_PLAN_PATH, acting_user=acting_user, source=DEMO_SOURCE)
