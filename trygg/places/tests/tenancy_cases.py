"""Tenant-isolation cases of the places app (trygg/tests/test_tenant_isolation.py)."""

from __future__ import annotations


def place(m) -> dict:
    from trygg.situation.tests.tenancy_cases import _place

    return {"pk": _place(m).pk}


CASES = {"places:place_edit": place}
