"""Every do_* function that changes data leaves exactly one audit row holding the true old and new values;
the same call with nothing new leaves none. The list of do_* functions is read from each app's actions
module, so a new action without a case in its app's tests/audit_cases.py fails this suite."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pytest

from trygg.accounts.models import AuditEvent, Role
from trygg.conftest import make_user
from trygg.tests.cases import APPS, Ctx
from trygg.tests.test_tenant_isolation import _load

CASES, EXEMPT = _load("audit_cases")


def _do_functions():
    for app in APPS:
        try:
            module = importlib.import_module(f"trygg.{app}.actions")
        except ModuleNotFoundError as error:
            if error.name != f"trygg.{app}.actions":
                raise
            continue
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("do_") and fn.__module__ == module.__name__:
                yield f"{app}.{name}"


def test_every_action_has_an_audit_case():
    found = set(_do_functions())
    assert found, "no do_* functions found"
    missing = sorted(found - set(CASES) - set(EXEMPT))
    assert not missing, f"do_* functions without an audit case (add them to tests/audit_cases.py): {missing}"
    stale = sorted(set(CASES) - found)
    assert not stale, f"audit cases for functions that no longer exist: {stale}"


def test_do_functions_live_only_in_actions_modules():
    """A do_* function elsewhere would escape the walk above (and the rule that writes live in actions.py)."""
    root = Path(__file__).resolve().parents[1]
    stray = [
        f"{path.relative_to(root)}:{number}"
        for path in root.rglob("*.py")
        if path.name != "actions.py" and "tests" not in path.parts and "migrations" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.match(r"\s*(async\s+)?def do_", line)
    ]
    assert not stray, f"do_* functions outside an app's actions.py: {stray}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_action_leaves_one_audit_row_with_true_values(municipality, name):
    user = make_user("audit-samordnare", Role.COORDINATOR, municipality=municipality)
    case = CASES[name](Ctx(municipality=municipality, user=user))
    rows = case.rows or AuditEvent.objects.all
    before = set(rows().values_list("pk", flat=True))
    case.change()
    new = [row for row in rows() if row.pk not in before]
    assert len(new) == 1, f"{name} left {len(new)} audit rows"
    changes = case.changes_of(new[0])
    for field, (old, value) in case.expect.items():
        assert changes.get(field) == [old, value], f"{name}: {field} recorded as {changes.get(field)}"
    if case.unchanged is not None:
        count = rows().count()
        case.unchanged()
        assert rows().count() == count, f"{name} audited a save that changed nothing"
