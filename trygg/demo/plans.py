"""Demo plans: Kungälv's real "Trygg i Kungälv" with its 2023 follow-up (the reference report) and a small,
made-up "Trygg i Ale" for the second demo municipality. Loaded through the ordinary plan import (every row
written by the plans actions: redacted, audited), with source "demo" in the status history. Idempotent: the
files' uids are fixed, so loading twice changes nothing and writes no history. Sources and demo assumptions:
data/plans/README.md."""

from __future__ import annotations

from pathlib import Path

from trygg.plans.exchange import PlanImportError, load_plan_yaml

DATA_DIR = Path(__file__).resolve().parent / "data" / "plans"
DEMO_PLANS = {
    "1482": DATA_DIR / "kungalv_2023.yaml",  # the real 2023 follow-up (allmän handling)
    "1440": DATA_DIR / "ale_2025.yaml",  # fictitious demo data
}
DEMO_SOURCE = "demo"  # StatusChange.source of the statuses the demo writes


def load(municipality, *, acting_user) -> str:
    """Import (or re-import) the municipality's demo plan; a short Swedish summary, "" when the municipality
    has no demo plan. Raises PlanImportError when a file is broken."""
    path = DEMO_PLANS.get(municipality.code)
    if path is None:
        return ""
    try:
        result = load_plan_yaml(path, acting_user=acting_user, source=DEMO_SOURCE, municipality=municipality)
    except PlanImportError as exc:
        raise PlanImportError([f"Demoplanen {path.name} kunde inte laddas:", *exc.errors]) from None
    return str(result)
