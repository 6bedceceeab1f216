"""The audit trail cannot be erased and can be read: the actor's name is kept, rows are never updated or
deleted (in code; on PostgreSQL also by the documented grant), users are deactivated instead of deleted,
downloads are recorded, and administrators read it with filters and a formula-safe CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.db import connection, transaction
from django.db.models import ProtectedError
from django.db.utils import DatabaseError
from django.urls import reverse

from trygg.accounts import writes
from trygg.accounts.audit import record_audit, record_event
from trygg.accounts.models import AuditEvent, AuditTrailIsAppendOnly, Organisation, Role, User
from trygg.conftest import make_user
from trygg.places.loading import load_municipality

EXPORT = reverse("audit_export")
LIST = reverse("audit_list")


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_the_actors_name_is_kept_and_the_account_cannot_be_deleted(municipality):
    user = make_user("samordnare", Role.COORDINATOR, first_name="Sara", last_name="Samordnare")
    organisation = writes.create(Organisation, {"name": "Bostadsbolaget"}, acting_user=user).obj
    event = AuditEvent.objects.get(action="organisation.create")
    assert event.actor_name == "Sara Samordnare (samordnare)"
    with pytest.raises(ProtectedError):
        user.delete()
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert AuditEvent.objects.get(pk=event.pk).actor_name == "Sara Samordnare (samordnare)"
    assert organisation.pk


def test_audit_rows_are_never_updated_or_deleted_in_code(municipality):
    event = record_event(None, "auth.login_failed", what="nagon", actor_name="nagon")
    event.action = "auth.login"
    with pytest.raises(AuditTrailIsAppendOnly):
        event.save()
    with pytest.raises(AuditTrailIsAppendOnly):
        event.delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "auth.login_failed"
    # The one sanctioned rewrite: old/new values scrubbed of personal data.
    event.refresh_from_db()
    event.scrub_changes({"text": ["[borttaget]", None]})
    assert AuditEvent.objects.get(pk=event.pk).changes == {"text": ["[borttaget]", None]}


def test_a_write_records_its_municipality(municipality, unit):
    user = make_user("admin2", Role.ADMIN)
    writes.update(unit, {"name": "Trygghetsenheten"}, acting_user=user)
    assert AuditEvent.objects.get(action="unit.update").municipality == municipality


def test_users_are_deactivated_in_the_admin_never_deleted(client, municipality):
    root = User.objects.create_superuser("root", password=None)
    target = make_user("lasare", Role.READER)
    client.force_login(root)
    assert client.get(reverse("admin:accounts_user_delete", args=[target.pk])).status_code in (302, 403)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "deactivate", "_selected_action": [target.pk]},
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert not target.is_active and User.objects.filter(pk=target.pk).exists()
    event = AuditEvent.objects.get(action="admin.user.update", object_id=str(target.pk))
    assert event.changes == {"is_active": [True, False]} and event.actor == root


def test_a_download_is_recorded_without_changing_the_apps_views(personas, login, municipality):
    client = login(personas["coordinator"])
    response = client.get(reverse("situation:export_csv"))
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="download")
    assert event.actor == personas["coordinator"] and event.object_type == "situation:export_csv"
    assert event.object_repr == "/lagesbild/export.csv" and event.municipality == municipality
    # A page that is not a download is not recorded; a refused download is not either.
    client.get(reverse("situation:map"))
    login(personas["outsider"]).get(reverse("situation:export_csv"))
    assert AuditEvent.objects.filter(action="download").count() == 1


def test_every_audited_download_is_a_real_url_name():
    from django.conf import settings
    from django.urls import NoReverseMatch, get_resolver

    names = set()

    def walk(resolver, prefix=""):
        for entry in resolver.url_patterns:
            if hasattr(entry, "url_patterns"):
                walk(entry, f"{entry.namespace}:" if entry.namespace else prefix)
            elif entry.name:
                names.add(prefix + entry.name)

    walk(get_resolver())
    unknown = [name for name in settings.TRYGG_AUDITED_DOWNLOADS if name not in names]
    assert unknown in ([], ["accounts:audit_export"]), unknown
    with pytest.raises(NoReverseMatch):
        reverse("no-such-download")


# --- The audit view ------------------------------------------------------------------------------------


@pytest.fixture
def trail(municipality, other_municipality):
    kungalv_admin = make_user("kadmin", Role.ADMIN, first_name="Kim", last_name="Admin")
    coordinator = make_user("samordnare", Role.COORDINATOR, first_name="Sara", last_name="Samordnare")
    ale = make_user("ale", Role.COORDINATOR, municipality=other_municipality)
    with time_machine.travel(dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC)):
        record_event(coordinator, "download", what="/lagesbild/export.csv", municipality=municipality)
    with time_machine.travel(dt.datetime(2026, 2, 10, 9, tzinfo=dt.UTC)):
        record_audit(coordinator, "place.update", municipality, {"name": ["=1+1", "@SUM(A1)"]})
        record_event(ale, "download", what='=HYPERLINK("http://x")', municipality=other_municipality)
        record_event(None, "auth.login_failed", what="okand", actor_name="okand")
    return {"admin": kungalv_admin, "coordinator": coordinator, "ale": ale}


def test_only_administrators_read_the_audit_trail(client, trail):
    client.force_login(trail["coordinator"])
    assert client.get(LIST).status_code == 403
    assert client.get(EXPORT).status_code == 403
    client.logout()
    assert client.get(LIST).status_code == 302


def test_a_municipal_administrator_sees_the_rows_of_their_municipality(client, trail, municipality):
    client.force_login(trail["admin"])
    page = client.get(LIST)
    assert page.status_code == 200
    shown = list(page.context["page"])
    assert shown and {e.municipality_id for e in shown} == {municipality.pk}


def test_filters_by_actor_action_municipality_and_dates(client, trail, municipality, other_municipality):
    client.force_login(User.objects.create_superuser("root", password=None))
    everything = client.get(LIST).context["page"].paginator.count

    def count(**params):
        response = client.get(LIST, params)
        assert response.status_code == 200
        return response.context["page"].paginator.count

    assert count(vem="Sara") == 2
    assert count(handelse="download") == 2
    assert count(handelse="*.update") == 1
    assert count(handelse="auth.login_failed") == 1
    assert count(kommun=other_municipality.pk, handelse="download") == 1
    assert count(kommun=municipality.pk, handelse="download") == 1
    assert count(fran="2026-02-01", till="2026-02-28") == 3
    assert count(till="2026-01-31", handelse="download") == 1
    assert count(fran="2026-03-01", till="2026-02-01") == 0  # refused with a message
    refused = client.get(LIST, {"fran": "2026-03-01", "till": "2026-02-01"}).content.decode()
    assert "Från-datumet ligger efter till-datumet" in refused
    assert everything >= 4


def test_the_csv_export_is_formula_safe_and_is_itself_recorded(client, trail):
    root = User.objects.create_superuser("root", password=None)
    client.force_login(root)
    response = client.get(EXPORT, {"handelse": "download"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert rows[0][:4] == ["Tidpunkt", "Vem", "Kommun", "Händelse"]
    assert len(rows) == 3
    assert '\'=HYPERLINK("http://x")' in [r[6] for r in rows[1:]]
    assert "=1+1" in _csv(client.get(EXPORT, {"handelse": "*.update"}))[1][7]
    assert AuditEvent.objects.filter(action="download", actor=root, object_type="audit_export").count() == 2
    for cell in (c for row in rows for c in row):
        assert not cell.lstrip(" \t\r").startswith(("=", "+", "-", "@")), cell


def test_the_admin_menu_entry_opens_the_audit_view(client, municipality):
    client.force_login(User.objects.create_superuser("root", password=None))
    response = client.get(reverse("admin:accounts_auditevent_changelist"))
    assert response.status_code == 302 and response["Location"] == LIST


# --- PostgreSQL: the table is insert-only for the application's role -------------------------------------

APP_ROLE = "trygg_app_audit_test"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the grant is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_app_role_can_insert_but_not_rewrite_audit_rows(client):
    """The grant of docs/security.md, applied to a fresh role; then the application's code (a login, a
    write, the audit view) runs under that role, and a direct UPDATE or DELETE is refused by the database."""
    municipality = load_municipality("1482")
    user = make_user("kadmin", Role.ADMIN, municipality=municipality)
    user.set_password("ratt-losenord-123")
    user.save()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP ROLE IF EXISTS {APP_ROLE}")
        cursor.execute(f"CREATE ROLE {APP_ROLE} NOLOGIN")
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP_ROLE}")
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {APP_ROLE}")
        # docs/security.md:
        cursor.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON accounts_auditevent FROM {APP_ROLE}")
        cursor.execute(f"GRANT UPDATE (changes) ON accounts_auditevent TO {APP_ROLE}")
        cursor.execute(f"SET ROLE {APP_ROLE}")
    try:
        before = AuditEvent.objects.count()
        response = client.post("/logga-in/", {"username": "kadmin", "password": "ratt-losenord-123"})
        assert response.status_code == 302
        organisation = writes.create(Organisation, {"name": "Polisen"}, acting_user=user).obj
        writes.update(organisation, {"name": "Polisen Kungälv"}, acting_user=user)
        assert client.get(LIST).status_code == 200
        assert b"".join(client.get(EXPORT).streaming_content)
        assert AuditEvent.objects.count() >= before + 4  # login, create, update, export
        event = AuditEvent.objects.latest("pk")
        event.scrub_changes({"x": ["[borttaget]", None]})  # the one column the role may update
        for sql in (
            "UPDATE accounts_auditevent SET action = 'x'",
            "DELETE FROM accounts_auditevent",
            "TRUNCATE accounts_auditevent",
        ):
            with (
                pytest.raises(DatabaseError, match="permission denied"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(sql)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
            cursor.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {APP_ROLE}")
            cursor.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {APP_ROLE}")
            cursor.execute(f"DROP ROLE {APP_ROLE}")
