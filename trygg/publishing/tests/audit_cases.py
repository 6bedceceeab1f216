"""Audit cases for the publishing actions (trygg/tests/test_audit.py)."""

from __future__ import annotations

from trygg.accounts.models import Role
from trygg.publishing import actions
from trygg.publishing.models import ApiToken
from trygg.tests.cases import AuditCase


def create_api_token(ctx):
    return AuditCase(
        change=lambda: actions.do_create_api_token(
            ctx.municipality, "Polisen", Role.PARTNER.value, acting_user=ctx.user
        ),
        expect={
            "name": [None, "Polisen"],
            "role": [None, "partner"],
            "municipality": [None, ctx.municipality.pk],
        },
    )


def revoke_api_token(ctx):
    written, _ = actions.do_create_api_token(
        ctx.municipality, "System", Role.READER.value, acting_user=ctx.user
    )
    token = written.obj

    def revoke():
        return actions.do_revoke_api_token(ApiToken.objects.get(pk=token.pk), acting_user=ctx.user)

    return AuditCase(
        change=revoke,
        # the time of revocation is not known in advance: the row must go from not revoked to revoked
        expect={"revoked": [None, True]},
        changes_of=lambda row: {
            "revoked": [row.changes["revoked_at"][0], row.changes["revoked_at"][1] is not None]
        },
        unchanged=revoke,
    )


CASES = {
    "publishing.do_create_api_token": create_api_token,
    "publishing.do_revoke_api_token": revoke_api_token,
}
EXEMPT: dict[str, str] = {}
