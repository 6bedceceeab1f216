from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from trygg.accounts.tenancy import require_current_municipality
from trygg.lib.pii import TextTooLongError

from . import geojson
from .actions import do_save_place
from .forms import PlaceForm
from .models import District, Place
from .permissions import can_manage_places, get_place_for_user, require_places_access


@login_required
@require_GET
def place_list(request: HttpRequest) -> HttpResponse:
    require_places_access(request)
    municipality = require_current_municipality(request)
    places = Place.objects.for_municipality(municipality).select_related("district")
    districts = District.objects.filter(municipality=municipality)
    return render(
        request,
        "places/place_list.html",
        {
            "municipality": municipality,
            "places": places,
            "districts": districts,
            "can_manage": can_manage_places(request.user),
        },
    )


@login_required
@require_GET
def places_geojson(request: HttpRequest) -> JsonResponse:
    """The boundary, districts and places as one FeatureCollection."""
    require_places_access(request)
    municipality = require_current_municipality(request)
    features = [geojson.boundary_feature(municipality)]
    features += geojson.district_features(District.objects.filter(municipality=municipality))
    features += geojson.place_features(
        Place.objects.for_municipality(municipality).active().select_related("district")
    )
    return JsonResponse(geojson.feature_collection(features), json_dumps_params={"ensure_ascii": False})


def _edit(request: HttpRequest, place: Place | None) -> HttpResponse:
    municipality = require_current_municipality(request)
    form = PlaceForm(request.POST or None, instance=place, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        try:
            saved, explanation = do_save_place(form.instance, acting_user=request.user)
        except TextTooLongError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Platsen %(name)s är sparad.") % {"name": saved.name})
            if explanation:
                messages.warning(request, explanation)
            return redirect("places:place_list")
    title = _("Ändra plats") if place else _("Ny plats")
    return render(request, "places/place_form.html", {"form": form, "title": title, "place": place})


@login_required
@require_http_methods(["GET", "POST"])
def place_create(request: HttpRequest) -> HttpResponse:
    require_places_access(request, write=True)
    return _edit(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def place_edit(request: HttpRequest, pk: int) -> HttpResponse:
    place = get_place_for_user(request, pk, write=True)
    return _edit(request, place)
