from __future__ import annotations

import base64

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from trygg.lib.formfields import parse_pk
from trygg.places.models import Municipality

from . import audit_log, tenancy
from .audit import record_event
from .forms import AuditFilterForm, TokenForm
from .models import AuditEvent, Role


@login_required
@require_POST
def switch_municipality(request: HttpRequest) -> HttpResponse:
    """Make another of the user's municipalities current, then go back to a page that exists in every
    municipality (an object page of the previous one would now be a 404)."""
    pk = parse_pk(request.POST.get("kommun", ""))
    if pk is None or not tenancy.switch_municipality(request, pk):
        messages.error(request, _("Du har ingen behörighet i den kommunen."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return redirect("home")
    section = target.split("?")[0].strip("/").split("/")[0]
    return redirect(f"/{section}/" if section else "home")


# --- Login, second factor ----------------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    """Trygg's login page: the password form, and a single sign-on button when an identity provider is set up."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sso_enabled"] = settings.TRYGG_OIDC_ENABLED
        context["sso_label"] = settings.TRYGG_OIDC_LABEL
        context["sso_failed"] = self.request.GET.get("sso") == "fel"
        return context


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The one-time code after the password, for roles that must use a second factor."""
    if request.user.is_verified():
        return redirect(_safe_next(request))
    device = TOTPDevice.objects.devices_for_user(request.user, confirmed=True).first()
    if device is None:
        return redirect(f"{reverse('two_factor_enrol')}?{urlencode({'next': _safe_next(request)})}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            form.add_error("token", _("För många felaktiga koder. Vänta en stund och försök igen."))
        elif device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            return redirect(_safe_next(request))
        else:
            record_event(request.user, "auth.2fa_failed", what=request.user.username)
            form.add_error("token", _("Koden stämmer inte. Kontrollera att klockan i telefonen går rätt."))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _safe_next(request)})


def _pending_device(user) -> TOTPDevice:
    """The not yet confirmed authenticator of `user` (created on first visit, kept across reloads so the
    QR code does not change while the user scans it)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Trygg", confirmed=False)


@login_required
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app: scan the QR code (or type the key), then confirm with a code."""
    if TOTPDevice.objects.devices_for_user(request.user, confirmed=True).exists():
        return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': _safe_next(request)})}")
    device = _pending_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not device.verify_is_allowed()[0]:
            form.add_error("token", _("För många felaktiga koder. Vänta en stund och försök igen."))
        elif device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
            otp_login(request, device)
            record_event(request.user, "auth.2fa_enrolled", what=request.user.username)
            messages.success(request, _("Tvåstegsverifieringen är aktiverad."))
            return redirect(_safe_next(request))
        else:
            form.add_error(
                "token", _("Koden stämmer inte. Skanna QR-koden igen eller skriv in nyckeln och försök igen.")
            )
    secret = base64.b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "next": _safe_next(request),
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
    }
    return render(request, "accounts/two_factor_enrol.html", context)


@login_required
def two_factor_qr(request: HttpRequest) -> HttpResponse:
    """The QR code of the authenticator being set up, as SVG (an image, so no inline markup needs a CSP
    exception). Never cached: it holds the secret key."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).order_by("pk").first()
    if device is None:
        raise Http404
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10)
    response = HttpResponse(image.to_string(), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


# --- The audit trail ---------------------------------------------------------------------------------------


def _audit_rows_and_form(request: HttpRequest):
    if not audit_log.can_view_audit(request.user):
        raise PermissionDenied
    municipalities = Municipality.objects.order_by("name")
    if not request.user.is_superuser:
        municipalities = municipalities.filter(pk__in=request.user.municipality_ids(Role.ADMIN))
    form = AuditFilterForm(
        request.GET or None, municipalities=municipalities, actions=audit_log.FILTER_CHOICES
    )
    rows = audit_log.visible_events(request.user)
    if form.is_bound and form.is_valid():
        rows = audit_log.filtered(rows, form.cleaned_data)
    elif form.is_bound:
        rows = rows.none()
    return rows, form


@login_required
@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    """Granskningslogg: every audited event the administrator may see, newest first, with filters."""
    rows, form = _audit_rows_and_form(request)
    page = Paginator(rows, 50).get_page(request.GET.get("sida"))
    for event in page:
        event.action_label = audit_log.action_label(event.action)
        event.type_label = audit_log.type_label(event.object_type)
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request, "accounts/audit_list.html", {"form": form, "page": page, "query": query.urlencode()}
    )


@login_required
@require_GET
def audit_export(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered audit trail as CSV (at most audit_log.CSV_LIMIT rows)."""
    rows, _form = _audit_rows_and_form(request)
    # The rows as they are now (the export's own audit row is written before the body is streamed).
    newest = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    rows = rows.filter(pk__lte=newest)
    response = StreamingHttpResponse(audit_log.csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="granskningslogg.csv"'
    return response
