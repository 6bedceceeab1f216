"""Report, show and edit incidents."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from trygg.accounts.models import AuditEvent

from ..actions import SituationError, do_save_incident
from ..forms import IncidentForm
from ..models import Incident
from ..permissions import (
    can_choose_source,
    can_edit_incident,
    can_write_situation,
    get_incident_for_user,
    require_situation_access,
)


def _form_page(request: HttpRequest, form: IncidentForm, incident: Incident | None) -> HttpResponse:
    municipality = form.municipality
    return render(
        request,
        "situation/incident_form.html",
        {
            "form": form,
            "incident": incident,
            "title": _("Ändra händelse") if incident else _("Rapportera händelse"),
            "municipality": municipality,
            "tile_url": settings.TRYGG_TILE_URL,
            "tile_attribution": settings.TRYGG_TILE_ATTRIBUTION,
        },
    )


def _save(request: HttpRequest, form: IncidentForm, incident: Incident | None) -> HttpResponse | None:
    """Save a valid form through the action; None when the action refused (error added to the form)."""
    data = form.cleaned_data
    try:
        saved, explanation = do_save_incident(
            form.instance,
            place=data.get("place"),
            lat=data.get("lat"),
            lon=data.get("lon"),
            description=data.get("description", ""),
            acting_user=request.user,
            base=form.base,
        )
    except SituationError as exc:
        form.add_error(None, str(exc))
        form.refresh_if_stale(exc)
        return None
    messages.success(request, _("Händelsen är sparad.") if incident else _("Tack! Händelsen är rapporterad."))
    if explanation:
        messages.warning(request, explanation)
    return redirect("situation:incident_detail", pk=saved.pk)


def _form(request: HttpRequest, incident: Incident | None, municipality, **kwargs) -> IncidentForm:
    return IncidentForm(
        request.POST or None,
        instance=incident,
        municipality=municipality,
        may_choose_source=can_choose_source(request.user, municipality),
        own_organisation=request.user.organisation,
        **kwargs,
    )


@login_required
@require_http_methods(["GET", "POST"])
def incident_create(request: HttpRequest) -> HttpResponse:
    municipality = require_situation_access(request, write=True)
    initial = {
        "occurred_from": timezone.localtime().replace(second=0, microsecond=0),
        "source_organisation": request.user.organisation_id,
    }
    form = _form(request, None, municipality, initial=initial)
    if request.method == "POST" and form.is_valid():
        response = _save(request, form, None)
        if response is not None:
            return response
    return _form_page(request, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def incident_edit(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident_for_user(request, pk, write=True)
    form = _form(request, incident, incident.municipality)
    if request.method == "POST" and form.is_valid():
        response = _save(request, form, incident)
        if response is not None:
            return response
    return _form_page(request, form, incident)


@login_required
@require_GET
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = get_incident_for_user(request, pk)
    if not can_write_situation(request.user, incident.municipality_id):
        raise PermissionDenied(
            _(
                "Enskilda händelser visas bara för dem som arbetar med lägesbilden (samordnare och samverkansparter)."
            )
        )
    history = AuditEvent.objects.filter(
        object_type="situation.incident", object_id=str(incident.pk)
    ).select_related("actor")[:20]
    return render(
        request,
        "situation/incident_detail.html",
        {
            "incident": incident,
            "history": history,
            "can_edit": can_edit_incident(request.user, incident),
        },
    )
