"""Tenant-isolation cases for the publishing URLs that take an id (trygg/tests/test_tenant_isolation.py).

The public pages, open-data files and API endpoints are exempt here because they do not use the session's
roles at all: what they show is decided by publication (and, in the API, by the token's municipality). Their
isolation is tested in test_public_isolation.py (unpublished → 404 for everyone anonymous) and test_api.py
(a token of municipality A cannot read B's unpublished data)."""

from trygg.accounts.models import Role
from trygg.plans.tests.builders import build_plan
from trygg.publishing.actions import do_create_api_token

PUBLIC = "public, no session roles: published data only (test_public_isolation.py, test_api.py)"


def _manage(municipality):
    plan, _ = build_plan(slug=f"pub-{municipality.code}", areas=1, activities=1, municipality=municipality)
    return {"slug": plan.slug}


def _token(municipality):
    written, _ = do_create_api_token(municipality, "Polisen", Role.PARTNER.value, acting_user=None)
    return {"pk": written.obj.pk}


CASES = {
    "publishing:manage": _manage,
    "publishing:token_revoke": _token,
}
EXEMPT = {
    "publishing:plan": PUBLIC,
    "publishing:activity": PUBLIC,
    "publishing:report": PUBLIC,
    "publishing:plan_data": PUBLIC,
    "publishing:statistics_data": PUBLIC,
    "publishing:dialog_data": PUBLIC,
    "api-v1:get_plan": PUBLIC,
    "api-v1:list_activities": PUBLIC,
    "api-v1:list_statuses": PUBLIC,
    "api-v1:activity_history": PUBLIC,
    "api-v1:list_observations": PUBLIC,
    "api-v1:lagesbild_cells": PUBLIC,
    "api-v1:lagesbild_counts": PUBLIC,
}
