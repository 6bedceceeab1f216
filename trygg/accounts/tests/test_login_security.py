"""Throttling (django-axes), the second factor (TOTP), session limits and password rules, through the real
login forms (Trygg's and the admin's)."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from trygg.accounts.models import AuditEvent, Role
from trygg.conftest import make_user

LOGIN = "/logga-in/"
ADMIN_LOGIN = "/admin/login/"
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
ROOT_PASSWORD = "ratt-losenord-123"  # noqa: S105 - a test account


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()  # axes counts in the cache
    yield
    cache.clear()


def _post_login(client, username, password, url=LOGIN):
    return client.post(url, {"username": username, "password": password, "next": "/"})


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- Throttling -----------------------------------------------------------------------------------------


@override_settings(AXES_ENABLED=True)
def test_the_sixth_attempt_within_a_minute_is_refused_even_with_the_right_password(
    client, municipality, caplog
):
    make_user("samordnare", Role.COORDINATOR)
    caplog.set_level(logging.INFO)
    with time_machine.travel(START, tick=False) as clock:
        for attempt in range(1, 6):
            response = _post_login(client, "samordnare", f"fel-losenord-{attempt}")
            assert not _logged_in(client)
            assert response.status_code == (429 if attempt == 5 else 200), attempt
            clock.shift(dt.timedelta(seconds=10))
        response = _post_login(client, "samordnare", "pw-samordnare")
        assert response.status_code == 429
        assert "För många inloggningsförsök" in response.content.decode()
        assert not _logged_in(client)

        # Another user name is not affected (no lock by address).
        make_user("enhet", Role.UNIT_EDITOR)
        assert _post_login(client, "enhet", "pw-enhet").status_code == 302
        client.logout()

        # After the cool-off (15 minutes by default) the right password works again.
        clock.shift(dt.timedelta(minutes=16))
        assert _post_login(client, "samordnare", "pw-samordnare").status_code == 302
        assert _logged_in(client)

    failed = AuditEvent.objects.filter(action="auth.login_failed")
    assert failed.count() == 6 and set(failed.values_list("actor_name", flat=True)) == {"samordnare"}
    assert AuditEvent.objects.filter(action="auth.locked_out").exists()
    assert AuditEvent.objects.filter(action="auth.login", actor__username="samordnare").count() == 1
    # No client address and no password anywhere: database, audit trail, log.
    assert not (
        AccessAttempt.objects.exists() or AccessLog.objects.exists() or AccessFailureLog.objects.exists()
    )
    stored = " ".join(str(v) for row in AuditEvent.objects.values() for v in row.values())
    log_text = "\n".join(r.getMessage() for r in caplog.records)
    for secret in ("127.0.0.1", "fel-losenord", "pw-samordnare"):
        assert secret not in stored and secret not in log_text, secret
    assert "Misslyckad inloggning för användarnamnet 'samordnare'" in log_text


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3, AXES_COOLOFF_TIME=2 / 60)
def test_the_admin_login_is_throttled_too_and_the_limits_are_settings(client, municipality):
    from trygg.accounts.models import User

    User.objects.create_superuser("root", password=ROOT_PASSWORD)
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(3):
            _post_login(client, "root", "fel", url=ADMIN_LOGIN)
        response = _post_login(client, "root", ROOT_PASSWORD, url=ADMIN_LOGIN)
        assert response.status_code == 429 and not _logged_in(client)
        clock.shift(dt.timedelta(minutes=3))
        assert _post_login(client, "root", ROOT_PASSWORD, url=ADMIN_LOGIN).status_code == 302
        assert _logged_in(client)


def test_throttling_is_on_unless_switched_off_and_counts_by_user_name_in_the_cache():
    from trygg import settings as production

    assert production.AXES_ENABLED is True
    assert production.AXES_LOCKOUT_PARAMETERS == ["username"]
    assert production.AXES_HANDLER == "axes.handlers.cache.AxesCacheHandler"
    assert production.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


# --- Second factor --------------------------------------------------------------------------------------


def _code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


@override_settings(TRYGG_REQUIRE_2FA=True)
def test_a_coordinator_enrols_with_a_qr_code_then_gives_a_code_after_each_password_login(
    client, municipality
):
    user = make_user("samordnare", Role.COORDINATOR)
    with time_machine.travel(START, tick=False) as clock:
        assert _post_login(client, "samordnare", "pw-samordnare").status_code == 302
        # Nothing but the enrolment page until the second factor is set up.
        response = client.get("/lagesbild/")
        assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor_enrol"))
        page = client.get(response["Location"])
        assert page.status_code == 200 and reverse("two_factor_qr") in page.content.decode()
        qr = client.get(reverse("two_factor_qr"))
        assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
        assert qr["Cache-Control"] == "no-store"
        device = TOTPDevice.objects.get(user=user, confirmed=False)
        secret = "".join(page.context["secret_groups"])
        assert secret and secret in device.config_url

        wrong = client.post(reverse("two_factor_enrol"), {"token": "000000", "next": "/lagesbild/"})
        assert wrong.status_code == 200 and "Koden stämmer inte" in wrong.content.decode()
        clock.shift(dt.timedelta(seconds=5))  # django-otp's own throttle: 1 s after the first wrong code
        device.refresh_from_db()
        done = client.post(reverse("two_factor_enrol"), {"token": _code(device), "next": "/lagesbild/"})
        assert done.status_code == 302 and done["Location"] == "/lagesbild/"
        assert client.get("/lagesbild/").status_code == 200
        assert AuditEvent.objects.filter(action="auth.2fa_enrolled", actor=user).count() == 1

        # Next login: the password alone opens nothing; a code from the app does.
        client.logout()
        clock.shift(dt.timedelta(minutes=5))
        _post_login(client, "samordnare", "pw-samordnare")
        response = client.get("/lagesbild/")
        assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor_verify"))
        assert client.get("/planer/").status_code == 302
        wrong = client.post(reverse("two_factor_verify"), {"token": "123456", "next": "/lagesbild/"})
        assert wrong.status_code == 200 and "Koden stämmer inte" in wrong.content.decode()
        clock.shift(dt.timedelta(seconds=5))  # django-otp's own throttle: 1 s after the first wrong code
        device.refresh_from_db()
        done = client.post(reverse("two_factor_verify"), {"token": _code(device), "next": "/lagesbild/"})
        assert done.status_code == 302 and done["Location"] == "/lagesbild/"
        assert client.get("/lagesbild/").status_code == 200


@override_settings(TRYGG_REQUIRE_2FA=True)
def test_an_administrator_needs_the_second_factor_for_the_admin_too(client, municipality):
    from trygg.accounts.models import User

    User.objects.create_superuser("root", password=ROOT_PASSWORD)
    assert _post_login(client, "root", ROOT_PASSWORD, url=ADMIN_LOGIN).status_code == 302
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("two_factor_enrol"))


@override_settings(TRYGG_REQUIRE_2FA=True)
def test_a_reader_and_a_unit_editor_log_in_with_the_password_alone(client, municipality):
    make_user("lasare", Role.READER)
    make_user("enhet", Role.UNIT_EDITOR)
    for username in ("lasare", "enhet"):
        _post_login(client, username, f"pw-{username}")
        assert client.get("/planer/").status_code == 200, username
        client.logout()


def test_without_the_setting_a_coordinator_logs_in_with_the_password_alone(client, municipality):
    make_user("samordnare", Role.COORDINATOR)
    _post_login(client, "samordnare", "pw-samordnare")
    assert client.get("/lagesbild/").status_code == 200


# --- Sessions -------------------------------------------------------------------------------------------


def test_a_session_ends_after_an_hour_without_requests(client, municipality):
    make_user("samordnare", Role.COORDINATOR)
    with time_machine.travel(START, tick=False) as clock:
        _post_login(client, "samordnare", "pw-samordnare")
        clock.shift(dt.timedelta(minutes=59))
        assert client.get("/planer/").status_code == 200
        clock.shift(dt.timedelta(minutes=61))
        response = client.get("/planer/")
        assert response.status_code == 302 and response["Location"].startswith("/logga-in/?next=/planer/")
        assert not _logged_in(client)
    assert AuditEvent.objects.filter(action="auth.session_expired").count() == 1


def test_a_session_ends_eight_hours_after_login_however_active(client, municipality):
    make_user("samordnare", Role.COORDINATOR)
    with time_machine.travel(START, tick=False) as clock:
        _post_login(client, "samordnare", "pw-samordnare")
        for _ in range(16):  # every 30 minutes for 8 hours
            clock.shift(dt.timedelta(minutes=30))
            assert client.get("/planer/").status_code == 200
        clock.shift(dt.timedelta(minutes=1))
        assert client.get("/planer/").status_code == 302
        assert not _logged_in(client)


@override_settings(TRYGG_SESSION_IDLE=5 * 60)
def test_the_idle_timeout_is_a_setting(client, municipality):
    make_user("samordnare", Role.COORDINATOR)
    with time_machine.travel(START, tick=False) as clock:
        _post_login(client, "samordnare", "pw-samordnare")
        clock.shift(dt.timedelta(minutes=6))
        assert client.get("/planer/").status_code == 302


# --- Passwords ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("weak", ["kungalv1", "Sommar2024", "elvatecken1", "123456789012345", "password1234"])
def test_weak_passwords_are_refused(weak):
    with pytest.raises(ValidationError):
        validate_password(weak)


def test_a_long_passphrase_is_accepted():
    validate_password("lila-ekorre-hoppar-sju-gånger")
