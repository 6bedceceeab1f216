from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trygg.lib.formfields import parse_pk

from . import tenancy


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
