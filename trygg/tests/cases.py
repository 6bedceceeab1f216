"""Contracts between the project-wide safety-net tests and each app's tests.

Each app that has URLs taking an object id, or ``do_*`` actions, provides in its ``tests`` package:

``tenancy_cases.py``
    ``CASES = {"app:url_name": make}``: ``make(municipality) -> dict`` creates an object owned by that
    municipality (and whatever it needs) and returns the URL's kwargs. ``EXEMPT = {"app:url_name": "reason"}``
    for URLs whose id is not a municipality's object (a shared taxonomy, the user's own import job).
    ``trygg/tests/test_tenant_isolation.py`` fails for any URL with parameters that is in neither.

``audit_cases.py``
    ``CASES = {"app.do_name": make}``: ``make(ctx) -> AuditCase`` (ctx: :class:`Ctx`). ``EXEMPT`` likewise
    for ``do_*`` functions that write no domain data. ``trygg/tests/test_audit.py`` fails for any ``do_*``
    function in an app's ``actions.py`` that is in neither.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

# Every installed trygg app, read from the settings: a new app is walked without being listed here.
APPS = tuple(name.split(".")[1] for name in settings.INSTALLED_APPS if name.startswith("trygg."))


@dataclass
class Ctx:
    municipality: Any
    user: Any  # a coordinator of `municipality` (acting_user)


@dataclass
class AuditCase:
    change: Callable[[], Any]  # calls the do_* function so that it changes data
    expect: dict[str, list]  # field -> [old, new] the one audit row must hold (at least these)
    unchanged: Callable[[], Any] | None = None  # the same call with nothing new: must leave no row
    rows: Callable[[], Any] | None = None  # queryset of audit rows (default: accounts.AuditEvent)
    changes_of: Callable[[Any], dict] = field(default=lambda row: row.changes)
