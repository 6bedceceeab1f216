"""Logins, failed logins and logouts go to the audit trail and the log: every login form (Trygg's, the
admin's, single sign-on) sends Django's signals. No password and no client address is ever written: the
failed attempt keeps only the user name that was typed."""

from __future__ import annotations

import logging
import time

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .audit import record_event
from .middleware import LOGIN_AT, SEEN_AT, SSO_BACKEND

log = logging.getLogger("trygg.accounts.auth")


def _through_http(request) -> bool:
    """A login form or callback a person used (not Client.force_login or a script calling login())."""
    return request is not None and getattr(request, "resolver_match", None) is not None


def _method(user) -> str:
    return "sso" if getattr(user, "backend", "") == SSO_BACKEND else "password"


@receiver(user_logged_in, dispatch_uid="trygg_audit_login")
def on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[LOGIN_AT] = now
        request.session[SEEN_AT] = now
    if not _through_http(request):
        return
    method = _method(user)
    log.info("Inloggning: %s (%s)", user.username, method)
    record_event(user, "auth.login", what=user.username, changes={"method": [None, method]})


@receiver(user_login_failed, dispatch_uid="trygg_audit_login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    # `credentials` has the password masked by Django already; only the user name is kept.
    username = str(credentials.get("username") or "")[:150]
    if not username or not _through_http(request):
        return  # an SSO callback that failed: the provider's error is logged by mozilla-django-oidc
    log.warning("Misslyckad inloggning för användarnamnet %r", username)
    record_event(None, "auth.login_failed", what=username, actor_name=username)


@receiver(user_locked_out, dispatch_uid="trygg_audit_locked_out")
def on_locked_out(sender, request, username=None, **kwargs):
    log.warning("Användarnamnet %r är spärrat efter för många felaktiga inloggningsförsök", username)
    record_event(None, "auth.locked_out", what=str(username or "")[:150], actor_name=str(username or ""))


@receiver(user_logged_out, dispatch_uid="trygg_audit_logout")
def on_logout(sender, request, user, **kwargs):
    if user is not None and _through_http(request):
        record_event(user, "auth.logout", what=user.username)
