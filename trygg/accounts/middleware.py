"""Session limits, the second factor and the audit of downloads, as middleware so that no app's view changes.

Order in settings.MIDDLEWARE: after AuthenticationMiddleware and django_otp's OTPMiddleware."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .audit import record_event
from .models import Role

LOGIN_AT = "trygg_login_at"
SEEN_AT = "trygg_seen_at"
# How often the idle clock is written to the session (every request would write the session every request).
SEEN_RESOLUTION = 30


class SessionTimeoutMiddleware:
    """A session ends TRYGG_SESSION_MAX_AGE seconds after login (absolute) or after TRYGG_SESSION_IDLE
    seconds without a request, whichever comes first; the user is sent to the login page with a message."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            started, seen = session.get(LOGIN_AT), session.get(SEEN_AT)
            if started is None:
                session[LOGIN_AT] = started = now  # a session from before this middleware
            too_old = now - started > settings.TRYGG_SESSION_MAX_AGE
            idle = seen is not None and now - seen > settings.TRYGG_SESSION_IDLE
            if too_old or idle:
                record_event(user, "auth.session_expired", what=user.username, changes={"idle": [None, idle]})
                logout(request)
                messages.info(
                    request,
                    _("Du har varit inaktiv för länge och har loggats ut. Logga in igen.")
                    if idle
                    else _("Din inloggning har gått ut. Logga in igen."),
                )
                return redirect_to_login(request.get_full_path())
            if seen is None or now - seen >= SEEN_RESOLUTION:
                session[SEEN_AT] = now
        return self.get_response(request)


# --- Second factor ------------------------------------------------------------------------------------------

SSO_BACKEND = "trygg.accounts.oidc.TryggOIDCBackend"
# Pages a user who still owes the second factor may open.
OPEN_BEFORE_SECOND_FACTOR = {
    "login",
    "logout",
    "two_factor_verify",
    "two_factor_enrol",
    "two_factor_qr",
    "oidc_authentication_init",
    "oidc_authentication_callback",
    "admin:logout",
    "admin:login",
}


def second_factor_required(user) -> bool:
    """True when `user` must confirm a one-time code after the password: roles that see the lägesbild
    (coordinator, partner), administrators and staff, when TRYGG_REQUIRE_2FA is on."""
    if not settings.TRYGG_REQUIRE_2FA or not user.is_authenticated:
        return False
    return (
        user.is_superuser
        or user.is_staff
        or user.has_role_anywhere(Role.ADMIN, Role.COORDINATOR, Role.PARTNER)
    )


def signed_in_with_sso(request) -> bool:
    """The identity provider did the multi-factor check (Freja eID, SITHS, Entra ID's MFA)."""
    return request.session.get(BACKEND_SESSION_KEY) == SSO_BACKEND


class SecondFactorMiddleware:
    """Sends a user who owes the second factor to the code page (or to set it up the first time) before
    any other page, the admin included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and second_factor_required(user)
            and not signed_in_with_sso(request)
        ):
            try:
                name = resolve(request.path_info).view_name
            except Resolver404:
                name = ""
            if name and name not in OPEN_BEFORE_SECOND_FACTOR:
                from django_otp import user_has_device

                target = "two_factor_verify" if user_has_device(user) else "two_factor_enrol"
                from django.urls import reverse

                return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


# --- Downloads ----------------------------------------------------------------------------------------------


class AuditedDownloadMiddleware:
    """One audit row for every export or report a user downloads: a 200 response of a view whose URL name is
    in TRYGG_AUDITED_DOWNLOADS. An HTML page of such a view (a "report is being prepared" page) is not a
    download unless the URL asks for HTML."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        if (
            response.status_code == 200
            and match is not None
            and match.view_name in settings.TRYGG_AUDITED_DOWNLOADS
            and user is not None
            and user.is_authenticated
        ):
            content_type = response.get("Content-Type", "")
            if not content_type.startswith("text/html") or match.kwargs.get("fmt") == "html":
                record_event(
                    user,
                    "download",
                    what=request.get_full_path(),
                    object_type=match.view_name,
                    municipality=_working_municipality_id(request, user),
                    changes={"content_type": [None, content_type.split(";")[0]]},
                )
        return response


def _working_municipality_id(request, user) -> int | None:
    """The municipality the user works in, without a query when the view has already looked it up or the
    user has one municipality (the audit insert is the download's only extra query)."""
    from .tenancy import SESSION_KEY

    if hasattr(request, "_trygg_municipality"):
        return getattr(request._trygg_municipality, "pk", None)
    ids = user.municipality_ids()
    if len(ids) == 1:
        return ids[0]
    chosen = request.session.get(SESSION_KEY)
    return chosen if chosen in ids else None
