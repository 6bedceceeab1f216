"""Reading the audit trail: who may see which rows, the filters of the audit view, Swedish labels and the
CSV export (formula-safe cells)."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator

from django.apps import apps
from django.db.models import QuerySet
from django.utils import timezone

from trygg.lib.csv_safety import safe_cell

from .models import AuditEvent, Role

# Events other than writes, by action code.
EVENT_LABELS = {
    "auth.login": "Inloggning",
    "auth.login_failed": "Misslyckad inloggning",
    "auth.locked_out": "Spärrad efter för många försök",
    "auth.logout": "Utloggning",
    "auth.session_expired": "Inloggningen gick ut",
    "auth.2fa_enrolled": "Tvåstegsverifiering aktiverad",
    "auth.2fa_failed": "Fel engångskod",
    "auth.sso_roles": "Behörigheter från inloggningstjänsten",
    "auth.user_deactivated": "Konto avaktiverat",
    "download": "Hämtning (export eller rapport)",
}
# Writes, by the end of their action code (plan.create, admin.user.update …).
WRITE_LABELS = {"create": "Skapat", "update": "Ändrat", "delete": "Raderat"}

FILTER_CHOICES = [(code, label) for code, label in EVENT_LABELS.items()] + [
    (f"*.{suffix}", label) for suffix, label in WRITE_LABELS.items()
]

CSV_HEADER = ["Tidpunkt", "Vem", "Kommun", "Händelse", "Typ", "Id", "Vad", "Ändringar"]
CSV_LIMIT = 100_000


def can_view_audit(user) -> bool:
    """Administrators: a superuser (everything) or an administrator of a municipality (its rows)."""
    return bool(
        user.is_authenticated and user.is_active and (user.is_superuser or user.has_role_anywhere(Role.ADMIN))
    )


def visible_events(user) -> QuerySet[AuditEvent]:
    rows = AuditEvent.objects.select_related("municipality")
    if user.is_superuser:
        return rows
    return rows.filter(municipality_id__in=user.municipality_ids(Role.ADMIN))


def filtered(rows: QuerySet[AuditEvent], data: dict) -> QuerySet[AuditEvent]:
    """Apply the cleaned filters of AuditFilterForm."""
    if data.get("kommun"):
        rows = rows.filter(municipality=data["kommun"])
    if data.get("vem"):
        rows = rows.filter(actor_name__icontains=data["vem"])
    action = data.get("handelse") or ""
    if action.startswith("*."):
        rows = rows.filter(action__endswith=action[1:])
    elif action:
        rows = rows.filter(action=action)
    zone = timezone.get_current_timezone()
    if data.get("fran"):
        rows = rows.filter(at__gte=dt.datetime.combine(data["fran"], dt.time.min, zone))
    if data.get("till"):
        rows = rows.filter(at__lt=dt.datetime.combine(data["till"] + dt.timedelta(days=1), dt.time.min, zone))
    return rows


def action_label(action: str) -> str:
    if action in EVENT_LABELS:
        return EVENT_LABELS[action]
    suffix = action.rsplit(".", 1)[-1]
    label = WRITE_LABELS.get(suffix, action)
    return f"{label} i administrationen" if action.startswith("admin.") else label


def type_label(object_type: str) -> str:
    """The model's Swedish name ("händelse", "aktivitet"); a download's URL name is shown as it is."""
    if object_type.count(".") == 1:
        try:
            return str(apps.get_model(object_type)._meta.verbose_name)
        except (LookupError, ValueError):
            pass
    return object_type


def _changes_text(changes) -> str:
    if not isinstance(changes, dict):
        return ""
    parts = []
    for name, value in changes.items():
        if isinstance(value, list) and len(value) == 2:
            parts.append(f"{name}: {value[0]!s} → {value[1]!s}")
        else:
            parts.append(f"{name}: {value!s}")
    return "; ".join(parts)


def csv_lines(rows: QuerySet[AuditEvent]) -> Iterator[str]:
    """The rows as CSV lines (semicolon, as Swedish Excel opens it), every text cell formula-safe."""

    class _Line:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(_Line(), delimiter=";")
    yield "\ufeff" + writer.writerow(CSV_HEADER)
    for event in rows[:CSV_LIMIT].iterator(chunk_size=2000):
        cells = [
            timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
            event.actor_name,
            str(event.municipality) if event.municipality else "",
            action_label(event.action),
            type_label(event.object_type),
            event.object_id,
            event.object_repr,
            _changes_text(event.changes),
        ]
        yield writer.writerow([safe_cell(cell) for cell in cells])
