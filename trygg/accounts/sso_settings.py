"""Parsing of the single sign-on settings, importable from settings.py (no models)."""

from __future__ import annotations

import re

from django.core.exceptions import ImproperlyConfigured

# The role codes of trygg.accounts.models.Role (a test keeps the two equal).
ROLE_CODES = ("admin", "coordinator", "unit_editor", "partner", "reader")


def parse_group_map(raw: str) -> dict[str, tuple[str, str]]:
    """``"trygg-1482-samordnare=1482:coordinator,trygg-1440-lasare=1440:reader"`` →
    ``{"trygg-1482-samordnare": ("1482", "coordinator"), …}``. Fails loudly on a malformed entry, an unknown
    role or a kommunkod that is not four digits."""
    mapping: dict[str, tuple[str, str]] = {}
    for entry in (part.strip() for part in raw.split(",")):
        if not entry:
            continue
        group, sep, target = entry.rpartition("=")
        code, sep2, role = (s.strip() for s in target.partition(":"))
        if not (sep and sep2 and group.strip()):
            raise ImproperlyConfigured(f"TRYGG_OIDC_GROUPS: expected group=kommunkod:roll, got {entry!r}")
        if not re.fullmatch(r"\d{4}", code):
            raise ImproperlyConfigured(f"TRYGG_OIDC_GROUPS: {code!r} is not a kommunkod (four digits)")
        if role not in ROLE_CODES:
            raise ImproperlyConfigured(
                f"TRYGG_OIDC_GROUPS: unknown role {role!r} (one of {', '.join(ROLE_CODES)})"
            )
        mapping[group.strip()] = (code, role)
    return mapping
